import { IConstruct } from "constructs";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { fail } from "../errors";
import { readGuarded } from "../read-once";
import { GrantModel } from "../model";
import { ScopeVocabulary } from "../vocabulary/scope-vocabulary";
import { JUSTIFICATION_FIX, justificationProblem } from "../vocabulary/justification";

/**
 * An API that machine clients can be granted application permissions on: a {@link ProtectedApi}
 * declared in this app, or an API registered elsewhere.
 */
export interface IApi extends IConstruct {
  /** A key that identifies the API within the app (its construct path for constructs). */
  readonly apiKey: string;
  /** The API's identifier URI; the token request's scope is `<identifierUri>/.default`. */
  readonly identifierUri: string;
  /** The API's application (client) id: `required_resource_access.resource_app_id` of its clients. */
  readonly clientId: string;
  /**
   * The object id of the API's service principal, as referenced from `consumer`'s stack: the
   * `resource_object_id` of each app role assignment.
   */
  servicePrincipalObjectIdFor(consumer: IConstruct): string;

  /**
   * Called once for each app role assignment made from a grant on this API, so that the API can
   * add to it (e.g. a plan-time precondition that the role id exists in the tenant). The old
   * role's assignment of a rename in transition comes with a grant of the old value.
   */
  onAssignment?(assignment: AppRoleAssignment, grant: ScopeGrant): void;
}

/** Options of `grant()`. */
export interface GrantOptions {
  /**
   * Why the client needs this permission; recorded with the grant (and in the inventory).
   * Required, at least 20 characters, for permissions the vocabulary marks `privileged`
   * (see {@link PrivilegedGrantOptions}).
   * @default no justification
   */
  readonly justification?: string;
}

/** Options of `grant()` for a privileged permission: the justification is required. */
export interface PrivilegedGrantOptions extends GrantOptions {
  /** Why the client needs this privileged permission: at least 20 characters, for reviewers. */
  readonly justification: string;
}

const GRANT_BRAND = Symbol.for("cdktf-machine-clients.ScopeGrant");

/**
 * One application permission on one API, as returned by `api.grant(scope)`. The only thing a
 * {@link MachineClient}'s `access` accepts: strings, scopes of other vocabularies and hand-made
 * objects do not compile, and are rejected at run time.
 */
export class ScopeGrant<S extends string = string> {
  /** True when `x` is a grant made by this library (any copy of it). */
  public static isScopeGrant(x: unknown): x is ScopeGrant {
    return typeof x === "object" && x !== null && (x as ScopeGrant)[GRANT_BRAND] === true;
  }

  /** The API the permission is on. */
  public readonly api: IApi;
  /** The permission value (app role value). */
  public readonly scope: S;
  /** The app role id assigned. */
  public readonly roleId: string;
  /** Whether the vocabulary marks the permission privileged. */
  public readonly privileged: boolean;
  /** Why the client needs it, where given. */
  public readonly justification?: string;
  // Non-enumerable, so that `{ ...grant }` does not copy it: a spread copy is not a grant.
  declare private readonly [GRANT_BRAND]: true;

  /** Use `api.grant(scope)`; this constructor is for API implementations. */
  public constructor(
    api: IApi,
    scope: S,
    roleId: string,
    privileged: boolean,
    options: GrantOptions = {},
  ) {
    this.api = api;
    this.scope = scope;
    this.roleId = roleId;
    this.privileged = privileged;
    this.justification = options.justification;
    Object.defineProperty(this, GRANT_BRAND, { value: true, enumerable: false });
    Object.freeze(this);
  }

  /** A key unique per API and scope, used to find duplicates and name resources. */
  public get key(): string {
    return `${this.api.apiKey}#${this.scope}`;
  }

  /** The grant as declared, for policy checks and the inventory. */
  public toModel(): GrantModel {
    const old = transitionalRoleOf(this);
    return {
      api: this.api.apiKey,
      identifierUri: this.api.identifierUri,
      scope: this.scope,
      roleId: this.roleId,
      privileged: this.privileged,
      ...(this.justification !== undefined ? { justification: this.justification } : {}),
      ...(old ? { renamedFrom: { scope: old.value, roleId: old.roleId } } : {}),
    };
  }
}

/** One app role assignment a grant makes. */
export interface AssignedRole {
  /** The permission value of the role. */
  readonly scope: string;
  /** The app role id. */
  readonly roleId: string;
  /** True for the old role of a renamed permission, assigned until the old name is retired. */
  readonly transitional: boolean;
}

/**
 * The app roles a grant assigns: its own, and — while its permission's rename is in transition
 * (`renamedFrom` not retired) — the old name's role, so that the client keeps the assignment it
 * held before the rename. Derived from the API's vocabulary, not from fields of the grant.
 */
export function rolesAssignedBy(grant: ScopeGrant): AssignedRole[] {
  const own: AssignedRole = { scope: grant.scope, roleId: grant.roleId, transitional: false };
  const old = transitionalRoleOf(grant);
  return old ? [own, { scope: old.value, roleId: old.roleId, transitional: true }] : [own];
}

function transitionalRoleOf(grant: ScopeGrant): { value: string; roleId: string } | undefined {
  const vocabulary: unknown = (grant.api as { vocabulary?: unknown }).vocabulary;
  return vocabulary instanceof ScopeVocabulary
    ? vocabulary.transitionalRoleOf(grant.scope)
    : undefined;
}

/**
 * The run-time half of `grant()` for an API with a {@link ScopeVocabulary} (`ProtectedApi`,
 * `ExistingApi`): the scope must be in the vocabulary and not retired (nor the old value of a
 * renamed entry), a privileged one needs a justification of at least 20 characters, and a
 * justification given must be text.
 * @param where the API's path and method, for error messages
 */
export function grantFromVocabulary(
  api: IApi,
  vocabulary: ScopeVocabulary,
  scope: string,
  options: GrantOptions,
  where: string,
): ScopeGrant {
  const entry = vocabulary.grantable(scope, where);
  if (typeof options !== "object" || options === null) {
    fail(
      "GRANT_OPTIONS_INVALID",
      where,
      "grant options must be an object",
      options,
      'Write e.g. { justification: "..." }.',
    );
  }
  // Read once: the value checked is the value the grant keeps.
  const justification: unknown = readGuarded(
    where,
    "options.justification",
    () => options.justification,
  );
  if (entry.privileged) {
    const problem = justificationProblem(entry.value, justification);
    if (problem) fail("PRIVILEGED_JUSTIFICATION", where, problem, justification, JUSTIFICATION_FIX);
  } else if (justification !== undefined && typeof justification !== "string") {
    fail(
      "JUSTIFICATION_INVALID",
      where,
      "justification must be a string",
      justification,
      "Write the reason as text, or leave it out.",
    );
  } else if (justification !== undefined) {
    const problem = justificationProblem(entry.value, justification, 0);
    if (problem) fail("JUSTIFICATION_INVALID", where, problem, justification, JUSTIFICATION_FIX);
  }
  return new ScopeGrant(api, entry.value, entry.roleId, entry.privileged, {
    ...(justification !== undefined ? { justification: justification as string } : {}),
  });
}
