import { describeValue, fail } from "../errors";
import { DelegatedScope } from "./delegated";
import { deriveRoleId, isUuid } from "./role-id";
import { readEntries } from "./entries";
import { checkScopeValue } from "./rules";

/** One application permission (app role) in a {@link ScopeVocabulary}. */
export interface ScopeDefinition {
  /** What the permission allows, shown to admins on the app role (required by Entra). */
  readonly description: string;
  /**
   * Marks a permission that needs stronger controls (e.g. writes across tenants, admin actions).
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * The app role's id. Set it to adopt a role that already exists in the tenant (its UUID must not
   * change); leave it out to derive one from the value with {@link deriveRoleId}.
   * @default deriveRoleId(scope value)
   */
  readonly id?: string;
  /**
   * The app role's display name in the Entra portal.
   * @default the scope value
   */
  readonly displayName?: string;
}

/** The object passed to {@link ScopeVocabulary.define}: scope value → definition. */
export type ScopeDefinitions = { readonly [scope: string]: ScopeDefinition };

/** The compile-time message for a delegated key; the run-time message has the same wording. */
export type DelegatedScopeError<K extends string> =
  `${K} is a delegated scope (user sign-in only) and never applies to the client credentials flow. Remove it and declare the application permission (app role) the client needs instead.`;

/**
 * Maps every key of `D` that is a delegated scope (in any letter case) to an error message type,
 * so that `ScopeVocabulary.define({ offline_access: {...} })` fails to compile with a message
 * naming the key.
 */
export type RejectDelegatedKeys<D> = {
  readonly [K in keyof D]: K extends string
    ? Lowercase<K> extends DelegatedScope
      ? DelegatedScopeError<K>
      : KnownPropertiesOnly<D[K]>
    : D[K];
};

/** Maps a property that {@link ScopeDefinition} does not have to an error message (catches typos). */
export type KnownPropertiesOnly<T> = {
  readonly [P in keyof T]: P extends keyof ScopeDefinition
    ? T[P]
    : // An object type, not a string: a literal value intersected with a string would reduce to never.
      {
        readonly error: `${P & string} is not a scope definition property. Use description, privileged, id or displayName.`;
      };
};

/** The scope values of a vocabulary. */
export type ScopeOf<V> = V extends ScopeVocabulary<infer D> ? keyof D & string : never;

/** The scope values of `D` declared with `privileged: true`. */
export type PrivilegedScopeOf<D> = {
  [K in keyof D]: D[K] extends { readonly privileged: true } ? K : never;
}[keyof D] &
  string;

/** A resolved vocabulary entry: the value, its definition and its role id. */
export interface VocabularyScope {
  /** The permission value: the app role `value`, and what arrives in the token's `roles` claim. */
  readonly value: string;
  /** See {@link ScopeDefinition.description}. */
  readonly description: string;
  /** See {@link ScopeDefinition.displayName}. */
  readonly displayName: string;
  /** See {@link ScopeDefinition.privileged}. */
  readonly privileged: boolean;
  /** The app role id, in lower case. */
  readonly roleId: string;
  /** Whether the id was adopted (`declared`) or derived from the value (`derived`). */
  readonly roleIdSource: "declared" | "derived";
}

const DEFINITION_KEYS = new Set(["description", "privileged", "id", "displayName"]);
const WHERE = "ScopeVocabulary.define";

/**
 * A closed vocabulary of application permissions for one API. It is the single source of the role
 * names: `ProtectedApi` turns it into app roles, `grant()` accepts only its keys, and the API's
 * own authorization code can check the same names. Defined once and frozen.
 *
 * @example
 * const orders = ScopeVocabulary.define({
 *   "orders.read": { description: "Read orders" },
 *   "orders.admin": { description: "Manage all orders", privileged: true },
 * });
 */
