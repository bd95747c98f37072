import * as http from "node:http";
import { AddressInfo } from "node:net";
import express from "express";
import {
  AuthorizationError,
  bearerErrorResponse,
  callerOf,
  createTokenVerifier,
  MachineClientsError,
  requireAnyRole,
  requireRoles,
  ScopeVocabulary,
  TokenVerifier,
} from "../../src/verify";
import { orders } from "../../examples/orders-vocabulary";
import {
  API_CLIENT_ID,
  CLIENT_ID,
  JwksServer,
  SigningKey,
  signingKey,
  startJwksServer,
  TENANT,
  token,
} from "./entra";

let key: SigningKey;
let jwks: JwksServer;
type Orders = typeof orders extends ScopeVocabulary<infer D> ? D : never;
let verifier: TokenVerifier<Orders>;
let server: http.Server;
let base: string;
const reason = { reason: "bulk repair rewrites any order (OPS-12)" };

beforeAll(async () => {
  key = await signingKey("key-1");
  jwks = await startJwksServer([key.publicJwk]);
  const v = createTokenVerifier({
    tenantId: TENANT,
    audience: API_CLIENT_ID,
    vocabulary: orders,
    jwksUri: jwks.url,
  });
  verifier = v;
  const app = express();
  app.get("/orders", requireRoles(v, "orders.read"), (req, res) => {
    const caller = callerOf(req, v);
    res.json({ client: caller.clientId, roles: caller.roles });
  });
  app.post("/orders/repair", requireRoles(v, "orders.admin", reason), (_req, res) => {
    res.status(204).end();
  });
  app.put(
    "/orders",
    requireRoles(v, "orders.read"),
    requireAnyRole(v, ["orders.write", "orders.admin"], reason),
    (req, res) => res.json({ roles: callerOf(req, v).roles }),
  );
  app.get("/unprotected", (req, res) => {
    callerOf(req, v);
    res.send("never");
  });
  app.use(
    (err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ bug: err.message });
    },
  );
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await jwks.close();
});

async function call(method: string, path: string, authorization?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: authorization !== undefined ? { authorization } : {},
  });
  const text = await res.text();
  return {
    status: res.status,
    challenge: res.headers.get("www-authenticate"),
    type: res.headers.get("content-type"),
    body: text ? JSON.parse(text) : undefined,
  };
}

