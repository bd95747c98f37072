import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { DataAzureadClientConfig } from "@cdktf/provider-azuread/lib/data-azuread-client-config";
import { recordSharedConstruct } from "./atomic";

const DEPLOYER_ID = "MachineClientsDeployer";

// One reference token per stack and attribute: each `.objectId` read creates a new token, and
// cdktf records a full stack trace with every token, which costs time and memory per client at scale.
// Each token is kept with the data source it reads, and used only while that data source is still
// in the stack (a construct that failed removes the data source it created).
const objectIds = new WeakMap<TerraformStack, [DataAzureadClientConfig, string]>();
const tenantIds = new WeakMap<TerraformStack, [DataAzureadClientConfig, string]>();

/** The stack's single `azuread_client_config` data source, created on first use. */
function clientConfigOf(stack: TerraformStack): DataAzureadClientConfig {
  const existing = stack.node.tryFindChild(DEPLOYER_ID) as DataAzureadClientConfig | undefined;
  if (existing) return existing;
  const created = new DataAzureadClientConfig(stack, DEPLOYER_ID);
  recordSharedConstruct(stack, created);
  return created;
}

/**
 * The object id of the principal running `terraform apply` (the `azuread_client_config` data
 * source), looked up once per stack: the default owner of every app the library declares.
 */
export function deployingPrincipalObjectId(scope: IConstruct): string {
  return cachedAttribute(objectIds, TerraformStack.of(scope), (c) => c.objectId);
}

/**
 * The id of the tenant `terraform apply` deploys into (`azuread_client_config.tenant_id`, the
 * same data source as {@link deployingPrincipalObjectId}), as a token, read once per stack.
 */
export function deployingTenantId(scope: IConstruct): string {
  return cachedAttribute(tenantIds, TerraformStack.of(scope), (c) => c.tenantId);
}

function cachedAttribute(
  cache: WeakMap<TerraformStack, [DataAzureadClientConfig, string]>,
  stack: TerraformStack,
  read: (config: DataAzureadClientConfig) => string,
): string {
  const config = clientConfigOf(stack);
  const cached = cache.get(stack);
  if (cached !== undefined && cached[0] === config) return cached[1];
  const token = read(config);
  cache.set(stack, [config, token]);
  return token;
}
