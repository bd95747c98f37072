import { TerraformStack, dependable } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { Application } from "@cdktf/provider-azuread/lib/application";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { ApplicationIdentifierUri } from "@cdktf/provider-azuread/lib/application-identifier-uri";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { describeValue, fail } from "../errors";
import { MAX_IDENTIFIER_URI_LENGTH, classifyIdentifierUri, isGuid } from "../identifier-uri";
import { MAX_PERMISSION_DEFINITIONS_PER_API } from "../limits";
import { IdentifierUriSource } from "../model";
import {
  DelegatedScopeDefinitions,
  DelegatedVocabulary,
  CheckJustifiedGrant,
  ScopeDefinitions,
  ScopeVocabulary,
} from "../vocabulary";
import { DelegatedScopeGrant } from "./delegated-grant";
import { deployingPrincipalObjectId, deployingTenantId } from "./deployer";
import { GrantOptions, IApi, ScopeGrant } from "./grant";
import { mintFromVocabulary } from "./scope-grant";
import { isToken } from "../tokens";
import { requireTimeProvider } from "../time-provider";
import { ApiModel } from "../model";
import { trackApi } from "../inventory/manifest";
import { registerApiPolicySubject, registerPolicyApi } from "./org-policy";
import { apiModel } from "./api-model";
import { checkApiIdentity, takeApiIdentity } from "./api-identity";
import { checkDisplayName, checkOwners, futurePath, sealProperties } from "./validate";
import { startConstruction, undoConstruction } from "./atomic";
import { readGuarded, readList, readObject } from "../read-once";

/** Properties of a {@link ProtectedApi}. */
// The default type argument is `any` so that a bare `ProtectedApiProps` accepts every vocabulary.
export interface ProtectedApiProps<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see ScopeVocabulary's default
  D extends ScopeDefinitions = any,
  U extends DelegatedScopeDefinitions = NoDelegatedScopes,
> {
  /** The app registration's display name. */
  readonly displayName: string;
  /**
   * The API's identifier URI (application ID URI); clients request tokens for
   * `<identifierUri>/.default`. Leave it out for `api://{appId}`, the secure default that every
   * Entra identifier URI restriction accepts. A custom URI must match one of Microsoft's secure
   * patterns (`api://{tenantId}/{name}` — see {@link ProtectedApi.tenantScopedUri} —,
   * `api://[{name}.]{verifiedDomain}/{path}`, `https://[{name}.]{verifiedDomain}/{path}`,
   * `https://{name}.{verifiedDomain}`), at most 255 characters, no trailing `/`, no wildcard,
   * query or fragment; its domain or tenant id is checked against the org policy's
   * `verifiedDomains` and `tenantId`. Changing it changes the scope clients request: see
   * docs/identifier-uris.md for a migration that keeps both URIs for a while.
   * @default `api://{appId}`, set after the application is created (`azuread_application_identifier_uri`)
   */
  readonly identifierUri?: string;
  /** The API's closed vocabulary of application permissions; each becomes an app role. */
  readonly vocabulary: ScopeVocabulary<D>;
  /**
   * For a hybrid API that also serves signed-in users: its delegated scopes, kept apart from the
   * application permissions. Each becomes an `oauth2_permission_scope`; `grantDelegated()` hands
   * them to user-facing apps, and no value may appear in both vocabularies (compared ignoring
   * case). The service principal still requires assignment, so users (or groups) must be
   * assigned to the API's enterprise application to get tokens.
   * @default no delegated scopes (an API for machine clients only)
   */
  readonly delegatedVocabulary?: DelegatedVocabulary<U>;
  /**
   * Object ids of the app registration's and service principal's owners.
   * @default the principal that runs `terraform apply` (`azuread_client_config`)
   */
  readonly owners?: string[];
  /**
   * Synthesizes the app registration and service principal with `lifecycle.prevent_destroy`, so
   * that a refactor that would recreate them (new client id, lost assignments) fails the plan
   * instead. Rename constructs with `moveTo` (see docs/vocabularies-and-grants.md); set `false` only to delete the API
   * on purpose.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Seconds to wait, after the API's app roles change, before any assignment in the API's stack
   * is created: Entra replicates a new (or re-enabled) app role with a delay, and the provider
   * does not retry an assignment of a role it cannot see yet ("Permission being assigned was not
   * found on application"). Synthesized as a `time_sleep` whose triggers are the enabled role
   * ids, so it waits only in an apply that changes them (a role added, enabled, retired or
   * removed; and on creation); the stack must declare the time provider. Stacks of other clients are applied after this one and need
   * no wait of their own. `0` turns the guard off: then apply a new role before granting it.
   * @default 60
   */
  readonly roleReplicationDelaySeconds?: number;
}

