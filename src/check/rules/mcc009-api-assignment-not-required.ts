import { isUnknown } from "../expr";
import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

const ID = "MCC009";

/** MCC009: an API's service principal that does not require assignment. */
export const ApiAssignmentNotRequired: CheckRule = {
  id: ID,
  name: "ApiAssignmentNotRequired",
  severity: "error",
  description:
    "The service principal of an API that exposes app roles to applications does not set app_role_assignment_required = true.",
  explanation:
    "Without app_role_assignment_required = true (the provider's default is false), Entra issues a token for the API to any application in the tenant that asks for one; the roles claim is then empty, and an API that checks only the audience lets every app in.",
  fix: "Set app_role_assignment_required = true on the API's service principal.",
  undecidable:
    "app_role_assignment_required, or whether the application exposes app roles to applications, cannot be evaluated: a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    for (const at of model.instancesOf("azuread_service_principal")) {
      const b = at.block.body;
      for (const appAddr of model.appsReferencedBy(b.client_id ?? b.application_id)) {
        const exposes = model.exposesAppRoles(appAddr);
        if (exposes === false) continue;
        const required =
          b.app_role_assignment_required === undefined
            ? false
            : model.mod.eval(b.app_role_assignment_required, at.bindings);
        if (required === true) continue;
        if (isUnknown(required)) {
          out.push(note(ID, at, "app_role_assignment_required", required));
        } else if (isUnknown(exposes)) {
          out.push(note(ID, at, `Whether ${appAddr} exposes app roles to applications`, exposes));
        } else {
          out.push(
            result(
              at,
              "error",
              `${appAddr} exposes app roles to applications, but its service principal does not set app_role_assignment_required = true (got ${JSON.stringify(required ?? null)}), so any app in the tenant can get a token for it.`,
              ApiAssignmentNotRequired.fix,
            ),
          );
        }
      }
    }
    return out;
  },
};
