import { readGuarded } from "../read-once";
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWSHeaderParameters,
  type JWTPayload,
} from "jose";
import { fail } from "../errors";
import { ScopeDefinitions, ScopeVocabulary } from "../vocabulary/scope-vocabulary";
import { ClientAllowList } from "./allow-list";
import { IgnoredRole, VerifiedCaller, makeCaller } from "./caller";
import { AuthorizationError, shown } from "./errors";
import { isUuid as isGuid } from "../vocabulary/role-id";

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions<D extends ScopeDefinitions> {
  /** The API's tenant (directory) id, a GUID: the only issuer whose tokens are accepted. */
  readonly tenantId: string;
  /** The API's application (client) id, a GUID: the `aud` of its v2 access tokens. */
  readonly audience: string;
  /** The roles this API checks: the same vocabulary that declares its app roles. */
  readonly vocabulary: ScopeVocabulary<D>;
  /**
   * The API's identifier URI (e.g. `api://contoso.example/orders`), accepted as `aud` besides the
   * client id. Entra puts the URI in `aud` of v1 tokens requested for it.
   * @default only the client id is accepted
   */
  readonly identifierUri?: string;
  /**
   * The client applications allowed to call, optionally each with the roles it may hold (see
   * {@link ClientAllowList.fromManifest}).
   * @default every client that Entra issued a token with a role of the vocabulary to
   */
  readonly allowedClients?: ClientAllowList;
  /**
   * Accept v1.0 access tokens (issuer `https://sts.windows.net/<tenant>/`, client id in `appid`).
   * An API declared with `ProtectedApi` gets v2 tokens; set this only for an API that still
   * requests v1 tokens.
   * @default false
   */
  readonly acceptV1Tokens?: boolean;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds, 0 to 300. @default 60 */
  readonly clockSkewSeconds?: number;
  /**
   * The longest token accepted, in characters (1,024 to 65,536); longer ones are refused before
   * any decoding or cryptography.
   * @default 8192
   */
  readonly maxTokenLength?: number;
  /**
   * The longest lifetime accepted, `exp - iat`, in seconds (300 to 604,800). Entra's access tokens
   * live 60 to 90 minutes, and at most 28 hours where continuous access evaluation applies: a token
   * that claims a longer life (a far-future `exp` signed with a stolen key, or a forged clock) is
   * refused even before it expires.
   * @default 100800 (28 hours)
   */
  readonly maxTokenLifetimeSeconds?: number;
  /**
   * Where the tenant's signing keys are fetched from. HTTPS, or HTTP on a loopback address only
   * (for tests and local key mirrors).
   * @default `https://login.microsoftonline.com/<tenantId>/discovery/v2.0/keys`
   */
  readonly jwksUri?: string;
  /** How long fetched keys are used before they are fetched again, in seconds. @default 3600 */
  readonly keyCacheSeconds?: number;
  /**
   * The least time between two fetches, in seconds: a token whose key id is unknown makes the
   * verifier fetch the keys again (key rotation) at most once per this interval.
   * @default 30
   */
  readonly keyRefetchCooldownSeconds?: number;
  /** How long a key fetch may take, in seconds, before the request is refused (503). @default 5 */
  readonly keyFetchTimeoutSeconds?: number;
}

/** Verifies the access tokens that callers of one API send. Made by {@link createTokenVerifier}. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface TokenVerifier<D extends ScopeDefinitions = any> {
  /** The vocabulary the verifier checks roles against. */
  readonly vocabulary: ScopeVocabulary<D>;
  /**
   * Verifies an `Authorization` header value (`Bearer <token>`) or a bare token, and returns the
   * calling application with the vocabulary's roles it holds.
   * @throws AuthorizationError with the code, HTTP status and RFC 6750 error of the refusal
   */
  verify(authorization: string | null | undefined): Promise<VerifiedCaller<D>>;
}

const OPTION_KEYS = new Set([
  "tenantId",
  "audience",
  "vocabulary",
  "identifierUri",
  "allowedClients",
  "acceptV1Tokens",
  "clockSkewSeconds",
  "maxTokenLength",
  "maxTokenLifetimeSeconds",
  "jwksUri",
  "keyCacheSeconds",
  "keyRefetchCooldownSeconds",
  "keyFetchTimeoutSeconds",
]);
const WHERE = "createTokenVerifier";
/** A JWS in compact serialization: three base64url parts, the signature possibly empty. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** RFC 6750 §2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Claims every Entra access token carries; a token without one is refused. */
const REQUIRED_CLAIMS = ["iss", "aud", "exp", "nbf", "iat", "tid", "oid", "sub", "ver"];