/** The default of {@link ProtectedApiProps.roleReplicationDelaySeconds}. */
export const DEFAULT_ROLE_REPLICATION_DELAY_SECONDS = 60;

/**
 * An API protected by Entra ID that accepts only the application permissions of its vocabulary.
 *
 * Synthesizes an `azuread_application` with one app role per vocabulary entry and per old name of
 * a renamed entry (application members only, deterministic id, disabled once retired), access
 * token version 2, single tenant and no delegated scopes; its identifier URI, by default
 * `api://{appId}` (an `azuread_application_identifier_uri`, with the application ignoring changes
 * to `identifier_uris`), or `identifier_uris = [identifierUri]`; its `azuread_service_principal`
 * with `app_role_assignment_required = true`, so that only clients assigned a role get tokens; and
 * a `time_sleep` that makes the stack's assignments wait for Entra to replicate new roles (see
 * {@link ProtectedApiProps.roleReplicationDelaySeconds}).
 */
export class ProtectedApi<
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see ScopeVocabulary's default
  D extends ScopeDefinitions = any,
  U extends DelegatedScopeDefinitions = NoDelegatedScopes,
>
  extends Construct
  implements IApi
{
  /** The API's app registration. */
  public readonly application: Application;
  /** The API's service principal (enterprise application). */
  public readonly servicePrincipal: ServicePrincipal;
  /** The API's vocabulary. */
  public readonly vocabulary: ScopeVocabulary<D>;
  /** The API's delegated vocabulary, for hybrid APIs. */
  public readonly delegatedVocabulary?: DelegatedVocabulary<U>;
  /**
   * The tenant-scoped identifier URI `api://{tenantId}/<name>`, one of Microsoft's secure
   * patterns, for {@link ProtectedApiProps.identifierUri}:
   * `identifierUri: ProtectedApi.tenantScopedUri(this, "orders")`. The tenant id is
   * `options.tenantId` when given, otherwise the tenant `terraform apply` deploys into
   * (`azuread_client_config.tenant_id`, known at plan time).
   * @param scope a construct in the stack of the API (for the `azuread_client_config` data source)
   * @param name the URI's path: letters, digits, `.`, `_`, `~`, `-`, segments joined by `/`
   * @throws MachineClientsError when the name or tenant id is invalid
   */
  public static tenantScopedUri(
    scope: IConstruct,
    name: string,
    options: TenantScopedUriOptions = {},
  ): string {
    const where = "ProtectedApi.tenantScopedUri";
    const opts: unknown = options;
    if (typeof opts !== "object" || opts === null) {
      fail(
        "TENANT_SCOPED_URI_INVALID",
        where,
        "options must be an object",
        opts,
        'Write e.g. { tenantId: "<tenant id>" }, or leave it out.',
      );
    }
    const tenantId: unknown = (opts as TenantScopedUriOptions).tenantId;
    const maxName = MAX_IDENTIFIER_URI_LENGTH - "api://".length - 36 - 1;
    if (
      typeof name !== "string" ||
      !/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(name) ||
      name.length > maxName
    ) {
      fail(
        "TENANT_SCOPED_URI_INVALID",
        where,
        `name must be 1 to ${maxName} letters, digits, ".", "_", "~" or "-", segments joined by "/"`,
        name,
        'Use e.g. "orders".',
      );
    }
    if (isGuid(name)) {
      fail(
        "TENANT_SCOPED_URI_INVALID",
        where,
        "name must not be a GUID: api://{tenantId}/<GUID> is read as api://{tenantId}/{appId}, and the app id is only known after the application is created",
        name,
        'Use a name such as "orders", or leave identifierUri out for api://{appId}.',
      );
    }
    if (tenantId !== undefined) {
      if (!isToken(tenantId) && !isGuid(tenantId)) {
        fail(
          "TENANT_SCOPED_URI_INVALID",
          where,
          "tenantId must be the tenant's id, a GUID",
          tenantId,
          "Copy the Tenant ID from the Entra admin center (Overview), or leave it out to use the deploying tenant.",
        );
      }
    } else if (!Construct.isConstruct(scope)) {
      fail(
        "TENANT_SCOPED_URI_INVALID",
        where,
        "scope must be a construct (the tenant id is read from the stack's azuread_client_config)",
        scope,
        'Pass the stack or the construct the API is created in, e.g. ProtectedApi.tenantScopedUri(this, "orders").',
      );
    }
    const tenant = (tenantId as string | undefined) ?? deployingTenantId(scope);
    const uri = `api://${isToken(tenant) ? tenant : tenant.toLowerCase()}/${name}`;
    if (isToken(uri)) TENANT_SCOPED.add(uri);
    return uri;
  }

  /** The API's identifier URI (a token for the default `api://{appId}`). */
  public readonly identifierUri: string;
  /**
   * The `azuread_application_identifier_uri` that sets the default `api://{appId}`; `undefined`
   * when `identifierUri` is given (it is then the application's `identifier_uris`).
   */
  public readonly identifierUriResource?: ApplicationIdentifierUri;
  /** The display name given in the props. */
  public readonly displayName: string;
  /**
   * The wait between a change of the API's app roles and the assignments of its stack (see
   * {@link ProtectedApiProps.roleReplicationDelaySeconds}); absent when the delay is 0.
   */
  public readonly roleReplication?: Sleep;

  public constructor(
    scope: Construct,
    id: string,
    props: ProtectedApiProps<D, U> & RejectSharedValues<D, U>,
  ) {
    const where = futurePath(scope, id);
    // The props are read once, into a frozen copy that is validated and then synthesized.
    const snapshot = readProtectedApiProps(where, props);
    const checked = readGuarded(where, "props", () => validateProps(where, snapshot));
    const { uri, roleReplicationDelaySeconds: delay } = checked;
    const p = checked.props as unknown as ProtectedApiProps<D, U>;
    const literalUri = uri.source === "literal" ? uri.value : undefined;
    checkApiIdentity(scope, where, "protected", literalUri, undefined);
    const start = startConstruction(scope, id, where);
    super(scope, id);
    try {
      this.vocabulary = p.vocabulary;
      this.delegatedVocabulary = p.delegatedVocabulary;
      this.displayName = p.displayName;
      const owners = p.owners ? [...p.owners] : [deployingPrincipalObjectId(this)];
      const lifecycle = { preventDestroy: p.preventDestroy ?? true };

      this.application = new Application(this, "Application", {
        // The default URI is managed by its own resource (it needs the client id), so the
        // application must not manage the list too (the provider's documented pairing).
        lifecycle:
          uri.source === "default"
            ? { ...lifecycle, ignoreChanges: ["identifier_uris"] }
            : lifecycle,
        displayName: p.displayName,
        signInAudience: "AzureADMyOrg",
        ...(uri.source === "default" ? {} : { identifierUris: [uri.value] }),
        owners,
        api: {
          requestedAccessTokenVersion: 2,
          ...(p.delegatedVocabulary
            ? {
                oauth2PermissionScope: p.delegatedVocabulary.scopes.map((s) => ({
                  id: s.id,
                  value: s.value,
                  type: s.consent,
                  enabled: true,
                  adminConsentDisplayName: s.adminConsentDisplayName,
                  adminConsentDescription: s.adminConsentDescription,
                  ...(s.userConsentDisplayName !== undefined
                    ? { userConsentDisplayName: s.userConsentDisplayName }
                    : {}),
                  ...(s.userConsentDescription !== undefined
                    ? { userConsentDescription: s.userConsentDescription }
                    : {}),
                })),
              }
            : {}),
        },
        // Retired permissions stay declared, disabled: Entra refuses to delete an enabled role.
        appRole: p.vocabulary.appRoles.map((r) => ({
          id: r.roleId,
          value: r.value,
          displayName: r.displayName,
          description: r.description,
          allowedMemberTypes: ["Application"],
          enabled: r.enabled,
        })),
      });
      if (uri.source === "default") {
        this.identifierUriResource = new ApplicationIdentifierUri(this, "IdentifierUri", {
          applicationId: this.application.id,
          identifierUri: `api://${this.clientId}`,
          // Destroying it removes the URI every client requests tokens for.
          lifecycle,
        });
        // Read from the resource, so that whatever uses the token scope waits for the URI.
        this.identifierUri = this.identifierUriResource.identifierUri;
      } else {
        this.identifierUri = uri.value;
      }
      this.servicePrincipal = new ServicePrincipal(this, "ServicePrincipal", {
        clientId: this.clientId,
        appRoleAssignmentRequired: true,
        owners,
        lifecycle,
      });
      if (delay > 0) {
        this.roleReplication = new Sleep(this, "RoleReplication", {
          createDuration: `${delay}s`,
          // Replaced (so waiting again) only when the set of assignable roles changes: a new or
          // re-enabled role. Case, description and display name changes keep the same ids.
          triggers: {
            enabled_app_role_ids: p.vocabulary.appRoles
              .filter((r) => r.enabled)
              .map((r) => r.roleId)
              .sort()
              .join(","),
          },
          dependsOn: [this.application, this.servicePrincipal],
        });
        requireTimeProvider(
          TerraformStack.of(this),
          "role replication wait",
          `${this.node.path}: the API waits for Entra to replicate new app roles before assigning them (a time_sleep), so the stack must declare the time provider. Add new TimeProvider(stack, "time") from @cdktf/provider-time/lib/provider, or set roleReplicationDelaySeconds: 0 and apply a new role before granting it.`,
        );
      }
      // Listed in its stack's machine-clients.json, and seen by the org policy's lifecycle rule.
      trackApi(this);
      registerPolicyApi(this);
      // Checked by the API rules (MC-IDENTIFIER-URI-*), with the model fixed at construction.
      this.identifierUriSource = uri.source;
      registerApiPolicySubject(this, this.toApiModel());
      // What grants and clients read of the API: fixed from here on, even through a cast.
      sealProperties(this, [...API_IDENTITY, "delegatedVocabulary"]);
      // Last: a failed construction leaves its identifier URI free.
      takeApiIdentity(this, "protected", literalUri, undefined);
    } catch (e) {
      undoConstruction(start, id, where, e);
    }
  }

  private apiModelCache?: ApiModel;
  private identifierUriSource: IdentifierUriSource = "default";

  /** The API as declared — its app roles and their lifecycle — for the inventory and policies. */
  public toApiModel(): ApiModel {
    // Read by the org policy once per client: built once (the vocabulary is frozen).
    return (this.apiModelCache ??= apiModel(
      this.node.path,
      "protected",
      this.identifierUri,
      this.identifierUriSource,
      this.vocabulary,
    ));
  }

  /**
   * Orders each assignment of this API's roles made in this stack after the role replication
   * wait. (An assignment in another stack is applied after this stack, wait included.)
   */
  public onAssignment(assignment: AppRoleAssignment): void {
    if (!this.roleReplication) return;
    if (TerraformStack.of(assignment) !== TerraformStack.of(this)) return;
    // dependable(): a bare address, as Terraform requires in depends_on (no "${}").
    assignment.dependsOn = [...(assignment.dependsOn ?? []), dependable(this.roleReplication)];
  }

  /** {@inheritDoc IApi.apiKey} */
  public get apiKey(): string {
    // The identifier URI is unique in a tenant and survives construct renames, so assignment
    // addresses derived from it do too.
    return isToken(this.identifierUri) ? this.node.path : this.identifierUri;
  }

  // Read once: every client refers to them, and in cdktf each read of a resource attribute
  // creates a new token with a recorded stack trace (time and memory per client at scale).
  private clientIdToken?: string;
  private servicePrincipalObjectIdToken?: string;

  /** The API's application (client) id, as a token. */
  public get clientId(): string {
    return (this.clientIdToken ??= this.application.clientId);
  }

  /** The object id of the API's service principal, as a token. */
  public get servicePrincipalObjectId(): string {
    return (this.servicePrincipalObjectIdToken ??= this.servicePrincipal.objectId);
  }

  /** {@inheritDoc IApi.servicePrincipalObjectIdFor} */
  public servicePrincipalObjectIdFor(_consumer: IConstruct): string {
    return this.servicePrincipalObjectId;
  }

  /**
   * The token request scope for this API: `<identifierUri>/.default` (a token for the default
   * `api://{appId}`, resolving to `api://<client id>/.default`).
   */
  public get defaultScope(): string {
    return `${this.identifierUri}/.default`;
  }

  /**
   * Grants one application permission of this API's vocabulary, for a {@link MachineClient}'s
   * `access`. Only the vocabulary's keys compile; a retired entry, or the old value of a renamed
   * one, fails to compile with a message naming the replacement. Everything is also rejected at
   * run time, with the same wording. A value declared `privileged` compiles only with a
   * `justification` (at least 20 characters, checked at run time).
   * @throws MachineClientsError when the scope is not in the vocabulary, or a privileged one has no
   *   justification of at least 20 characters
   */
  public grant<const S extends string, O extends GrantOptions = GrantOptions>(
    scope: CheckJustifiedGrant<D, S, O>,
    options?: O,
  ): ScopeGrant<S>;
  public grant(scope: string, options: GrantOptions = {}): ScopeGrant<string> {
    return mintFromVocabulary(this, this.vocabulary, scope, options, `${this.node.path}.grant`);
  }

  /**
   * Grants one delegated scope of this hybrid API, for an app that signs users in. The result is
   * a {@link DelegatedScopeGrant}, which a {@link MachineClient} refuses.
   * @throws MachineClientsError when the API has no delegated vocabulary or the scope is not in it
   */
  public grantDelegated<S extends keyof U & string>(scope: S): DelegatedScopeGrant<S> {
    const where = `${this.node.path}.grantDelegated`;
    if (!this.delegatedVocabulary) {
      fail(
        "NO_DELEGATED_VOCABULARY",
        where,
        "the API declares no delegated scopes",
        scope,
        "Declare delegatedVocabulary on the API, or use grant() for an application permission.",
      );
    }
    const entry = this.delegatedVocabulary.get(scope, where);
    return new DelegatedScopeGrant(this, entry.value as S, entry.id);
  }
}

