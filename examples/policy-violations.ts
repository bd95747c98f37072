import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { ClientSecret, MachineClient, OrgPolicy, ProtectedApi, ScopeVocabulary } from "../src";
import { orders } from "./orders";
import { ORG_RULES } from "./policy";

const billing = ScopeVocabulary.define({
  "billing.read": { description: "Read invoices" },
});

/**
 * A stack that breaks the org policy, for the README and the tests: `cdktf synth` fails and lists
 * every violation at once. Not part of main.ts.
 */
export class PolicyViolationsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzureadProvider(this, "azuread", {});
    new TimeProvider(this, "time", {});
    OrgPolicy.of(this).apply(ORG_RULES);

    const ordersApi = new ProtectedApi(this, "OrdersApi", {
      displayName: "orders-api",
      vocabulary: orders,
    });
    const billingApi = new ProtectedApi(this, "BillingApi", {
      displayName: "billing-api",
      vocabulary: billing,
    });

    // A privileged client that also reads invoices, with a 60-day secret and no owners.
    new MachineClient(this, "OpsTool", {
      displayName: "ops-tool",
      access: [
        ordersApi.grant("orders.admin", { justification: "support staff fix orders by hand" }),
        billingApi.grant("billing.read"),
      ],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 60 }),
    });

    // A client with too many grants and a 90-day secret.
    new MachineClient(this, "Everything", {
      displayName: "everything",
      access: [
        ordersApi.grant("orders.read"),
        ordersApi.grant("orders.write"),
        ordersApi.grant("orders.admin", { justification: "it was easier to grant all of it" }),
        billingApi.grant("billing.read"),
      ],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 90 }),
      owners: ["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"],
    });
  }
}
