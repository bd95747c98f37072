import { describeValue, fail } from "../errors";
import { MIN_JUSTIFICATION_LENGTH } from "../vocabulary/justification";
import {
  PrivilegedScopeOf,
  ScopeDefinitions,
  ScopeVocabulary,
} from "../vocabulary/scope-vocabulary";
import { AuthorizationError } from "./errors";

/** Options of a role check. */
export interface RequireOptions {
  /**
   * Why this code path accepts the role. Required, at least 20 characters, when a role the
   * vocabulary marks `privileged` can satisfy the check (see {@link PrivilegedRequireOptions}).
   * @default no reason
   */
  readonly reason?: string;
}

/** Options of a role check that a privileged role can satisfy: the reason is required. */
export interface PrivilegedRequireOptions extends RequireOptions {
  /** Why this code path accepts a privileged role: at least 20 characters, for reviewers. */
  readonly reason: string;
}

/**
 * The options argument of `requireAny(roles, ...)`: optional when none of `R` is privileged,
 * required with a reason when any is.
 */
export type RequireAnyOptions<D, R extends string> = [Extract<R, PrivilegedScopeOf<D>>] extends [
  never,
]
  ? [options?: RequireOptions]
  : [options: PrivilegedRequireOptions];

/**
 * The options argument of `require(role, ...)`: optional for an ordinary role, required with a
 * reason for a privileged one. When `S` is every value of the vocabulary (what the compiler falls
 * back to for a value that is not in it) the options stay optional, so that the error names the
 * misspelt role rather than a missing argument; the run-time check still requires the reason.
 */
export type RequireOptionsFor<D, S extends string> = [keyof D & string] extends [S]
  ? [options?: RequireOptions]
  : RequireAnyOptions<D, S>;

/** A role in the token that the verifier did not grant, and why. */
export interface IgnoredRole {
  /** The value as it arrived in the token's `roles` claim (printable ASCII, shortened). */
  readonly value: string;
  /**
   * `not-in-vocabulary`: the API's vocabulary does not declare it. `not-granted-to-client`: the
   * client allow-list (from `machine-clients.json`) does not grant it to this client, e.g. a role
   * assigned in the portal outside infrastructure as code.
   */
  readonly reason: "not-in-vocabulary" | "not-granted-to-client";
}

/** The verified facts a {@link VerifiedCaller} is made from. */
export interface CallerFacts {
  readonly clientId: string;
  readonly objectId: string;
  readonly tenantId: string;
  readonly tokenVersion: "1.0" | "2.0";
  readonly roles: readonly string[];
  readonly ignoredRoles: readonly IgnoredRole[];
  readonly expiresAtSeconds: number;
  readonly claims: Readonly<Record<string, unknown>>;
}

const CALLER_KEY = Symbol("cdktf-machine-clients.VerifiedCaller");