/** The delegated scope values of `U` that are also (ignoring case) application permissions of `D`. */
export type SharedScopeValues<D, U> = {
  [K in keyof U & string]: Lowercase<K> extends Lowercase<keyof D & string> ? K : never;
}[keyof U & string];

/**
 * A compile error naming the values that appear in both vocabularies of a hybrid API; `unknown`
 * (no constraint) when they are apart.
 */
export type RejectSharedValues<D, U> = [SharedScopeValues<D, U>] extends [never]
  ? unknown
  : {
      readonly delegatedVocabulary: `"${SharedScopeValues<D, U>}" is both a delegated scope and an application permission; Entra rejects a value used by both. Give the delegated scope its own name.`;
    };

/** The delegated scopes of an API that declares none. */
export type NoDelegatedScopes = Record<never, never>;

/** Options of {@link ProtectedApi.tenantScopedUri}. */
export interface TenantScopedUriOptions {
  /**
   * The tenant's id (a GUID), for a URI known at synth (checked against the org policy's `tenantId`).
   * @default the tenant `terraform apply` deploys into (`azuread_client_config.tenant_id`)
   */
  readonly tenantId?: string;
}

/** URIs made by `tenantScopedUri` whose tenant id is only known at apply. */
const TENANT_SCOPED = new Set<string>();

