// The orders API's vocabulary in a module of its own, imported from the engine-free entry point:
// the cdktf app (examples/orders.ts) declares the app roles from it, and the API server
// (examples/api-server.ts) checks the same values at request time without loading cdktf.
import { ScopeVocabulary } from "../src/verify";

/** The orders API's closed vocabulary of application permissions. */
export const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.write": { description: "Create and update orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});
