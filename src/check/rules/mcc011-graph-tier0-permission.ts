import { isUnknown } from "../expr";
import { TIER0_GRAPH_APPLICATION_PERMISSIONS } from "../graph-ids";
import { CheckModel, Instance } from "../model";
import { address } from "../module";
import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

const ID = "MCC011";

/** MCC011: a Microsoft Graph tier-0 application permission. */
export const GraphTier0Permission: CheckRule = {
  id: ID,
  name: "GraphTier0Permission",
  severity: "error",
  description: "A Microsoft Graph tier-0 application permission.",
  explanation:
    "Tier-0 application permissions (the library's list in src/graph/tier0.ts, e.g. RoleManagement.ReadWrite.Directory, AppRoleAssignment.ReadWrite.All, Application.ReadWrite.All, Mail.Send) let an app take over the tenant or read and send all mail and files, with no user present. A warning quoting the justification instead, where this library's machine-clients.json beside the file records the grant as justified.",
  fix: "Grant the narrowest permission that does the job (e.g. a .Read or .OwnedBy variant, or Sites.Selected), and keep tier-0 permissions out of pipelines.",
  undecidable:
    "A Graph application permission id, a list of role ids or an assigned app_role_id that cannot be evaluated: a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    for (const list of model.unknownPermissionLists) {
      if (list.type === "Role" && list.api !== false) {
        out.push(note(ID, list.at, list.attr, list.why));
      }
    }
    for (const r of model.permissionRequests) {
      if (r.notInGraph) continue;
      if (isUnknown(r.perm) && r.api === true && r.declared === "Role") {
        out.push(note(ID, r.at, "A requested permission's id", r.perm));
      }
      if (
        isUnknown(r.graph) &&
        r.name !== undefined &&
        (r.kind === "Role" || r.kind === "both") &&
        r.effective !== "Scope" &&
        tier0Of(r.name)
      ) {
        out.push(note(ID, r.at, `Whether ${r.name} is Microsoft Graph's permission`, r.graph));
        continue;
      }
      if (r.graph !== true || (r.effective !== "Role" && r.kind !== "Role")) continue;
      if (r.name === undefined || (r.kind !== "Role" && r.kind !== "both")) continue;
      if (r.effective === "Scope") continue;
      const tier0 = tier0Of(r.name);
      if (tier0) {
        out.push(
          tier0Result(
            model,
            r.at,
            `${r.client || address(r.at.block)} requests Microsoft Graph tier-0 application permission ${tier0}.`,
            tier0,
          ),
        );
      }
    }
    for (const a of model.roleAssignments) {
      if (isUnknown(a.perm)) {
        if (a.graph !== false) out.push(note(ID, a.at, "app_role_id", a.perm));
        continue;
      }
      if (a.lookupName !== undefined && isUnknown(a.graph) && tier0Of(a.lookupName)) {
        out.push(
          note(ID, a.at, `Whether ${a.lookupName} is Microsoft Graph's permission`, a.graph),
        );
        continue;
      }
      const tier0 = a.name === undefined ? undefined : tier0Of(a.name);
      if (tier0) {
        out.push(
          tier0Result(
            model,
            a.at,
            `${a.who} is assigned Microsoft Graph tier-0 application permission ${tier0}.`,
            tier0,
          ),
        );
      }
    }
    return out;
  },
};

function tier0Of(name: string): string | undefined {
  return TIER0_GRAPH_APPLICATION_PERMISSIONS.find((t) => t.toLowerCase() === name.toLowerCase());
}

/** An error, or a warning quoting the justification the program recorded. */
function tier0Result(model: CheckModel, at: Instance, what: string, tier0: string): RuleResult {
  const justification = model.justificationOf(at, tier0);
  if (justification === undefined) return result(at, "error", what, GraphTier0Permission.fix);
  return result(
    at,
    "warning",
    `${what} Justified in machine-clients.json: ${JSON.stringify(justification)}.`,
    "Review the justification with the permission's owner regularly, and move to a narrower permission when one does the job.",
  );
}
