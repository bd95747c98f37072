// `cdktf-machine-clients/verify`: request-time checks of the API's own vocabulary. Engine-free:
// this entry loads jose and the vocabulary code, never cdktf, constructs or the providers.
export { createTokenVerifier } from "./verifier";
export type { TokenVerifier, TokenVerifierOptions } from "./verifier";
export { VerifiedCaller } from "./caller";
export type {
  IgnoredRole,
  PrivilegedRequireOptions,
  RequireAnyOptions,
  RequireOptions,
  RequireOptionsFor,
} from "./caller";
export { AuthorizationError } from "./errors";
export type { AuthorizationErrorCode, BearerErrorCode } from "./errors";
export { ClientAllowList } from "./allow-list";
export type { ManifestAllowListOptions } from "./allow-list";
export { bearerErrorResponse, callerOf, requireAnyRole, requireRoles } from "./http";
export type {
  BearerErrorOptions,
  BearerErrorResponse,
  RequestLike,
  ResponseLike,
  RoleMiddleware,
} from "./http";
// The vocabulary, so that an API server defines or imports it without the cdktf entry point.
export { ScopeVocabulary } from "../vocabulary/scope-vocabulary";
export type {
  GrantableScopeOf,
  PrivilegedScopeOf,
  RejectDelegatedKeys,
  RenamedFrom,
  RetiredScope,
  ScopeDefinition,
  ScopeDefinitions,
  ScopeOf,
  VocabularyAppRole,
  VocabularyScope,
} from "../vocabulary/scope-vocabulary";
export { MachineClientsError } from "../errors";
