import { ApiModel, GrantModel } from "../model";
import { PolicyRule, RuleViolation } from "./types";

/**
 * MC-RETIRED-PERMISSION: no client holds a permission that the API's own vocabulary, declared in
 * the same program, has retired or removed. `grant()` already refuses both for the API's own
 * `ProtectedApi`; this rule catches the copies that `ExistingApi` vocabularies keep of another
 * program's API — typically a client stack the API team does not own, still granting a
 * permission the API retired.
 */
export const RetiredPermissionRule: PolicyRule = {
  id: "MC-RETIRED-PERMISSION",
  info: "Clients hold no permission that the API has retired or removed.",
  explanation:
    "Disabling an app role does not revoke it, so grants of a retired or removed role must go before the role does: holders keep it in their tokens until their assignment is removed, and their plans fail once the role is deleted.",
  fix: "Remove the grant, or grant the entry that replaces it: the API can delete a retired role only after every grant of it is gone.",
  check(client, _policy, context) {
    const apis = (context?.apis ?? []).filter((a) => a.kind === "protected");
    if (apis.length === 0) return [];
    const out: RuleViolation[] = [];
    for (const g of client.grants) {
      const api = apis.find((a) => sameUri(a.identifierUri, g.identifierUri));
      if (!api) continue;
      const roles = [
        { scope: g.scope, roleId: g.roleId },
        ...(g.renamedFrom ? [{ scope: g.renamedFrom.scope, roleId: g.renamedFrom.roleId }] : []),
      ];
      for (const held of roles) {
        const v = violation(g, held, api);
        if (v) out.push(v);
      }
    }
    return out;
  },
};

function violation(
  grant: GrantModel,
  held: { scope: string; roleId: string },
  api: ApiModel,
): RuleViolation | undefined {
  const role = api.roles.find((r) => r.roleId === held.roleId.toLowerCase());
  if (!role) {
    return {
      problem: `the client holds "${held.scope}" (role id ${held.roleId}) on ${grant.identifierUri}, which the API's vocabulary (${api.path}) no longer declares`,
      value: held.scope,
      fix: "Remove the grant (and the entry from this copy of the API's vocabulary): the assignment points at a deleted role, and this stack's plan fails on the role id until it goes.",
    };
  }
  if (role.status !== "retired") return undefined;
  return {
    problem: `the client holds "${held.scope}" on ${grant.identifierUri}, which the API's vocabulary (${api.path}) has retired${role.reason ? ` (${role.reason})` : ""}`,
    value: held.scope,
    fix: `${role.replacedBy !== undefined ? `Grant "${role.replacedBy}" instead and remove` : "Remove"} the grant: a retired role stays in the client's tokens until its assignment is removed, and the API can delete the role only after every grant of it is gone.`,
  };
}

/** Identifier URIs compared ignoring case (Entra compares them so). */
function sameUri(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
