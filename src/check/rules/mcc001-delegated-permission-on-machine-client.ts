import { Unknown, isUnknown } from "../expr";
import { CheckRule, RuleResult } from "../types";
import { describe, note, result } from "./results";

const ID = "MCC001";

/** MCC001: a machine client requests, or is granted, a delegated permission. */
export const DelegatedPermissionOnMachineClient: CheckRule = {
  id: ID,
  name: "DelegatedPermissionOnMachineClient",
  severity: "error",
  description: "A machine client requests or is granted a delegated permission.",
  explanation:
    'A machine client is an application with a password or certificate (on the application or its service principal), no redirect URIs, not a public client, and no delegated scopes of its own to act on behalf of users (an on-behalf-of API). It uses the client credentials flow, where delegated permissions (type = "Scope", oauth2_permission_scope_ids look-ups, scope_ids of azuread_application_api_access, delegated permission grants) never apply: they are copied from user sign-in apps and only widen what a leaked credential is consented to.',
  fix: 'Request the application permission (an app role, type = "Role") that the client needs instead, and remove the delegated one.',
  undecidable:
    "Whether an application is a machine client (redirect URIs or exposed scopes from a variable without default), a permission's type, or whether a dynamic block over an unknown collection yields any permission: a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    for (const list of model.unknownPermissionLists) {
      if (list.type === "Scope") out.push(note(ID, list.at, list.attr, list.why));
    }
    for (const r of model.permissionRequests) {
      if (r.notInGraph) continue;
      if (r.effective !== "Scope" && !isUnknown(r.effective)) continue;
      if (!r.client) {
        // An azuread_application_api_access for an application not declared in this module.
        if (r.effective !== "Scope") continue;
        const app = model.mod.eval(r.at.block.body.application_id, r.at.bindings);
        const why = isUnknown(app)
          ? app
          : new Unknown(`application ${JSON.stringify(app)} is not declared in this module`);
        out.push(note(ID, r.at, "Whether the application requesting it is a machine client", why));
        continue;
      }
      const mc = model.isMachineClient(r.client);
      if (r.effective === "Scope" && mc === true && r.unknownIteration !== undefined) {
        // The block comes from a dynamic block over an unknown collection: maybe none at all.
        out.push(
          note(
            ID,
            r.at,
            `Whether ${r.client} (a machine client) requests any delegated permission`,
            new Unknown(`a dynamic block over ${r.unknownIteration}`),
          ),
        );
      } else if (r.effective === "Scope" && mc === true) {
        out.push(
          result(
            r.at,
            "error",
            `${r.client} is a machine client (it holds a password or certificate and has no redirect URIs) but requests delegated permission ${r.name ?? describeId(r.perm)}; delegated permissions never apply to the client credentials flow.`,
            DelegatedPermissionOnMachineClient.fix,
          ),
        );
      } else if (r.effective === "Scope" && isUnknown(mc)) {
        out.push(note(ID, r.at, `Whether ${r.client} is a machine client`, mc));
      } else if (isUnknown(r.effective) && mc !== false) {
        out.push(note(ID, r.at, "A requested permission's type", r.effective));
      }
    }
    for (const g of model.delegatedGrants) {
      if (g.machineClient === true) {
        const claims = model.mod.eval(g.at.block.body.claim_values, g.at.bindings);
        out.push(
          result(
            g.at,
            "error",
            `${g.client} is a machine client but is granted delegated permissions (${describe(claims)}); delegated permissions never apply to the client credentials flow.`,
            "Remove the delegated permission grant and assign application permissions (azuread_app_role_assignment) instead.",
          ),
        );
      } else if (isUnknown(g.machineClient)) {
        out.push(note(ID, g.at, `Whether ${g.client} is a machine client`, g.machineClient));
      }
    }
    return out;
  },
};

function describeId(perm: unknown): string {
  if (perm && typeof perm === "object" && "id" in perm) return String((perm as { id: string }).id);
  return "(id not known statically)";
}
