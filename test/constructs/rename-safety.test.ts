import {
  ClientSecret,
  MachineClient,
  MachineClientProps,
  ProtectedApi,
  ProtectedApiProps,
  ScopeVocabulary,
} from "../../src";
import { errorOf, newStack, resourcesOf, synth } from "../util";

const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });

function build(
  api: Partial<ProtectedApiProps<never>> = {},
  client: Partial<MachineClientProps> = {},
) {
  const stack = newStack();
  const ordersApi = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: orders,
    ...(api as object),
  });
  new MachineClient(stack, "BillingSync", {
    displayName: "billing-sync",
    access: [ordersApi.grant("orders.read")],
    credential: ClientSecret.rotating(),
    ...client,
  });
  return synth(stack);
}

describe("rename safety", () => {
  it("protects every app registration and service principal with prevent_destroy by default", () => {
    const json = build();
    const protectedResources = [
      ...resourcesOf(json, "azuread_application"),
      ...resourcesOf(json, "azuread_service_principal"),
    ];
    expect(protectedResources).toHaveLength(4);
    for (const r of protectedResources) expect(r.lifecycle).toEqual({ prevent_destroy: true });
    // Credentials stay replaceable: rotation replaces passwords, the new one first.
    for (const p of resourcesOf(json, "azuread_application_password")) {
      expect(p.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["end_date"] });
    }
  });

  it("lets a client or an API opt out with preventDestroy: false", () => {
    const json = build({ preventDestroy: false }, { preventDestroy: false });
    for (const r of [
      ...resourcesOf(json, "azuread_application"),
      ...resourcesOf(json, "azuread_service_principal"),
    ]) {
      expect(r.lifecycle).toEqual({ prevent_destroy: false });
    }
  });

  it("rejects a preventDestroy that is not a boolean", () => {
    expect(errorOf(() => build({}, { preventDestroy: "no" as unknown as boolean })).message).toBe(
      'test/BillingSync: preventDestroy must be true or false (got "no"). Leave it out (true) or set false to allow deleting the client.',
    );
    expect(errorOf(() => build({ preventDestroy: 0 as unknown as boolean })).message).toBe(
      "test/OrdersApi: preventDestroy must be true or false (got 0). Leave it out (true) or set false to allow deleting the API.",
    );
  });
});