/**
 * The application that sent a verified app-only token: who it is and which of the vocabulary's
 * roles it holds. Made only by `TokenVerifier.verify`; frozen. Check roles with
 * {@link VerifiedCaller.require} / {@link VerifiedCaller.requireAny}, which accept only the
 * vocabulary's values at compile time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class VerifiedCaller<D extends ScopeDefinitions = any> {
  /** The calling application's client (application) id: `azp` (v2) or `appid` (v1), lower case. */
  public readonly clientId: string;
  /** The object id of the calling application's service principal in the tenant (`oid`). */
  public readonly objectId: string;
  /** The tenant (`tid`), lower case. */
  public readonly tenantId: string;
  /** The access token's version (`ver`). */
  public readonly tokenVersion: "1.0" | "2.0";
  /** The vocabulary's roles the caller holds, in the vocabulary's spelling, sorted. */
  public readonly roles: readonly (keyof D & string)[];
  /** Roles in the token that were not granted: not in the vocabulary, or not allowed to the client. */
  public readonly ignoredRoles: readonly IgnoredRole[];
  /** When the token expires (`exp`), a new Date on each read (a Date cannot be frozen). */
  public get expiresAt(): Date {
    return new Date(this.expiresAtSeconds * 1000);
  }
  /** Every claim of the verified token, frozen (for logging or claims this class does not model). */
  public readonly claims: Readonly<Record<string, unknown>>;
  private readonly expiresAtSeconds: number;
  private readonly held: ReadonlySet<string>;
  private readonly vocabulary: ScopeVocabulary<D>;

  /** Made by the verifier only. */
  private constructor(key: symbol, vocabulary: ScopeVocabulary<D>, facts: CallerFacts) {
    if (key !== CALLER_KEY) {
      throw new TypeError("VerifiedCaller is made by TokenVerifier.verify only");
    }
    this.vocabulary = vocabulary;
    this.clientId = facts.clientId;
    this.objectId = facts.objectId;
    this.tenantId = facts.tenantId;
    this.tokenVersion = facts.tokenVersion;
    // The facts are the verifier's own fresh objects: frozen in place, not copied.
    this.roles = Object.freeze(facts.roles) as readonly (keyof D & string)[];
    this.ignoredRoles = Object.freeze(facts.ignoredRoles.map((r) => Object.freeze(r)));
    this.expiresAtSeconds = facts.expiresAtSeconds;
    this.claims = deepFreeze(facts.claims);
    this.held = new Set(this.roles);
    Object.freeze(this);
  }

  /** True when the caller holds `role`. */
  public has(role: keyof D & string): boolean {
    return this.held.has(role);
  }

  /**
   * Requires one role of the vocabulary: only the vocabulary's values compile, and a role declared
   * `privileged: true` compiles only with a `reason` that says why this code path accepts it.
   * @throws AuthorizationError `ROLE_MISSING` (403) when the caller does not hold it
   */
  public require<S extends keyof D & string>(role: S, ...options: RequireOptionsFor<D, S>): void;
  public require(role: string, options?: RequireOptions): void {
    checkRequireArguments(this.vocabulary, "VerifiedCaller.require", [role], options);
    if (!this.held.has(role)) {
      throw new AuthorizationError(
        "ROLE_MISSING",
        `the client ${this.clientId} does not hold the role "${role}"; its token carries ${this.describeRoles()}. Assign the app role to the client (api.grant("${role}")) if it needs it.`,
      );
    }
  }

  /**
   * Requires at least one of `roles` and returns the first of them (in the order given) that the
   * caller holds. When any of them is privileged, a `reason` is required.
   * @throws AuthorizationError `ROLE_MISSING` (403) when the caller holds none of them
   */
  public requireAny<const R extends readonly [keyof D & string, ...(keyof D & string)[]]>(
    roles: R,
    ...options: RequireAnyOptions<D, R[number]>
  ): R[number] {
    const list = roleList(roles, "VerifiedCaller.requireAny");
    checkRequireArguments(this.vocabulary, "VerifiedCaller.requireAny", list, options[0]);
    const found = list.find((r) => this.held.has(r as string));
    if (found === undefined) {
      throw new AuthorizationError(
        "ROLE_MISSING",
        `the client ${this.clientId} holds none of the roles ${list.map((r) => `"${r}"`).join(", ")}; its token carries ${this.describeRoles()}.`,
      );
    }
    return found as R[number];
  }

  private describeRoles(): string {
    return this.roles.length === 0
      ? "no role of the vocabulary"
      : this.roles.map((r) => describeValue(r)).join(", ");
  }
}

/** Makes a caller; for the verifier only (not exported from the entry point). */
export function makeCaller<D extends ScopeDefinitions>(
  vocabulary: ScopeVocabulary<D>,
  facts: CallerFacts,
): VerifiedCaller<D> {
  const Ctor = VerifiedCaller as unknown as new (
    key: symbol,
    vocabulary: ScopeVocabulary<D>,
    facts: CallerFacts,
  ) => VerifiedCaller<D>;
  return new Ctor(CALLER_KEY, vocabulary, facts);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Reads the roles argument of a `requireAny` check: a non-empty array. */
export function roleList(roles: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(roles) || roles.length === 0) {
    fail(
      "REQUIRE_ROLES_INVALID",
      where,
      "expects a non-empty array of roles",
      roles,
      'Write e.g. requireAny(["orders.write", "orders.admin"], { reason: "..." }).',
    );
  }
  return [...roles];
}

/**
 * Checks the arguments of a role check: every role in the vocabulary, and a reason of at least 20
 * characters when one is privileged. These are the server's own mistakes, so they throw a
 * MachineClientsError (a 500), never a 401/403; the middleware checks them when it is created.
 */
export function checkRequireArguments(
  vocabulary: ScopeVocabulary,
  where: string,
  roles: readonly unknown[],
  options: unknown,
): void {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    fail(
      "REQUIRE_OPTIONS_INVALID",
      where,
      "options must be an object",
      options,
      'Write { reason: "..." }.',
    );
  }
  const reason: unknown = (options as RequireOptions | undefined)?.reason;
  if (reason !== undefined && typeof reason !== "string") {
    fail(
      "REQUIRE_REASON_INVALID",
      where,
      "reason must be a string",
      reason,
      "Write the reason as text.",
    );
  }
  for (const role of roles) {
    if (!vocabulary.has(role)) {
      fail(
        "SCOPE_NOT_IN_VOCABULARY",
        where,
        "the role is not in the API's vocabulary",
        role,
        `Use one of: ${vocabulary.values.map((v) => `"${v}"`).join(", ")}.`,
      );
    }
    if (vocabulary.get(role).privileged) {
      const length = typeof reason === "string" ? reason.trim().length : 0;
      if (length < MIN_JUSTIFICATION_LENGTH) {
        fail(
          "REQUIRE_REASON_MISSING",
          where,
          `"${role}" is privileged and can only be required with a reason of at least ${MIN_JUSTIFICATION_LENGTH} characters`,
          reason,
          'Say why this code path accepts it, e.g. { reason: "bulk repair rewrites any order (OPS-12)" }.',
        );
      }
    }
  }
}

// Its statics and methods cannot be replaced.
Object.freeze(VerifiedCaller);
Object.freeze(VerifiedCaller.prototype);
