import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SignJWT } from "jose";
import { Testing } from "cdktf";
import { OrdersStack } from "../../examples/orders";
import { manifestOf, serializeManifest } from "../../src";
import {
  API_CLIENT_ID,
  appClaims,
  b64,
  CLIENT_ID,
  JwksServer,
  OTHER_TENANT,
  SigningKey,
  signingKey,
  startJwksServer,
  TENANT,
  token,
  V1_ISSUER,
} from "../verify/entra";

// examples/api-server.ts, started as a real process (in which cdktf cannot even be resolved), with
// the manifest that `cdktf synth` writes for examples/orders.ts: the billing-sync client, granted
// orders.read there, is the only client allowed.
const ROOT = path.join(__dirname, "..", "..");
const OTHER_CLIENT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

let key: SigningKey;
let rotated: SigningKey;
let jwks: JwksServer;
let work: string;
const servers: ChildProcess[] = [];

async function startServer(jwksUri: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      "-r",
      path.join(ROOT, "test", "fixtures", "without-cdktf.js"),
      require.resolve("ts-node/dist/bin"),
      "--transpile-only",
      "examples/api-server.ts",
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: "0",
        TENANT_ID: TENANT,
        API_CLIENT_ID,
        JWKS_URI: jwksUri,
        MANIFEST: path.join(work, "machine-clients.json"),
        CLIENT_IDS: JSON.stringify({ "billing-sync": CLIENT_ID }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  servers.push(child);
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(d.toString());
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`api-server exited with ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  [key, rotated] = await Promise.all([signingKey("key-1"), signingKey("key-2")]);
  jwks = await startJwksServer([key.publicJwk]);
  work = fs.mkdtempSync(path.join(os.tmpdir(), "mc-api-"));
  const stack = new OrdersStack(Testing.app(), "orders");
  fs.writeFileSync(path.join(work, "machine-clients.json"), serializeManifest(manifestOf(stack)));
});
afterAll(async () => {
  for (const s of servers) s.kill();
  await jwks.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function get(base: string, authorization?: string, route = "/orders") {
  const res = await fetch(`${base}${route}`, { headers: authorization ? { authorization } : {} });
  return {
    status: res.status,
    challenge: res.headers.get("www-authenticate"),
    body: await res.text(),
  };
}

describe("examples/api-server.ts", () => {
  let base: string;
  beforeAll(async () => {
    base = await startServer(jwks.url);
  });

  it("accepts a token carrying orders.read from the assigned client", async () => {
    const r = await get(base, `Bearer ${await token(key)}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({
      caller: CLIENT_ID,
      orders: [{ id: "o-1001", status: "shipped" }],
    });
    expect((await get(base, `Bearer ${await token(key)}`, "/orders/o-1001")).status).toBe(200);
  });

  it("refuses every case of the issue with the right status", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = appClaims();
    const cases: [string, string | undefined, number, RegExp][] = [
      ["no Authorization header", undefined, 401, /^Bearer$/],
      ["a malformed header", "Bearer a b", 400, /error="invalid_request"/],
      ["a malformed token", "Bearer not-a-jwt", 401, /error="invalid_token".*not a signed JWT/],
      [
        "an oversized token",
        `Bearer ${await token(key, { pad: "x".repeat(10000) })}`,
        401,
        /at most 8192/,
      ],
      ["an expired token", `Bearer ${await token(key, { exp: now - 600 })}`, 401, /expired at/],
      [
        "a token not yet valid",
        `Bearer ${await token(key, { nbf: now + 600 })}`,
        401,
        /not valid before/,
      ],
      ["alg none", `Bearer ${b64({ alg: "none" })}.${b64(claims)}.`, 401, /'none'; only RS256/],
      [
        "HS256 signed with the public key",
        `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: key.kid }).sign(new TextEncoder().encode(key.publicPem))}`,
        401,
        /'HS256'; only RS256/,
      ],
      ["an unknown kid", `Bearer ${await token(rotated)}`, 401, /key id 'key-2'/],
      [
        "a forged signature",
        `Bearer ${await token({ ...rotated, kid: key.kid })}`,
        401,
        /signature/,
      ],
      [
        "another tenant",
        `Bearer ${await token(key, { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT })}`,
        401,
        /issuer/,
      ],
      [
        "another audience",
        `Bearer ${await token(key, { aud: OTHER_CLIENT })}`,
        401,
        /issued for another API/,
      ],
      [
        "a v1 token",
        `Bearer ${await token(key, { ver: "1.0", iss: V1_ISSUER, appid: CLIENT_ID, azp: undefined })}`,
        401,
        /v1\.0 access token/,
      ],
      ["a missing oid", `Bearer ${await token(key, { oid: undefined })}`, 401, /no 'oid' claim/],
      [
        "a delegated token",
        `Bearer ${await token(key, { scp: "orders.read" })}`,
        403,
        /user \(delegated\) token/,
      ],
      [
        "a client that is not assigned",
        `Bearer ${await token(key, { azp: OTHER_CLIENT })}`,
        403,
        /not on this API's list/,
      ],
      [
        "a role the manifest did not grant the client",
        `Bearer ${await token(key, { roles: ["orders.write"] })}`,
        403,
        /not-granted-to-client/,
      ],
      [
        "a role outside the vocabulary",
        `Bearer ${await token(key, { roles: ["orders.delete"] })}`,
        403,
        /not-in-vocabulary/,
      ],
    ];
    const results = [];
    for (const [name, header, ,] of cases) {
      const r = await get(base, header);
      results.push([name, r.status, r.challenge]);
    }
    expect(results).toEqual(
      cases.map(([name, , status, challenge]) => [name, status, expect.stringMatching(challenge)]),
    );
  });

  it("keeps verifying known keys from its cache when the key set goes down", async () => {
    const local = await startJwksServer([key.publicJwk]);
    const url = await startServer(local.url);
    expect((await get(url, `Bearer ${await token(key)}`)).status).toBe(200);
    await local.close();
    expect((await get(url, `Bearer ${await token(key)}`)).status).toBe(200);
    expect(
      (await get(url, `Bearer ${await token(key, { exp: Math.floor(Date.now() / 1000) - 600 })}`))
        .status,
    ).toBe(401);
  });

  it("fails closed with 503 when the key set cannot be fetched and no key is cached", async () => {
    const down = await startJwksServer([]);
    const url = down.url;
    await down.close();
    const r = await get(await startServer(url), `Bearer ${await token(key)}`);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.body).error).toBe("temporarily_unavailable");
  });
});
