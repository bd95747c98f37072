// A stand-in for Entra ID in tests: real RSA keys, a JWKS served over real HTTP on 127.0.0.1,
// and access tokens signed with jose the way Entra signs them (RS256, kid in the header).
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type KeyLike } from "jose";

export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const OTHER_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
export const API_CLIENT_ID = "c3a7e0a1-5b8e-4c7f-9d1e-2f3a4b5c6d7e";
export const CLIENT_ID = "0d5c2a1b-9e8f-4a3b-8c7d-6e5f4a3b2c1d";
export const CLIENT_OID = "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0";
export const V2_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
export const V1_ISSUER = `https://sts.windows.net/${TENANT}/`;

/** An RSA signing key with its id, as in a tenant's key set. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicJwk: JWK;
  readonly publicPem: string;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    kid,
    privateKey,
    publicJwk: { ...jwk, kid, use: "sig" },
    publicPem: await exportSPKI(publicKey),
  };
}

/** A JWKS endpoint on 127.0.0.1 that counts its fetches; its keys can be rotated. */
export interface JwksServer {
  readonly url: string;
  /** Requests served so far. */
  readonly fetches: number;
  setKeys(keys: readonly JWK[]): void;
  /** Delays each answer (to test the fetch timeout). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly JWK[]): Promise<JwksServer> {
  let current = keys;
  let fetches = 0;
  let delay = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    const answer = () => {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ keys: current }));
    };
    if (delay > 0) setTimeout(answer, delay).unref();
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${TENANT}/discovery/v2.0/keys`,
    get fetches() {
      return fetches;
    },
    setKeys: (k) => {
      current = k;
    },
    setDelay: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The claims of an app-only v2 access token for the test API, as Entra issues them. */
export function appClaims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    aud: API_CLIENT_ID,
    iss: V2_ISSUER,
    iat: now - 10,
    nbf: now - 10,
    exp: now + 3600,
    aio: "E2ZgYJh0+u3/rw8AAA==",
    azp: CLIENT_ID,
    azpacr: "1",
    oid: CLIENT_OID,
    rh: "0.AXEAv4j5cvGGr0GRqy180BHbRw.",
    roles: ["orders.read"],
    sub: CLIENT_OID,
    tid: TENANT,
    uti: "kZrIXP_Q1EqU8Jz8gS0DAA",
    ver: "2.0",
  };
}

/**
 * Signs a token with `key`. `claims` change the default app-only claims; a claim set to
 * `undefined` is removed. `header` adds to or replaces the protected header.
 */
export async function token(
  key: SigningKey,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload: Record<string, unknown> = { ...appClaims(), ...claims };
  for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid, ...header } as { alg: string })
    .sign(key.privateKey);
}

/** base64url of a JSON value, for hand-built hostile tokens. */
export function b64(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString(
    "base64url",
  );
}