/**
 * Creates a verifier for app-only Entra ID access tokens sent to one API, typed by the API's
 * vocabulary. Tokens are checked with `jose`: RS256 signature with the tenant's keys (cached,
 * fetched again on an unknown key id at most once per cooldown), issuer and `tid`, audience,
 * `exp`/`nbf`/`iat` with a bounded clock skew, `ver`, and app-only (a delegated token is refused).
 * Roles the vocabulary does not declare are ignored and reported, never granted.
 *
 * @example
 * const verifier = createTokenVerifier({ tenantId, audience: apiClientId, vocabulary: orders });
 * const caller = await verifier.verify(req.headers.authorization);
 * caller.require("orders.read");
 * @throws MachineClientsError when an option is invalid
 */
export function createTokenVerifier<D extends ScopeDefinitions>(
  options: TokenVerifierOptions<D>,
): TokenVerifier<D> {
  const config = readOptions(options);
  const { tenantId, vocabulary, allowedClients, acceptV1Tokens, clockSkewSeconds, maxTokenLength } =
    config;
  const { maxTokenLifetimeSeconds } = config;
  const v2Issuer = `https://login.microsoftonline.com/${tenantId}/v2.0`;
  const v1Issuer = `https://sts.windows.net/${tenantId}/`;
  const audiences = [config.audience, ...(config.identifierUri ? [config.identifierUri] : [])];
  // Roles are matched ignoring ASCII letter case, as Entra compares app role values; the vocabulary
  // cannot hold two values that differ only in case, so the match is unambiguous. The old value of
  // a renamed entry (renamedFrom) is the same permission: tokens issued before the rename carry
  // only it, so it counts as the new value (no two entries can claim one old value).
  const byFolded = new Map<string, string>(
    vocabulary.scopes.flatMap((s) => [
      [foldAscii(s.value), s.value] as const,
      ...(s.renamedFrom ? [[foldAscii(s.renamedFrom.value), s.value] as const] : []),
    ]),
  );

  const remoteKeys = createRemoteJWKSet(new URL(config.jwksUri), {
    cacheMaxAge: config.keyCacheSeconds * 1000,
    cooldownDuration: config.keyRefetchCooldownSeconds * 1000,
    timeoutDuration: config.keyFetchTimeoutSeconds * 1000,
  });
  // The key of each kid that jose resolved, kept only while jose's cache is fresh: jose resolves
  // a key through four async layers on every call (a sixth of a verification), this is a Map
  // lookup. Any miss goes to jose (which may fetch the key set again) and clears the memo, and a
  // key resolved by a call that started before a later miss is not kept, so a key that a
  // refetch removed is never served from here.
  const memo = new Map<string, Awaited<ReturnType<typeof remoteKeys>>>();
  let generation = 0;
  const resolveKey = async (kid: string) => {
    memo.clear();
    const started = ++generation;
    try {
      const key = await remoteKeys({ alg: "RS256", kid });
      if (generation === started) memo.set(kid, key);
      return key;
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) {
        throw new AuthorizationError(
          "KEY_NOT_FOUND",
          `no signing key of tenant ${tenantId} has the key id ${shown(kid)}`,
        );
      }
      throw new AuthorizationError(
        "KEYS_UNAVAILABLE",
        `the tenant's signing keys could not be fetched (${shown(errorText(e))}); the token is refused until they can`,
      );
    }
  };
  // jose calls this only for an allowed algorithm (RS256). Only the key id selects a key, and
  // only from the tenant's key set: `jku`, `x5u`, `jwk` and `x5c` in the header are never read.
  const keyFor = (header: JWSHeaderParameters) => {
    const kid = header.kid;
    if (typeof kid !== "string" || kid.length === 0) {
      throw new AuthorizationError("KEY_NOT_FOUND", "the token's header has no key id (kid)");
    }
    const known = remoteKeys.fresh ? memo.get(kid) : undefined;
    return known ?? resolveKey(kid);
  };

  const verify = async (authorization: string | null | undefined): Promise<VerifiedCaller<D>> => {
    const token = tokenOf(authorization, maxTokenLength);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keyFor, {
        algorithms: ["RS256"],
        // Both issuers pass here so that a v1 token is refused below with a message that says so.
        issuer: [v2Issuer, v1Issuer],
        audience: audiences,
        clockTolerance: clockSkewSeconds,
        requiredClaims: REQUIRED_CLAIMS,
      }));
    } catch (e) {
      throw refusal(e, token, v2Issuer, audiences, clockSkewSeconds);
    }
    return callerOf(payload);
  };

  const callerOf = (payload: JWTPayload): VerifiedCaller<D> => {
    const claimError = (claim: string, problem: string) =>
      new AuthorizationError("CLAIM_INVALID", `the token's "${claim}" claim ${problem}`);
    const version = payload.iss === v1Issuer ? "1.0" : "2.0";
    if (payload.ver !== "1.0" && payload.ver !== "2.0") {
      throw new AuthorizationError(
        "TOKEN_VERSION_NOT_ACCEPTED",
        `the token's version (ver) is ${shown(payload.ver)}; only Entra ID access tokens of version 2.0 are accepted`,
      );
    }
    if (version === "1.0" || payload.ver === "1.0") {
      if (!acceptV1Tokens) {
        throw new AuthorizationError(
          "TOKEN_VERSION_NOT_ACCEPTED",
          `the token is a v1.0 access token (ver ${shown(payload.ver)}, issuer ${shown(payload.iss)}); this API accepts v2.0 tokens only. Set the API's requestedAccessTokenVersion to 2 (ProtectedApi does), or acceptV1Tokens.`,
        );
      }
    }
    if (payload.ver !== version) {
      throw new AuthorizationError(
        "ISSUER_INVALID",
        `a version ${shown(payload.ver)} token must be issued by ${payload.ver === "2.0" ? v2Issuer : v1Issuer} (got ${shown(payload.iss)})`,
      );
    }
    if (typeof payload.iat === "number" && payload.iat > Date.now() / 1000 + clockSkewSeconds) {
      throw new AuthorizationError(
        "TOKEN_NOT_YET_VALID",
        `the token was issued in the future, at ${dateOf(payload.iat)} (clock skew tolerated: ${clockSkewSeconds} s)`,
      );
    }
    if (
      typeof payload.iat === "number" &&
      typeof payload.exp === "number" &&
      payload.exp - payload.iat > maxTokenLifetimeSeconds
    ) {
      throw new AuthorizationError(
        "TOKEN_LIFETIME_TOO_LONG",
        `the token claims a lifetime of ${Math.round(payload.exp - payload.iat)} s (issued ${dateOf(payload.iat)}, expires ${dateOf(payload.exp)}); at most ${maxTokenLifetimeSeconds} s are accepted`,
      );
    }
    if (typeof payload.tid !== "string" || payload.tid.toLowerCase() !== tenantId) {
      throw new AuthorizationError(
        "TENANT_INVALID",
        `the token's tenant (tid) is ${shown(payload.tid)}, not ${tenantId}`,
      );
    }
    if (typeof payload.aud !== "string") {
      throw new AuthorizationError(
        "AUDIENCE_INVALID",
        `the token must have a single audience (aud), ${audiences.join(" or ")} (got ${shown(payload.aud)})`,
      );
    }
    if (payload.scp !== undefined) {
      throw new AuthorizationError(
        "DELEGATED_TOKEN",
        `this is a user (delegated) token: it carries delegated scopes (scp ${shown(payload.scp)}). This API accepts only app-only tokens that a client gets with the client credentials flow.`,
      );
    }
    if (payload.idtyp !== undefined && payload.idtyp !== "app") {
      throw new AuthorizationError(
        "DELEGATED_TOKEN",
        `this is a user (delegated) token: its identity type (idtyp) is ${shown(payload.idtyp)}, not "app". This API accepts only app-only tokens that a client gets with the client credentials flow.`,
      );
    }
    const clientClaim = version === "2.0" ? "azp" : "appid";
    const clientId: unknown = payload[clientClaim];
    if (!isGuid(clientId)) {
      throw claimError(
        clientClaim,
        `must be the calling client's id, a GUID (got ${shown(clientId)})`,
      );
    }
    if (!isGuid(payload.oid)) {
      throw claimError(
        "oid",
        `must be the calling service principal's object id, a GUID (got ${shown(payload.oid)})`,
      );
    }
    const rolesClaim: unknown = payload.roles ?? [];
    if (!Array.isArray(rolesClaim) || !rolesClaim.every((r) => typeof r === "string")) {
      throw claimError("roles", `must be an array of strings (got ${shown(rolesClaim)})`);
    }
    const client = clientId.toLowerCase();
    const ceiling = allowedClients?.rolesOf(client);
    if (allowedClients && ceiling === undefined) {
      throw new AuthorizationError(
        "CLIENT_NOT_ALLOWED",
        `the client ${client} is not on this API's list of allowed clients`,
      );
    }
    const roles = new Set<string>();
    const ignored: IgnoredRole[] = [];
    for (const role of rolesClaim as string[]) {
      const value = byFolded.get(foldAscii(role));
      if (value === undefined) {
        ignored.push({ value: shown(role).slice(1, -1), reason: "not-in-vocabulary" });
      } else if (ceiling && !ceiling.includes(value)) {
        ignored.push({ value, reason: "not-granted-to-client" });
      } else {
        roles.add(value);
      }
    }
    if (roles.size === 0) {
      const others = ignored.length
        ? ` (it carries ${ignored.map((r) => `"${r.value}": ${r.reason}`).join(", ")})`
        : "";
      throw new AuthorizationError(
        "NO_ROLE",
        `the client ${client} holds no role of this API's vocabulary${others}. Grant it one (api.grant(...)).`,
      );
    }
    return makeCaller(vocabulary, {
      clientId: client,
      objectId: (payload.oid as string).toLowerCase(),
      tenantId,
      tokenVersion: version,
      roles: [...roles].sort(),
      ignoredRoles: ignored,
      expiresAtSeconds: payload.exp as number,
      claims: payload as Record<string, unknown>,
    });
  };

  return Object.freeze({ vocabulary, verify });
}

