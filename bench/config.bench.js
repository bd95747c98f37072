#!/usr/bin/env node
// Config files at scale: a YAML file with N machine clients, loaded with MachineClients.fromText
// (parse + schema + rules + constructs) and synthesized, with an org policy applied. Figures are
// wall-clock milliseconds of one run per size, in a fresh process (bench/run.js).
"use strict";
const { performance } = require("node:perf_hooks");
const { TerraformStack, Testing } = require("cdktf");
const { stringify } = require("yaml");
const { AzureadProvider } = require("@cdktf/provider-azuread/lib/provider");
const { TimeProvider } = require("@cdktf/provider-time/lib/provider");
const { MachineClients, OrgPolicy, ProtectedApi, ScopeVocabulary } = require("../lib");

const vocabulary = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});

function config(n) {
  return stringify({
    clients: Array.from({ length: n }, (_, i) => ({
      name: `client-${i}`,
      access:
        i % 10 === 0
          ? [
              {
                api: "orders",
                scope: "orders.admin",
                justification: `repair job ${i} fixes stuck orders`,
              },
            ]
          : [{ api: "orders", scope: "orders.read" }],
      credential: { type: "secret", rotationDays: 10, validityDays: 30 },
    })),
  });
}

const rows = [];
for (const n of [100, 1000]) {
  const text = config(n);
  const stack = new TerraformStack(Testing.app(), `bench${n}`);
  new AzureadProvider(stack, "azuread", {});
  new TimeProvider(stack, "time", {});
  OrgPolicy.of(stack).apply({ maxSecretValidityDays: 60 });
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary,
  });
  // Validation alone: the same file with one bad scope at the end is checked in full, then rejected.
  const bad = text.replace(
    /scope: orders.read\n(?![\s\S]*scope: orders.read\n)/,
    "scope: openid\n",
  );
  let t = performance.now();
  try {
    MachineClients.fromText(stack, "rejected.yaml", bad, { apis: { orders: api } });
    throw new Error("the corrupted file was accepted");
  } catch (e) {
    if (e.code !== "CONFIG_INVALID") throw e;
  }
  const validate = performance.now() - t;
  t = performance.now();
  MachineClients.fromText(stack, "integrations.yaml", text, { apis: { orders: api } });
  const load = performance.now() - t;
  t = performance.now();
  const json = Testing.synth(stack, true);
  const synth = performance.now() - t;
  rows.push({
    clients: n,
    "yaml KiB": (text.length / 1024).toFixed(0),
    "validate only ms": validate.toFixed(0),
    "load ms": load.toFixed(0),
    "synth+policy ms": synth.toFixed(0),
    "json MiB": (json.length / 1048576).toFixed(1),
  });
}
console.table(rows);
