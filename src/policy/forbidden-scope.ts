import { describeValue } from "../errors";
import { PolicyRule } from "./types";

/** MC-FORBIDDEN-SCOPE: no client is granted a permission listed in `forbiddenScopes`. */
export const ForbiddenScopeRule: PolicyRule = {
  id: "MC-FORBIDDEN-SCOPE",
  info: "Clients hold none of the org's forbidden permissions.",
  explanation:
    "Some permissions are too broad for any machine identity, and the org decided no pipeline may grant them (OWASP NHI5).",
  fix: "Remove the grant and use a narrower permission of the API; the org policy's forbiddenScopes lists what no client may hold.",
  check(client, policy) {
    if (policy.forbiddenScopes.length === 0) return [];
    const forbidden = new Set(policy.forbiddenScopes.map((s) => s.toLowerCase()));
    return client.grants
      .filter((g) => forbidden.has(g.scope.toLowerCase()))
      .map((g) => ({
        problem: `the client is granted ${describeValue(g.scope)} on ${g.api}, which the org forbids`,
        value: g.scope,
        fix: "Remove the grant and use a narrower permission of the API.",
      }));
  },
};
