/**
 * Sealed grants. Only this module makes {@link ScopeGrant}s: each one is recorded in a
 * module-private registry at birth, with the authoritative record of what it was minted for (the
 * API, the vocabulary or Microsoft Graph's table, the entry, the justification). A
 * `MachineClient` accepts a grant only if the registry knows it, and re-derives what it
 * synthesizes from that record and the (immutable) vocabulary, never from the grant's own
 * fields. A hand-made object, `Object.create(ScopeGrant.prototype)`, a spread copy or a Proxy of
 * a real grant is not in the registry, whatever brand or fields it carries.
 *
 * Internal module: `grant.ts` re-exports the class only; `mintGraphGrant`, `mintTransitionalGrant`
 * and `verifyGrant` are not part of the public API (and not reachable through the package's
 * `exports`).
 */
import { MachineClientsError, NO_VALUE, describeValue, fail, plainText } from "../errors";
import {
  GRAPH_CLIENT_ID,
  checkGraphJustification,
  checkGraphPermission,
  graphRoleIdOf,
  isGraphIdentity,
  isGraphTier0Permission,
} from "../graph";
import { GrantModel } from "../model";
import { isToken } from "../tokens";
import { JUSTIFICATION_FIX, justificationProblem } from "../vocabulary/justification";
import { readGuarded, readOwn } from "../read-once";
import { checkAppRoleValue, checkScopeValue } from "../vocabulary/rules";
import { ScopeDefinitions, ScopeVocabulary } from "../vocabulary/scope-vocabulary";
import type { GrantOptions, IApi } from "./grant";

/** The capability to run the constructor: never leaves this module. */
const SEAL: unique symbol = Symbol("cdktf-machine-clients.ScopeGrant.seal");

/** Where a grant's entry comes from. */
type GrantSource =
  | { readonly kind: "vocabulary"; readonly vocabulary: ScopeVocabulary }
  | { readonly kind: "graph" };

/** What a grant was minted for: the only thing a client trusts. */
interface GrantRecord {
  readonly api: IApi;
  readonly scope: string;
  readonly roleId: string;
  readonly privileged: boolean;
  readonly justification?: string;
  readonly source: GrantSource;
}

/** Every grant the library minted, with its record. */
const RECORDS = new WeakMap<object, GrantRecord>();
/** Per API (an `IApi` of its own), the one vocabulary its grants are minted from. */
const API_VOCABULARY = new WeakMap<object, ScopeVocabulary>();

const FORGED_FIX =
  "Get grants from api.grant(scope) or MicrosoftGraph.grant(permission); an API of your own (IApi) mints them with ScopeGrant.fromVocabulary(api, vocabulary, scope).";

/**
 * One application permission on one API, as returned by `api.grant(scope)`. The only thing a
 * {@link MachineClient}'s `access` accepts: strings, scopes of other vocabularies and hand-made
 * objects do not compile, and are rejected at run time.
 *
 * Grants are sealed: only the library makes them (the constructor is private and refuses every
 * caller), each is frozen, and a client accepts a grant only if the library minted it for that
 * API and vocabulary entry, re-deriving the role it assigns from the vocabulary.
 */
export class ScopeGrant<S extends string = string> {
  /** True when `x` is a grant made by this library (not a copy, Proxy or look-alike of one). */
  public static isScopeGrant(x: unknown): x is ScopeGrant {
    return typeof x === "object" && x !== null && RECORDS.has(x);
  }

  /** `instanceof ScopeGrant` holds for grants the library made only. */
  public static [Symbol.hasInstance](x: unknown): boolean {
    return ScopeGrant.isScopeGrant(x);
  }

  /**
   * Mints a grant of `scope` on an API implemented outside the library (the {@link IApi}
   * extension point), from the API's {@link ScopeVocabulary}: the one documented way to make a
   * grant other than `api.grant(scope)` and `MicrosoftGraph.grant(permission)`, with the same
   * checks. The scope must be a grantable entry of the vocabulary (not retired, not the old value
   * of a rename; delegated scopes can never be entries), a privileged one needs a justification
   * of at least 20 characters, and an API is bound to one vocabulary: its `vocabulary` property
   * where it has one, otherwise the vocabulary of its first grant. Microsoft Graph's permissions
   * are granted with `MicrosoftGraph.grant` only.
   *
   * @example
   * class PaymentsApi extends Construct implements IApi {
   *   // ... apiKey, identifierUri, clientId, servicePrincipalObjectIdFor
   *   public grant(scope: ScopeOf<typeof payments>): ScopeGrant {
   *     return ScopeGrant.fromVocabulary(this, payments, scope);
   *   }
   * }
   * @throws MachineClientsError when the API is not an API, the vocabulary is not one made by
   *   `ScopeVocabulary.define`, the scope cannot be granted, or the justification is missing
   */
  public static fromVocabulary<D extends ScopeDefinitions, const T extends keyof D & string>(
    api: IApi,
    vocabulary: ScopeVocabulary<D>,
    scope: T,
    options: GrantOptions = {},
  ): ScopeGrant<T> {
    return mintFromVocabulary(
      api,
      vocabulary,
      scope,
      options,
      "ScopeGrant.fromVocabulary",
    ) as ScopeGrant<T>;
  }

