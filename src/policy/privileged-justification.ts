import { JUSTIFICATION_FIX, justificationProblem } from "../vocabulary/justification";
import { PolicyRule } from "./types";

/**
 * MC-PRIVILEGED-JUSTIFICATION: every privileged grant carries a justification. `ProtectedApi.grant`
 * already enforces it; the rule also covers grants made by other API implementations.
 */
export const PrivilegedJustificationRule: PolicyRule = {
  id: "MC-PRIVILEGED-JUSTIFICATION",
  info: "Privileged grants carry a justification.",
  explanation:
    "Reviewers and offboarding need to know why a client holds a privileged permission, or it is never taken away (OWASP NHI5).",
  fix: 'Grant the privileged permission with { justification: "…" }: at least 20 characters saying why the client needs it, e.g. a ticket reference.',
  check(client) {
    return client.grants
      .filter((g) => g.privileged)
      .map((g) => ({ g, problem: justificationProblem(g.scope, g.justification) }))
      .filter(({ problem }) => problem !== undefined)
      .map(({ g, problem }) => ({
        problem: `${problem} (on ${g.api})`,
        value: g.justification,
        fix: JUSTIFICATION_FIX,
      }));
  },
};
