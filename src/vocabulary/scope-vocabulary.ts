import { NO_VALUE, describeValue, fail } from "../errors";
import { DelegatedScope } from "./delegated";
import { deriveRoleId, isUuid } from "./role-id";
import { readEntries } from "./entries";
import { checkAppRoleValue, checkScopeValue } from "./rules";

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
   * change); leave it out to derive one from the value with `deriveRoleId`.
   * @default deriveRoleId(scope value)
   */
  readonly id?: string;
  /**
   * The app role's display name in the Entra portal.
   * @default the scope value
   */
  readonly displayName?: string;
  /**
   * Retires the permission: the app role stays declared, disabled (`enabled = false`), and
   * `grant()` of it fails to compile and is refused at run time, naming the replacement where one
   * is given. Disabling does not revoke a role from clients that hold it, so the library assigns
   * it to no client; remove the entry once no stack grants it any more. See
   * docs/changing-a-vocabulary.md.
   * @default false (the permission is active)
   */
  readonly retired?: boolean | RetiredScope;
  /**
   * The permission's old value, when this entry renames one: the old app role stays declared
   * and enabled beside this one, `grant()` of the old value is refused with this value
   * suggested, and every grant of this value also assigns the old role, so that clients keep
   * their existing assignment (and tokens carry both values) until the old name is retired with
   * `{ value, retired: true }`. A string is the old value with its derived id.
   * @default not a rename
   */
  readonly renamedFrom?: string | RenamedFrom;
}

/** How a retired permission is described: see {@link ScopeDefinition.retired}. */
export interface RetiredScope {
  /**
   * The active permission of the same vocabulary that replaces it; errors suggest it.
   * @default no replacement
   */
  readonly replacedBy?: string;
  /**
   * Why it was retired, for reviewers; shown in the inventory and `report`.
   * @default no reason
   */
  readonly reason?: string;
}

/** The old name of a renamed permission: see {@link ScopeDefinition.renamedFrom}. */
export interface RenamedFrom {
  /** The old permission value. */
  readonly value: string;
  /**
   * The old app role's id: required for an `ExistingApi`, whose ids are adopted.
   * @default deriveRoleId(value)
   */
  readonly id?: string;
  /**
   * Retires the old name: its role is disabled and grants of the new value stop assigning it
   * (so the old assignments are deleted). The last step before removing `renamedFrom`.
   * @default false (the old role stays enabled and assigned for the transition)
   */
  readonly retired?: boolean;
}

/** The object passed to {@link ScopeVocabulary.define}: scope value → definition. */
export type ScopeDefinitions = { readonly [scope: string]: ScopeDefinition };

/** The compile-time message for a delegated key; the run-time message has the same wording. */
export type DelegatedScopeError<K extends string> =
  `${K} is a delegated scope (user sign-in only) and never applies to the client credentials flow. Remove it and declare the application permission (app role) the client needs instead.`;

/** The compile-time message for a reserved app role value; the run-time message has the same wording. */
export type ReservedAppRoleValueError<K extends string> =
  `${K} is reserved by Entra ID and cannot be an app role value (Entra refuses it at apply with an error that does not name it; azuread provider issue #721). Name the permission after what it allows, e.g. users.read.`;

/**
 * Maps every key of `D` that is a delegated scope (in any letter case) or a reserved app role
 * value to an error message type, so that `ScopeVocabulary.define({ offline_access: {...} })`
 * fails to compile with a message naming the key.
 */
export type RejectDelegatedKeys<D> = {
  readonly [K in keyof D]: K extends string
    ? Lowercase<K> extends DelegatedScope
      ? DelegatedScopeError<K>
      : Lowercase<K> extends "user"
        ? ReservedAppRoleValueError<K>
        : KnownPropertiesOnly<D[K]>
    : D[K];
};