/** Lower-cases ASCII letters only: `K` (Kelvin sign) and other look-alikes never fold into ASCII. */
function foldAscii(value: string): string {
  return value.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Extracts the token from an Authorization header value or a bare token, before any decoding. */
function tokenOf(authorization: unknown, maxTokenLength: number): string {
  if (authorization === undefined || authorization === null || authorization === "") {
    throw new AuthorizationError("TOKEN_MISSING", "the request has no Authorization header");
  }
  if (typeof authorization !== "string") {
    throw new AuthorizationError(
      "AUTHORIZATION_HEADER_MALFORMED",
      "the Authorization header must be one string",
    );
  }
  if (authorization.length > maxTokenLength + 7) {
    throw new AuthorizationError(
      "TOKEN_TOO_LARGE",
      `the token is ${authorization.length} characters; at most ${maxTokenLength} are accepted`,
    );
  }
  let token = authorization;
  let compact: boolean | undefined;
  const space = authorization.indexOf(" ");
  if (space >= 0 || /^bearer$/i.test(authorization)) {
    const scheme = space >= 0 ? authorization.slice(0, space) : authorization;
    if (scheme.toLowerCase() !== "bearer") {
      throw new AuthorizationError(
        "TOKEN_MISSING",
        `the Authorization header uses the ${shown(scheme.slice(0, 20))} scheme; send "Bearer <access token>"`,
      );
    }
    token = space >= 0 ? authorization.slice(space + 1) : "";
    // One scan for the common case; the b64token scan only tells a 400 from a 401.
    compact = COMPACT_JWS.test(token);
    if (!compact && !B64TOKEN.test(token)) {
      throw new AuthorizationError(
        "AUTHORIZATION_HEADER_MALFORMED",
        'the Authorization header must be "Bearer " followed by one token (RFC 6750)',
      );
    }
  }
  if (token.length > maxTokenLength) {
    throw new AuthorizationError(
      "TOKEN_TOO_LARGE",
      `the token is ${token.length} characters; at most ${maxTokenLength} are accepted`,
    );
  }
  if (!(compact ?? COMPACT_JWS.test(token))) {
    throw new AuthorizationError(
      "TOKEN_MALFORMED",
      "the token is not a signed JWT (three base64url parts separated by dots)",
    );
  }
  // jose reads the header before it looks up a key, but the payload only after the signature:
  // decode it first so that a malformed payload costs no key fetch and no cryptography.
  try {
    decodeJwt(token);
  } catch (e) {
    throw new AuthorizationError(
      "TOKEN_MALFORMED",
      `the token is malformed: ${e instanceof errors.JOSEError ? e.message : "undecodable"}`,
    );
  }
  return token;
}

/** Maps a jose error (or ours, from the key lookup) to the refusal. */
function refusal(
  e: unknown,
  token: string,
  v2Issuer: string,
  audiences: readonly string[],
  skew: number,
): AuthorizationError {
  if (AuthorizationError.isAuthorizationError(e)) return e;
  const payload = (e as { payload?: JWTPayload }).payload ?? {};
  if (e instanceof errors.JWTExpired) {
    return new AuthorizationError(
      "TOKEN_EXPIRED",
      `the token expired at ${dateOf(payload.exp)} (clock skew tolerated: ${skew} s)`,
    );
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    const missing = e.reason === "missing";
    switch (e.claim) {
      case "iss":
        return new AuthorizationError(
          "ISSUER_INVALID",
          missing
            ? "the token has no issuer (iss)"
            : `the token's issuer (iss) is ${shown(payload.iss)}, not ${v2Issuer}`,
        );
      case "aud":
        return new AuthorizationError(
          "AUDIENCE_INVALID",
          missing
            ? "the token has no audience (aud)"
            : `the token's audience (aud) is ${shown(payload.aud)}, not ${audiences.join(" or ")}: it was issued for another API`,
        );
      case "nbf":
        if (!missing) {
          return new AuthorizationError(
            "TOKEN_NOT_YET_VALID",
            `the token is not valid before ${dateOf(payload.nbf)} (clock skew tolerated: ${skew} s)`,
          );
        }
        break;
      case "iat":
        if (!missing && typeof payload.iat === "number") {
          return new AuthorizationError(
            "TOKEN_NOT_YET_VALID",
            `the token was issued in the future, at ${dateOf(payload.iat)}`,
          );
        }
        break;
    }
    return new AuthorizationError(
      "CLAIM_INVALID",
      missing
        ? `the token has no "${e.claim}" claim, which every Entra ID access token carries`
        : `the token's "${e.claim}" claim is invalid (${e.message})`,
    );
  }
  if (e instanceof errors.JOSEAlgNotAllowed) {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      alg = undefined;
    }
    return new AuthorizationError(
      "ALGORITHM_NOT_ALLOWED",
      `the token's algorithm (alg) is ${shown(alg)}; only RS256, as Entra ID signs, is accepted`,
    );
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthorizationError(
      "SIGNATURE_INVALID",
      "the token's signature does not verify with the tenant's key",
    );
  }
  if (e instanceof errors.JOSEError) {
    return new AuthorizationError("TOKEN_MALFORMED", `the token is malformed: ${e.message}`);
  }
  // Anything else (e.g. a key that jose refuses to use): fail closed.
  return new AuthorizationError(
    "SIGNATURE_INVALID",
    `the token could not be verified (${shown(errorText(e))})`,
  );
}