type AnyProtectedApiProps = ProtectedApiProps<ScopeDefinitions, DelegatedScopeDefinitions>;

/** The props of a ProtectedApi, each read once, the owners copied (see `read-once.ts`). */
function readProtectedApiProps(where: string, props: unknown): AnyProtectedApiProps {
  const p = readObject(
    where,
    props,
    [
      "displayName",
      "identifierUri",
      "vocabulary",
      "delegatedVocabulary",
      "owners",
      "preventDestroy",
      "roleReplicationDelaySeconds",
    ],
    "props",
    {
      code: "PROPS_MISSING",
      problem: "ProtectedApi needs props",
      fix: "Pass { displayName, identifierUri, vocabulary }.",
    },
  );
  return Object.freeze({
    ...p,
    owners: readList(where, "props.owners", p.owners),
  }) as unknown as AnyProtectedApiProps;
}

/** Validates the snapshot of the props; returns it with the identifier URI and the delay. */
function validateProps(
  where: string,
  props: AnyProtectedApiProps,
): {
  props: AnyProtectedApiProps;
  uri: { value: string; source: IdentifierUriSource };
  roleReplicationDelaySeconds: number;
} {
  checkDisplayName(where, props.displayName);
  const uri = checkProtectedApiUri(where, props.identifierUri);
  if (!(props.vocabulary instanceof ScopeVocabulary)) {
    fail(
      "VOCABULARY_INVALID",
      where,
      "vocabulary must be made by ScopeVocabulary.define",
      props.vocabulary,
      "Pass ScopeVocabulary.define({ ... }).",
    );
  }
  if (props.preventDestroy !== undefined && typeof props.preventDestroy !== "boolean") {
    fail(
      "PREVENT_DESTROY_INVALID",
      where,
      "preventDestroy must be true or false",
      props.preventDestroy,
      "Leave it out (true) or set false to allow deleting the API.",
    );
  }
  if (props.delegatedVocabulary !== undefined) {
    checkDelegatedVocabulary(where, props.vocabulary, props.delegatedVocabulary);
  }
  checkPermissionDefinitions(where, props.vocabulary, props.delegatedVocabulary);
  const delay: unknown = props.roleReplicationDelaySeconds;
  if (
    delay !== undefined &&
    (typeof delay !== "number" || !Number.isInteger(delay) || delay < 0 || delay > 3600)
  ) {
    fail(
      "ROLE_REPLICATION_DELAY_INVALID",
      where,
      "roleReplicationDelaySeconds must be a whole number of seconds from 0 to 3600",
      delay,
      `Leave it out (${DEFAULT_ROLE_REPLICATION_DELAY_SECONDS}), or set 0 to turn the wait off.`,
    );
  }
  checkOwners(where, props.owners);
  return {
    props,
    uri,
    roleReplicationDelaySeconds:
      (delay as number | undefined) ?? DEFAULT_ROLE_REPLICATION_DELAY_SECONDS,
  };
}

