import { isUnknown } from "../expr";
import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

const ID = "MCC003";

/** MCC003: a permission whose kind contradicts its declared type. */
export const GraphPermissionKindMismatch: CheckRule = {
  id: ID,
  name: "GraphPermissionKindMismatch",
  severity: "error",
  description:
    'A permission whose kind contradicts its declared type: a delegated id declared as "Role", an application id declared as "Scope", or a scope in an app role assignment.',
  explanation:
    'Entra looks a requested permission up by id in the API\'s app roles (type = "Role") or its delegated scopes (type = "Scope"); declared with the wrong type it matches nothing, or a different permission than the one intended. The kind is known for Microsoft Graph\'s ids and for app_role_ids / oauth2_permission_scope_ids look-ups.',
  fix: 'Declare application permissions with type = "Role" (app_role_ids) and delegated ones with type = "Scope" (oauth2_permission_scope_ids).',
  undecidable:
    "A declared type that cannot be evaluated for a permission of known kind: a note names the expression. A permission id that cannot be evaluated: the permission's note (MCC001, MCC002 or MCC011) names it.",
  check(model) {
    const out: RuleResult[] = [];
    for (const r of model.permissionRequests) {
      if (r.notInGraph || r.kind === undefined || r.kind === "both") continue;
      if (isUnknown(r.declared)) {
        // The permission's kind is known, the declared type is not: it may contradict it.
        out.push(note(ID, r.at, `The declared type of permission ${r.name}`, r.declared));
        continue;
      }
      if (r.kind === r.declared) continue;
      const lookupMap = r.kind === "Role" ? "app_role_ids" : "oauth2_permission_scope_ids";
      out.push(
        result(
          r.at,
          "error",
          `${r.graph === true ? "Microsoft Graph permission" : "Permission"} ${r.name ?? "(unnamed)"} is ${r.kind === "Role" ? "an application permission" : "a delegated permission"} but is declared with type = "${r.declared}".`,
          `Declare it with type = "${r.kind}", or use the matching permission (${lookupMap}).`,
        ),
      );
    }
    for (const a of model.roleAssignments) {
      if (a.problem?.ruleId === "MCC003") {
        out.push(result(a.at, "error", a.problem.message, a.problem.fix));
      }
    }
    return out;
  },
};
