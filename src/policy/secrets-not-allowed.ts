import { PolicyRule } from "./types";

/** MC-SECRETS-NOT-ALLOWED: when `allowSecrets` is false, clients use federated or certificate credentials. */
export const SecretsNotAllowedRule: PolicyRule = {
  id: "MC-SECRETS-NOT-ALLOWED",
  info: "Clients hold no client secret when the org forbids secrets.",
  explanation:
    "A shared secret can be copied and replayed from anywhere, while federated and certificate credentials cannot be read back (OWASP NHI7).",
  fix: "Replace the ClientSecret with a federated credential (workload identity) or a client certificate, or allow secrets in the org policy (allowSecrets).",
  check(client, policy) {
    if (policy.allowSecrets) return [];
    return client.credentials
      .filter((c) => c.kind === "secret")
      .map(() => ({
        problem:
          "the client holds a client secret; the org allows only federated and certificate credentials",
        value: "secret",
        fix: "Replace ClientSecret with a federated credential (workload identity) or a client certificate.",
      }));
  },
};
