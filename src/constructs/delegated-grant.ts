import { IApi } from "./grant";

/** A nominal brand for the compiler only: a plain object does not match the type. */
declare const DELEGATED_BRAND: unique symbol;
/** Every delegated grant constructed (a WeakSet: no user code runs when it is asked). */
const MADE = new WeakSet<object>();

/** An entry of an app registration's `required_resource_access`, as the provider binding takes it. */
export interface DelegatedResourceAccess {
  /** The API's application (client) id. */
  readonly resourceAppId: string;
  /** The scope, with `type = "Scope"` (delegated). */
  readonly resourceAccess: { readonly id: string; readonly type: "Scope" }[];
}

/**
 * One delegated permission (OAuth 2.0 scope) of a hybrid API, as returned by
 * `api.grantDelegated(scope)`: for apps that sign users in (e.g. a web front end's
 * `required_resource_access`). It is a different type from {@link ScopeGrant}: a
 * {@link MachineClient}'s `access` does not compile with it and rejects it at run time, because a
 * delegated scope never applies to the client credentials flow.
 */
export class DelegatedScopeGrant<S extends string = string> {
  /** True when `x` was made by this class (not a copy, Proxy or look-alike of one). */
  public static isDelegatedScopeGrant(x: unknown): x is DelegatedScopeGrant {
    return typeof x === "object" && x !== null && MADE.has(x);
  }

  /** Always `"delegated"`: tells this grant from an application permission. */
  public readonly kind = "delegated" as const;
  /** The API the scope is on. */
  public readonly api: IApi;
  /** The scope value. */
  public readonly scope: S;
  /** The scope's id (`oauth2_permission_scope.id`). */
  public readonly scopeId: string;
  declare private readonly [DELEGATED_BRAND]: true;

  /** Use `api.grantDelegated(scope)`; this constructor is for API implementations. */
  public constructor(api: IApi, scope: S, scopeId: string) {
    this.api = api;
    this.scope = scope;
    this.scopeId = scopeId;
    MADE.add(this);
    Object.freeze(this);
  }

  /**
   * The grant as a `required_resource_access` entry for a user-facing app registration.
   * Admin or user consent is still given in the tenant (or by `azuread_service_principal_delegated_permission_grant`).
   */
  public toResourceAccess(): DelegatedResourceAccess {
    return {
      resourceAppId: this.api.clientId,
      resourceAccess: [{ id: this.scopeId, type: "Scope" }],
    };
  }
}

// Its statics and methods cannot be replaced.
Object.freeze(DelegatedScopeGrant);
Object.freeze(DelegatedScopeGrant.prototype);
