import { TerraformStack } from "cdktf";
import { DelegatedVocabulary, ProtectedApi, ScopeVocabulary } from "../../src";
import { billingApi, ordersApi } from "../constructs/fixtures";

const hybridVocabulary = ScopeVocabulary.define({
  "stock.read": { description: "Read stock levels" },
});
const hybridUser = DelegatedVocabulary.define({
  "stock.read.user": {
    adminConsentDisplayName: "Read stock as the user",
    adminConsentDescription: "Lets the app read stock levels for the signed-in user",
  },
});

/** The APIs a config file may grant on in these tests: orders, billing and a hybrid stock API. */
export function configApis(stack: TerraformStack) {
  return {
    orders: ordersApi(stack),
    billing: billingApi(stack),
    stock: new ProtectedApi(stack, "StockApi", {
      displayName: "stock-api",
      vocabulary: hybridVocabulary,
      delegatedVocabulary: hybridUser,
    }),
  };
}

/** A valid config with two clients, one privileged and one with a suppression. */
export const VALID_YAML = `# Integrations declared by their owners (reviewed by the platform team)
clients:
  - name: billing-sync
    displayName: Billing sync
    access:
      - api: orders
        scope: orders.read
      - api: billing
        scope: billing.read
    credential:
      type: secret
      rotationDays: 30
      validityDays: 60
  - name: order-repair
    owners: [11111111-1111-4111-8111-111111111111]
    access:
      - api: orders
        scope: orders.admin
        justification: nightly job repairs stuck orders (OPS-17)
    credential: { type: secret, rotationDays: 10, validityDays: 30 }
    suppressions:
      - id: MC-MAX-GRANTS
        reason: reviewed with the platform team in OPS-18
`;
