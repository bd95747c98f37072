import { describeValue, fail } from "../errors";
import { readProps } from "../read-once";
import { DELEGATED_SCOPES } from "./delegated";
import { deriveRoleId, isUuid } from "./role-id";
import { readEntries } from "./entries";
import { checkScopeValue } from "./rules";

/**
 * Scopes of OpenID Connect and the identity platform itself. A hybrid API's own delegated scopes
 * are named by the API (e.g. `orders.read.user`); these names belong to the sign-in protocol and
 * are rejected in a {@link DelegatedVocabulary}, in any letter case. (`user_impersonation`, the
 * portal's default delegated scope of an API, is allowed there.)
 */
export const RESERVED_DELEGATED_SCOPES = Object.freeze(
  DELEGATED_SCOPES.filter((s) => s !== "user_impersonation"),
);

/** One of {@link RESERVED_DELEGATED_SCOPES}. */
export type ReservedDelegatedScope = Exclude<
  (typeof DELEGATED_SCOPES)[number],
  "user_impersonation"
>;

/**
 * Who may consent to a delegated scope (the provider's `oauth2_permission_scope.type`): `Admin`
 * (only administrators) or `User` (users for themselves, and administrators).
 */
export type DelegatedConsent = "Admin" | "User";

/** One delegated permission (OAuth 2.0 scope) of a hybrid API: used when a user signs in. */
export interface DelegatedScopeDefinition {
  /** The consent prompt's title shown to administrators (required by Entra). */
  readonly adminConsentDisplayName: string;
  /** The consent prompt's text shown to administrators (required by Entra). */
  readonly adminConsentDescription: string;
  /**
   * Who may consent.
   * @default "Admin"
   */
  readonly consent?: DelegatedConsent;
  /**
   * The consent prompt's title shown to users; required when `consent` is `User`.
   * @default none (administrators only)
   */
  readonly userConsentDisplayName?: string;
  /**
   * The consent prompt's text shown to users; required when `consent` is `User`.
   * @default none (administrators only)
   */
  readonly userConsentDescription?: string;
  /**
   * The scope's id. Set it to adopt a scope that already exists; leave it out to derive one.
   * @default deriveRoleId(scope value)
   */
  readonly id?: string;
}

/** The object passed to {@link DelegatedVocabulary.define}: scope value → definition. */
export type DelegatedScopeDefinitions = { readonly [scope: string]: DelegatedScopeDefinition };

/** The compile-time message for a reserved key in a delegated vocabulary. */
export type ReservedDelegatedScopeError<K extends string> =
  `"${K}" is reserved by OpenID Connect and the identity platform; a delegated vocabulary names the API's own scopes. Use a name such as "orders.read.user".`;

/** Maps every reserved key of `D` (any letter case) to an error message type. */
export type RejectReservedKeys<D> = {
  readonly [K in keyof D]: K extends string
    ? Lowercase<K> extends ReservedDelegatedScope
      ? ReservedDelegatedScopeError<K>
      : D[K]
    : D[K];
};

/** A resolved entry of a {@link DelegatedVocabulary}. */
export interface DelegatedVocabularyScope {
  /** The scope value (what arrives in the token's `scp` claim). */
  readonly value: string;
  /** The scope's id, in lower case. */
  readonly id: string;
  /** Who may consent. */
  readonly consent: DelegatedConsent;
  /** See {@link DelegatedScopeDefinition.adminConsentDisplayName}. */
  readonly adminConsentDisplayName: string;
  /** See {@link DelegatedScopeDefinition.adminConsentDescription}. */
  readonly adminConsentDescription: string;
  /** See {@link DelegatedScopeDefinition.userConsentDisplayName}. */
  readonly userConsentDisplayName?: string;
  /** See {@link DelegatedScopeDefinition.userConsentDescription}. */
  readonly userConsentDescription?: string;
}

const KEYS = new Set([
  "adminConsentDisplayName",
  "adminConsentDescription",
  "consent",
  "userConsentDisplayName",
  "userConsentDescription",
  "id",
]);
const WHERE = "DelegatedVocabulary.define";

/** Every delegated vocabulary made by `define`. */
const DEFINED = new WeakSet<object>();

/**
 * The delegated scopes of a hybrid API (one that also serves signed-in users), kept apart from
 * its application permissions ({@link ScopeVocabulary}): they become `oauth2_permission_scope`
 * entries, their grants (`api.grantDelegated`) are a different type that `MachineClient` refuses,
 * and no value may appear in both vocabularies (Entra rejects that).
 *
 * @example
 * const ordersUser = DelegatedVocabulary.define({
 *   "orders.read.user": {
 *     adminConsentDisplayName: "Read orders as the user",
 *     adminConsentDescription: "Lets the app read the signed-in user's orders",
 *   },
 * });
 */
export class DelegatedVocabulary<D extends DelegatedScopeDefinitions = DelegatedScopeDefinitions> {
  /**
   * Defines a delegated vocabulary. Keys are the scope values; OpenID Connect names (`openid`,
   * `offline_access`, …) fail to compile and are rejected at run time.
   * @throws MachineClientsError naming the bad value and the rule it breaks
   */
  public static define<const D extends DelegatedScopeDefinitions>(
    definitions: D & RejectReservedKeys<D>,
  ): DelegatedVocabulary<D> {
    return new DelegatedVocabulary<D>(definitions as D);
  }

