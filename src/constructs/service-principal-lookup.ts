import { Fn, Op, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { AppRoleAssignment } from "@cdktf/provider-azuread/lib/app-role-assignment";
import { DataAzureadServicePrincipal } from "@cdktf/provider-azuread/lib/data-azuread-service-principal";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";
import { fail } from "../errors";
import { recordSharedConstruct } from "./atomic";

/**
 * The service principal of an API registered outside the stack: the `azuread_service_principal`
 * data source, or (`use_existing`) a resource that adopts the tenant's service principal or
 * creates it where the tenant lacks it.
 */
export type ServicePrincipalRef = DataAzureadServicePrincipal | ServicePrincipal;

/** How the service principal of an API registered elsewhere is found. */
export type ServicePrincipalMode = "lookup" | "create-if-missing";

/**
 * The stack's single reference to the service principal of `clientId`, created on first use under
 * the stack with construct id `id` (in `mode`, default `"lookup"`). Asking again with another
 * mode fails: the stack must decide once, before the first grant that uses it.
 */
export function servicePrincipalOf(
  scope: IConstruct,
  id: string,
  clientId: string,
  mode: ServicePrincipalMode | undefined,
  where: string,
): ServicePrincipalRef {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(id) as ServicePrincipalRef | undefined;
  if (existing) {
    const existingMode = existing instanceof ServicePrincipal ? "create-if-missing" : "lookup";
    if (mode !== undefined && existingMode !== mode) {
      fail(
        "SERVICE_PRINCIPAL_MODE_CONFLICT",
        where,
        `the stack already ${existingMode === "lookup" ? "looks up" : "creates"} the service principal of ${clientId}`,
        mode,
        "Configure the service principal once per stack, before the first MachineClient that is granted a permission on it.",
      );
    }
    return existing;
  }
  const created =
    mode === undefined || mode === "lookup"
      ? new DataAzureadServicePrincipal(stack, id, { clientId })
      : new ServicePrincipal(stack, id, {
          clientId,
          useExisting: true,
          // The tenant's (e.g. Microsoft Graph's) service principal must outlive this stack.
          lifecycle: { preventDestroy: true },
        });
  recordSharedConstruct(stack, created);
  return created;
}

/**
 * Adds to `assignment` a plan-time precondition that the tenant's service principal has an app
 * role `value` whose id is `roleId`, so that a wrong static or adopted id fails `terraform plan`
 * with a message naming the permission, instead of assigning the wrong role (or failing in apply).
 */
export function addRoleIdPrecondition(
  assignment: AppRoleAssignment,
  servicePrincipal: ServicePrincipalRef,
  value: string,
  roleId: string,
  errorMessage: string,
): void {
  const appRoleIds = servicePrincipal.getStringMapAttribute("app_role_ids");
  // lookup() with a default, not app_role_ids[value]: a missing role must fail with the message
  // below, not with Terraform's "Invalid index". (cdktf renders Fn.lookup without a truthy
  // default as an index expression, hence "none" rather than "".)
  const condition = Op.eq(Fn.lower(Fn.lookup(appRoleIds, value, "none")), roleId.toLowerCase());
  const lifecycle = assignment.lifecycle ?? {};
  assignment.lifecycle = {
    ...lifecycle,
    precondition: [...(lifecycle.precondition ?? []), { condition, errorMessage }],
  };
}