/** Maps a property that {@link ScopeDefinition} does not have to an error message (catches typos). */
export type KnownPropertiesOnly<T> = {
  readonly [P in keyof T]: P extends keyof ScopeDefinition
    ? T[P]
    : // An object type, not a string: a literal value intersected with a string would reduce to never.
      {
        readonly error: `${P & string} is not a scope definition property. Use description, privileged, id, displayName, retired or renamedFrom.`;
      };
};

/** The scope values of a vocabulary. */
export type ScopeOf<V> = V extends ScopeVocabulary<infer D> ? keyof D & string : never;

/** A definition marked retired (`retired: true` or `retired: { ... }`). */
type RetiredDefinition = { readonly retired: true | RetiredScope };

/**
 * True for `any`: the bare `ScopeVocabulary` / `ProtectedApi` types (org wrappers) accept every
 * value, so the lifecycle types must not turn `any` into "everything is retired".
 */
type IsAny<T> = 0 extends 1 & T ? true : false;

/** The scope values of `D` marked `retired`. */
export type RetiredScopeOf<D> =
  IsAny<D> extends true
    ? never
    : {
        [K in keyof D]: D[K] extends RetiredDefinition ? K : never;
      }[keyof D] &
        string;

/** The scope values of `D` declared with `privileged: true` that are not retired. */
export type PrivilegedScopeOf<D> =
  IsAny<D> extends true
    ? never
    : {
        [K in keyof D]: D[K] extends { readonly privileged: true }
          ? D[K] extends RetiredDefinition
            ? never
            : K
          : never;
      }[keyof D] &
        string;

/** The scope values of `D` that `grant()` accepts without a justification: not privileged, not retired. */
export type GrantableScopeOf<D> = Exclude<
  keyof D & string,
  PrivilegedScopeOf<D> | RetiredScopeOf<D>
>;

/** The old values of the renamed entries of `D` (`renamedFrom`). */
export type RenamedFromOf<D> =
  IsAny<D> extends true
    ? never
    : {
        [K in keyof D]: D[K] extends { readonly renamedFrom: infer O extends string }
          ? O
          : D[K] extends { readonly renamedFrom: { readonly value: infer O extends string } }
            ? O
            : never;
      }[keyof D];

/** The entry of `D` that renamed `O`. */
export type RenamedToOf<D, O> = {
  [K in keyof D]: D[K] extends { readonly renamedFrom: O | { readonly value: O } } ? K : never;
}[keyof D] &
  string;

/** The replacement named by the retired entry `K` of `D`, or `never`. */
export type ReplacementOf<D, K extends keyof D> = D[K] extends {
  readonly retired: { readonly replacedBy: infer R extends string };
}
  ? R
  : never;

/** The compile-time message for a grant of a retired permission; the run-time message has the same wording. */
export type RetiredScopeError<S extends string, R extends string> = [R] extends [never]
  ? `${S} is retired and can no longer be granted. Remove the grant.`
  : `${S} is retired and can no longer be granted. Grant ${R} instead.`;

/** The compile-time message for a grant of a renamed permission's old value; the run-time message has the same wording. */
export type RenamedScopeError<
  S extends string,
  N extends string,
> = `${S} was renamed to ${N} and can no longer be granted. Grant ${N} instead.`;

/**
 * The parameter type of `grant(scope)` for a permission that needs no justification: `S` itself
 * when it is grantable, otherwise a message (retired, renamed) or the grantable values.
 */
export type CheckGrant<D, S extends string> =
  S extends GrantableScopeOf<D>
    ? S
    : NoInfer<
        S extends RetiredScopeOf<D>
          ? RetiredScopeError<S, ReplacementOf<D, S>>
          : S extends RenamedFromOf<D>
            ? RenamedScopeError<S, RenamedToOf<D, S>>
            : GrantableScopeOf<D>
      >;

/**
 * The compile-time message for a privileged permission granted without a justification. The
 * run-time error says the same.
 */
export type JustificationRequiredError<S extends string> =
  `"${S}" is privileged and can only be granted with a justification. Pass { justification: "<why the client needs it, at least 20 characters>" } as the second argument.`;

