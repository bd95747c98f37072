import { describeValue } from "../errors";
import { DELEGATED_SCOPE_FIX, delegatedScopeProblem, isDelegatedScope } from "./delegated";

/**
 * Entra ID's rules for a permission value (app role `value`, oauth2 scope `value`), as documented
 * for the application manifest: at most 120 characters for scopes (app roles allow 249; the library
 * uses the stricter limit so a value is valid in both places), must not start with `.`, ASCII only,
 * no whitespace, and only the characters below. Entra compares values case-insensitively.
 */
export const MAX_SCOPE_VALUE_LENGTH = 120;

/** The characters Entra allows in a permission value. */
export const ALLOWED_SCOPE_CHARACTERS =
  "A-Z a-z 0-9 ! # $ % & ' ( ) * + , - . / : ; < = > ? @ [ ] ^ _ ` { | } ~";

const ALLOWED = /^[A-Za-z0-9!#$%&'()*+,\-./:;<=>?@[\]^_`{|}~]+$/;

/**
 * App role values Entra ID refuses although they pass every character rule: `User` (compared
 * ignoring case, as Entra compares values). Entra answers with an error about the `appRoles`
 * property that does not name the value (hashicorp/terraform-provider-azuread#721), so it is
 * rejected at synth with a message that does.
 */
export const RESERVED_APP_ROLE_VALUES = Object.freeze(["User"] as const);

/** The shared wording (compile time and run time) of the reserved-value rule. */
export function reservedAppRoleValueProblem(value: string): string {
  return `${value} is reserved by Entra ID and cannot be an app role value (Entra refuses it at apply with an error that does not name it; azuread provider issue #721)`;
}

/** The fix given with {@link reservedAppRoleValueProblem}. */
export const RESERVED_APP_ROLE_VALUE_FIX =
  "Name the permission after what it allows, e.g. users.read.";

/** A broken scope-value rule: `problem` names the rule, `fix` says what to do. */
export interface ScopeValueProblem {
  /** Stable code of the broken rule. */
  readonly code: string;
  /** What is wrong, naming the value. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Checks one permission value against Entra's rules and the delegated-scope rule.
 * @returns the first broken rule, or `undefined` when the value is valid.
 */
export function checkScopeValue(value: unknown): ScopeValueProblem | undefined {
  if (typeof value !== "string") {
    return {
      code: "SCOPE_NOT_STRING",
      problem: "a scope value must be a string",
      fix: 'Use a string such as "orders.read".',
    };
  }
  if (value.length === 0) {
    return {
      code: "SCOPE_EMPTY",
      problem: "a scope value must not be empty",
      fix: 'Name the permission, e.g. "orders.read".',
    };
  }
  if (isDelegatedScope(value)) {
    return {
      code: "DELEGATED_SCOPE",
      problem: delegatedScopeProblem(value),
      fix: DELEGATED_SCOPE_FIX,
    };
  }
  if (value.length > MAX_SCOPE_VALUE_LENGTH) {
    return {
      code: "SCOPE_TOO_LONG",
      problem: `scope value is ${value.length} characters; Entra allows at most ${MAX_SCOPE_VALUE_LENGTH}`,
      fix: `Shorten it to ${MAX_SCOPE_VALUE_LENGTH} characters or fewer.`,
    };
  }
  if (value.startsWith(".")) {
    return {
      code: "SCOPE_LEADING_DOT",
      problem: 'a scope value must not start with "."',
      fix: "Remove the leading dot.",
    };
  }
  if (/\s/.test(value)) {
    return {
      code: "SCOPE_WHITESPACE",
      problem: "a scope value must not contain whitespace",
      fix: 'Use "." or "_" to separate words.',
    };
  }
  // eslint-disable-next-line no-control-regex
  const nonAscii = value.match(/[^\x00-\x7F]/u);
  if (nonAscii) {
    const cp = nonAscii[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    return {
      code: "SCOPE_NON_ASCII",
      problem: `a scope value must be ASCII; it contains ${describeValue(nonAscii[0])} (U+${cp}), which can pass for a Latin letter`,
      fix: "Retype the value with ASCII characters only.",
    };
  }
  if (!ALLOWED.test(value)) {
    const bad = [...value].find((c) => !ALLOWED.test(c));
    return {
      code: "SCOPE_BAD_CHARACTER",
      problem: `a scope value may contain only Entra's allowed characters; ${describeValue(bad)} is not one of them`,
      fix: `Use only: ${ALLOWED_SCOPE_CHARACTERS}.`,
    };
  }
  return undefined;
}

/**
 * Checks an app role value (an application permission): {@link checkScopeValue}, and not one of
 * {@link RESERVED_APP_ROLE_VALUES} in any letter case.
 * @returns the first broken rule, or `undefined` when the value is valid.
 */
export function checkAppRoleValue(value: unknown): ScopeValueProblem | undefined {
  const problem = checkScopeValue(value);
  if (problem) return problem;
  const lower = (value as string).toLowerCase();
  if (RESERVED_APP_ROLE_VALUES.some((r) => r.toLowerCase() === lower)) {
    return {
      code: "APP_ROLE_VALUE_RESERVED",
      problem: reservedAppRoleValueProblem(value as string),
      fix: RESERVED_APP_ROLE_VALUE_FIX,
    };
  }
  return undefined;
}
