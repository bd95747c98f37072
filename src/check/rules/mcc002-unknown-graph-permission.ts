import { isUnknown } from "../expr";
import { GRAPH_APPLICATION_PERMISSION_IDS, GRAPH_DELEGATED_PERMISSION_IDS } from "../graph-ids";
import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

const ID = "MCC002";
const APPLICATION_NAMES = new Set(Object.values(GRAPH_APPLICATION_PERMISSION_IDS));
const DELEGATED_NAMES = new Set(Object.values(GRAPH_DELEGATED_PERMISSION_IDS));

/** MCC002: a Microsoft Graph permission id or name that Graph does not have. */
export const UnknownGraphPermission: CheckRule = {
  id: ID,
  name: "UnknownGraphPermission",
  severity: "error",
  description: "A Microsoft Graph permission id or name that is not in Microsoft Graph's tables.",
  explanation:
    "Graph's application and delegated permissions have stable, documented ids. An id in neither table (a typo, or an id copied from another API) or an app_role_ids / oauth2_permission_scope_ids look-up of a name Graph does not have fails at apply time or grants nothing. Ids and names are checked against tables generated from Graph's service principal (src/graph/permissions.generated.ts).",
  fix: "Use the id of an existing Graph permission (see Microsoft Graph's permissions reference), or look it up by name on Graph's service principal (app_role_ids[\"<name>\"]).",
  undecidable:
    "A permission id that cannot be evaluated (a variable without default, an attribute known only after apply) on an API that is, or may be, Microsoft Graph: a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    for (const r of model.permissionRequests) {
      if (r.notInGraph) out.push(result(r.at, "error", r.notInGraph.message, r.notInGraph.fix));
      else if (isUnknown(r.perm) && r.api !== false && !(r.api === true && r.declared === "Role")) {
        out.push(note(ID, r.at, "A requested permission's id", r.perm));
      } else if (!isUnknown(r.perm) && "id" in r.perm && r.kind === undefined && isUnknown(r.api)) {
        // An id Graph does not have: an error if the API is Graph, fine if it is not.
        out.push(
          note(ID, r.at, `Whether the API of permission ${r.perm.id} is Microsoft Graph`, r.api),
        );
      } else if (
        !isUnknown(r.perm) &&
        "lookup" in r.perm &&
        isUnknown(r.graph) &&
        !(r.perm.lookup === "Role" ? APPLICATION_NAMES : DELEGATED_NAMES).has(r.perm.name)
      ) {
        // Not a name Graph has: a typo if the service principal is Graph's, fine if it is not.
        out.push(note(ID, r.at, `Whether ${r.perm.name} is Microsoft Graph's permission`, r.graph));
      }
    }
    for (const a of model.roleAssignments) {
      if (a.problem?.ruleId === ID) {
        out.push(result(a.at, "error", a.problem.message, a.problem.fix));
      } else if (
        a.lookupName !== undefined &&
        isUnknown(a.graph) &&
        !APPLICATION_NAMES.has(a.lookupName)
      ) {
        out.push(
          note(ID, a.at, `Whether ${a.lookupName} is Microsoft Graph's permission`, a.graph),
        );
      }
    }
    return out;
  },
};