/**
 * The type `grant(scope, options)` checks `scope` against: {@link CheckGrant}, and for a value
 * declared `privileged`, options `O` with a `justification` (otherwise a message type naming the
 * justification, so that the compiler's error says what is missing).
 */
export type CheckJustifiedGrant<D, S extends string, O> =
  S extends PrivilegedScopeOf<D>
    ? [O] extends [{ readonly justification: string }]
      ? S
      : NoInfer<JustificationRequiredError<S>>
    : CheckGrant<D, S>;

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
  /** Present when the entry is retired: see {@link ScopeDefinition.retired}. */
  readonly retired?: RetiredScope;
  /** Present when the entry renames a permission: its old value and role. */
  readonly renamedFrom?: VocabularyRenamedFrom;
}

/** The old name of a renamed entry, resolved. */
export interface VocabularyRenamedFrom {
  /** The old permission value. */
  readonly value: string;
  /** The old app role's id, in lower case. */
  readonly roleId: string;
  /** Whether the id was adopted (`declared`) or derived from the old value (`derived`). */
  readonly roleIdSource: "declared" | "derived";
  /** Whether the old name is retired (its role disabled, no longer assigned). */
  readonly retired: boolean;
}

/**
 * One app role an API with this vocabulary declares: each entry, and the old name of each
 * renamed entry. Retired ones are declared disabled: Entra refuses to delete an enabled role, and
 * the disabled role keeps the id until the entry is removed.
 */
export interface VocabularyAppRole {
  /** The role's value. */
  readonly value: string;
  /** The role's id, in lower case. */
  readonly roleId: string;
  /** The role's description. */
  readonly description: string;
  /** The role's display name. */
  readonly displayName: string;
  /** `false` for retired permissions and retired old names. */
  readonly enabled: boolean;
  /** Whether the vocabulary marks the permission (for an old name: its new entry) privileged. */
  readonly privileged: boolean;
  /**
   * `active`: an entry; `renamed`: the old name of a renamed entry, kept enabled for the
   * transition; `retired`: a retired entry or a retired old name.
   */
  readonly status: "active" | "renamed" | "retired";
  /** The permission that replaces it (the new name of a rename, or a retired entry's `replacedBy`). */
  readonly replacedBy?: string;
  /** Why it was retired, where given. */
  readonly reason?: string;
}

/**
 * The lookup tables of each vocabulary the library made, out of reach of callers: a frozen
 * object's `Map` could still be changed, so the maps live here, keyed by the vocabulary.
 */
const LOOKUPS = new WeakMap<
  object,
  {
    readonly byValue: ReadonlyMap<string, VocabularyScope>;
    readonly byOldValue: ReadonlyMap<string, VocabularyScope>;
  }
>();

function lookups(v: ScopeVocabulary): {
  readonly byValue: ReadonlyMap<string, VocabularyScope>;
  readonly byOldValue: ReadonlyMap<string, VocabularyScope>;
} {
  const found = LOOKUPS.get(v);
  if (!found) {
    return fail(
      "VOCABULARY_INVALID",
      "ScopeVocabulary",
      "not a vocabulary made by ScopeVocabulary.define",
      NO_VALUE,
      "Pass ScopeVocabulary.define({ ... }).",
    );
  }
  return found;
}

const DEFINITION_KEYS = new Set([
  "description",
  "privileged",
  "id",
  "displayName",
  "retired",
  "renamedFrom",
]);
const WHERE = "ScopeVocabulary.define";

