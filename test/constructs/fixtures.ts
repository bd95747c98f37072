import { App, TerraformStack, Testing } from "cdktf";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { ProtectedApi, ScopeVocabulary } from "../../src";

/** The orders vocabulary used across construct tests. */
export const ordersVocabulary = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.write": { description: "Create and update orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});

/** A billing vocabulary, for clients with grants on two APIs. */
export const billingVocabulary = ScopeVocabulary.define({
  "billing.read": { description: "Read invoices" },
});

/** The orders API in `stack`, with the default identifier URI `api://{appId}`. */
export function ordersApi(stack: TerraformStack, id = "OrdersApi") {
  return new ProtectedApi(stack, id, { displayName: "orders-api", vocabulary: ordersVocabulary });
}

/** The billing API in `stack`, with the default identifier URI `api://{appId}`. */
export function billingApi(stack: TerraformStack, id = "BillingApi") {
  return new ProtectedApi(stack, id, { displayName: "billing-api", vocabulary: billingVocabulary });
}

/** A justification long enough for privileged grants. */
export const JUSTIFICATION = "nightly repair job fixes stuck orders (OPS-17)";

/** A stack with the azuread and time providers, so that cdktf's own validations pass. */
export function providerStack(app: App = Testing.app(), id = "test"): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzureadProvider(stack, "azuread", {});
  new TimeProvider(stack, "time", {});
  return stack;
}
