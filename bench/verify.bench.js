#!/usr/bin/env node
// Request-time verification cost: `verifier.verify()` (cdktf-machine-clients/verify, keys cached
// from a JWKS served on 127.0.0.1) against bare `jose.jwtVerify` with the same RSA-2048 key, on
// the same Entra-shaped app-only token. Many short rounds alternate between the two (in turn
// first) so that load on the machine affects both alike; the figures are medians over rounds.
// Wall-clock time gives verifications per second; CPU time (user + system, all threads, so the
// signature check on libuv's pool counts too) is steadier on a shared machine. The ratios are
// medians of the per-round ratios. Goal: ratio <= 1.2.
"use strict";
const http = require("node:http");
const { URL } = require("node:url");
const { performance } = require("node:perf_hooks");
const { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } = require("jose");
const { createTokenVerifier, ScopeVocabulary } = require("../lib/verify");

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const API = "c3a7e0a1-5b8e-4c7f-9d1e-2f3a4b5c6d7e";
const ROUNDS = 40;
const PER_ROUND = 250;

async function main() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "key-1", use: "sig" };
  const server = http.createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const jwksUri = `http://127.0.0.1:${server.address().port}/keys`;

  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    aud: API,
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    aio: "E2ZgYJh0+u3/rw8AAA==",
    azp: "0d5c2a1b-9e8f-4a3b-8c7d-6e5f4a3b2c1d",
    azpacr: "1",
    oid: "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
    rh: "0.AXEAv4j5cvGGr0GRqy180BHbRw.",
    roles: ["orders.read", "orders.write", "reports.read"],
    sub: "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0",
    tid: TENANT,
    uti: "kZrIXP_Q1EqU8Jz8gS0DAA",
    ver: "2.0",
  })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "key-1" })
    .sign(privateKey);

  const vocabulary = ScopeVocabulary.define({
    "orders.read": { description: "Read orders" },
    "orders.write": { description: "Create and update orders" },
    "orders.admin": { description: "Manage all orders", privileged: true },
  });
  const verifier = createTokenVerifier({ tenantId: TENANT, audience: API, vocabulary, jwksUri });
  const header = `Bearer ${token}`;
  const remote = createRemoteJWKSet(new URL(jwksUri));
  const issuer = `https://login.microsoftonline.com/${TENANT}/v2.0`;
  const candidates = {
    "verifier.verify (cached keys)": async () => {
      const caller = await verifier.verify(header);
      caller.require("orders.read");
    },
    "jose.jwtVerify (same key)": async () => {
      await jwtVerify(token, publicKey, { algorithms: ["RS256"] });
    },
    // For reference: what any verifier built on jose's remote key set pays before its own checks.
    "jose.jwtVerify (createRemoteJWKSet, iss/aud)": async () => {
      await jwtVerify(token, remote, { algorithms: ["RS256"], issuer, audience: API });
    },
  };
  // Warm up: the verifier's first call fetches the key set; both get JIT-compiled.
  for (const run of Object.values(candidates)) for (let i = 0; i < 300; i++) await run();

  const names = Object.keys(candidates);
  const wall = Object.fromEntries(names.map((k) => [k, []]));
  const cpu = Object.fromEntries(names.map((k) => [k, []]));
  const wallRatios = [];
  const cpuRatios = [];
  const remoteRatios = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const run = candidates[name];
      const t = performance.now();
      const c = process.cpuUsage();
      for (let i = 0; i < PER_ROUND; i++) await run();
      const used = process.cpuUsage(c);
      wall[name].push(((performance.now() - t) * 1000) / PER_ROUND);
      cpu[name].push((used.user + used.system) / PER_ROUND);
    }
    wallRatios.push(wall[names[0]][round] / wall[names[1]][round]);
    cpuRatios.push(cpu[names[0]][round] / cpu[names[1]][round]);
    remoteRatios.push(cpu[names[2]][round] / cpu[names[1]][round]);
  }
  server.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.table(
    Object.fromEntries(
      names.map((k) => [
        k,
        {
          "verifications/s": Math.round(1e6 / median(wall[k])),
          "wall µs each": median(wall[k]).toFixed(1),
          "CPU µs each": median(cpu[k]).toFixed(1),
        },
      ]),
    ),
  );
  console.log(
    `ratio verifier/jose: ${median(cpuRatios).toFixed(2)} in CPU time, ${median(wallRatios).toFixed(2)} in wall-clock time (medians of ${ROUNDS} rounds of ${PER_ROUND}; goal <= 1.2)`,
  );
  console.log(
    `for reference, jose with createRemoteJWKSet/jose with the key: ${median(remoteRatios).toFixed(2)} in CPU time`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
