import { describeValue } from "../errors";
import { PolicyRule } from "./types";

/**
 * MC-PRIVILEGED-SECRET-VALIDITY: a client holding a privileged grant uses secrets valid no longer
 * than `privilegedMaxSecretValidityDays`.
 */
export const PrivilegedSecretValidityRule: PolicyRule = {
  id: "MC-PRIVILEGED-SECRET-VALIDITY",
  info: "Clients with privileged grants use short-lived secrets.",
  explanation:
    "A leaked secret of a privileged client does the most damage, so its exposure window must be the shortest (OWASP NHI5 and NHI7).",
  fix: "Give clients with privileged grants a secret within privilegedMaxSecretValidityDays, or a federated credential or certificate.",
  check(client, policy) {
    const privileged = client.grants.filter((g) => g.privileged).map((g) => g.scope);
    if (privileged.length === 0) return [];
    return client.credentials
      .filter(
        (c) =>
          c.kind === "secret" && (c.validityDays ?? 0) > policy.privilegedMaxSecretValidityDays,
      )
      .map((c) => ({
        problem: `the client holds privileged ${privileged.map((s) => describeValue(s)).join(", ")} and a secret valid for ${c.validityDays} days; privileged clients may use at most ${policy.privilegedMaxSecretValidityDays}`,
        value: c.validityDays,
        fix: `Set validityDays to ${policy.privilegedMaxSecretValidityDays} or less, or use a federated credential.`,
      }));
  },
};