  /** Every entry, sorted by value, frozen. */
  public readonly scopes: readonly DelegatedVocabularyScope[];

  /** `instanceof DelegatedVocabulary` holds for vocabularies made by `define` only. */
  public static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && DEFINED.has(x);
  }

  private constructor(definitions: D) {
    this.scopes = readEntries<DelegatedVocabularyScope>(definitions, {
      where: WHERE,
      example:
        '{ "orders.read.user": { adminConsentDisplayName: "...", adminConsentDescription: "..." } }',
      empty: {
        problem: "a delegated vocabulary needs at least one scope",
        fix: "Declare the scopes users consent to, or leave delegatedVocabulary out.",
      },
      checkValue: (value) => {
        if ((RESERVED_DELEGATED_SCOPES as readonly string[]).includes(value.toLowerCase())) {
          fail(
            "DELEGATED_SCOPE_RESERVED",
            WHERE,
            `${describeValue(value)} is reserved by OpenID Connect and the identity platform; a delegated vocabulary names the API's own scopes`,
            value,
            'Use a name such as "orders.read.user".',
          );
        }
        const problem =
          value.toLowerCase() === "user_impersonation" ? undefined : checkScopeValue(value);
        if (problem) fail(problem.code, WHERE, problem.problem, value, problem.fix);
      },
      build: delegatedEntry,
      idOf: (e) => e.id,
      duplicateId: {
        code: "SCOPE_ID_DUPLICATE",
        problem: (id, other) => `scope id ${id} is already used by ${describeValue(other)}`,
      },
    });
    DEFINED.add(this);
    Object.freeze(this);
  }

  /** The scope values, sorted. */
  public get values(): readonly (keyof D & string)[] {
    return this.scopes.map((s) => s.value);
  }

  /** True when `value` is one of this vocabulary's scopes (exact letter case). */
  public has(value: unknown): value is keyof D & string {
    return typeof value === "string" && this.scopes.some((s) => s.value === value);
  }

  /**
   * The entry for `value`.
   * @throws MachineClientsError when the value is not in the vocabulary
   */
  public get(value: keyof D & string, where = "DelegatedVocabulary.get"): DelegatedVocabularyScope {
    const entry = this.scopes.find((s) => s.value === value);
    if (entry) return entry;
    return fail(
      "SCOPE_NOT_IN_VOCABULARY",
      where,
      "scope is not in the API's delegated vocabulary",
      value,
      `Use one of: ${this.scopes.map((s) => describeValue(s.value)).join(", ")}.`,
    );
  }
}

function text(
  def: Record<string, unknown>,
  key: string,
  where: string,
  required: boolean,
): string | undefined {
  const v = def[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== "string" || v.trim().length === 0) {
    fail(
      "DELEGATED_SCOPE_TEXT_MISSING",
      where,
      `${key} must be a non-empty string (Entra shows it on the consent prompt)`,
      v,
      `Set ${key}.`,
    );
  }
  return v;
}

function delegatedEntry(
  value: string,
  definition: unknown,
  where: string,
): DelegatedVocabularyScope {
  if (typeof definition !== "object" || definition === null || Array.isArray(definition)) {
    fail(
      "SCOPE_DEFINITION_INVALID",
      where,
      "a delegated scope definition must be an object",
      definition,
      "Write { adminConsentDisplayName, adminConsentDescription }.",
    );
  }
  const given = definition as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!KEYS.has(key)) {
      fail(
        "SCOPE_DEFINITION_UNKNOWN_KEY",
        where,
        `unknown property ${describeValue(key)}`,
        key,
        `Allowed properties: ${[...KEYS].join(", ")}.`,
      );
    }
  }
  // Each property read once: the copy is what is checked and kept.
  const def = readProps(where, given, [...KEYS], "definition") as Record<string, unknown>;
  const consent = def.consent ?? "Admin";
  if (consent !== "Admin" && consent !== "User") {
    fail(
      "DELEGATED_CONSENT_INVALID",
      where,
      'consent must be "Admin" or "User"',
      consent,
      'Write consent: "Admin".',
    );
  }
  const userRequired = consent === "User";
  if (def.id !== undefined && !isUuid(def.id)) {
    fail(
      "SCOPE_ID_NOT_UUID",
      where,
      "id must be a UUID (8-4-4-4-12 hexadecimal, not the nil UUID)",
      def.id,
      "Copy the existing scope's id from the tenant, or leave id out to derive one.",
    );
  }
  const userConsentDisplayName = text(def, "userConsentDisplayName", where, userRequired);
  const userConsentDescription = text(def, "userConsentDescription", where, userRequired);
  return Object.freeze({
    value,
    id: def.id !== undefined ? (def.id as string).toLowerCase() : deriveRoleId(value),
    consent,
    adminConsentDisplayName: text(def, "adminConsentDisplayName", where, true)!,
    adminConsentDescription: text(def, "adminConsentDescription", where, true)!,
    ...(userConsentDisplayName !== undefined ? { userConsentDisplayName } : {}),
    ...(userConsentDescription !== undefined ? { userConsentDescription } : {}),
  });
}

// `define`, `instanceof` and the methods cannot be replaced.
Object.freeze(DelegatedVocabulary);
Object.freeze(DelegatedVocabulary.prototype);
