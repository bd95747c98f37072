import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { DataAzureadClientConfig } from "@cdktf/provider-azuread/lib/data-azuread-client-config";

const DEPLOYER_ID = "MachineClientsDeployer";

/**
 * The object id of the principal running `terraform apply` (the `azuread_client_config` data
 * source), looked up once per stack: the default owner of every app the library declares.
 */
export function deployingPrincipalObjectId(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(DEPLOYER_ID) as DataAzureadClientConfig | undefined;
  return (existing ?? new DataAzureadClientConfig(stack, DEPLOYER_ID)).objectId;
}
