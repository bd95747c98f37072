/**
 * The Microsoft Graph application-permission vocabulary: names, static app role ids, the rules a
 * name must pass, and their wording (shared by the compile-time message types and the run-time
 * errors). Pure TypeScript, no cdktf import; the data is generated from Microsoft's export by
 * `scripts/generate-graph.js` into `permissions.generated.ts`.
 */
import { describeValue } from "../errors";
import { DELEGATED_SCOPE_FIX } from "../vocabulary/delegated";
import {
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_DELEGATED_ONLY_PERMISSIONS,
  GRAPH_PERMISSIONS_SOURCE,
  GraphApplicationPermission,
  GraphDelegatedOnlySuggestions,
} from "./permissions.generated";
import { JustificationProblem, checkJustification } from "../vocabulary/justification";
import { isGraphTier0Permission } from "./tier0";

export {
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_DELEGATED_ONLY_PERMISSIONS,
  GRAPH_PERMISSIONS_SOURCE,
} from "./permissions.generated";
export type {
  GraphApplicationPermission,
  GraphApplicationPermissionIds,
  GraphDelegatedOnlySuggestions,
} from "./permissions.generated";

/** The application (client) id of Microsoft Graph, the same in every tenant. */
export const GRAPH_CLIENT_ID = "00000003-0000-0000-c000-000000000000";

/** Microsoft Graph's identifier URI; clients request tokens for `https://graph.microsoft.com/.default`. */
export const GRAPH_IDENTIFIER_URI = "https://graph.microsoft.com";

/**
 * True when `clientId` or `identifierUri` is Microsoft Graph's: the client id in any letter case,
 * the identifier URI ignoring letter case and trailing slashes (as Entra compares them).
 */
export function isGraphIdentity(clientId: unknown, identifierUri: unknown): boolean {
  return (
    (typeof clientId === "string" && clientId.toLowerCase() === GRAPH_CLIENT_ID) ||
    (typeof identifierUri === "string" &&
      identifierUri.toLowerCase().replace(/\/+$/, "") === GRAPH_IDENTIFIER_URI)
  );
}

/** Microsoft Graph permission names that exist only as delegated permissions (user sign-in). */
export type GraphDelegatedOnlyPermission = keyof GraphDelegatedOnlySuggestions;

const GRAPH_TIER0_KIND = "a privileged (tier-0) Microsoft Graph permission";

type Snapshot = (typeof GRAPH_PERMISSIONS_SOURCE)["snapshotDate"];
type DelegatedProblem<S extends string> =
  `"${S}" is a delegated Microsoft Graph permission (user sign-in only) and never applies to the client credentials flow`;

/**
 * The compile-time message for a delegated-only Graph name, naming the application permission to
 * use instead where there is one. The run-time error has the same wording.
 */
export type GraphDelegatedPermissionError<S extends string> = S extends GraphDelegatedOnlyPermission
  ? GraphDelegatedOnlySuggestions[S] extends infer A extends string
    ? `${DelegatedProblem<S>}. Use the application permission "${A}" instead.`
    : `${DelegatedProblem<S>}. ${typeof DELEGATED_SCOPE_FIX}`
  : never;

/** Each application permission by its lower-case name (computed once, looked up per error). */
type GraphPermissionByLowerCase = {
  [P in GraphApplicationPermission as Lowercase<P>]: P;
};

/**
 * The compile-time message for a name that is not a Graph application permission: when it is
 * one in another letter case, the message suggests that name (as the run-time error does).
 */
export type GraphUnknownPermissionError<S extends string> =
  Lowercase<S> extends infer L extends keyof GraphPermissionByLowerCase
    ? `"${S}" is not a Microsoft Graph application permission (snapshot ${Snapshot}). Did you mean "${GraphPermissionByLowerCase[L]}"? Permission names are matched exactly.`
    : `"${S}" is not a Microsoft Graph application permission (snapshot ${Snapshot}). Use a GraphApplicationPermission name, in its exact letter case.`;

