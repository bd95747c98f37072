// The supported public surface of cdktf-machine-clients. Re-exports only, each name listed on
// purpose: a name not listed here is an implementation detail, free to change in any release.
// api/cdktf-machine-clients.api.md records this surface; `npm run api:check` fails on a change.

// Errors
export { MachineClientsError } from "./errors";
export { ConfigFileError } from "./config/problems";
export type { ConfigProblem } from "./config/problems";

// Entra ID's limits
export {
  MAX_DISPLAY_NAME_LENGTH,
  MAX_PERMISSION_DEFINITIONS_PER_API,
  MAX_PERMISSIONS_PER_CLIENT,
  MAX_RESOURCE_APIS_PER_CLIENT,
} from "./limits";

// Vocabularies
export { ScopeVocabulary } from "./vocabulary/scope-vocabulary";
export type {
  CheckGrant,
  CheckJustifiedGrant,
  DelegatedScopeError,
  GrantableScopeOf,
  JustificationRequiredError,
  KnownPropertiesOnly,
  PrivilegedScopeOf,
  RejectDelegatedKeys,
  RenamedFrom,
  RenamedFromOf,
  RenamedScopeError,
  RenamedToOf,
  ReplacementOf,
  ReservedAppRoleValueError,
  RetiredScope,
  RetiredScopeError,
  RetiredScopeOf,
  ScopeDefinition,
  ScopeDefinitions,
  ScopeOf,
  VocabularyAppRole,
  VocabularyRenamedFrom,
  VocabularyScope,
} from "./vocabulary/scope-vocabulary";
export { DelegatedVocabulary, RESERVED_DELEGATED_SCOPES } from "./vocabulary/delegated-vocabulary";
export type {
  DelegatedConsent,
  DelegatedScopeDefinition,
  DelegatedScopeDefinitions,
  DelegatedVocabularyScope,
  RejectReservedKeys,
  ReservedDelegatedScope,
  ReservedDelegatedScopeError,
} from "./vocabulary/delegated-vocabulary";
export { DELEGATED_SCOPES } from "./vocabulary/delegated";
export type { DelegatedScope } from "./vocabulary/delegated";
export { ROLE_ID_NAMESPACE, deriveRoleId } from "./vocabulary/role-id";
export { MIN_JUSTIFICATION_LENGTH } from "./vocabulary/justification";

// APIs and grants
export { ProtectedApi, DEFAULT_ROLE_REPLICATION_DELAY_SECONDS } from "./constructs/protected-api";
export type {
  NoDelegatedScopes,
  ProtectedApiProps,
  RejectSharedValues,
  SharedScopeValues,
  TenantScopedUriOptions,
} from "./constructs/protected-api";
export { ExistingApi } from "./constructs/existing-api";
export type { ExistingApiProps } from "./constructs/existing-api";
export { MicrosoftGraph } from "./constructs/microsoft-graph";
export type { MicrosoftGraphOptions } from "./constructs/microsoft-graph";
export type {
  ServicePrincipalMode,
  ServicePrincipalRef,
} from "./constructs/service-principal-lookup";
export { ScopeGrant } from "./constructs/grant";
export type { AssignedRole, GrantOptions, IApi, PrivilegedGrantOptions } from "./constructs/grant";
export { DelegatedScopeGrant } from "./constructs/delegated-grant";
export type { DelegatedResourceAccess } from "./constructs/delegated-grant";

// Identifier URIs
export { IDENTIFIER_URI_PATTERNS, classifyIdentifierUri } from "./identifier-uri";
export type {
  DomainRequirement,
  IdentifierUriClass,
  IdentifierUriPattern,
  IdentifierUriPatternId,
  RefusedIdentifierUri,
  SecureIdentifierUri,
} from "./identifier-uri";

// Microsoft Graph permissions
export {
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_PERMISSIONS_SOURCE,
} from "./graph/permissions.generated";
export type {
  GraphApplicationPermission,
  GraphApplicationPermissionIds,
  GraphDelegatedOnlySuggestions,
} from "./graph/permissions.generated";
export { GRAPH_CLIENT_ID, GRAPH_IDENTIFIER_URI } from "./graph/permissions";
export type {
  CheckGraphPermission,
  GraphDelegatedOnlyPermission,
  GraphDelegatedPermissionError,
  GraphJustificationError,
  GraphUnknownPermissionError,
} from "./graph/permissions";
export { GRAPH_TIER0_PERMISSIONS } from "./graph/tier0";
export type { GraphTier0Permission } from "./graph/tier0";

// Machine clients and credentials
export { MachineClient, LEGACY_ASSIGNMENT_MOVES_CONTEXT_KEY } from "./constructs/machine-client";
export type { MachineClientProps } from "./constructs/machine-client";
export { MachineClients } from "./constructs/machine-clients";
export type { ConfigurableApi, MachineClientsOptions } from "./constructs/machine-clients";
export { ClientCredential } from "./credentials/credential";
export type { BoundCredential, CredentialTarget } from "./credentials/credential";
export { ClientSecret, MAX_SECRET_VALIDITY_DAYS } from "./credentials/client-secret";
export type { RotatingSecretOptions } from "./credentials/client-secret";
export { SecretDelivery } from "./credentials/secret-delivery";
export type { SecretDeliveryTarget, SecretOutputOptions } from "./credentials/secret-delivery";
export {
  DEFAULT_FEDERATED_AUDIENCE,
  FederatedCredential,
  GITHUB_ACTIONS_ISSUER,
} from "./credentials/federated-credential";
export type {
  CustomFederationOptions,
  GitHubActionsOptions,
  KubernetesOptions,
} from "./credentials/federated-credential";
export { ClientCertificate, DEFAULT_MAX_CERTIFICATE_DAYS } from "./credentials/client-certificate";
export type { CertificateOptions } from "./credentials/client-certificate";

// Policy
export { OrgPolicy } from "./constructs/org-policy";
export { Suppressions } from "./constructs/suppressions";
export { DEFAULT_ORG_POLICY } from "./policy/types";
export type {
  ApiPolicyRule,
  OrgPolicyOptions,
  PolicyContext,
  PolicyFinding,
  PolicyRule,
  PolicyRuleId,
  PolicySeverity,
  ResolvedOrgPolicy,
  RuleViolation,
  Suppression,
} from "./policy/types";
export { API_POLICY_RULES, POLICY_RULE_IDS, POLICY_RULES } from "./policy/rules";
export { MIN_SUPPRESSION_REASON_LENGTH } from "./policy/evaluate";
export type { EffectiveSuppression } from "./policy/evaluate";

// The declared model that policy rules and the inventory read
export type {
  ApiModel,
  ApiRoleModel,
  CredentialKind,
  CredentialModel,
  GrantModel,
  IdentifierUriSource,
  MachineClientModel,
} from "./model";

// Inventory (machine-clients.json)
export {
  MANIFEST_FILE_NAME,
  MANIFEST_SCHEMA_VERSION,
  buildManifest,
  serializeManifest,
} from "./inventory/manifest-schema";
export type {
  MachineClientManifest,
  ManifestApi,
  ManifestApiRole,
  ManifestClient,
  ManifestCredential,
  ManifestGrant,
  ManifestInput,
  SuppressionModel,
} from "./inventory/manifest-schema";
export { MANIFEST_CONTEXT_KEY, manifestOf } from "./inventory/manifest";
