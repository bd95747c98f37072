import { describeValue, fail } from "../errors";
import { certificateCredentialId } from "./client-certificate";
import { ClientCredential } from "./credential";
import { federatedCredentialId } from "./federated-credential";

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
  // Construct ids come from a hash of the content: two different credentials whose ids collide
  // (never by chance, only by construction) are refused here rather than inside constructs.
  const ids = new Map<string, string | undefined>();
  for (const credential of credentials) {
    const { kind, issuer, subject, fingerprint } = credential.describe();
    const id =
      kind === "federated" && issuer !== undefined && subject !== undefined
        ? federatedCredentialId(issuer, subject)
        : kind === "certificate" && fingerprint !== undefined
          ? certificateCredentialId(fingerprint)
          : undefined;
    if (id === undefined) continue;
    if (ids.has(id)) {
      fail(
        "CREDENTIAL_ID_COLLISION",
        where,
        `two different ${kind} credentials would get the same construct id ${describeValue(id)}`,
        subject ?? fingerprint,
        "Split the credentials across two clients.",
      );
    }
    ids.set(id, subject ?? fingerprint);
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
