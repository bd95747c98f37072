import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { DataAzureadClientConfig } from "@cdktf/provider-azuread/lib/data-azuread-client-config";

const DEPLOYER_ID = "MachineClientsDeployer";

// One reference token per stack and attribute: each `.objectId` read creates a new token, and
// cdktf records a full stack trace with every token, which costs time and memory per client at scale.
const objectIds = new WeakMap<TerraformStack, string>();
const tenantIds = new WeakMap<TerraformStack, string>();

/** The stack's single `azuread_client_config` data source, created on first use. */
function clientConfigOf(stack: TerraformStack): DataAzureadClientConfig {
  const existing = stack.node.tryFindChild(DEPLOYER_ID) as DataAzureadClientConfig | undefined;
  return existing ?? new DataAzureadClientConfig(stack, DEPLOYER_ID);
}

/**
 * The object id of the principal running `terraform apply` (the `azuread_client_config` data
 * source), looked up once per stack: the default owner of every app the library declares.
 */
export function deployingPrincipalObjectId(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  let objectId = objectIds.get(stack);
  if (objectId === undefined) {
    objectId = clientConfigOf(stack).objectId;
    objectIds.set(stack, objectId);
  }
  return objectId;
}

/**
 * The id of the tenant `terraform apply` deploys into (`azuread_client_config.tenant_id`, the
 * same data source as {@link deployingPrincipalObjectId}), as a token, read once per stack.
 */
export function deployingTenantId(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  let tenantId = tenantIds.get(stack);
  if (tenantId === undefined) {
    tenantId = clientConfigOf(stack).tenantId;
    tenantIds.set(stack, tenantId);
  }
  return tenantId;
}