/**
 * A closed vocabulary of application permissions for one API. It is the single source of the role
 * names: `ProtectedApi` turns it into app roles, `grant()` accepts only its keys, and the API's
 * own authorization code can check the same names. Defined once and frozen.
 *
 * Vocabularies evolve without outages: an entry can be `retired` (its role disabled, grants
 * refused) and renamed (`renamedFrom`, the old role kept beside the new one for a transition);
 * see docs/changing-a-vocabulary.md.
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
   * `openid`, …, any letter case) and reserved values (`User`) fail to compile; every rule is
   * also checked at run time for JavaScript callers, casts and config files.
   * @throws MachineClientsError naming the bad value and the rule it breaks
   */
  public static define<const D extends ScopeDefinitions>(
    definitions: D & RejectDelegatedKeys<D>,
  ): ScopeVocabulary<D> {
    return new ScopeVocabulary<D>(definitions as D);
  }

  /** Every entry, retired ones included, sorted by value (ordinal), frozen. */
  public readonly scopes: readonly VocabularyScope[];
  /**
   * Every app role an API with this vocabulary declares — the entries and the old names of
   * renamed entries, disabled where retired — sorted by value, frozen.
   */
  public readonly appRoles: readonly VocabularyAppRole[];

  /**
   * `instanceof ScopeVocabulary` holds for vocabularies made by {@link ScopeVocabulary.define}
   * only (not `Object.create(ScopeVocabulary.prototype)` or a Proxy of one).
   */
  public static [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === "object" && x !== null && LOOKUPS.has(x);
  }

  private constructor(definitions: D) {
    this.scopes = readEntries<VocabularyScope>(definitions, {
      where: WHERE,
      example: '{ "orders.read": { description: "Read orders" } }',
      empty: {
        problem: "a vocabulary needs at least one scope",
        fix: "Declare the application permissions the API checks.",
      },
      checkValue: (value) => {
        const problem = checkAppRoleValue(value);
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
    const byValue = new Map(this.scopes.map((e) => [e.value, e]));
    const byOldValue = checkLifecycle(this.scopes);
    this.appRoles = Object.freeze(appRolesOf(this.scopes));
    LOOKUPS.set(this, Object.freeze({ byValue, byOldValue }));
    Object.freeze(this);
  }

  /** The scope values, retired ones included, sorted. */
  public get values(): readonly (keyof D & string)[] {
    return this.scopes.map((s) => s.value);
  }

  /** The values `grant()` accepts (every entry that is not retired), sorted. */
  public get grantableValues(): readonly GrantableScopeOf<D>[] {
    return this.scopes.filter((s) => !s.retired).map((s) => s.value as GrantableScopeOf<D>);
  }

  /** True when `value` is one of this vocabulary's scopes (exact letter case), retired or not. */
  public has(value: unknown): value is keyof D & string {
    return typeof value === "string" && lookups(this).byValue.has(value);
  }

  /**
   * The entry for `value`, retired or not.
   * @param where the caller's location (a construct path) for the error message
   * @throws MachineClientsError when the value is not in the vocabulary (naming the new value
   *   when it is the old value of a renamed entry)
   */
  public get(value: keyof D & string, where: string = "ScopeVocabulary.get"): VocabularyScope {
    const { byValue, byOldValue } = lookups(this);
    const entry = typeof value === "string" ? byValue.get(value) : undefined;
    if (entry) return entry;
    if (typeof value === "string") {
      const problem = checkScopeValue(value);
      if (problem?.code === "DELEGATED_SCOPE")
        fail(problem.code, where, problem.problem, value, problem.fix);
      const renamed = byOldValue.get(value);
      if (renamed) {
        fail(
          "SCOPE_RENAMED",
          where,
          renamedScopeProblem(value, renamed.value),
          value,
          renamedScopeFix(renamed.value),
        );
      }
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
      `Use one of: ${this.grantableValues.map((v) => describeValue(v)).join(", ")}.`,
    );
  }

  /**
   * The entry for `value` when it can be granted: in the vocabulary and not retired. The run-time
   * half of `grant()`'s type; the messages have the compile-time wording.
   * @param where the caller's location (a construct path) for the error message
   * @throws MachineClientsError when the value is not in the vocabulary, is retired, or is the
   *   old value of a renamed entry
   */
  public grantable(value: string, where: string = "ScopeVocabulary.grantable"): VocabularyScope {
    const entry = this.get(value as keyof D & string, where);
    if (entry.retired) {
      fail(
        "SCOPE_RETIRED",
        where,
        retiredScopeProblem(entry.value),
        value,
        retiredScopeFix(entry.retired.replacedBy),
      );
    }
    return entry;
  }

  /**
   * The old app role that a grant of `value` also assigns while its rename is in transition
   * (`renamedFrom` given and not retired); `undefined` otherwise.
   */
  public transitionalRoleOf(value: string): VocabularyAppRole | undefined {
    const old = lookups(this).byValue.get(value)?.renamedFrom;
    if (!old || old.retired) return undefined;
    return this.appRoles.find((r) => r.roleId === old.roleId);
  }
}

/** The shared wording (compile time and run time) of a grant of a retired permission. */
export function retiredScopeProblem(value: string): string {
  return `${value} is retired and can no longer be granted`;
}

/** The fix given with {@link retiredScopeProblem}. */
export function retiredScopeFix(replacedBy: string | undefined): string {
  return replacedBy === undefined ? "Remove the grant." : `Grant ${replacedBy} instead.`;
}

/** The shared wording (compile time and run time) of a grant of a renamed permission's old value. */
export function renamedScopeProblem(oldValue: string, newValue: string): string {
  return `${oldValue} was renamed to ${newValue} and can no longer be granted`;
}

/** The fix given with {@link renamedScopeProblem}. */
export function renamedScopeFix(newValue: string): string {
  return `Grant ${newValue} instead.`;
}

/** An own data property of a definition, read once (getters are not called twice). */
function prop(def: Record<string, unknown>, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(def, key);
  return d && "value" in d ? d.value : d ? def[key] : undefined;
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
  const description = prop(def, "description");
  const privileged = prop(def, "privileged");
  const displayName = prop(def, "displayName");
  const id = prop(def, "id");
  if (typeof description !== "string" || description.trim().length === 0) {
    fail(
      "SCOPE_DESCRIPTION_MISSING",
      where,
      "description must be a non-empty string (Entra requires it on app roles)",
      description,
      'Say what the permission allows, e.g. "Read orders".',
    );
  }
  if (privileged !== undefined && typeof privileged !== "boolean") {
    fail(
      "SCOPE_PRIVILEGED_INVALID",
      where,
      "privileged must be true or false",
      privileged,
      "Write privileged: true.",
    );
  }
  if (
    displayName !== undefined &&
    (typeof displayName !== "string" || displayName.trim().length === 0)
  ) {
    fail(
      "SCOPE_DISPLAY_NAME_INVALID",
      where,
      "displayName must be a non-empty string",
      displayName,
      "Leave it out to use the scope value.",
    );
  }
  if (id !== undefined && !isUuid(id)) {
    fail(
      "ROLE_ID_NOT_UUID",
      where,
      "id must be a UUID (8-4-4-4-12 hexadecimal, not the nil UUID)",
      id,
      "Copy the existing app role's id from the tenant, or leave id out to derive one.",
    );
  }
  const retired = readRetired(prop(def, "retired"), where);
  const renamedFrom = readRenamedFrom(prop(def, "renamedFrom"), value, where);
  return Object.freeze({
    value,
    description,
    displayName: (displayName as string | undefined) ?? value,
    privileged: privileged === true,
    roleId: id !== undefined ? (id as string).toLowerCase() : deriveRoleId(value),
    roleIdSource: id !== undefined ? "declared" : "derived",
    ...(retired ? { retired } : {}),
    ...(renamedFrom ? { renamedFrom } : {}),
  });
}

function readRetired(raw: unknown, where: string): RetiredScope | undefined {
  if (raw === undefined || raw === false) return undefined;
  if (raw === true) return Object.freeze({});
  const fix = 'Write retired: true, or retired: { replacedBy: "<active scope>", reason: "..." }.';
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    fail("SCOPE_RETIRED_INVALID", where, "retired must be true or an object", raw, fix);
  }
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).find((k) => k !== "replacedBy" && k !== "reason");
  if (unknown !== undefined) {
    fail("SCOPE_RETIRED_INVALID", where, `unknown property "${unknown}" of retired`, unknown, fix);
  }
  const replacedBy = prop(r, "replacedBy");
  const reason = prop(r, "reason");
  if (replacedBy !== undefined && typeof replacedBy !== "string") {
    fail(
      "SCOPE_RETIRED_INVALID",
      where,
      "retired.replacedBy must be a scope value",
      replacedBy,
      fix,
    );
  }
  if (reason !== undefined && (typeof reason !== "string" || reason.trim().length === 0)) {
    fail("SCOPE_RETIRED_INVALID", where, "retired.reason must be a non-empty string", reason, fix);
  }
  return Object.freeze({
    ...(replacedBy !== undefined ? { replacedBy: replacedBy as string } : {}),
    ...(reason !== undefined ? { reason: reason as string } : {}),
  });
}

