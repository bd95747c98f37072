// Compile-time rules for credentials, checked by `npm run typecheck` (never run).
import { ClientCertificate, ClientSecret, FederatedCredential } from "../../src";

export function credentialTypeRules(): void {
  ClientSecret.rotating({ slots: 2 });
  ClientSecret.rotating({ scheduleKey: "orders/BillingSync" });
  // @ts-expect-error slots: 1 was removed (a single password is destroyed at every rotation)
  ClientSecret.rotating({ slots: 1 });
  // @ts-expect-error slots is always 2
  ClientSecret.rotating({ slots: 3 });
  FederatedCredential.kubernetes({
    issuer: "https://aks.example",
    namespace: "n",
    serviceAccount: "s",
  });
  // @ts-expect-error a Kubernetes credential needs its service account
  FederatedCredential.kubernetes({ issuer: "https://aks.example", namespace: "n" });
  // @ts-expect-error a GitHub credential needs its repository
  FederatedCredential.githubActions({ organization: "contoso", environment: "prod" });
  // @ts-expect-error a certificate needs an end date
  ClientCertificate.fromPem("-----BEGIN CERTIFICATE-----", {});
}
