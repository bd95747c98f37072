import { SignJWT } from "jose";
import {
  AuthorizationError,
  AuthorizationErrorCode,
  ClientAllowList,
  createTokenVerifier,
  MachineClientsError,
  ScopeVocabulary,
  TokenVerifier,
  TokenVerifierOptions,
  VerifiedCaller,
} from "../../src/verify";
import { orders } from "../../examples/orders-vocabulary";
import {
  API_CLIENT_ID,
  b64,
  CLIENT_ID,
  CLIENT_OID,
  JwksServer,
  OTHER_TENANT,
  SigningKey,
  signingKey,
  startJwksServer,
  TENANT,
  token,
  V1_ISSUER,
  V2_ISSUER,
} from "./entra";

type Orders = typeof orders extends ScopeVocabulary<infer D> ? D : never;

let main: SigningKey;
let next: SigningKey;
let attacker: SigningKey;
let jwks: JwksServer;

beforeAll(async () => {
  [main, next, attacker] = await Promise.all([
    signingKey("key-1"),
    signingKey("key-2"),
    signingKey("attacker"),
  ]);
  jwks = await startJwksServer([main.publicJwk]);
});
afterAll(() => jwks.close());

function verifier(options: Partial<TokenVerifierOptions<Orders>> = {}): TokenVerifier<Orders> {
  return createTokenVerifier({
    tenantId: TENANT,
    audience: API_CLIENT_ID,
    vocabulary: orders,
    jwksUri: jwks.url,
    ...options,
  });
}

/** Expects `verify` to refuse `input` with `code`, and the message to match and not echo the token. */
async function refused(
  v: TokenVerifier,
  input: unknown,
  code: AuthorizationErrorCode,
  message: RegExp,
): Promise<AuthorizationError> {
  let error: unknown;
  try {
    await v.verify(input as string);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AuthorizationError);
  const e = error as AuthorizationError;
  expect({ code: e.code, message: e.message }).toEqual({
    code,
    message: expect.stringMatching(message),
  });
  if (typeof input === "string" && input.length > 40) {
    const jwt = input.replace(/^bearer /i, "");
    for (const part of jwt.split(".").filter((p) => p.length > 20)) {
      expect(e.message).not.toContain(part.slice(0, 20));
    }
  }
  return e;
}

