import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import {
  CertificateOptions,
  ClientCertificate,
  ClientCredential,
  FederatedCredential,
  MachineClient,
  ProtectedApi,
  ScopeVocabulary,
} from "../../src";
import { errorOf, newStack, ref, resourcesOf, synth } from "../util";

const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });
// A throwaway self-signed public certificate (EC P-256, valid until 2036); no key is committed.
const PEM = readFileSync(join(__dirname, "../fixtures/client-cert.pem"), "utf8");
const DAY = 86_400_000;

function inDays(days: number): string {
  // Whole seconds, as RFC 3339 in UTC.
  return new Date(Math.floor((Date.now() + days * DAY) / 1000) * 1000)
    .toISOString()
    .replace(".000Z", "Z");
}

function setup(
  credential: ClientCredential | ClientCredential[],
  stack: TerraformStack = newStack(),
) {
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: orders,
  });
  const client = new MachineClient(stack, "BillingSync", {
    displayName: "billing-sync",
    access: [api.grant("orders.read")],
    credential,
  });
  return { stack, client };
}

describe("ClientCertificate.fromPem", () => {
  it("synthesizes an AsymmetricX509Cert with the PEM and the given end date", () => {
    const endDate = inDays(180);
    const { stack, client } = setup(ClientCertificate.fromPem(PEM, { endDate }));
    const [cert] = resourcesOf(synth(stack), "azuread_application_certificate");
    expect(cert).toEqual({
      application_id: ref(client.application, "id"),
      type: "AsymmetricX509Cert",
      encoding: "pem",
      value: new X509Certificate(PEM).toString(),
      end_date: endDate,
    });
    expect(cert.value).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
  });

  it("writes the given end date, not the clock: two synths are identical", () => {
    const endDate = new Date(Date.now() + 90 * DAY);
    const build = () => Testing.synth(setup(ClientCertificate.fromPem(PEM, { endDate })).stack);
    expect(build()).toBe(build());
    const json = JSON.parse(build());
    const [cert] = Object.values(json.resource.azuread_application_certificate) as {
      end_date: string;
    }[];
    expect(cert.end_date).toBe(endDate.toISOString());
  });

  it("names its resource after the certificate's fingerprint and describes itself", () => {
    const endDate = inDays(30);
    const cert = ClientCertificate.fromPem(PEM, { endDate });
    const fingerprint = new X509Certificate(PEM).fingerprint256;
    const { stack } = setup(cert);
    const [address] = Object.keys(synth(stack).resource.azuread_application_certificate);
    expect(address).toContain(`Certificate-${fingerprint.replace(/:/g, "").slice(0, 16)}`);
    expect(cert.describe()).toEqual({ kind: "certificate", endDate, fingerprint });
  });

  it("sits beside a federated credential on one client", () => {
    const { stack } = setup([
      ClientCertificate.fromPem(PEM, { endDate: inDays(30) }),
      FederatedCredential.custom({ issuer: "https://idp.contoso.example", subject: "w" }),
    ]);
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_application_certificate")).toHaveLength(1);
    expect(resourcesOf(json, "azuread_application_federated_identity_credential")).toHaveLength(1);
  });

  it("rejects the same certificate twice", () => {
    const endDate = inDays(30);
    expect(
      errorOf(() =>
        setup([
          ClientCertificate.fromPem(PEM, { endDate }),
          ClientCertificate.fromPem(PEM, { endDate }),
        ]),
      ).message,
    ).toContain("the same certificate credential is listed twice");
  });

  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const keys: [string, string][] = [
    ["a PKCS#8 private key", rsa.privateKey.export({ type: "pkcs8", format: "pem" }) as string],
    ["an RSA private key", rsa.privateKey.export({ type: "pkcs1", format: "pem" }) as string],
    ["an EC private key", ec.privateKey.export({ type: "sec1", format: "pem" }) as string],
    [
      "an encrypted private key",
      rsa.privateKey.export({
        type: "pkcs8",
        format: "pem",
        cipher: "aes-256-cbc",
        passphrase: "not-a-secret",
      }) as string,
    ],
  ];
  it.each(keys)("rejects %s next to the certificate, without echoing it", (_name, key) => {
    expect(key).toMatch(/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/);
    const stack = newStack();
    const error = errorOf(() =>
      setup(ClientCertificate.fromPem(`${PEM}\n${key}`, { endDate: inDays(30) }), stack),
    );
    expect(error.message).toBe(
      "test/BillingSync › ClientCertificate.fromPem: the PEM holds a private key, which must never reach the Terraform configuration " +
        '(got "a PRIVATE KEY block (not shown)"). Pass only the public certificate (the CERTIFICATE block); keep the key with the client.',
    );
    expect(stack.node.tryFindChild("BillingSync")).toBeUndefined();
  });

  it.each<[string, string, CertificateOptions, string]>([
    [
      "an empty PEM",
      "",
      { endDate: inDays(30) },
      'pem must be the certificate\'s PEM text (got "")',
    ],
    [
      "text without a PEM block",
      "MIIBpDCCAUugAwIBAgIU",
      { endDate: inDays(30) },
      "pem must hold exactly one CERTIFICATE block (got [])",
    ],
    [
      "a public key instead of a certificate",
      rsa.publicKey.export({ type: "spki", format: "pem" }) as string,
      { endDate: inDays(30) },
      'pem must hold exactly one CERTIFICATE block (got ["-----BEGIN PUBLIC KEY-----"])',
    ],
    [
      "two certificates",
      `${PEM}${PEM}`,
      { endDate: inDays(30) },
      "pem must hold exactly one CERTIFICATE block",
    ],
    [
      "a corrupted certificate",
      PEM.replace(/\n[A-Za-z0-9+/]{20}/, "\nAAAAAAAAAAAAAAAAAAAA"),
      { endDate: inDays(30) },
      "pem is not a valid X.509 certificate (",
    ],
    [
      "an end date that is not RFC 3339",
      PEM,
      { endDate: "next year" },
      'endDate must be an RFC 3339 timestamp or a Date (got "next year")',
    ],
    [
      "an end date in the past",
      PEM,
      { endDate: "2020-01-01T00:00:00Z" },
      'endDate is in the past (got "2020-01-01T00:00:00Z"). Use a future end date',
    ],
    [
      "an end date beyond 365 days",
      PEM,
      { endDate: inDays(400) },
      "endDate is more than 365 days away (got",
    ],
    [
      "an end date beyond a custom ceiling",
      PEM,
      { endDate: inDays(100), maxValidityDays: 90 },
      "endDate is more than 90 days away (got",
    ],
    [
      "an invalid ceiling",
      PEM,
      { endDate: inDays(100), maxValidityDays: 0 },
      "maxValidityDays must be a whole number of days, at least 1 (got 0)",
    ],
    [
      "an end date after the certificate expires",
      PEM,
      { endDate: "2037-01-01T00:00:00Z", maxValidityDays: 10_000 },
      "endDate is after the certificate expires (2036-",
    ],
  ])("rejects %s", (_name, pem, options, message) => {
    const error = errorOf(() => setup(ClientCertificate.fromPem(pem, options)));
    expect(error.message).toMatch(/^test\/BillingSync › ClientCertificate\.fromPem: /);
    expect(error.message).toContain(message);
  });

  it("accepts an end date within a raised ceiling", () => {
    expect(() =>
      setup(ClientCertificate.fromPem(PEM, { endDate: inDays(400), maxValidityDays: 730 })),
    ).not.toThrow();
  });
});