  /** The API the permission is on. */
  public readonly api: IApi;
  /** The permission value (app role value). */
  public readonly scope: S;
  /** The app role id assigned. */
  public readonly roleId: string;
  /** Whether the vocabulary marks the permission privileged. */
  public readonly privileged: boolean;
  /** Why the client needs it, where given. */
  public readonly justification?: string;

  /**
   * Not callable: grants come from `api.grant(scope)`, `MicrosoftGraph.grant(permission)` or
   * {@link ScopeGrant.fromVocabulary}. Any other call throws.
   */
  private constructor(seal: typeof SEAL, record: GrantRecord) {
    if (seal !== SEAL || typeof record !== "object" || record === null) {
      // A forged call is new ScopeGrant(api, scope, …): show the scope it tried.
      const scope: unknown = record;
      throw new MachineClientsError(
        "GRANT_FORGED",
        "new ScopeGrant",
        "grants are made by the library only; a grant constructed by hand is never accepted",
        typeof scope === "string" ? scope : NO_VALUE,
        FORGED_FIX,
      );
    }
    this.api = record.api;
    this.scope = record.scope as S;
    this.roleId = record.roleId;
    this.privileged = record.privileged;
    if (record.justification !== undefined) this.justification = record.justification;
    RECORDS.set(this, record);
    Object.freeze(this);
  }

  /** A key unique per API and scope, used to find duplicates and name resources. */
  public get key(): string {
    const record = RECORDS.get(this);
    if (!record) return fail("GRANT_FORGED", "ScopeGrant.key", "not a grant", NO_VALUE, FORGED_FIX);
    return `${record.api.apiKey}#${record.scope}`;
  }

  /** The grant as declared, for policy checks and the inventory. */
  public toModel(): GrantModel {
    return grantModel(verifyGrant(this, "ScopeGrant.toModel"));
  }
}
// Statics (isScopeGrant, fromVocabulary) and methods cannot be replaced.
Object.freeze(ScopeGrant);
Object.freeze(ScopeGrant.prototype);

function mint(record: GrantRecord): ScopeGrant {
  return new (ScopeGrant as unknown as new (seal: typeof SEAL, r: GrantRecord) => ScopeGrant)(
    SEAL,
    Object.freeze({ ...record }),
  );
}

/** True when `api` is Microsoft Graph as an `IApi` (by its client id or identifier URI). */
function claimsToBeGraph(api: IApi): boolean {
  return isGraphIdentity(api.clientId, api.identifierUri);
}

/** The `vocabulary` an API exposes, when it has one. */
function ownVocabulary(api: IApi): unknown {
  return (api as { vocabulary?: unknown }).vocabulary;
}

/**
 * True when `api` is bound to a vocabulary other than `vocabulary`: its own `vocabulary`
 * property (`own`), or (for an `IApi` without one) the vocabulary of its first grant.
 */
function boundToAnother(api: IApi, own: unknown, vocabulary: ScopeVocabulary): boolean {
  const bound = API_VOCABULARY.get(api);
  return (own !== undefined && own !== vocabulary) || (bound !== undefined && bound !== vocabulary);
}

/** Refuses an API that claims to be Microsoft Graph for a grant from a vocabulary. */
function refuseGraphVocabulary(api: IApi, where: string, value: unknown): void {
  if (claimsToBeGraph(api)) {
    fail(
      "GRANT_GRAPH_NOT_VOCABULARY",
      where,
      "Microsoft Graph's permissions come from its own table, not from a vocabulary",
      value,
      'Use MicrosoftGraph.grant("<application permission>").',
    );
  }
}

function checkApi(api: unknown, where: string): asserts api is IApi {
  const a = api as Partial<IApi> | null;
  if (
    typeof api !== "object" ||
    a === null ||
    typeof a.apiKey !== "string" ||
    typeof a.identifierUri !== "string" ||
    typeof a.clientId !== "string" ||
    typeof a.servicePrincipalObjectIdFor !== "function"
  ) {
    fail(
      "GRANT_API_INVALID",
      where,
      "api must be an API (IApi: apiKey, identifierUri, clientId, servicePrincipalObjectIdFor)",
      api,
      "Pass the API construct the permission is on.",
    );
  }
}

