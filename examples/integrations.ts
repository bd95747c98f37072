import { join } from "node:path";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { MachineClients, OrgPolicy, ProtectedApi } from "../src";
import { orders } from "./orders";
import { INTEGRATIONS_TEAM, ORG_RULES } from "./policy";

/**
 * The config-file scenario: the platform team declares the API in TypeScript, integration owners
 * declare their clients in examples/integrations.yaml, and the org policy checks both.
 */
export class IntegrationsStack extends TerraformStack {
  /** The clients of the file, by name. */
  public readonly integrations: MachineClients;

  constructor(scope: Construct, id: string, file = join(__dirname, "integrations.yaml")) {
    super(scope, id);
    new AzureadProvider(this, "azuread", {});
    new TimeProvider(this, "time", {});
    OrgPolicy.of(this).apply(ORG_RULES);

    const api = new ProtectedApi(this, "OrdersApi", {
      displayName: "orders-api",
      vocabulary: orders,
      owners: [INTEGRATIONS_TEAM],
    });
    this.integrations = MachineClients.fromFile(this, file, {
      apis: { orders: api },
      id: "Integrations",
    });
  }
}
