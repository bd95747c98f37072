import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { ClientSecret, MachineClient, ProtectedApi, ScopeVocabulary } from "../src";
import { orders } from "./orders-vocabulary";

export { orders };

/** The DESIGN.md scenario: an orders API and a billing job that reads orders. */
export class OrdersStack extends TerraformStack {
  public readonly api: ProtectedApi<typeof orders extends ScopeVocabulary<infer D> ? D : never>;
  public readonly billing: MachineClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Credentials come from the pipeline's environment (ARM_TENANT_ID, ARM_CLIENT_ID, OIDC, …).
    new AzureadProvider(this, "azuread", {});
    new TimeProvider(this, "time", {});

    this.api = new ProtectedApi(this, "OrdersApi", {
      displayName: "orders-api", // identifier URI: the secure default api://{appId}
      vocabulary: orders,
    });

    this.billing = new MachineClient(this, "BillingSync", {
      displayName: "billing-sync",
      access: [this.api.grant("orders.read")],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 60 }),
    });
  }
}
