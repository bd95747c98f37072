import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { DataAzureadClientConfig } from "@cdktf/provider-azuread/lib/data-azuread-client-config";

const DEPLOYER_ID = "MachineClientsDeployer";

// One reference token per stack: each `.objectId` read creates a new token, and cdktf records a
// full stack trace with every token, which costs time and memory per client at scale.
const objectIds = new WeakMap<TerraformStack, string>();

/**
 * The object id of the principal running `terraform apply` (the `azuread_client_config` data
 * source), looked up once per stack: the default owner of every app the library declares.
 */
export function deployingPrincipalObjectId(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  let objectId = objectIds.get(stack);
  if (objectId === undefined) {
    const existing = stack.node.tryFindChild(DEPLOYER_ID) as DataAzureadClientConfig | undefined;
    objectId = (existing ?? new DataAzureadClientConfig(stack, DEPLOYER_ID)).objectId;
    objectIds.set(stack, objectId);
  }
  return objectId;
}
