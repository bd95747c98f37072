/**
 * Why a request was refused, as a typed error with a stable code, the HTTP status and the
 * RFC 6750 error that go with it. Pure TypeScript: no cdktf, no jose.
 */

/**
 * Stable codes of {@link AuthorizationError}, grouped by the HTTP status they map to.
 *
 * - 401, no `error` attribute (RFC 6750 §3.1: no credentials): `TOKEN_MISSING`.
 * - 400 `invalid_request`: `AUTHORIZATION_HEADER_MALFORMED`.
 * - 401 `invalid_token`: `TOKEN_MALFORMED`, `TOKEN_TOO_LARGE`, `ALGORITHM_NOT_ALLOWED`,
 *   `KEY_NOT_FOUND`, `SIGNATURE_INVALID`, `ISSUER_INVALID`, `TENANT_INVALID`, `AUDIENCE_INVALID`,
 *   `TOKEN_EXPIRED`, `TOKEN_NOT_YET_VALID`, `TOKEN_LIFETIME_TOO_LONG`, `TOKEN_VERSION_NOT_ACCEPTED`,
 *   `CLAIM_INVALID`.
 * - 403 `insufficient_scope`: `DELEGATED_TOKEN`, `CLIENT_NOT_ALLOWED`, `NO_ROLE`, `ROLE_MISSING`.
 * - 503 (no challenge): `KEYS_UNAVAILABLE`, the tenant's signing keys could not be fetched.
 */
export type AuthorizationErrorCode =
  | "TOKEN_MISSING"
  | "AUTHORIZATION_HEADER_MALFORMED"
  | "TOKEN_MALFORMED"
  | "TOKEN_TOO_LARGE"
  | "ALGORITHM_NOT_ALLOWED"
  | "KEY_NOT_FOUND"
  | "SIGNATURE_INVALID"
  | "ISSUER_INVALID"
  | "TENANT_INVALID"
  | "AUDIENCE_INVALID"
  | "TOKEN_EXPIRED"
  | "TOKEN_NOT_YET_VALID"
  | "TOKEN_LIFETIME_TOO_LONG"
  | "TOKEN_VERSION_NOT_ACCEPTED"
  | "CLAIM_INVALID"
  | "DELEGATED_TOKEN"
  | "CLIENT_NOT_ALLOWED"
  | "NO_ROLE"
  | "ROLE_MISSING"
  | "KEYS_UNAVAILABLE";

/** The RFC 6750 error codes (and `temporarily_unavailable` for a key outage). */
export type BearerErrorCode =
  "invalid_request" | "invalid_token" | "insufficient_scope" | "temporarily_unavailable";

const STATUS: Readonly<Record<AuthorizationErrorCode, readonly [number, BearerErrorCode | null]>> =
  Object.freeze({
    TOKEN_MISSING: [401, null],
    AUTHORIZATION_HEADER_MALFORMED: [400, "invalid_request"],
    TOKEN_MALFORMED: [401, "invalid_token"],
    TOKEN_TOO_LARGE: [401, "invalid_token"],
    ALGORITHM_NOT_ALLOWED: [401, "invalid_token"],
    KEY_NOT_FOUND: [401, "invalid_token"],
    SIGNATURE_INVALID: [401, "invalid_token"],
    ISSUER_INVALID: [401, "invalid_token"],
    TENANT_INVALID: [401, "invalid_token"],
    AUDIENCE_INVALID: [401, "invalid_token"],
    TOKEN_EXPIRED: [401, "invalid_token"],
    TOKEN_NOT_YET_VALID: [401, "invalid_token"],
    TOKEN_LIFETIME_TOO_LONG: [401, "invalid_token"],
    TOKEN_VERSION_NOT_ACCEPTED: [401, "invalid_token"],
    CLAIM_INVALID: [401, "invalid_token"],
    DELEGATED_TOKEN: [403, "insufficient_scope"],
    CLIENT_NOT_ALLOWED: [403, "insufficient_scope"],
    NO_ROLE: [403, "insufficient_scope"],
    ROLE_MISSING: [403, "insufficient_scope"],
    KEYS_UNAVAILABLE: [503, "temporarily_unavailable"],
  });

const BRAND = Symbol.for("cdktf-machine-clients.AuthorizationError");

/**
 * A request the verifier or a role check refused. `code` is stable; `status` and `bearerError`
 * say how to answer (see {@link bearerErrorResponse}). The message says why, in words a client
 * developer can act on; it never contains the token, only claim values of a token whose signature
 * was verified, shortened.
 */
export class AuthorizationError extends Error {
  /** True for an error made by this module (any copy of the library). */
  public static isAuthorizationError(x: unknown): x is AuthorizationError {
    return typeof x === "object" && x !== null && (x as AuthorizationError)[BRAND] === true;
  }

  /** The stable code of the rule that refused the request. */
  public readonly code: AuthorizationErrorCode;
  /** The HTTP status to answer with: 400, 401, 403 or 503. */
  public readonly status: 400 | 401 | 403 | 503;
  /** The RFC 6750 `error` attribute, or `null` when the request carried no token (401 without one). */
  public readonly bearerError: BearerErrorCode | null;
  declare private readonly [BRAND]: true;

  /** Raised by the verifier and the role checks; not meant to be constructed by users. */
  public constructor(code: AuthorizationErrorCode, message: string) {
    super(message);
    this.name = "AuthorizationError";
    const [status, bearerError] = STATUS[code] ?? [401, "invalid_token"];
    this.code = code in STATUS ? code : "TOKEN_MALFORMED";
    this.status = status as 400 | 401 | 403 | 503;
    this.bearerError = bearerError;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
    Object.freeze(this);
  }
}

/** A claim value for a message: JSON, at most 80 characters, printable ASCII only. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? "undefined" : (JSON.stringify(value) ?? String(value));
  } catch {
    text = typeof value;
  }
  text = text.replace(/[^\x20-\x7e]/g, "?");
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// Its statics cannot be replaced.
Object.freeze(AuthorizationError);