/**
 * The run-time half of `grant()` for an API with a {@link ScopeVocabulary}: the scope must be a
 * grantable entry, a privileged one needs a justification of at least 20 characters, and a
 * justification given must be text. The API is bound to one vocabulary.
 */
export function mintFromVocabulary(
  api: IApi,
  vocabulary: ScopeVocabulary,
  scope: string,
  options: GrantOptions,
  where: string,
): ScopeGrant {
  checkApi(api, where);
  if (!(vocabulary instanceof ScopeVocabulary)) {
    fail(
      "VOCABULARY_INVALID",
      where,
      "vocabulary must be made by ScopeVocabulary.define",
      vocabulary,
      "Pass the API's ScopeVocabulary.define({ ... }).",
    );
  }
  refuseGraphVocabulary(api, where, api.clientId);
  const own = ownVocabulary(api);
  if (boundToAnother(api, own, vocabulary)) {
    fail(
      "GRANT_VOCABULARY_MISMATCH",
      where,
      `the vocabulary is not the one of ${plainText(api.apiKey)}; a grant is minted only from its own API's vocabulary`,
      scope,
      "Grant the permission on the API that declares it: api.grant(scope).",
    );
  }
  const entry = vocabulary.grantable(scope, where);
  if (typeof options !== "object" || options === null) {
    fail(
      "GRANT_OPTIONS_INVALID",
      where,
      "grant options must be an object",
      options,
      'Write e.g. { justification: "..." }.',
    );
  }
  // Read once: the value checked is the value the grant keeps.
  const justification: unknown = readGuarded(where, "options.justification", () =>
    readOwn(options, "justification"),
  );
  if (entry.privileged) {
    const problem = justificationProblem(entry.value, justification);
    if (problem) fail("PRIVILEGED_JUSTIFICATION", where, problem, justification, JUSTIFICATION_FIX);
  } else if (justification !== undefined && typeof justification !== "string") {
    fail(
      "JUSTIFICATION_INVALID",
      where,
      "justification must be a string",
      justification,
      "Write the reason as text, or leave it out.",
    );
  } else if (justification !== undefined) {
    const problem = justificationProblem(entry.value, justification, 0);
    if (problem) fail("JUSTIFICATION_INVALID", where, problem, justification, JUSTIFICATION_FIX);
  }
  if (own === undefined) API_VOCABULARY.set(api, vocabulary);
  return mint({
    api,
    scope: entry.value,
    roleId: entry.roleId,
    privileged: entry.privileged,
    ...(justification !== undefined ? { justification: justification as string } : {}),
    source: { kind: "vocabulary", vocabulary },
  });
}

/**
 * Mints a Microsoft Graph grant, once `MicrosoftGraph.grant` has checked the name and the
 * justification. The role id and tier come from the static table.
 */
export function mintGraphGrant(
  graph: IApi,
  permission: string,
  justification: string | undefined,
): ScopeGrant {
  return mint({
    api: graph,
    scope: permission,
    roleId: graphRoleIdOf(permission)!,
    privileged: isGraphTier0Permission(permission),
    ...(justification !== undefined ? { justification } : {}),
    source: { kind: "graph" },
  });
}

/**
 * A grant standing for the old role of a rename in transition, handed to `IApi.onAssignment`.
 * A client refuses it in `access` (its value is the renamed one, which is not grantable).
 */
export function mintTransitionalGrant(grant: VerifiedGrant, role: AssignedRole): ScopeGrant {
  return mint({
    api: grant.api,
    scope: role.scope,
    roleId: role.roleId,
    privileged: grant.privileged,
    ...(grant.justification !== undefined ? { justification: grant.justification } : {}),
    source: grant.source,
  });
}

/** One app role assignment a grant makes. */
export interface AssignedRole {
  /** The permission value of the role. */
  readonly scope: string;
  /** The app role id. */
  readonly roleId: string;
  /** True for the old role of a renamed permission, assigned until the old name is retired. */
  readonly transitional: boolean;
}

/** A grant checked against the registry, with what it synthesizes re-derived from its source. */
export interface VerifiedGrant {
  /** The grant object itself. */
  readonly grant: ScopeGrant;
  readonly api: IApi;
  readonly scope: string;
  readonly roleId: string;
  readonly privileged: boolean;
  readonly justification?: string;
  readonly source: GrantSource;
  /** `<api key>#<scope>`. */
  readonly key: string;
  /** The app roles it assigns: its own, and the old role of a rename in transition. */
  readonly roles: readonly AssignedRole[];
  /** The old name of a rename in transition, for the inventory. */
  readonly renamedFrom?: { readonly scope: string; readonly roleId: string };
}