function dateOf(seconds: unknown): string {
  return typeof seconds === "number" && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString()
    : shown(seconds);
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" && !code.startsWith("ERR_JOSE")
      ? `${code}: ${e.message}`
      : e.message;
  }
  return String(e);
}

interface Config<D extends ScopeDefinitions> {
  readonly tenantId: string;
  readonly audience: string;
  readonly vocabulary: ScopeVocabulary<D>;
  readonly identifierUri?: string;
  readonly allowedClients?: ClientAllowList;
  readonly acceptV1Tokens: boolean;
  readonly clockSkewSeconds: number;
  readonly maxTokenLength: number;
  readonly maxTokenLifetimeSeconds: number;
  readonly jwksUri: string;
  readonly keyCacheSeconds: number;
  readonly keyRefetchCooldownSeconds: number;
  readonly keyFetchTimeoutSeconds: number;
}

/** Reads every option once into a frozen snapshot, checking each. */
function readOptions<D extends ScopeDefinitions>(options: TokenVerifierOptions<D>): Config<D> {
  if (typeof options !== "object" || options === null) {
    fail(
      "VERIFIER_OPTIONS_INVALID",
      WHERE,
      "options must be an object",
      options,
      "Pass { tenantId, audience, vocabulary }.",
    );
  }
  // Read once (each own option, by one spread); a throwing getter is a MachineClientsError.
  const o = readGuarded(WHERE, "options", () => ({ ...options }) as Record<string, unknown>);
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) {
      fail(
        "VERIFIER_OPTION_UNKNOWN",
        WHERE,
        `unknown option "${key}"`,
        key,
        `Use ${[...OPTION_KEYS].join(", ")}.`,
      );
    }
  }
  const guid = (name: string, what: string): string => {
    const value = o[name];
    if (!isGuid(value)) {
      fail(
        "VERIFIER_OPTIONS_INVALID",
        `${WHERE} › ${name}`,
        `${name} must be ${what}, a GUID`,
        value,
        `Copy the ${what} from the app registration's overview in the Entra admin center.`,
      );
    }
    return value.toLowerCase();
  };
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const value = o[name] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      fail(
        "VERIFIER_OPTIONS_INVALID",
        `${WHERE} › ${name}`,
        `${name} must be a number from ${min} to ${max}`,
        value,
        `Leave it out for ${fallback}.`,
      );
    }
    return value;
  };
  const tenantId = guid("tenantId", "the tenant (directory) id");
  const audience = guid("audience", "the API's application (client) id");
  const vocabulary = o.vocabulary;
  if (!(vocabulary instanceof ScopeVocabulary)) {
    fail(
      "VERIFIER_OPTIONS_INVALID",
      `${WHERE} › vocabulary`,
      "vocabulary must be a ScopeVocabulary",
      vocabulary,
      "Pass the vocabulary the API's app roles are declared from (ScopeVocabulary.define).",
    );
  }
  const identifierUri = o.identifierUri;
  if (
    identifierUri !== undefined &&
    (typeof identifierUri !== "string" || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(identifierUri))
  ) {
    fail(
      "VERIFIER_OPTIONS_INVALID",
      `${WHERE} › identifierUri`,
      "identifierUri must be a URI without whitespace",
      identifierUri,
      'Write e.g. "api://contoso.example/orders", or leave it out.',
    );
  }
  const allowedClients = o.allowedClients;
  if (allowedClients !== undefined && !(allowedClients instanceof ClientAllowList)) {
    fail(
      "VERIFIER_OPTIONS_INVALID",
      `${WHERE} › allowedClients`,
      "allowedClients must be a ClientAllowList",
      allowedClients,
      "Use ClientAllowList.of([...]) or ClientAllowList.fromManifest(...).",
    );
  }
  if (allowedClients) {
    for (const id of allowedClients.clientIds) {
      for (const role of allowedClients.rolesOf(id) ?? []) {
        if (!vocabulary.has(role)) {
          fail(
            "VERIFIER_OPTIONS_INVALID",
            `${WHERE} › allowedClients`,
            `the allow-list grants client ${id} "${role}", which the vocabulary does not declare`,
            role,
            "Synthesize the manifest again from the current vocabulary.",
          );
        }
      }
    }
  }
  const acceptV1Tokens = o.acceptV1Tokens ?? false;
  if (typeof acceptV1Tokens !== "boolean") {
    fail(
      "VERIFIER_OPTIONS_INVALID",
      `${WHERE} › acceptV1Tokens`,
      "acceptV1Tokens must be true or false",
      acceptV1Tokens,
      "Leave it out to accept v2.0 tokens only.",
    );
  }
  const jwksUri = o.jwksUri ?? `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
  let url: URL | undefined;
  try {
    url = typeof jwksUri === "string" ? new URL(jwksUri) : undefined;
  } catch {
    url = undefined;
  }
  const loopback = (host: string) =>
    host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (
    !url ||
    !(url.protocol === "https:" || (url.protocol === "http:" && loopback(url.hostname))) ||
    url.username !== "" ||
    url.password !== ""
  ) {
    fail(
      "VERIFIER_OPTIONS_INVALID",
      `${WHERE} › jwksUri`,
      "jwksUri must be an https URL (http only on a loopback address), without credentials",
      jwksUri,
      "Leave it out to use the tenant's keys at login.microsoftonline.com.",
    );
  }
  return Object.freeze({
    tenantId,
    audience,
    vocabulary,
    ...(identifierUri !== undefined ? { identifierUri: identifierUri as string } : {}),
    ...(allowedClients !== undefined ? { allowedClients } : {}),
    acceptV1Tokens,
    clockSkewSeconds: number("clockSkewSeconds", 60, 0, 300),
    maxTokenLength: number("maxTokenLength", 8192, 1024, 65536),
    maxTokenLifetimeSeconds: number("maxTokenLifetimeSeconds", 100800, 300, 604800),
    jwksUri: url.href,
    keyCacheSeconds: number("keyCacheSeconds", 3600, 1, 86400),
    keyRefetchCooldownSeconds: number("keyRefetchCooldownSeconds", 30, 0, 3600),
    keyFetchTimeoutSeconds: number("keyFetchTimeoutSeconds", 5, 0.1, 60),
  }) as Config<D>;
}
