import { IConstruct } from "constructs";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { AssignedRole, ScopeGrant, verifyGrant } from "./scope-grant";

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

export { ScopeGrant } from "./scope-grant";

export type { AssignedRole } from "./scope-grant";

/**
 * The app roles a grant assigns: its own, and — while its permission's rename is in transition
 * (`renamedFrom` not retired) — the old name's role, so that the client keeps the assignment it
 * held before the rename. Derived from the API's vocabulary (or Graph's table), not from fields
 * of the grant.
 * @throws MachineClientsError when `grant` is not a grant made by the library
 */
export function rolesAssignedBy(grant: ScopeGrant): AssignedRole[] {
  return [...verifyGrant(grant, "rolesAssignedBy").roles];
}
