import { fail } from "../errors";
import { ScopeDefinitions } from "../vocabulary/scope-vocabulary";
import {
  PrivilegedRequireOptions,
  RequireAnyOptions,
  RequireOptions,
  RequireOptionsFor,
  VerifiedCaller,
  checkRequireArguments,
  roleList,
} from "./caller";
import { AuthorizationError } from "./errors";
import { TokenVerifier } from "./verifier";

/** An HTTP answer to a refused request (RFC 6750), for any framework. */
export interface BearerErrorResponse {
  /** 400, 401, 403, 503, or 500 for an error that is not an {@link AuthorizationError}. */
  readonly status: number;
  /** `WWW-Authenticate` for 400, 401 and 403; `Content-Type` always. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The JSON body: the RFC 6750 `error` (absent when the request carried no token) and
   * `error_description`. An unexpected error gets `server_error` and no details.
   */
  readonly body: { readonly error?: string; readonly error_description: string };
}

/** Options of {@link bearerErrorResponse}. */
export interface BearerErrorOptions {
  /**
   * The `realm` of the `WWW-Authenticate` challenge.
   * @default no realm
   */
  readonly realm?: string;
}

/**
 * Maps an error of `verify()` or a role check to an RFC 6750 response: 401 with
 * `WWW-Authenticate: Bearer error="invalid_token", error_description="…"` for a bad token, 401 with
 * a bare `Bearer` challenge when there is no token, 400 `invalid_request` for a malformed
 * `Authorization` header, 403 `insufficient_scope` for a valid token without the role (or a
 * delegated token, or a client not allowed), 503 while the tenant's keys cannot be fetched, and
 * 500 without details for anything else.
 */
export function bearerErrorResponse(
  error: unknown,
  options: BearerErrorOptions = {},
): BearerErrorResponse {
  const json = { "Content-Type": "application/json; charset=utf-8" };
  if (!AuthorizationError.isAuthorizationError(error)) {
    return {
      status: 500,
      headers: json,
      body: { error: "server_error", error_description: "the request could not be authorized" },
    };
  }
  const description = quotable(error.message);
  const realm = options.realm !== undefined ? `realm="${quotable(String(options.realm))}"` : "";
  if (error.status === 503) {
    // The message names the key set's address and the network error: for the server's log only.
    return {
      status: 503,
      headers: { ...json, "Retry-After": "30" },
      body: {
        error: "temporarily_unavailable",
        error_description: "the API cannot verify tokens at the moment; retry later",
      },
    };
  }
  const params = [
    realm,
    ...(error.bearerError
      ? [`error="${error.bearerError}"`, `error_description="${description}"`]
      : []),
  ].filter((p) => p !== "");
  return {
    status: error.status,
    headers: {
      ...json,
      "WWW-Authenticate": params.length ? `Bearer ${params.join(", ")}` : "Bearer",
    },
    body: error.bearerError
      ? { error: error.bearerError, error_description: description }
      : { error_description: description },
  };
}

/** What the middleware reads of a request: Express's, Node's `IncomingMessage`, or any alike. */
export interface RequestLike {
  /** The request headers; only `authorization` is read. */
  readonly headers: { readonly authorization?: string | readonly string[] | undefined };
}

/** What the middleware uses of a response: Express's, Node's `ServerResponse`, or any alike. */
export interface ResponseLike {
  /** The status code to send. */
  statusCode: number;
  /** Sets a header. */
  setHeader(name: string, value: string): unknown;
  /** Sends the body and ends the response. */
  end(body: string): unknown;
}

/** A Connect/Express middleware that checks a role before calling `next()`. */
export type RoleMiddleware = (
  req: RequestLike,
  res: ResponseLike,
  next: (error?: unknown) => void,
) => void;

const verified = new WeakMap<object, { verifier: TokenVerifier; caller: VerifiedCaller }>();

/**
 * Express (or Connect, or `node:http`) middleware: verifies the request's bearer token and
 * requires one role of the vocabulary (a privileged one only with a `reason`). A refused request
 * gets its RFC 6750 answer (see {@link bearerErrorResponse}) and never reaches the handler; the
 * handler reads the caller with {@link callerOf}.
 * @example app.get("/orders", requireRoles(verifier, "orders.read"), handler);
 * @throws MachineClientsError when the role is not in the vocabulary or a privileged role has no
 * reason (when the middleware is created, at startup, not per request)
 */
