// The orders API's server: it checks, on every request, the same vocabulary that examples/orders.ts
// declares as app roles. It loads `cdktf-machine-clients/verify` (here ../src/verify), which never
// loads cdktf, constructs or the providers.
//
//   TENANT_ID=<tenant id> API_CLIENT_ID=<the API's client id> npx ts-node examples/api-server.ts
//
// Optional: PORT (default 8080; 0 picks a free port), JWKS_URI (default: the tenant's keys at
// login.microsoftonline.com), and MANIFEST + CLIENT_IDS to allow only the clients that
// `cdktf synth` declared: MANIFEST=cdktf.out/stacks/orders/machine-clients.json
// CLIENT_IDS='{"billing-sync":"<its client id>"}'.
import { readFileSync } from "node:fs";
import { AddressInfo } from "node:net";
import express from "express";
import {
  bearerErrorResponse,
  callerOf,
  ClientAllowList,
  createTokenVerifier,
  requireRoles,
} from "../src/verify";
import { orders } from "./orders-vocabulary";

const env = process.env;
// The API's key in the manifest: its construct path, as its identifier URI is the default
// api://{appId}, known only after apply. (An API with a literal identifierUri is keyed by it.)
const api = "orders/OrdersApi";

const verifier = createTokenVerifier({
  tenantId: env.TENANT_ID ?? "",
  audience: env.API_CLIENT_ID ?? "", // a v2 token's aud is the API's client id
  vocabulary: orders,
  ...(env.JWKS_URI ? { jwksUri: env.JWKS_URI } : {}),
  ...(env.MANIFEST
    ? {
        allowedClients: ClientAllowList.fromManifest(readFileSync(env.MANIFEST, "utf8"), {
          api,
          clientIds: JSON.parse(env.CLIENT_IDS ?? "{}"),
        }),
      }
    : {}),
});

const stored = [{ id: "o-1001", status: "shipped" }];
const app = express();
app.use(express.json({ limit: "16kb" }));

app.get("/orders", requireRoles(verifier, "orders.read"), (req, res) => {
  const caller = callerOf(req, verifier);
  if (caller.ignoredRoles.length)
    console.warn(`ignored roles of ${caller.clientId}`, caller.ignoredRoles);
  res.json({ caller: caller.clientId, orders: stored });
});

app.post("/orders", requireRoles(verifier, "orders.write"), (_req, res) => {
  stored.push({ id: `o-${1001 + stored.length}`, status: "new" });
  res.status(201).json(stored[stored.length - 1]);
});

app.post(
  "/orders/repair",
  requireRoles(verifier, "orders.admin", { reason: "repair rewrites any order; nightly job only" }),
  (_req, res) => {
    res.status(204).end();
  },
);

// Without the middleware: verify and check in the handler, answer with the RFC 6750 mapping.
app.get("/orders/:id", async (req, res) => {
  try {
    const caller = await verifier.verify(req.headers.authorization);
    caller.requireAny(["orders.read", "orders.write"]);
    const order = stored.find((o) => o.id === req.params.id);
    if (order) res.json(order);
    else res.status(404).json({ error: "not_found" });
  } catch (error) {
    const answer = bearerErrorResponse(error);
    res.status(answer.status).set(answer.headers).json(answer.body);
  }
});

const server = app.listen(Number(env.PORT ?? 8080), "127.0.0.1", () => {
  console.log(`orders API listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