/** The fix for an identifier URI outside the secure patterns. */
const SECURE_URI_FIX =
  'Leave identifierUri out for the secure default api://{appId}, use ProtectedApi.tenantScopedUri(this, "<name>") for api://{tenantId}/<name>, or put the URI on a verified domain of the tenant: api://<verified domain>/<name> or https://<verified domain>/<name>.';

/**
 * Checks a ProtectedApi's identifier URI: absent (the default), a token (from
 * `tenantScopedUri`, or not checked), or a literal URI that Entra accepts and that matches one of
 * Microsoft's secure patterns without a literal app id (unknown until the application exists).
 */
function checkProtectedApiUri(
  where: string,
  uri: unknown,
): { value: string; source: IdentifierUriSource } {
  if (uri === undefined) return { value: "", source: "default" };
  if (isToken(uri)) {
    return {
      value: uri as string,
      source: TENANT_SCOPED.has(uri as string) ? "tenant-scoped" : "token",
    };
  }
  checkIdentifierUri(where, uri);
  const found = classifyIdentifierUri(uri);
  if (!found.ok) {
    fail(
      "IDENTIFIER_URI_INSECURE",
      where,
      found.problem,
      uri,
      `${found.fix ? `${found.fix} ` : ""}${SECURE_URI_FIX}`,
    );
  }
  if (found.appId !== undefined) {
    fail(
      "IDENTIFIER_URI_APP_ID",
      where,
      `identifierUri has a GUID in the {appId} position of ${found.pattern.template}, but the application's id is only known once it is created`,
      uri,
      "Leave identifierUri out: the default is api://{appId} (for an imported application, the same URI).",
    );
  }
  return { value: uri as string, source: "literal" };
}

