// Compile-time rules of request-time role checks, proven by the compiler (`npm run typecheck`).
// Every `@ts-expect-error` line must fail to compile; if it ever compiles, typecheck fails.
import express from "express";
import {
  callerOf,
  createTokenVerifier,
  requireAnyRole,
  requireRoles,
  ScopeVocabulary,
  VerifiedCaller,
} from "../../src/verify";

const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.write": { description: "Create and update orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});
const verifier = createTokenVerifier({
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  audience: "c3a7e0a1-5b8e-4c7f-9d1e-2f3a4b5c6d7e",
  vocabulary: orders,
});
const reason = { reason: "bulk repair rewrites any order (OPS-12)" };

export async function callerChecks(header: string): Promise<string[]> {
  const caller = await verifier.verify(header);
  caller.require("orders.read");
  caller.require("orders.write", { reason: "optional for ordinary roles" });
  caller.require("orders.admin", reason);
  // @ts-expect-error a role the vocabulary does not declare ("orders.raed" is a typo)
  caller.require("orders.raed");
  // @ts-expect-error roles are matched as declared: the typed check takes the vocabulary's spelling
  caller.require("Orders.Read");
  // @ts-expect-error a delegated scope is never an app role
  caller.require("offline_access");
  // @ts-expect-error a privileged role needs a reason
  caller.require("orders.admin");
  // @ts-expect-error a privileged role needs a reason, not empty options
  caller.require("orders.admin", {});
  // @ts-expect-error the reason is text
  caller.require("orders.admin", { reason: 42 });

  const held: "orders.read" | "orders.write" = caller.requireAny(["orders.read", "orders.write"]);
  const any: "orders.write" | "orders.admin" = caller.requireAny(
    ["orders.write", "orders.admin"],
    reason,
  );
  // @ts-expect-error a privileged role among them needs a reason
  caller.requireAny(["orders.write", "orders.admin"]);
  // @ts-expect-error only the vocabulary's values
  caller.requireAny(["orders.read", "orders.delete"]);
  // @ts-expect-error at least one role
  caller.requireAny([]);

  const roles: readonly ("orders.read" | "orders.write" | "orders.admin")[] = caller.roles;
  // @ts-expect-error roles are read-only
  caller.roles.push("orders.admin");
  // @ts-expect-error the caller's identity is read-only
  caller.clientId = "someone-else";
  // @ts-expect-error only the verifier makes callers
  new VerifiedCaller();
  return [held, any, ...roles];
}

export function expressChecks(): void {
  const app = express();
  app.get("/orders", requireRoles(verifier, "orders.read"), (req, res) => {
    const caller = callerOf(req, verifier);
    res.json({ client: caller.clientId, roles: caller.roles });
  });
  app.post("/orders/repair", requireRoles(verifier, "orders.admin", reason), (_req, res) => {
    res.sendStatus(204);
  });
  app.put("/orders", requireAnyRole(verifier, ["orders.write", "orders.admin"], reason));
  // @ts-expect-error a role the vocabulary does not declare
  requireRoles(verifier, "orders.delete");
  // @ts-expect-error a privileged role needs a reason
  requireRoles(verifier, "orders.admin");
  // @ts-expect-error a privileged role among them needs a reason
  requireAnyRole(verifier, ["orders.write", "orders.admin"]);
  // @ts-expect-error a role of another vocabulary
  requireRoles(verifier, "billing.read");
}