export function requireRoles<D extends ScopeDefinitions, S extends keyof D & string>(
  verifier: TokenVerifier<D>,
  role: S,
  ...options: RequireOptionsFor<D, S>
): RoleMiddleware;
export function requireRoles(
  verifier: TokenVerifier,
  role: string,
  options?: RequireOptions,
): RoleMiddleware {
  const where = "requireRoles";
  checkVerifier(verifier, where);
  checkRequireArguments(verifier.vocabulary, where, [role], options);
  const snapshot = options === undefined ? undefined : { reason: options.reason };
  return middleware(verifier, (caller) =>
    caller.require(role as never, snapshot as PrivilegedRequireOptions),
  );
}

/**
 * Express (or Connect, or `node:http`) middleware: verifies the request's bearer token and
 * requires at least one of `roles`; a `reason` is required when any of them is privileged.
 * @throws MachineClientsError when a role is not in the vocabulary or the reason is missing
 */
export function requireAnyRole<
  D extends ScopeDefinitions,
  const R extends readonly [keyof D & string, ...(keyof D & string)[]],
>(
  verifier: TokenVerifier<D>,
  roles: R,
  ...options: RequireAnyOptions<D, R[number]>
): RoleMiddleware {
  const where = "requireAnyRole";
  checkVerifier(verifier, where);
  const list = roleList(roles, where);
  checkRequireArguments(verifier.vocabulary, where, list, options[0]);
  const snapshot = options[0] === undefined ? undefined : { reason: options[0].reason };
  return middleware(verifier, (caller) =>
    caller.requireAny(list as never, snapshot as PrivilegedRequireOptions),
  );
}

/**
 * The caller that {@link requireRoles} or {@link requireAnyRole} verified for this request.
 * @throws MachineClientsError when no middleware of `verifier` verified the request (a route that
 * is not behind one)
 */
export function callerOf<D extends ScopeDefinitions>(
  req: object,
  verifier: TokenVerifier<D>,
): VerifiedCaller<D> {
  const entry = typeof req === "object" && req !== null ? verified.get(req) : undefined;
  if (!entry || entry.verifier !== verifier) {
    return fail(
      "CALLER_NOT_VERIFIED",
      "callerOf",
      "no requireRoles/requireAnyRole middleware of this verifier verified the request",
      undefined,
      "Put requireRoles(verifier, ...) in front of the handler.",
    );
  }
  return entry.caller as VerifiedCaller<D>;
}

function middleware(
  verifier: TokenVerifier,
  check: (caller: VerifiedCaller) => void,
): RoleMiddleware {
  return (req, res, next) => {
    const run = async () => {
      const previous = verified.get(req);
      let caller: VerifiedCaller;
      if (previous && previous.verifier === verifier) {
        caller = previous.caller;
      } else {
        const header = req.headers.authorization;
        caller = await verifier.verify(header as string | undefined);
        verified.set(req, { verifier, caller });
      }
      check(caller);
    };
    run().then(
      () => next(),
      (error: unknown) => {
        if (!AuthorizationError.isAuthorizationError(error)) {
          next(error);
          return;
        }
        const answer = bearerErrorResponse(error);
        res.statusCode = answer.status;
        for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
        res.end(JSON.stringify(answer.body));
      },
    );
  };
}

function checkVerifier(verifier: unknown, where: string): void {
  const v = verifier as Partial<TokenVerifier> | null;
  if (typeof v !== "object" || v === null || typeof v.verify !== "function" || !v.vocabulary) {
    fail(
      "VERIFIER_INVALID",
      where,
      "expects a verifier made by createTokenVerifier",
      verifier,
      "Pass createTokenVerifier({ tenantId, audience, vocabulary }).",
    );
  }
}

/** RFC 6750 §3: attribute values are %x20-21 / %x23-5B / %x5D-7E; others become "?". */
function quotable(text: string): string {
  const safe = text
    .replace(/"/g, "'")
    .replace(/\\/g, "/")
    .replace(/[^\x20-\x7e]/g, "?");
  return safe.length > 300 ? `${safe.slice(0, 297)}...` : safe;
}