/**
 * Entra's limit on the permission definitions of one application: app roles and delegated scopes
 * share a collection of {@link MAX_PERMISSION_DEFINITIONS_PER_API}, disabled (retired) ones
 * included.
 */
function checkPermissionDefinitions(
  where: string,
  vocabulary: ScopeVocabulary,
  delegated: DelegatedVocabulary | undefined,
): void {
  const roles = vocabulary.appRoles.length;
  const scopes = delegated?.scopes.length ?? 0;
  const retired = vocabulary.appRoles.filter((r) => !r.enabled).length;
  if (roles + scopes > MAX_PERMISSION_DEFINITIONS_PER_API) {
    fail(
      "API_PERMISSION_DEFINITIONS_LIMIT",
      where,
      `the API declares ${roles + scopes} permission definitions (${roles} app roles, ${retired} of them retired, and ${scopes} delegated scopes); Entra's app manifest allows at most ${MAX_PERMISSION_DEFINITIONS_PER_API} per application, disabled ones included`,
      roles + scopes,
      "Remove retired entries whose grants are gone, or split the API's permissions into coarser roles (e.g. orders.read rather than one role per resource).",
    );
  }
}

function checkDelegatedVocabulary(
  where: string,
  vocabulary: ScopeVocabulary,
  delegated: unknown,
): void {
  if (!(delegated instanceof DelegatedVocabulary)) {
    fail(
      "DELEGATED_VOCABULARY_INVALID",
      where,
      "delegatedVocabulary must be made by DelegatedVocabulary.define",
      delegated,
      "Pass DelegatedVocabulary.define({ ... }), or leave it out.",
    );
  }
  const roles = new Map(vocabulary.appRoles.map((s) => [s.value.toLowerCase(), s]));
  const roleIds = new Map(vocabulary.appRoles.map((s) => [s.roleId, s.value]));
  for (const s of delegated.scopes) {
    const shared = roles.get(s.value.toLowerCase());
    if (shared) {
      fail(
        "SCOPE_SHARED_BETWEEN_VOCABULARIES",
        where,
        `${describeValue(s.value)} is both a delegated scope and an application permission (${describeValue(shared.value)}); Entra rejects a value used by both`,
        s.value,
        'Give the delegated scope its own name, e.g. "' + s.value + '.user".',
      );
    }
    const sameId = roleIds.get(s.id);
    if (sameId !== undefined) {
      fail(
        "SCOPE_ID_SHARED_BETWEEN_VOCABULARIES",
        where,
        `delegated scope ${describeValue(s.value)} and app role ${describeValue(sameId)} have the same id`,
        s.id,
        "Give each its own id, or leave the ids out to derive them.",
      );
    }
  }
}

