/**
 * Scopes that only exist in delegated (user sign-in) flows. They never apply to the OAuth 2.0
 * client credentials flow: no refresh token is issued there, there is no user to identify, and
 * the token's permissions come from app roles. A vocabulary of application permissions that
 * contains one of these was copied from a delegated app and is rejected at compile time and at
 * run time, in any letter case.
 */
export const DELEGATED_SCOPES = Object.freeze([
  "offline_access",
  "refresh_token",
  "openid",
  "profile",
  "email",
  "address",
  "phone",
  "user_impersonation",
] as const);

/** One of {@link DELEGATED_SCOPES}, in lower case. */
export type DelegatedScope = (typeof DELEGATED_SCOPES)[number];

/** True when `value` is a delegated-only scope in any letter case. */
export function isDelegatedScope(value: string): boolean {
  return (DELEGATED_SCOPES as readonly string[]).includes(value.toLowerCase());
}

/** The shared wording (compile time and run time) of the delegated-scope rule. */
export function delegatedScopeProblem(value: string): string {
  return `${value} is a delegated scope (user sign-in only) and never applies to the client credentials flow`;
}

/** The fix given with {@link delegatedScopeProblem}. */
export const DELEGATED_SCOPE_FIX =
  "Remove it and declare the application permission (app role) the client needs instead.";