/**
 * The type `MicrosoftGraph.grant()` checks its argument against: the name itself when it is an
 * application permission, otherwise a message type (so the compiler's error quotes it).
 *
 * The message branch is wrapped in `NoInfer`: the compiler infers `S` from the argument through
 * the first branch only, instead of walking into the 235 delegated names and the message
 * templates on every call (which made type-checking a Graph grant measurably slower; see
 * bench/typecheck.bench.js). Once `S` is a concrete name, `NoInfer` disappears from the message.
 */
export type CheckGraphPermission<S extends string> = S extends GraphApplicationPermission
  ? S
  : NoInfer<
      S extends GraphDelegatedOnlyPermission
        ? GraphDelegatedPermissionError<S>
        : GraphUnknownPermissionError<S>
    >;

/** One rule a Graph permission name breaks, in the library's error wording. */
export interface GraphPermissionProblem {
  /** A stable rule code. */
  readonly code: "GRAPH_DELEGATED_PERMISSION" | "GRAPH_UNKNOWN_PERMISSION";
  /** What is wrong, naming the value. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

const IDS: Readonly<Record<string, string>> = GRAPH_APPLICATION_PERMISSION_IDS;
const DELEGATED_ONLY: Readonly<Record<string, string | null>> = GRAPH_DELEGATED_ONLY_PERMISSIONS;
/** The longest application permission name: a longer value cannot be a letter-case twin. */
const MAX_PERMISSION_NAME_LENGTH = Math.max(...Object.keys(IDS).map((k) => k.length));
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** True when `name` is a Microsoft Graph application permission (exact letter case). */
export function isGraphApplicationPermission(name: unknown): name is GraphApplicationPermission {
  return typeof name === "string" && has(IDS, name);
}

/** The static app role id of a Graph application permission; `undefined` for any other name. */
export function graphRoleIdOf(name: string): string | undefined {
  return has(IDS, name) ? IDS[name] : undefined;
}

/**
 * Checks a Graph application permission name.
 * @returns the broken rule, or `undefined` when `name` is an application permission
 */
export function checkGraphPermission(name: unknown): GraphPermissionProblem | undefined {
  if (isGraphApplicationPermission(name)) return undefined;
  if (typeof name === "string" && has(DELEGATED_ONLY, name)) {
    const instead = DELEGATED_ONLY[name];
    return {
      code: "GRAPH_DELEGATED_PERMISSION",
      problem: `${describeValue(name)} is a delegated Microsoft Graph permission (user sign-in only) and never applies to the client credentials flow`,
      fix:
        instead !== null
          ? `Use the application permission ${describeValue(instead)} instead.`
          : DELEGATED_SCOPE_FIX,
    };
  }
  // Lower-cased once, and only when it can match: a hostile 5 MB value costs one pass.
  const lower =
    typeof name === "string" && name.length <= MAX_PERMISSION_NAME_LENGTH
      ? name.toLowerCase()
      : undefined;
  const twin =
    lower !== undefined ? Object.keys(IDS).find((k) => k.toLowerCase() === lower) : undefined;
  return {
    code: "GRAPH_UNKNOWN_PERMISSION",
    problem: `${typeof name === "string" ? describeValue(name) : "the value"} is not a Microsoft Graph application permission (snapshot ${GRAPH_PERMISSIONS_SOURCE.snapshotDate})`,
    fix:
      twin !== undefined
        ? `Did you mean ${describeValue(twin)}? Permission names are matched exactly.`
        : "Use a GraphApplicationPermission name, in its exact letter case; if Microsoft added the permission after the snapshot, regenerate the table (npm run generate:graph).",
  };
}

/** The compile-time message for a tier-0 Graph permission granted without a justification. */
export type GraphJustificationError<S extends string> =
  `"${S}" is a privileged (tier-0) Microsoft Graph permission and needs a justification. Pass { justification: "<why the client needs it, at least 20 characters>" } as the second argument.`;

/**
 * Checks the justification of a Graph grant: a tier-0 permission needs one of at least
 * {@link MIN_JUSTIFICATION_LENGTH} characters (ignoring surrounding whitespace).
 * @returns the broken rule, or `undefined`
 */
export function checkGraphJustification(
  name: string,
  justification: unknown,
): JustificationProblem | undefined {
  return checkJustification(name, isGraphTier0Permission(name), justification, GRAPH_TIER0_KIND);
}