describe("createTokenVerifier — accepts", () => {
  it("accepts an app-only v2 token with a role of the vocabulary and returns the caller", async () => {
    const t = await token(main, { roles: ["orders.read", "orders.write"] });
    const caller = await verifier().verify(`Bearer ${t}`);
    expect(caller).toBeInstanceOf(VerifiedCaller);
    expect(caller.clientId).toBe(CLIENT_ID);
    expect(caller.objectId).toBe(CLIENT_OID);
    expect(caller.tenantId).toBe(TENANT);
    expect(caller.tokenVersion).toBe("2.0");
    expect(caller.roles).toEqual(["orders.read", "orders.write"]);
    expect(caller.ignoredRoles).toEqual([]);
    expect(caller.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(caller.claims.uti).toBe("kZrIXP_Q1EqU8Jz8gS0DAA");
    expect(caller.has("orders.read")).toBe(true);
    expect(caller.has("orders.admin")).toBe(false);
  });

  it("accepts a bare token, any letter case of the Bearer scheme, and idtyp app", async () => {
    const t = await token(main, { idtyp: "app" });
    const v = verifier();
    for (const input of [t, `Bearer ${t}`, `bearer ${t}`, `BEARER ${t}`]) {
      expect((await v.verify(input)).roles).toEqual(["orders.read"]);
    }
  });

  it("maps roles to the vocabulary's spelling ignoring ASCII letter case, as Entra compares them", async () => {
    const t = await token(main, { roles: ["ORDERS.READ", "Orders.Write", "orders.read"] });
    const caller = await verifier().verify(t);
    expect(caller.roles).toEqual(["orders.read", "orders.write"]);
    expect(caller.ignoredRoles).toEqual([]);
  });

  it("counts the old value of a renamed entry as the new one, for tokens issued before the rename", async () => {
    const renamed = ScopeVocabulary.define({
      "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
      "orders.write": { description: "Create and update orders" },
    });
    const v = createTokenVerifier({
      tenantId: TENANT,
      audience: API_CLIENT_ID,
      vocabulary: renamed,
      jwksUri: jwks.url,
    });
    const before = await v.verify(await token(main, { roles: ["orders.read"] }));
    expect(before.roles).toEqual(["orders.view"]);
    expect(before.has("orders.view")).toBe(true);
    const during = await v.verify(await token(main, { roles: ["Orders.Read", "orders.view"] }));
    expect(during.roles).toEqual(["orders.view"]);
    expect(during.ignoredRoles).toEqual([]);
  });

  it("accepts the identifier URI as audience only when it is configured", async () => {
    const t = await token(main, { aud: "api://contoso.example/orders" });
    await refused(verifier(), t, "AUDIENCE_INVALID", /audience \(aud\) is "api:\/\/contoso/);
    const caller = await verifier({ identifierUri: "api://contoso.example/orders" }).verify(t);
    expect(caller.roles).toEqual(["orders.read"]);
  });

  it("tolerates clock skew within the bound, and no more", async () => {
    const now = Math.floor(Date.now() / 1000);
    const late = await token(main, { exp: now - 30 });
    const early = await token(main, { nbf: now + 30, iat: now + 30 });
    expect((await verifier().verify(late)).clientId).toBe(CLIENT_ID);
    expect((await verifier().verify(early)).clientId).toBe(CLIENT_ID);
    await refused(verifier({ clockSkewSeconds: 10 }), late, "TOKEN_EXPIRED", /expired at/);
    await refused(
      verifier({ clockSkewSeconds: 10 }),
      early,
      "TOKEN_NOT_YET_VALID",
      /not valid before/,
    );
  });

  it("accepts a v1 token only when asked to, with the client id from appid", async () => {
    const t = await token(main, { ver: "1.0", iss: V1_ISSUER, azp: undefined, appid: CLIENT_ID });
    await refused(
      verifier(),
      t,
      "TOKEN_VERSION_NOT_ACCEPTED",
      /v1\.0 access token.*acceptV1Tokens/,
    );
    const caller = await verifier({ acceptV1Tokens: true }).verify(t);
    expect({ version: caller.tokenVersion, client: caller.clientId }).toEqual({
      version: "1.0",
      client: CLIENT_ID,
    });
  });
});

describe("createTokenVerifier — rejects each claim wrong or missing", () => {
  const missing: [string, AuthorizationErrorCode, RegExp][] = [
    ["iss", "ISSUER_INVALID", /no issuer/],
    ["aud", "AUDIENCE_INVALID", /no audience/],
    ["exp", "CLAIM_INVALID", /no "exp" claim/],
    ["nbf", "CLAIM_INVALID", /no "nbf" claim/],
    ["iat", "CLAIM_INVALID", /no "iat" claim/],
    ["tid", "CLAIM_INVALID", /no "tid" claim/],
    ["oid", "CLAIM_INVALID", /no "oid" claim/],
    ["sub", "CLAIM_INVALID", /no "sub" claim/],
    ["ver", "CLAIM_INVALID", /no "ver" claim/],
    ["azp", "CLAIM_INVALID", /"azp" claim must be the calling client's id/],
  ];
  it.each(missing)("rejects a token without %s", async (claim, code, message) => {
    await refused(verifier(), await token(main, { [claim]: undefined }), code, message);
  });

  const wrong: [string, Record<string, unknown>, AuthorizationErrorCode, RegExp][] = [
    [
      "an issuer of another tenant",
      { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` },
      "ISSUER_INVALID",
      new RegExp(
        `issuer \\(iss\\) is ".*${OTHER_TENANT}.*", not ${V2_ISSUER.replace(/[./]/g, "\\$&")}`,
      ),
    ],
    [
      "a tid of another tenant",
      { tid: OTHER_TENANT },
      "TENANT_INVALID",
      new RegExp(`tenant \\(tid\\) is "${OTHER_TENANT}", not ${TENANT}`),
    ],
    [
      "the issuer of another identity provider",
      { iss: "https://accounts.example.com/" },
      "ISSUER_INVALID",
      /issuer \(iss\) is "https:\/\/accounts\.example\.com\/"/,
    ],
    [
      "an audience of another API",
      { aud: "00000003-0000-0000-c000-000000000000" },
      "AUDIENCE_INVALID",
      /issued for another API/,
    ],
    [
      "an audience list that includes the API",
      { aud: [API_CLIENT_ID, "00000003-0000-0000-c000-000000000000"] },
      "AUDIENCE_INVALID",
      /single audience/,
    ],
    ["ver 3.0", { ver: "3.0" }, "TOKEN_VERSION_NOT_ACCEPTED", /version \(ver\) is "3\.0"/],
    ["ver 2.0 from the v1 issuer", { iss: V1_ISSUER }, "TOKEN_VERSION_NOT_ACCEPTED", /v1\.0/],
    [
      "an azp that is not a GUID",
      { azp: "billing-sync" },
      "CLAIM_INVALID",
      /"azp" claim.*"billing-sync"/,
    ],
    ["an oid that is not a GUID", { oid: 42 }, "CLAIM_INVALID", /"oid" claim.*\(got 42\)/],
    [
      "roles that are not an array",
      { roles: "orders.read" },
      "CLAIM_INVALID",
      /"roles" claim must be an array/,
    ],
    [
      "roles that are not strings",
      { roles: [["orders.read"]] },
      "CLAIM_INVALID",
      /"roles" claim must be an array of strings/,
    ],
    ["exp that is not a number", { exp: "tomorrow" }, "CLAIM_INVALID", /"exp" claim is invalid/],
    [
      "an iat in the future",
      { iat: Math.floor(Date.now() / 1000) + 600 },
      "TOKEN_NOT_YET_VALID",
      /issued in the future/,
    ],
  ];
  it.each(wrong)("rejects a token with %s", async (_name, claims, code, message) => {
    await refused(verifier(), await token(main, claims), code, message);
  });

  it("rejects an expired token, saying when it expired", async () => {
    const exp = Math.floor(Date.now() / 1000) - 120;
    const e = await refused(verifier(), await token(main, { exp }), "TOKEN_EXPIRED", /expired at/);
    expect(e.message).toContain(new Date(exp * 1000).toISOString());
    expect({ status: e.status, error: e.bearerError }).toEqual({
      status: 401,
      error: "invalid_token",
    });
  });

  it("rejects a token that claims a longer life than Entra gives (28 hours by default)", async () => {
    const iat = Math.floor(Date.now() / 1000) - 60;
    const exp = iat + 29 * 3600;
    const e = await refused(
      verifier(),
      await token(main, { iat, nbf: iat, exp }),
      "TOKEN_LIFETIME_TOO_LONG",
      /claims a lifetime of 104400 s/,
    );
    expect(e.message).toContain("at most 100800 s are accepted");
    expect({ status: e.status, error: e.bearerError }).toEqual({
      status: 401,
      error: "invalid_token",
    });
    // An ordinary 90-minute token passes; a stricter limit refuses it.
    const ordinary = await token(main, { iat, nbf: iat, exp: iat + 5400 });
    await expect(verifier().verify(ordinary)).resolves.toBeDefined();
    await refused(
      verifier({ maxTokenLifetimeSeconds: 3600 }),
      ordinary,
      "TOKEN_LIFETIME_TOO_LONG",
      /at most 3600 s/,
    );
  });

  it("rejects a token that is not yet valid", async () => {
    const nbf = Math.floor(Date.now() / 1000) + 600;
    await refused(
      verifier(),
      await token(main, { nbf }),
      "TOKEN_NOT_YET_VALID",
      /not valid before/,
    );
  });

  it("rejects ver 1.0 from the v2 issuer", async () => {
    const t = await token(main, { ver: "1.0", appid: CLIENT_ID });
    await refused(
      verifier({ acceptV1Tokens: true }),
      t,
      "ISSUER_INVALID",
      /version "1\.0" token must be issued by https:\/\/sts/,
    );
  });

  it("rejects a v1 token without appid even when v1 tokens are accepted", async () => {
    const t = await token(main, { ver: "1.0", iss: V1_ISSUER, azp: undefined });
    await refused(verifier({ acceptV1Tokens: true }), t, "CLAIM_INVALID", /"appid" claim/);
  });
});

describe("createTokenVerifier — rejects delegated tokens (app-only by default)", () => {
  it("rejects a token with scp, saying that it is a user (delegated) token", async () => {
    const t = await token(main, { scp: "orders.read", roles: ["orders.read"] });
    const e = await refused(
      verifier(),
      t,
      "DELEGATED_TOKEN",
      /user \(delegated\) token.*scp "orders\.read".*app-only/,
    );
    expect({ status: e.status, error: e.bearerError }).toEqual({
      status: 403,
      error: "insufficient_scope",
    });
  });

  it("rejects a token with an empty scp", async () => {
    await refused(
      verifier(),
      await token(main, { scp: "" }),
      "DELEGATED_TOKEN",
      /user \(delegated\) token/,
    );
  });

  it("rejects a token whose idtyp is user, even without scp", async () => {
    const t = await token(main, { idtyp: "user" });
    await refused(verifier(), t, "DELEGATED_TOKEN", /identity type \(idtyp\) is "user"/);
  });
});

describe("createTokenVerifier — rejects forged signatures and algorithms", () => {
  it("rejects alg none, with or without a signature part", async () => {
    const header = b64({ alg: "none", typ: "JWT" });
    const body = b64(await claimsOf(main));
    for (const t of [`${header}.${body}.`, `${header}.${body}.${b64("x")}`]) {
      await refused(
        verifier(),
        t,
        "ALGORITHM_NOT_ALLOWED",
        /algorithm \(alg\) is "none"; only RS256/,
      );
    }
  });

  it("rejects HS256 signed with the tenant's public key (key confusion), as PEM and as JWK modulus", async () => {
    const secrets = [main.publicPem, JSON.stringify(main.publicJwk), main.publicJwk.n!];
    for (const secret of secrets) {
      const t = await new SignJWT(await claimsOf(main))
        .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: main.kid })
        .sign(new TextEncoder().encode(secret));
      await refused(verifier(), t, "ALGORITHM_NOT_ALLOWED", /"HS256"; only RS256/);
    }
  });

  it.each(["PS256", "RS384", "RS512", "ES256", "EdDSA"])("rejects alg %s", async (alg) => {
    const t = `${b64({ alg, kid: main.kid })}.${b64(await claimsOf(main))}.${b64("sig")}`;
    await refused(verifier(), t, "ALGORITHM_NOT_ALLOWED", new RegExp(`"${alg}"; only RS256`));
  });

  it("rejects a token signed with another key under the tenant key's id", async () => {
    const t = await token({ ...attacker, kid: main.kid });
    await refused(verifier(), t, "SIGNATURE_INVALID", /signature does not verify/);
  });

  it("rejects a token whose payload was changed after signing", async () => {
    const [h, , s] = (await token(main)).split(".");
    const forged = `${h}.${b64({ ...(await claimsOf(main)), roles: ["orders.admin"] })}.${s}`;
    await refused(verifier(), forged, "SIGNATURE_INVALID", /signature does not verify/);
  });

  it("ignores jwk, jku, x5u and x5c in the header: the key comes from the tenant's key set only", async () => {
    const evil = await startJwksServer([attacker.publicJwk]);
    try {
      const t = await token(
        attacker,
        {},
        {
          jwk: attacker.publicJwk,
          jku: evil.url,
          x5u: evil.url,
          x5c: ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"],
        },
      );
      await refused(
        verifier(),
        t,
        "KEY_NOT_FOUND",
        /no signing key of tenant .* has the key id "attacker"/,
      );
      expect(evil.fetches).toBe(0);
    } finally {
      await evil.close();
    }
  });

  it("rejects a token without a key id", async () => {
    await refused(
      verifier(),
      await token(main, {}, { kid: undefined }),
      "KEY_NOT_FOUND",
      /no key id/,
    );
  });

  it("rejects a critical header extension it does not understand", async () => {
    const header = b64({ alg: "RS256", kid: main.kid, crit: ["x-evil"], "x-evil": 1 });
    const [, body, signature] = (await token(main)).split(".");
    await refused(verifier(), `${header}.${body}.${signature}`, "TOKEN_MALFORMED", /malformed/);
  });
});

describe("createTokenVerifier — rejects malformed and oversized tokens before any key fetch", () => {
  const malformed: [string, string, AuthorizationErrorCode, AuthorizationErrorCode][] = [
    ["a random word", "hello", "TOKEN_MALFORMED", "TOKEN_MALFORMED"],
    ["two parts", "eyJhbGciOiJSUzI1NiJ9.eyJ9", "TOKEN_MALFORMED", "TOKEN_MALFORMED"],
    ["an encrypted token (five parts)", "a.b.c.d.e", "TOKEN_MALFORMED", "TOKEN_MALFORMED"],
    [
      "a header that is not JSON",
      `${b64("not json")}.${b64({})}.${b64("s")}`,
      "TOKEN_MALFORMED",
      "TOKEN_MALFORMED",
    ],
    [
      "a payload that is not JSON",
      `${b64({ alg: "RS256", kid: "key-1" })}.${b64("[1")}.${b64("s")}`,
      "TOKEN_MALFORMED",
      "TOKEN_MALFORMED",
    ],
    // RFC 6750 allows "=" only at the end of a bearer token: a header with it elsewhere is a 400.
    [
      "padding in a part",
      "eyJhbGciOiJSUzI1NiJ9=.eyJ9.c2ln",
      "TOKEN_MALFORMED",
      "AUTHORIZATION_HEADER_MALFORMED",
    ],
  ];
  it.each(malformed)("rejects %s", async (_name, t, code, headerCode) => {
    const counting = await startJwksServer([main.publicJwk]);
    try {
      const v = verifier({ jwksUri: counting.url });
      await refused(v, t, code, /not a signed JWT|malformed|Authorization header/);
      await refused(
        v,
        `Bearer ${t}`,
        headerCode,
        /not a signed JWT|malformed|Authorization header/,
      );
      expect(counting.fetches).toBe(0);
    } finally {
      await counting.close();
    }
  });

  it("rejects an oversized token by its length alone, header or bare", async () => {
    const counting = await startJwksServer([main.publicJwk]);
    try {
      const v = verifier({ jwksUri: counting.url, maxTokenLength: 2048 });
      const big = await token(main, { padding: "x".repeat(3000) });
      await refused(v, big, "TOKEN_TOO_LARGE", /at most 2048 are accepted/);
      await refused(v, `Bearer ${big}`, "TOKEN_TOO_LARGE", /at most 2048/);
      await refused(v, "x".repeat(5_000_000), "TOKEN_TOO_LARGE", /5000000 characters/);
      expect(counting.fetches).toBe(0);
    } finally {
      await counting.close();
    }
  });

  it("answers a missing token, another scheme and a malformed header with their own codes", async () => {
    const v = verifier();
    for (const missing of [undefined, null, ""]) {
      const e = await refused(v, missing, "TOKEN_MISSING", /no Authorization header/);
      expect({ status: e.status, error: e.bearerError }).toEqual({ status: 401, error: null });
    }
    await refused(
      v,
      "Basic dXNlcjpwYXNz",
      "TOKEN_MISSING",
      /"Basic" scheme; send "Bearer <access token>"/,
    );
    for (const header of [
      "Bearer",
      "Bearer ",
      "Bearer  a.b.c",
      "Bearer a.b.c d",
      "Bearer a.b\tc",
      "Bearer é",
    ]) {
      const e = await refused(
        v,
        header,
        "AUTHORIZATION_HEADER_MALFORMED",
        /"Bearer " followed by one token/,
      );
      expect({ status: e.status, error: e.bearerError }).toEqual({
        status: 400,
        error: "invalid_request",
      });
    }
    await refused(v, ["Bearer a.b.c"], "AUTHORIZATION_HEADER_MALFORMED", /one string/);
  });
});

describe("createTokenVerifier — keys: rotation, cooldown, and fail-closed outages", () => {
  it("rejects an unknown kid, then accepts it once the tenant rotates keys, fetching at most once per cooldown", async () => {
    const server = await startJwksServer([main.publicJwk]);
    try {
      const v = verifier({ jwksUri: server.url, keyRefetchCooldownSeconds: 1 });
      await v.verify(await token(main));
      expect(server.fetches).toBe(1);
      const rotated = await token(next);
      // Within the cooldown an unknown kid causes no fetch, however many arrive.
      await Promise.all(
        Array.from({ length: 20 }, () => refused(v, rotated, "KEY_NOT_FOUND", /key id "key-2"/)),
      );
      expect(server.fetches).toBe(1);
      server.setKeys([main.publicJwk, next.publicJwk]);
      await new Promise((r) => setTimeout(r, 1100));
      // After it, concurrent tokens with the new kid share one fetch.
      const callers = await Promise.all(Array.from({ length: 10 }, () => v.verify(rotated)));
      expect(callers.every((c) => c.clientId === CLIENT_ID)).toBe(true);
      expect(server.fetches).toBe(2);
      await refused(v, await token({ ...attacker, kid: "key-3" }), "KEY_NOT_FOUND", /"key-3"/);
      expect(server.fetches).toBe(2);
    } finally {
      await server.close();
    }
  });

  it("stops accepting a key once a refetch no longer lists it (key revoked by the tenant)", async () => {
    const server = await startJwksServer([main.publicJwk, next.publicJwk]);
    try {
      const v = verifier({ jwksUri: server.url, keyRefetchCooldownSeconds: 0 });
      expect((await v.verify(await token(main))).clientId).toBe(CLIENT_ID);
      expect((await v.verify(await token(main))).clientId).toBe(CLIENT_ID);
      server.setKeys([next.publicJwk]);
      // An unknown kid makes the verifier fetch the key set again; key-1 is gone from it.
      await refused(v, await token({ ...attacker, kid: "key-3" }), "KEY_NOT_FOUND", /"key-3"/);
      await refused(v, await token(main), "KEY_NOT_FOUND", /"key-1"/);
      expect((await v.verify(await token(next))).clientId).toBe(CLIENT_ID);
    } finally {
      await server.close();
    }
  });

  it("fails closed when the key set cannot be fetched and no key is cached", async () => {
    const server = await startJwksServer([main.publicJwk]);
    const url = server.url;
    await server.close();
    const e = await refused(
      verifier({ jwksUri: url }),
      await token(main),
      "KEYS_UNAVAILABLE",
      /could not be fetched.*ECONNREFUSED/,
    );
    expect(e.status).toBe(503);
  });

  it("fails closed on a key set that takes longer than the timeout", async () => {
    const server = await startJwksServer([main.publicJwk]);
    try {
      server.setDelay(2000);
      const v = verifier({ jwksUri: server.url, keyFetchTimeoutSeconds: 0.2 });
      await refused(v, await token(main), "KEYS_UNAVAILABLE", /could not be fetched/);
    } finally {
      await server.close();
    }
  });

  it("fails closed on a key set that is not JSON", async () => {
    const http = await import("node:http");
    const server = http.createServer((_req, res) => res.end("<html>maintenance</html>"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as { port: number };
      const v = verifier({ jwksUri: `http://127.0.0.1:${port}/keys` });
      await refused(v, await token(main), "KEYS_UNAVAILABLE", /could not be fetched/);
    } finally {
      server.close();
    }
  });

  it("with cached keys, verifies known kids and fails closed on unknown ones while the key set is down", async () => {
    const server = await startJwksServer([main.publicJwk]);
    const v = verifier({ jwksUri: server.url, keyRefetchCooldownSeconds: 0, keyCacheSeconds: 2 });
    await v.verify(await token(main));
    await server.close();
    // Known kid: the cached key still verifies; a forged signature under it is still refused.
    expect((await v.verify(await token(main))).clientId).toBe(CLIENT_ID);
    await refused(v, await token({ ...attacker, kid: main.kid }), "SIGNATURE_INVALID", /signature/);
    // Unknown kid: a refetch is needed and fails: refused, never accepted unverified.
    await refused(v, await token(next), "KEYS_UNAVAILABLE", /could not be fetched/);
    // Once the cache expires, even known kids are refused until the key set is back.
    await new Promise((r) => setTimeout(r, 2100));
    await refused(v, await token(main), "KEYS_UNAVAILABLE", /could not be fetched/);
  });
});

describe("createTokenVerifier — roles", () => {
  it("ignores roles outside the vocabulary and reports them, never granting them", async () => {
    const t = await token(main, {
      roles: ["orders.read", "orders.delete", "Directory.ReadWrite.All"],
    });
    const caller = await verifier().verify(t);
    expect(caller.roles).toEqual(["orders.read"]);
    expect(caller.ignoredRoles).toEqual([
      { value: "orders.delete", reason: "not-in-vocabulary" },
      { value: "Directory.ReadWrite.All", reason: "not-in-vocabulary" },
    ]);
  });

  it("rejects Unicode look-alikes of vocabulary roles (dotless i, long s, Cyrillic o, fullwidth, zero-width)", async () => {
    const lookalikes = [
      "orders.admın",
      "orderſ.read",
      "оrders.read",
      "ｏrders.read",
      "orders.read\u200b",
    ];
    const t = await token(main, { roles: lookalikes });
    const e = await refused(verifier(), t, "NO_ROLE", /holds no role of this API's vocabulary/);
    expect(e.message).not.toMatch(/[^\x20-\x7e]/);
    expect(e.status).toBe(403);
  });

  it("rejects a token with no role of the vocabulary (403), and one with no roles claim", async () => {
    await refused(
      verifier(),
      await token(main, { roles: ["orders.delete"] }),
      "NO_ROLE",
      /"orders\.delete": not-in-vocabulary/,
    );
    await refused(verifier(), await token(main, { roles: undefined }), "NO_ROLE", /holds no role/);
    await refused(verifier(), await token(main, { roles: [] }), "NO_ROLE", /holds no role/);
  });
});

describe("createTokenVerifier — client allow-list", () => {
  const OTHER_CLIENT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

  it("rejects a client that is not on the list (403), and accepts one that is", async () => {
    const v = verifier({ allowedClients: ClientAllowList.of([CLIENT_ID.toUpperCase()]) });
    expect((await v.verify(await token(main))).clientId).toBe(CLIENT_ID);
    const e = await refused(
      v,
      await token(main, { azp: OTHER_CLIENT }),
      "CLIENT_NOT_ALLOWED",
      new RegExp(OTHER_CLIENT),
    );
    expect(e.status).toBe(403);
  });

  it("grants a client only the roles the manifest grants it; others are ignored and reported", async () => {
    const manifest = JSON.stringify({
      schemaVersion: 1,
      stack: "orders",
      clients: [
        {
          displayName: "billing-sync",
          path: "orders/BillingSync",
          grants: [
            {
              api: "api://contoso.example/orders",
              identifierUri: "api://contoso.example/orders",
              scope: "orders.read",
              roleId: "x",
              privileged: false,
            },
          ],
        },
        {
          displayName: "reporting",
          path: "orders/Reporting",
          grants: [
            {
              api: "api://contoso.example/other",
              identifierUri: "api://contoso.example/other",
              scope: "x.read",
              roleId: "y",
              privileged: false,
            },
          ],
        },
      ],
    });
    const list = ClientAllowList.fromManifest(manifest, {
      api: "api://contoso.example/orders",
      clientIds: { "billing-sync": CLIENT_ID },
    });
    expect(list.clientIds).toEqual([CLIENT_ID]);
    expect(list.rolesOf(CLIENT_ID)).toEqual(["orders.read"]);
    const v = verifier({ allowedClients: list });
    const caller = await v.verify(await token(main, { roles: ["orders.read", "orders.admin"] }));
    expect(caller.roles).toEqual(["orders.read"]);
    expect(caller.ignoredRoles).toEqual([
      { value: "orders.admin", reason: "not-granted-to-client" },
    ]);
    await refused(
      v,
      await token(main, { roles: ["orders.admin"] }),
      "NO_ROLE",
      /"orders\.admin": not-granted-to-client/,
    );
    await refused(
      v,
      await token(main, { azp: OTHER_CLIENT }),
      "CLIENT_NOT_ALLOWED",
      /not on this API's list/,
    );
  });

  it("rejects a manifest that is not one, a granted client without an id, and an id for an unknown client", () => {
    const manifest = {
      schemaVersion: 1,
      stack: "s",
      clients: [
        {
          displayName: "billing-sync",
          path: "s/B",
          grants: [{ api: "api://a", identifierUri: "api://a", scope: "orders.read" }],
        },
      ],
    };
    const from = (m: unknown, clientIds: Record<string, string>) => () =>
      ClientAllowList.fromManifest(m, { api: "api://a", clientIds });
    expect(from("{not json", { "billing-sync": CLIENT_ID })).toThrow(
      /machine-clients\.json is not JSON/,
    );
    expect(from({ ...manifest, schemaVersion: 2 }, {})).toThrow(
      /schemaVersion must be 1 \(got 2\)/,
    );
    expect(from({ ...manifest, clients: [{ displayName: 1 }] }, {})).toThrow(
      /clients\[0\]\.displayName must be a string/,
    );
    expect(from(manifest, {})).toThrow(
      /grants "billing-sync" \(s\/B\) "orders\.read" on api:\/\/a, but clientIds has no id for it/,
    );
    expect(from(manifest, { "billing-sync": CLIENT_ID, ghost: CLIENT_OID })).toThrow(
      /clientIds names "ghost", which no manifest grants/,
    );
    expect(from(manifest, { "billing-sync": "not-a-guid" })).toThrow(
      /a client id must be a GUID .* \(got "not-a-guid"\)/,
    );
    expect(() => ClientAllowList.of([])).toThrow(MachineClientsError);
    expect(() =>
      verifier({
        allowedClients: ClientAllowList.fromManifest(
          {
            ...manifest,
            clients: [
              {
                ...manifest.clients[0],
                grants: [{ api: "api://a", identifierUri: "api://a", scope: "orders.delete" }],
              },
            ],
          },
          { api: "api://a", clientIds: { "billing-sync": CLIENT_ID } },
        ),
      }),
    ).toThrow(/grants client .* "orders\.delete", which the vocabulary does not declare/);
  });
});

describe("VerifiedCaller — typed checks at run time", () => {
  let caller: VerifiedCaller<Orders>;
  beforeAll(async () => {
    caller = await verifier().verify(await token(main, { roles: ["orders.read", "orders.admin"] }));
  });

  it("passes require() for a held role and refuses a missing one with 403 ROLE_MISSING", () => {
    expect(() => caller.require("orders.read")).not.toThrow();
    expect(() =>
      caller.require("orders.admin", { reason: "bulk repair rewrites any order" }),
    ).not.toThrow();
    let e: unknown;
    try {
      caller.require("orders.write");
    } catch (x) {
      e = x;
    }
    expect(e).toMatchObject({
      code: "ROLE_MISSING",
      status: 403,
      bearerError: "insufficient_scope",
    });
    expect((e as Error).message).toMatch(
      /does not hold the role "orders\.write"; its token carries "orders\.admin", "orders\.read"/,
    );
  });

  it("returns the first held role of requireAny(), and refuses when none is held", () => {
    expect(caller.requireAny(["orders.write", "orders.read"])).toBe("orders.read");
    expect(
      caller.requireAny(["orders.admin", "orders.read"], {
        reason: "bulk repair rewrites any order",
      }),
    ).toBe("orders.admin");
    expect(() => caller.requireAny(["orders.write"])).toThrow(
      /holds none of the roles "orders\.write"/,
    );
  });

  it("rejects a role outside the vocabulary or a privileged role without a reason, even through casts", () => {
    const loose = caller as unknown as {
      require(r: string, o?: unknown): void;
      requireAny(r: unknown, o?: unknown): string;
    };
    expect(() => loose.require("orders.delete")).toThrow(MachineClientsError);
    expect(() => loose.require("orders.delete")).toThrow(
      /the role is not in the API's vocabulary \(got "orders\.delete"\)/,
    );
    expect(() => loose.require("Orders.Read")).toThrow(/not in the API's vocabulary/);
    expect(() => loose.require("orders.admin")).toThrow(
      /"orders\.admin" is privileged and can only be required with a reason/,
    );
    expect(() => loose.require("orders.admin", { reason: "too short" })).toThrow(
      /reason of at least 20/,
    );
    expect(() => loose.require("orders.admin", { reason: 42 })).toThrow(/reason must be a string/);
    expect(() => loose.requireAny(["orders.read", "orders.admin"])).toThrow(
      /"orders\.admin" is privileged/,
    );
    expect(() => loose.requireAny([])).toThrow(/non-empty array of roles/);
  });

  it("is frozen: roles, claims and the caller cannot be changed, nor a caller made by hand", () => {
    expect(Object.isFrozen(caller)).toBe(true);
    expect(() => (caller.roles as string[]).push("orders.write")).toThrow(TypeError);
    expect(() =>
      ((caller.claims as Record<string, unknown>).roles as string[]).push("orders.write"),
    ).toThrow(TypeError);
    expect(() => ((caller as unknown as { clientId: string }).clientId = "x")).toThrow(TypeError);
    expect(() => caller.require("orders.write")).toThrow(AuthorizationError);
    const expires = caller.expiresAt.getTime();
    caller.expiresAt.setTime(Date.now() + 365 * 86400_000);
    expect(caller.expiresAt.getTime()).toBe(expires);
    const Ctor = VerifiedCaller as unknown as new (...a: unknown[]) => unknown;
    expect(() => new Ctor(Symbol("x"), orders, { roles: ["orders.write"] })).toThrow(
      /made by TokenVerifier\.verify only/,
    );
  });
});

describe("createTokenVerifier — options", () => {
  const base = { tenantId: TENANT, audience: API_CLIENT_ID, vocabulary: orders };
  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      "a tenant that is not a GUID",
      { tenantId: "contoso.onmicrosoft.com" },
      /tenantId must be the tenant \(directory\) id, a GUID \(got "contoso\.onmicrosoft\.com"\)/,
    ],
    [
      "an audience that is the identifier URI",
      { audience: "api://contoso.example/orders" },
      /audience must be the API's application \(client\) id, a GUID/,
    ],
    [
      "a vocabulary that is a plain object",
      { vocabulary: { values: ["orders.read"], has: () => true } },
      /vocabulary must be a ScopeVocabulary/,
    ],
    ["an unknown option (a typo)", { audiance: API_CLIENT_ID }, /unknown option "audiance"/],
    [
      "a clock skew above 300 seconds",
      { clockSkewSeconds: 3600 },
      /clockSkewSeconds must be a number from 0 to 300 \(got 3600\)/,
    ],
    [
      "a negative clock skew",
      { clockSkewSeconds: -1 },
      /clockSkewSeconds must be a number from 0 to 300/,
    ],
    [
      "a JWKS over plain HTTP off the loopback",
      { jwksUri: "http://keys.example.com/keys" },
      /jwksUri must be an https URL \(http only on a loopback address\)/,
    ],
    [
      "a JWKS URL with credentials",
      { jwksUri: "https://u:p@keys.example.com/keys" },
      /without credentials/,
    ],
    [
      "a JWKS on a look-alike loopback host",
      { jwksUri: "http://127.0.0.1.evil.example/keys" },
      /jwksUri must be an https URL/,
    ],
    [
      "acceptV1Tokens that is not a boolean",
      { acceptV1Tokens: "yes" },
      /acceptV1Tokens must be true or false/,
    ],
    [
      "an identifier URI with whitespace",
      { identifierUri: "api://x y" },
      /identifierUri must be a URI/,
    ],
    [
      "a maximum token length too small",
      { maxTokenLength: 10 },
      /maxTokenLength must be a number from 1024/,
    ],
    [
      "a maximum token lifetime above a week",
      { maxTokenLifetimeSeconds: 700000 },
      /maxTokenLifetimeSeconds must be a number from 300/,
    ],
    [
      "an allow-list that is an array",
      { allowedClients: [CLIENT_ID] },
      /allowedClients must be a ClientAllowList/,
    ],
  ];
  it.each(bad)("rejects %s", (_name, change, message) => {
    let error: unknown;
    try {
      createTokenVerifier({ ...base, ...change } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MachineClientsError);
    expect((error as Error).message).toMatch(message);
  });

  it("reads each option once: a getter cannot swap the tenant after the checks", async () => {
    let reads = 0;
    const options = { ...base, jwksUri: jwks.url };
    Object.defineProperty(options, "tenantId", {
      enumerable: true,
      get: () => (reads++ === 0 ? TENANT : OTHER_TENANT),
    });
    const v = createTokenVerifier(options);
    expect((await v.verify(await token(main))).tenantId).toBe(TENANT);
    expect(Object.isFrozen(v)).toBe(true);
  });
});

async function claimsOf(_key: SigningKey): Promise<Record<string, unknown>> {
  const { appClaims } = await import("./entra");
  return appClaims();
}