// The default type argument is `any` so that a bare `ScopeVocabulary` accepts every vocabulary
// (`keyof D` makes the class contravariant in D, so `ScopeDefinitions` would accept none).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class ScopeVocabulary<D extends ScopeDefinitions = any> {
  /**
   * Defines a vocabulary. Keys are the permission values. Delegated scopes (`offline_access`,
   * `openid`, …, any letter case) fail to compile; every rule is also checked at run time for
   * JavaScript callers, casts and config files.
   * @throws MachineClientsError naming the bad value and the rule it breaks
   */
  public static define<const D extends ScopeDefinitions>(
    definitions: D & RejectDelegatedKeys<D>,
  ): ScopeVocabulary<D> {
    return new ScopeVocabulary<D>(definitions as D);
  }

  /** Every entry, sorted by value (ordinal), frozen. */
  public readonly scopes: readonly VocabularyScope[];
  private readonly byValue: ReadonlyMap<string, VocabularyScope>;

  private constructor(definitions: D) {
    this.scopes = readEntries<VocabularyScope>(definitions, {
      where: WHERE,
      example: '{ "orders.read": { description: "Read orders" } }',
      empty: {
        problem: "a vocabulary needs at least one scope",
        fix: "Declare the application permissions the API checks.",
      },
      checkValue: (value) => {
        const problem = checkScopeValue(value);
        if (problem) fail(problem.code, WHERE, problem.problem, value, problem.fix);
      },
      build: scopeEntry,
      idOf: (e) => e.roleId,
      duplicateId: {
        code: "ROLE_ID_DUPLICATE",
        problem: (id, other) =>
          `role id ${id} is already used by ${describeValue(other)}; role ids must be distinct within an API`,
      },
    });
    this.byValue = new Map(this.scopes.map((e) => [e.value, e]));
    Object.freeze(this);
  }

  /** The scope values, sorted. */
  public get values(): readonly (keyof D & string)[] {
    return this.scopes.map((s) => s.value);
  }

  /** True when `value` is one of this vocabulary's scopes (exact letter case). */
  public has(value: unknown): value is keyof D & string {
    return typeof value === "string" && this.byValue.has(value);
  }

  /**
   * The entry for `value`.
   * @param where the caller's location (a construct path) for the error message
   * @throws MachineClientsError when the value is not in the vocabulary
   */
  public get(value: keyof D & string, where: string = "ScopeVocabulary.get"): VocabularyScope {
    const entry = typeof value === "string" ? this.byValue.get(value) : undefined;
    if (entry) return entry;
    if (typeof value === "string") {
      const problem = checkScopeValue(value);
      if (problem?.code === "DELEGATED_SCOPE")
        fail(problem.code, where, problem.problem, value, problem.fix);
      const lower = value.toLowerCase();
      const caseTwin = this.scopes.find((s) => s.value.toLowerCase() === lower);
      if (caseTwin) {
        fail(
          "SCOPE_NOT_IN_VOCABULARY",
          where,
          "scope is not in the vocabulary as written",
          value,
          `Did you mean ${describeValue(caseTwin.value)}? Scope values are matched exactly.`,
        );
      }
    }
    return fail(
      "SCOPE_NOT_IN_VOCABULARY",
      where,
      "scope is not in the API's vocabulary",
      value,
      `Use one of: ${this.scopes.map((s) => describeValue(s.value)).join(", ")}.`,
    );
  }
}

function scopeEntry(value: string, definition: unknown, where: string): VocabularyScope {
  if (typeof definition !== "object" || definition === null || Array.isArray(definition)) {
    fail(
      "SCOPE_DEFINITION_INVALID",
      where,
      "a scope definition must be an object",
      definition,
      'Write { description: "..." }.',
    );
  }
  const def = definition as Record<string, unknown>;
  for (const key of Object.keys(def)) {
    if (!DEFINITION_KEYS.has(key)) {
      fail(
        "SCOPE_DEFINITION_UNKNOWN_KEY",
        where,
        `unknown property ${describeValue(key)}`,
        key,
        `Allowed properties: ${[...DEFINITION_KEYS].join(", ")}.`,
      );
    }
  }
  if (typeof def.description !== "string" || def.description.trim().length === 0) {
    fail(
      "SCOPE_DESCRIPTION_MISSING",
      where,
      "description must be a non-empty string (Entra requires it on app roles)",
      def.description,
      'Say what the permission allows, e.g. "Read orders".',
    );
  }
  if (def.privileged !== undefined && typeof def.privileged !== "boolean") {
    fail(
      "SCOPE_PRIVILEGED_INVALID",
      where,
      "privileged must be true or false",
      def.privileged,
      "Write privileged: true.",
    );
  }
  if (
    def.displayName !== undefined &&
    (typeof def.displayName !== "string" || def.displayName.trim().length === 0)
  ) {
    fail(
      "SCOPE_DISPLAY_NAME_INVALID",
      where,
      "displayName must be a non-empty string",
      def.displayName,
      "Leave it out to use the scope value.",
    );
  }
  if (def.id !== undefined && !isUuid(def.id)) {
    fail(
      "ROLE_ID_NOT_UUID",
      where,
      "id must be a UUID (8-4-4-4-12 hexadecimal, not the nil UUID)",
      def.id,
      "Copy the existing app role's id from the tenant, or leave id out to derive one.",
    );
  }
  return Object.freeze({
    value,
    description: def.description as string,
    displayName: (def.displayName as string | undefined) ?? value,
    privileged: def.privileged === true,
    roleId: def.id !== undefined ? (def.id as string).toLowerCase() : deriveRoleId(value),
    roleIdSource: def.id !== undefined ? "declared" : "derived",
  });
}
