/**
 * The justification rule for privileged grants: a grant of a privileged permission needs a
 * `justification` of at least {@link MIN_JUSTIFICATION_LENGTH} characters saying why the client
 * needs it. Pure TypeScript (no cdktf import); shared by `MicrosoftGraph` and `ExistingApi`.
 */

/** The minimum length of the justification of a privileged grant (surrounding whitespace ignored). */
export const MIN_JUSTIFICATION_LENGTH = 20;

/** A broken justification rule, in the library's error wording. */
export interface JustificationProblem {
  /** A stable rule code. */
  readonly code: "JUSTIFICATION_INVALID" | "JUSTIFICATION_MISSING" | "JUSTIFICATION_TOO_SHORT";
  /** What is wrong, naming the permission. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Checks the justification of a grant.
 * @param value the permission value
 * @param privileged whether the permission is privileged
 * @param justification the justification given, if any
 * @param kind how the problem names a privileged permission, e.g. "a privileged permission"
 * @returns the broken rule, or `undefined`
 */
export function checkJustification(
  value: string,
  privileged: boolean,
  justification: unknown,
  kind: string,
): JustificationProblem | undefined {
  if (justification !== undefined && typeof justification !== "string") {
    return {
      code: "JUSTIFICATION_INVALID",
      problem: `the justification for "${value}" must be a string`,
      fix: 'Write { justification: "why the client needs this permission" }.',
    };
  }
  if (!privileged) return undefined;
  if (justification === undefined) {
    return {
      code: "JUSTIFICATION_MISSING",
      problem: `"${value}" is ${kind} and needs a justification`,
      fix: `Pass { justification: "<why the client needs it, at least ${MIN_JUSTIFICATION_LENGTH} characters>" } as the second argument.`,
    };
  }
  const length = justification.trim().length;
  if (length < MIN_JUSTIFICATION_LENGTH) {
    return {
      code: "JUSTIFICATION_TOO_SHORT",
      problem: `the justification for "${value}", ${kind}, is ${length} characters; at least ${MIN_JUSTIFICATION_LENGTH} are required`,
      fix: "Say why the client needs this permission, e.g. which job calls which endpoint and why a narrower permission does not do.",
    };
  }
  return undefined;
}