/**
 * Validates an identifier URI against Entra's general rules: a string of at most 255 printable
 * ASCII characters, `api://…` or `https://…` with a host, no trailing slash, no `*`, `?` or `#`,
 * not ending in `/.default`. Tokens are not checked. (Microsoft's secure patterns are checked by
 * `classifyIdentifierUri`.)
 * @throws MachineClientsError naming the broken rule
 */
export function checkIdentifierUri(
  where: string,
  uri: unknown,
  fix = 'Leave identifierUri out for the secure default api://{appId}, or use e.g. "api://contoso.example/orders" on a verified domain.',
): void {
  if (isToken(uri)) return;
  const found = classifyIdentifierUri(uri);
  if (!found.ok && found.kind === "invalid") {
    fail("IDENTIFIER_URI_INVALID", where, found.problem, uri, found.fix ?? fix);
  }
}

/**
 * The members through which grants and clients see an API (and check grants against its
 * vocabulary): sealed on each instance once it is constructed.
 */
export const API_IDENTITY = [
  "vocabulary",
  "clientId",
  "apiKey",
  "identifierUri",
  "servicePrincipalObjectIdFor",
  "onAssignment",
  "grant",
] as const;

// Its statics and methods cannot be replaced (e.g. to skip a check for the whole process).
Object.freeze(ProtectedApi);
Object.freeze(ProtectedApi.prototype);
