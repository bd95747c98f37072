import { CredentialModel } from "../model";
import { PolicyRule, ResolvedOrgPolicy } from "./types";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The days a certificate stays valid: `validityDays` where declared, else from now to `endDate`. */
function certificateDays(c: CredentialModel, policy: ResolvedOrgPolicy): number | undefined {
  if (c.validityDays !== undefined) return c.validityDays;
  if (c.endDate === undefined) return undefined;
  const end = Date.parse(c.endDate);
  if (Number.isNaN(end)) return undefined; // unresolved token or a date only known at apply time
  const now = (policy.now ?? new Date()).getTime();
  return Math.ceil((end - now) / DAY_MS);
}

/** MC-CERT-VALIDITY: client certificates are valid no longer than `maxCertificateValidityDays`. */
export const CertificateValidityRule: PolicyRule = {
  id: "MC-CERT-VALIDITY",
  info: "Client certificates expire within the org's maximum validity.",
  explanation:
    "A stolen private key authenticates until the certificate expires, so a bounded validity forces regular renewal (OWASP NHI7).",
  fix: "Issue the certificate with an end date within the org's maximum (maxCertificateValidityDays), or use a federated credential.",
  check(client, policy) {
    return client.credentials
      .filter((c) => c.kind === "certificate")
      .map((c) => ({ c, days: certificateDays(c, policy) }))
      .filter(({ days }) => days !== undefined && days > policy.maxCertificateValidityDays)
      .map(({ c, days }) => ({
        problem: `a client certificate is valid for ${days} days; the org allows at most ${policy.maxCertificateValidityDays}`,
        value: c.endDate ?? days,
        fix: `Issue the certificate with an end date at most ${policy.maxCertificateValidityDays} days away, or use a federated credential.`,
      }));
  },
};