describe("requireRoles (Express)", () => {
  it("lets a token with the role through and hands the caller to the handler", async () => {
    const r = await call("GET", "/orders", `Bearer ${await token(key)}`);
    expect(r).toEqual({
      status: 200,
      challenge: null,
      type: expect.stringContaining("application/json"),
      body: { client: CLIENT_ID, roles: ["orders.read"] },
    });
  });

  it("rejects a request without a token with 401 and a bare Bearer challenge", async () => {
    const r = await call("GET", "/orders");
    expect(r.status).toBe(401);
    expect(r.challenge).toBe("Bearer");
    expect(r.body).toEqual({ error_description: "the request has no Authorization header" });
  });

  it("rejects a malformed Authorization header with 400 invalid_request", async () => {
    const r = await call("GET", "/orders", "Bearer a.b.c extra");
    expect(r.status).toBe(400);
    expect(r.challenge).toMatch(
      /^Bearer error="invalid_request", error_description="the Authorization header must be 'Bearer ' followed by one token \(RFC 6750\)"$/,
    );
    expect(r.body.error).toBe("invalid_request");
  });

  it("rejects an expired token with 401 invalid_token and says why in the challenge", async () => {
    const t = await token(key, { exp: Math.floor(Date.now() / 1000) - 600 });
    const r = await call("GET", "/orders", `Bearer ${t}`);
    expect(r.status).toBe(401);
    expect(r.challenge).toMatch(
      /^Bearer error="invalid_token", error_description="the token expired at \d{4}-/,
    );
    expect(r.body).toEqual({
      error: "invalid_token",
      error_description: expect.stringMatching(/^the token expired at/),
    });
    expect(JSON.stringify(r)).not.toContain(t.split(".")[2].slice(0, 20));
  });

  it("rejects a token without the role with 403 insufficient_scope", async () => {
    const r = await call("PUT", "/orders", `Bearer ${await token(key)}`);
    expect(r.status).toBe(403);
    expect(r.challenge).toMatch(
      /^Bearer error="insufficient_scope", error_description="the client .* holds none of the roles 'orders\.write', 'orders\.admin'/,
    );
  });

  it("rejects a delegated token with 403, saying it is a user token", async () => {
    const r = await call("GET", "/orders", `Bearer ${await token(key, { scp: "orders.read" })}`);
    expect(r.status).toBe(403);
    expect(r.body.error_description).toMatch(/user \(delegated\) token/);
  });

  it("chains role checks on one verification, and requires the privileged role with its reason", async () => {
    const writer = await token(key, { roles: ["orders.read", "orders.write"] });
    expect(await call("PUT", "/orders", `Bearer ${writer}`)).toMatchObject({
      status: 200,
      body: { roles: ["orders.read", "orders.write"] },
    });
    expect((await call("POST", "/orders/repair", `Bearer ${writer}`)).status).toBe(403);
    const admin = await token(key, { roles: ["orders.admin"] });
    expect((await call("POST", "/orders/repair", `Bearer ${admin}`)).status).toBe(204);
  });

  it("answers 503 without a challenge while the key set cannot be fetched", async () => {
    const down = await startJwksServer([]);
    const url = down.url;
    await down.close();
    const v = createTokenVerifier({
      tenantId: TENANT,
      audience: API_CLIENT_ID,
      vocabulary: orders,
      jwksUri: url,
    });
    const s = http.createServer((req, res) =>
      requireRoles(v, "orders.read")(req, res, () => res.end("ok")),
    );
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    try {
      const port = (s.address() as AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { authorization: `Bearer ${await token(key)}` },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("www-authenticate")).toBeNull();
      expect(res.headers.get("retry-after")).toBe("30");
      const body = JSON.stringify(await res.json());
      expect(body).toBe(
        '{"error":"temporarily_unavailable","error_description":"the API cannot verify tokens at the moment; retry later"}',
      );
      expect(body).not.toContain("127.0.0.1");
    } finally {
      s.closeAllConnections();
      s.close();
    }
  });

  it("passes a server-side mistake to the error handler, never as a 401/403", async () => {
    const r = await call("GET", "/unprotected", `Bearer ${await token(key)}`);
    expect(r.status).toBe(500);
    expect(r.body.bug).toMatch(
      /no requireRoles\/requireAnyRole middleware of this verifier verified the request/,
    );
  });

  it("works on plain node:http, whose request headers carry the token", async () => {
    const s = http.createServer((req, res) =>
      requireRoles(verifier, "orders.read")(req, res, () =>
        res.end(callerOf(req, verifier).clientId),
      ),
    );
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
      const ok = await fetch(url, { headers: { authorization: `Bearer ${await token(key)}` } });
      expect(await ok.text()).toBe(CLIENT_ID);
      const denied = await fetch(url, {
        headers: { authorization: `Bearer ${await token(key, { roles: ["orders.write"] })}` },
      });
      expect(denied.status).toBe(403);
    } finally {
      s.closeAllConnections();
      s.close();
    }
  });

  it("rejects a middleware for a role outside the vocabulary, or privileged without a reason, at startup", () => {
    const loose = requireRoles as unknown as (...a: unknown[]) => unknown;
    expect(() => loose(verifier, "orders.delete")).toThrow(MachineClientsError);
    expect(() => loose(verifier, "orders.delete")).toThrow(
      /requireRoles: the role is not in the API's vocabulary \(got "orders\.delete"\)/,
    );
    expect(() => loose(verifier, "orders.admin")).toThrow(
      /requireRoles: "orders\.admin" is privileged/,
    );
    expect(() => loose({ verify: "no" }, "orders.read")).toThrow(
      /expects a verifier made by createTokenVerifier/,
    );
    const looseAny = requireAnyRole as unknown as (...a: unknown[]) => unknown;
    expect(() => looseAny(verifier, [])).toThrow(/non-empty array of roles/);
    expect(() => looseAny(verifier, ["orders.read", "orders.admin"])).toThrow(
      /"orders\.admin" is privileged/,
    );
  });
});

describe("bearerErrorResponse", () => {
  const error = (code: ConstructorParameters<typeof AuthorizationError>[0], message: string) =>
    new AuthorizationError(code, message);

  it("maps each status to its RFC 6750 answer, with an optional realm", () => {
    expect(bearerErrorResponse(error("TOKEN_MISSING", "no token"), { realm: "orders" })).toEqual({
      status: 401,
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "WWW-Authenticate": 'Bearer realm="orders"',
      },
      body: { error_description: "no token" },
    });
    expect(bearerErrorResponse(error("SIGNATURE_INVALID", "bad")).headers["WWW-Authenticate"]).toBe(
      'Bearer error="invalid_token", error_description="bad"',
    );
    expect(bearerErrorResponse(error("ROLE_MISSING", "no role")).status).toBe(403);
    expect(bearerErrorResponse(error("AUTHORIZATION_HEADER_MALFORMED", "x")).status).toBe(400);
  });

  it("keeps the challenge a valid quoted string: quotes, backslashes and non-ASCII are replaced", () => {
    const r = bearerErrorResponse(
      error("CLAIM_INVALID", 'a "quoted" \\ value é\r\nSet-Cookie: x=1'),
    );
    expect(r.headers["WWW-Authenticate"]).toBe(
      `Bearer error="invalid_token", error_description="a 'quoted' / value ???Set-Cookie: x=1"`,
    );
  });

  it("answers 500 without details for anything that is not an AuthorizationError, even a look-alike", () => {
    for (const e of [
      new Error("database password is hunter2"),
      { code: "ROLE_MISSING", status: 403, message: "forged" },
    ]) {
      expect(bearerErrorResponse(e)).toEqual({
        status: 500,
        headers: { "Content-Type": "application/json; charset=utf-8" },
        body: { error: "server_error", error_description: "the request could not be authorized" },
      });
    }
  });
});