function readRenamedFrom(
  raw: unknown,
  value: string,
  where: string,
): VocabularyRenamedFrom | undefined {
  if (raw === undefined) return undefined;
  const fix = 'Write renamedFrom: "<old value>", or renamedFrom: { value, id, retired }.';
  let oldValue: unknown;
  let id: unknown;
  let retired: unknown;
  if (typeof raw === "string") oldValue = raw;
  else if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>;
    const unknown = Object.keys(r).find((k) => k !== "value" && k !== "id" && k !== "retired");
    if (unknown !== undefined) {
      fail(
        "SCOPE_RENAMED_FROM_INVALID",
        where,
        `unknown property "${unknown}" of renamedFrom`,
        unknown,
        fix,
      );
    }
    oldValue = prop(r, "value");
    id = prop(r, "id");
    retired = prop(r, "retired");
  } else {
    fail(
      "SCOPE_RENAMED_FROM_INVALID",
      where,
      "renamedFrom must be a string or an object",
      raw,
      fix,
    );
  }
  const problem = checkAppRoleValue(oldValue);
  if (problem) fail(problem.code, `${where} › renamedFrom`, problem.problem, oldValue, problem.fix);
  const old = oldValue as string;
  if (old.toLowerCase() === value.toLowerCase()) {
    fail(
      "SCOPE_RENAMED_FROM_CASE_ONLY",
      where,
      `"${old}" → "${value}" changes letter case only, which is not a rename: Entra compares values ignoring case and the role id stays the same`,
      old,
      "Drop renamedFrom and just change the key's letter case; the role and its assignments are updated in place.",
    );
  }
  if (id !== undefined && !isUuid(id)) {
    fail(
      "ROLE_ID_NOT_UUID",
      `${where} › renamedFrom`,
      "id must be a UUID (8-4-4-4-12 hexadecimal, not the nil UUID)",
      id,
      "Copy the old app role's id from the tenant, or leave id out to derive it from the old value.",
    );
  }
  if (retired !== undefined && typeof retired !== "boolean") {
    fail(
      "SCOPE_RENAMED_FROM_INVALID",
      where,
      "renamedFrom.retired must be true or false",
      retired,
      fix,
    );
  }
  return Object.freeze({
    value: old,
    roleId: id !== undefined ? (id as string).toLowerCase() : deriveRoleId(old),
    roleIdSource: id !== undefined ? "declared" : "derived",
    retired: retired === true,
  });
}