/**
 * Accepts `x` only if the library minted it, and re-derives what it synthesizes — value, role id,
 * privileged, the roles it assigns — from its record and the vocabulary (or Graph's table),
 * re-checking every rule: not a delegated scope in any letter case, not a look-alike, grantable
 * now, justified when privileged, on the API it was minted for.
 * @param where the client's path (or the calling API), for error messages
 */
export function verifyGrant(x: unknown, where: string): VerifiedGrant {
  const record = typeof x === "object" && x !== null ? RECORDS.get(x) : undefined;
  if (!record) {
    fail(
      "ACCESS_NOT_A_GRANT",
      where,
      typeof x === "object" && x !== null
        ? "access takes only grants made by api.grant(scope); this object was not made by the library, whatever fields or brand it carries"
        : "access takes only grants made by api.grant(scope)",
      x,
      typeof x === "string"
        ? `Replace ${describeValue(x)} with api.grant(${describeValue(x)}).`
        : FORGED_FIX,
    );
  }
  const grant = x as ScopeGrant;
  const { api, source } = record;
  if (source.kind === "graph") return verifyGraphGrant(grant, record, where);
  // A vocabulary entry can never be delegated or non-ASCII (define refuses it); checked again.
  const vocabulary = source.vocabulary;
  if (boundToAnother(api, ownVocabulary(api), vocabulary)) {
    fail(
      "GRANT_VOCABULARY_MISMATCH",
      where,
      `the grant of ${describeValue(record.scope)} was minted from another vocabulary than the one of ${plainText(api.apiKey)}`,
      record.scope,
      "Grant the permission on the API that declares it: api.grant(scope).",
    );
  }
  refuseGraphVocabulary(api, where, record.scope);
  const problem = checkAppRoleValue(record.scope);
  if (problem) fail(problem.code, where, problem.problem, record.scope, problem.fix);
  const entry = vocabulary.grantable(record.scope, where);
  if (entry.privileged) {
    const missing = justificationProblem(entry.value, record.justification);
    if (missing) {
      fail("PRIVILEGED_JUSTIFICATION", where, missing, record.justification, JUSTIFICATION_FIX);
    }
  }
  const own_: AssignedRole = { scope: entry.value, roleId: entry.roleId, transitional: false };
  const old = vocabulary.transitionalRoleOf(entry.value);
  return Object.freeze({
    grant,
    api,
    scope: entry.value,
    roleId: entry.roleId,
    privileged: entry.privileged,
    ...(record.justification !== undefined ? { justification: record.justification } : {}),
    source,
    key: `${api.apiKey}#${entry.value}`,
    roles: Object.freeze(
      old ? [own_, { scope: old.value, roleId: old.roleId, transitional: true }] : [own_],
    ),
    ...(old ? { renamedFrom: { scope: old.value, roleId: old.roleId } } : {}),
  });
}

function verifyGraphGrant(grant: ScopeGrant, record: GrantRecord, where: string): VerifiedGrant {
  const { api, scope } = record;
  // Delegated names of any case first (offline_access, OPENID…), then Graph's own table.
  const value = checkScopeValue(scope);
  if (value?.code === "DELEGATED_SCOPE") fail(value.code, where, value.problem, scope, value.fix);
  const problem = checkGraphPermission(scope);
  if (problem) fail(problem.code, where, problem.problem, scope, problem.fix);
  if (
    !claimsToBeGraph(api) ||
    (!isToken(api.clientId) && api.clientId.toLowerCase() !== GRAPH_CLIENT_ID)
  ) {
    fail(
      "GRANT_API_MISMATCH",
      where,
      "a Microsoft Graph grant is on Microsoft Graph only",
      scope,
      'Use MicrosoftGraph.grant("<application permission>").',
    );
  }
  const justification = checkGraphJustification(scope, record.justification);
  if (justification) {
    fail(justification.code, where, justification.problem, record.justification, justification.fix);
  }
  const roleId = graphRoleIdOf(scope)!;
  return Object.freeze({
    grant,
    api,
    scope,
    roleId,
    privileged: isGraphTier0Permission(scope),
    ...(record.justification !== undefined ? { justification: record.justification } : {}),
    source: record.source,
    key: `${api.apiKey}#${scope}`,
    roles: Object.freeze([{ scope, roleId, transitional: false }]),
  });
}

/** A verified grant as declared, for policy checks and the inventory. */
export function grantModel(g: VerifiedGrant): GrantModel {
  return {
    api: g.api.apiKey,
    identifierUri: g.api.identifierUri,
    scope: g.scope,
    roleId: g.roleId,
    privileged: g.privileged,
    ...(g.justification !== undefined ? { justification: g.justification } : {}),
    ...(g.renamedFrom
      ? { renamedFrom: { scope: g.renamedFrom.scope, roleId: g.renamedFrom.roleId } }
      : {}),
  };
}
