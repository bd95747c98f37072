import { Unknown, isUnknown } from "../expr";
import { CheckModel, Instance } from "../model";
import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

const ID = "MCC009";

/** MCC009: an API's service principal that does not require assignment. */
export const ApiAssignmentNotRequired: CheckRule = {
  id: ID,
  name: "ApiAssignmentNotRequired",
  severity: "error",
  description:
    "The service principal of an API does not set app_role_assignment_required = true: an error where the API exposes app roles to applications, a warning otherwise.",
  explanation:
    "Without app_role_assignment_required = true (the provider's default is false), Entra issues an app-only token for the API to any application in the tenant that asks for one (client credentials, scope <identifier uri>/.default); the roles claim is then empty, and an API that checks only the audience and issuer lets every app in. An API is an application with identifier URIs, delegated scopes or app roles for applications (roles for users alone are a web app's sign-in roles). Where it exposes app roles to applications the API expects machine clients and the finding is an error; otherwise a warning.",
  fix: "Set app_role_assignment_required = true on the API's service principal, and assign the clients (azuread_app_role_assignment) that may call it.",
  undecidable:
    "app_role_assignment_required, or whether the application exposes an API or app roles to applications, cannot be evaluated: a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    for (const at of model.instancesOf("azuread_service_principal")) {
      const b = at.block.body;
      const clientId = b.client_id ?? b.application_id;
      const apps = model.appsReferencedBy(clientId);
      if (apps.length === 0) {
        const outside = unseenApplication(model, at);
        if (outside) out.push(note(ID, at, "Whether its application exposes an API", outside));
        continue;
      }
      for (const appAddr of apps) {
        const roles = model.exposesAppRoles(appAddr);
        const api = roles === true ? true : model.exposesApi(appAddr);
        if (roles === false && api === false) continue;
        const required =
          b.app_role_assignment_required === undefined
            ? false
            : model.mod.eval(b.app_role_assignment_required, at.bindings);
        if (required === true) continue;
        if (isUnknown(required)) {
          out.push(note(ID, at, "app_role_assignment_required", required));
          continue;
        }
        const got = `(got ${JSON.stringify(required ?? null)})`;
        if (roles === true) {
          out.push(
            result(
              at,
              "error",
              `${appAddr} exposes app roles to applications, but its service principal does not set app_role_assignment_required = true ${got}, so any app in the tenant can get a token for it.`,
              ApiAssignmentNotRequired.fix,
            ),
          );
        } else if (api === true) {
          const maybeRoles = isUnknown(roles)
            ? ` Whether it also exposes app roles to applications (an error then) cannot be known statically (${roles.why}).`
            : "";
          out.push(
            result(
              at,
              "warning",
              `${appAddr} exposes an API, but its service principal does not set app_role_assignment_required = true ${got}, so any app in the tenant can get an app-only token for it.${maybeRoles}`,
              ApiAssignmentNotRequired.fix,
            ),
          );
        } else if (isUnknown(roles)) {
          out.push(note(ID, at, `Whether ${appAddr} exposes app roles to applications`, roles));
        } else if (isUnknown(api)) {
          out.push(note(ID, at, `Whether ${appAddr} exposes an API`, api));
        }
      }
    }
    return out;
  },
};

/**
 * Why the application of a service principal that does not require assignment cannot be seen:
 * its client id comes from outside, or names an application not declared in this module.
 * Undefined where nothing is left to decide (assignment required, Microsoft Graph or another
 * Microsoft application, no client id).
 */
function unseenApplication(model: CheckModel, at: Instance): Unknown | undefined {
  const b = at.block.body;
  const clientId = b.client_id ?? b.application_id;
  if (clientId === undefined) return undefined;
  const required =
    b.app_role_assignment_required === undefined
      ? false
      : model.mod.eval(b.app_role_assignment_required, at.bindings);
  if (required === true) return undefined;
  if (model.isGraphApi(clientId, at.bindings) === true) return undefined;
  const refs = model.mod.refs(clientId, at.bindings);
  // Microsoft's own applications, found by the published-app-ids data source.
  if (refs.some((r) => r.type === "azuread_application_published_app_ids")) return undefined;
  const v = model.mod.eval(clientId, at.bindings);
  if (isUnknown(v)) return v;
  return new Unknown(`application ${JSON.stringify(v)} is not declared in this module`);
}
