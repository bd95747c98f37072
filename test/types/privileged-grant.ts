// Compile-time rules for privileged scopes, proven by the compiler (`npm run typecheck`).
// Every `@ts-expect-error` line must fail to compile; if it ever compiles, typecheck fails.
import { TerraformStack, Testing } from "cdktf";
import { ProtectedApi, ScopeGrant, ScopeVocabulary } from "../../src";

const vocabulary = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});

export function privilegedGrantTypes(): ScopeGrant[] {
  const stack = new TerraformStack(Testing.app(), "types");
  const api = new ProtectedApi(stack, "Api", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary,
  });
  return [
    api.grant("orders.read"),
    api.grant("orders.read", { justification: "optional for ordinary scopes" }),
    api.grant("orders.admin", { justification: "nightly repair job fixes stuck orders" }),
    // @ts-expect-error a privileged scope needs a justification
    api.grant("orders.admin"),
    // @ts-expect-error a privileged scope needs a justification, not empty options
    api.grant("orders.admin", {}),
    // @ts-expect-error a privileged scope's justification must be a string
    api.grant("orders.admin", { justification: 42 }),
    // @ts-expect-error only the vocabulary's keys compile
    api.grant("orders.delete"),
  ];
}