/**
 * Checks the rules between entries: a `replacedBy` names an active entry of the vocabulary; an old
 * name is not also an entry, is renamed once, and its role id is its own; a retired entry keeps no
 * old name enabled.
 * @returns the renamed entries by old value
 */
function checkLifecycle(scopes: readonly VocabularyScope[]): ReadonlyMap<string, VocabularyScope> {
  const byLower = new Map(scopes.map((s) => [s.value.toLowerCase(), s]));
  const ids = new Map(scopes.map((s) => [s.roleId, s.value]));
  const byOldValue = new Map<string, VocabularyScope>();
  const oldLower = new Map<string, string>();
  for (const s of scopes) {
    const where = `${WHERE} › "${s.value}"`;
    const replacedBy = s.retired?.replacedBy;
    if (replacedBy !== undefined) {
      const target = scopes.find((t) => t.value === replacedBy);
      if (!target || target.retired || target === s) {
        fail(
          "SCOPE_REPLACED_BY_INVALID",
          where,
          `retired.replacedBy must name another active scope of the vocabulary${target === s ? "; a scope cannot replace itself" : target ? `; "${replacedBy}" is retired too` : ""}`,
          replacedBy,
          `Use one of: ${scopes
            .filter((t) => !t.retired && t !== s)
            .map((t) => `"${t.value}"`)
            .join(", ")}, or leave replacedBy out.`,
        );
      }
    }
    const old = s.renamedFrom;
    if (!old) continue;
    const entry = byLower.get(old.value.toLowerCase());
    if (entry) {
      fail(
        "SCOPE_RENAMED_FROM_DECLARED",
        where,
        `"${old.value}" is both an entry and the old name of "${s.value}"`,
        old.value,
        `Remove the "${entry.value}" entry: renamedFrom keeps its app role until you retire it with renamedFrom: { value: "${old.value}", retired: true }.`,
      );
    }
    const twin = oldLower.get(old.value.toLowerCase());
    if (twin !== undefined) {
      fail(
        "SCOPE_RENAMED_TWICE",
        where,
        `"${old.value}" is already the old name of "${twin}"`,
        old.value,
        "Rename a permission into one new value.",
      );
    }
    const sameId = ids.get(old.roleId);
    if (sameId !== undefined) {
      fail(
        "ROLE_ID_DUPLICATE",
        where,
        `role id ${old.roleId} of the old name "${old.value}" is already used by "${sameId}"; role ids must be distinct within an API`,
        old.roleId,
        "Give the old name the id its role has in the tenant.",
      );
    }
    if (s.retired && !old.retired) {
      fail(
        "SCOPE_RETIRED_RENAME_ACTIVE",
        where,
        `"${s.value}" is retired but keeps its old name "${old.value}" enabled`,
        old.value,
        `Retire the old name too: renamedFrom: { value: "${old.value}", retired: true }.`,
      );
    }
    oldLower.set(old.value.toLowerCase(), s.value);
    ids.set(old.roleId, old.value);
    byOldValue.set(old.value, s);
  }
  return byOldValue;
}

