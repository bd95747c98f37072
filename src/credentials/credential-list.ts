import { fail } from "../errors";
import { ClientCredential } from "./credential";

/**
 * The rules on a client's list of credentials, each already validated: at most one secret, no
 * credential twice, at most 20 federated credentials. Shared by `MachineClient` and config files.
 * @param where the client's construct path (or config-file entry), for error messages
 * @throws MachineClientsError naming the bad value and the fix
 */
export function checkCredentialList(where: string, credentials: readonly ClientCredential[]): void {
  if (credentials.filter((c) => c.kind === "secret").length > 1) {
    fail(
      "CREDENTIAL_TWO_SECRETS",
      where,
      "a client may hold at most one secret credential",
      credentials,
      "Keep one ClientSecret; a rotating secret already overlaps old and new values.",
    );
  }
  const identities = new Set<string>();
  for (const credential of credentials) {
    const { kind, issuer, subject, fingerprint } = credential.describe();
    const identity = JSON.stringify([kind, issuer, subject, fingerprint]);
    if (kind !== "secret" && identities.has(identity)) {
      fail(
        "CREDENTIAL_DUPLICATE",
        where,
        `the same ${kind} credential is listed twice`,
        subject ?? fingerprint,
        "List each federated subject or certificate once.",
      );
    }
    identities.add(identity);
  }
  const federated = credentials.filter((c) => c.kind === "federated");
  if (federated.length > 20) {
    fail(
      "CREDENTIAL_TOO_MANY_FEDERATED",
      where,
      "an application holds at most 20 federated identity credentials (Entra's limit)",
      federated.length,
      "Split the workloads across clients, or trust fewer subjects.",
    );
  }
}
