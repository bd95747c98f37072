import { PolicyRule } from "./types";

/** MC-SECRET-VALIDITY: client secrets are valid no longer than `maxSecretValidityDays`. */
export const SecretValidityRule: PolicyRule = {
  id: "MC-SECRET-VALIDITY",
  info: "Client secrets expire within the org's maximum validity.",
  explanation:
    "A leaked secret stays usable until it expires, so a short validity limits the damage (OWASP NHI7, long-lived secrets).",
  fix: "Set the secret's validityDays to the org's maximum (maxSecretValidityDays) or less, with rotationDays below it, or use a federated credential.",
  check(client, policy) {
    return client.credentials
      .filter((c) => c.kind === "secret" && (c.validityDays ?? 0) > policy.maxSecretValidityDays)
      .map((c) => ({
        problem: `a client secret is valid for ${c.validityDays} days; the org allows at most ${policy.maxSecretValidityDays}`,
        value: c.validityDays,
        fix: `Set validityDays to ${policy.maxSecretValidityDays} or less (with rotationDays below it), or use a federated credential.`,
      }));
  },
};
