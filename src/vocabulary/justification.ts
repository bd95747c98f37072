/**
 * The justification rule for privileged permissions: a vocabulary entry marked `privileged: true`
 * (or a Graph tier-0 permission) can only be granted with a reason that a reviewer can read, of at
 * least {@link MIN_JUSTIFICATION_LENGTH} visible characters (white space and invisible characters do
 * not count; control and bidirectional formatting characters are refused). Pure TypeScript; the one place the rule lives:
 * `ProtectedApi.grant`, config files and the org policy use {@link justificationProblem},
 * `MicrosoftGraph` and `ExistingApi` use {@link checkJustification} (which names the kind of
 * permission and carries a code).
 */
import { describeValue } from "../errors";
import { reasonProblem, visibleLength } from "./visible-text";

/**
 * The fewest visible characters a justification for a privileged grant may have: white space,
 * control, format and other invisible characters do not count, and control characters (other
 * than tab and line breaks) and bidirectional formatting characters are refused.
 */
export const MIN_JUSTIFICATION_LENGTH = 20;

/** The fix given when a justification is missing or too short. */
export const JUSTIFICATION_FIX = `Say why the client needs it in ${MIN_JUSTIFICATION_LENGTH} characters or more, e.g. { justification: "nightly reconciliation repairs orders (TICKET-123)" }.`;

/**
 * Checks the justification of a grant of the privileged scope `scope`.
 * @param minLength the fewest visible characters accepted; `0` checks only the characters
 * @default minLength {@link MIN_JUSTIFICATION_LENGTH}
 * @returns what is wrong, or `undefined` when the justification is acceptable
 */
export function justificationProblem(
  scope: string,
  justification: unknown,
  minLength: number = MIN_JUSTIFICATION_LENGTH,
): string | undefined {
  if (justification === undefined || justification === null) {
    return `${describeValue(scope)} is privileged and can only be granted with a justification`;
  }
  if (typeof justification !== "string") {
    return `the justification for privileged ${describeValue(scope)} must be a string`;
  }
  return reasonProblem(
    `the justification for ${minLength > 0 ? "privileged " : ""}${describeValue(scope)}`,
    justification,
    minLength,
  );
}

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
      problem: `the justification for ${describeValue(value)} must be a string`,
      fix: 'Write { justification: "why the client needs this permission" }.',
    };
  }
  const forbidden =
    justification === undefined
      ? undefined
      : reasonProblem(`the justification for ${describeValue(value)}`, justification, 0);
  if (forbidden !== undefined) {
    return {
      code: "JUSTIFICATION_INVALID",
      problem: forbidden,
      fix: "Write the reason as plain text, without control or bidirectional formatting characters.",
    };
  }
  if (!privileged) return undefined;
  if (justification === undefined) {
    return {
      code: "JUSTIFICATION_MISSING",
      problem: `${describeValue(value)} is ${kind} and needs a justification`,
      fix: `Pass { justification: "<why the client needs it, at least ${MIN_JUSTIFICATION_LENGTH} characters>" } as the second argument.`,
    };
  }
  const length = visibleLength(justification);
  if (length < MIN_JUSTIFICATION_LENGTH) {
    return {
      code: "JUSTIFICATION_TOO_SHORT",
      problem: `the justification for ${describeValue(value)}, ${kind}, has ${length} visible characters; at least ${MIN_JUSTIFICATION_LENGTH} are required (spaces, invisible and formatting characters do not count)`,
      fix: "Say why the client needs this permission, e.g. which job calls which endpoint and why a narrower permission does not do.",
    };
  }
  return undefined;
}