/** The app roles of a vocabulary's entries and of their old names, sorted by value. */
function appRolesOf(scopes: readonly VocabularyScope[]): VocabularyAppRole[] {
  const roles: VocabularyAppRole[] = [];
  for (const s of scopes) {
    roles.push(
      Object.freeze({
        value: s.value,
        roleId: s.roleId,
        description: s.description,
        displayName: s.displayName,
        enabled: !s.retired,
        privileged: s.privileged,
        status: s.retired ? "retired" : "active",
        ...(s.retired?.replacedBy !== undefined ? { replacedBy: s.retired.replacedBy } : {}),
        ...(s.retired?.reason !== undefined ? { reason: s.retired.reason } : {}),
      }),
    );
    const old = s.renamedFrom;
    if (old) {
      roles.push(
        Object.freeze({
          value: old.value,
          roleId: old.roleId,
          // The new entry's description: a rename usually keeps it, and then the old role is
          // left exactly as it was (no in-place update while clients still hold it).
          description: s.description,
          displayName: old.value,
          enabled: !old.retired,
          privileged: s.privileged,
          status: old.retired ? "retired" : "renamed",
          replacedBy: s.value,
        }),
      );
    }
  }
  return roles.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

// `define`, `instanceof` and the methods cannot be replaced.
Object.freeze(ScopeVocabulary);
Object.freeze(ScopeVocabulary.prototype);
