/**
 * The justification rule for privileged permissions: a vocabulary entry marked `privileged: true`
 * can only be granted with a reason that a reviewer can read. Pure TypeScript, shared by
 * `ProtectedApi.grant`, config files and the org policy so that the wording is the same everywhere.
 */

/** The fewest characters (after trimming) a justification for a privileged grant may have. */
export const MIN_JUSTIFICATION_LENGTH = 20;

/** The fix given when a justification is missing or too short. */
export const JUSTIFICATION_FIX = `Say why the client needs it in ${MIN_JUSTIFICATION_LENGTH} characters or more, e.g. { justification: "nightly reconciliation repairs orders (TICKET-123)" }.`;

/**
 * Checks the justification of a grant of the privileged scope `scope`.
 * @returns what is wrong, or `undefined` when the justification is acceptable
 */
export function justificationProblem(scope: string, justification: unknown): string | undefined {
  if (justification === undefined || justification === null) {
    return `"${scope}" is privileged and can only be granted with a justification`;
  }
  if (typeof justification !== "string") {
    return `the justification for privileged "${scope}" must be a string`;
  }
  const length = justification.trim().length;
  if (length < MIN_JUSTIFICATION_LENGTH) {
    return `the justification for privileged "${scope}" is ${length} characters; at least ${MIN_JUSTIFICATION_LENGTH} are required`;
  }
  return undefined;
}
