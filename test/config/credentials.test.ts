import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ConfigFileError, MachineClients } from "../../src";
import { rotationOffsetMinutes } from "../../src/credentials/rotation-schedule";
import { errorOf, newStack, ref, resourcesOf, synth } from "../util";
import { configApis } from "./fixtures";

// Credentials of config files: every kind of the TypeScript API, in YAML and JSON, and the
// rejections of each, with the file, line and message.

const PEM = readFileSync(join(__dirname, "../fixtures/client-cert.pem"), "utf8");
const DAY = 86_400_000;
const inDays = (days: number) =>
  new Date(Math.floor((Date.now() + days * DAY) / 1000) * 1000).toISOString().replace(".000Z", "Z");
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/";

/** A fresh directory holding `certs/client.pem` and the given config file. */
function configDir(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mc-config-"));
  mkdirSync(join(dir, "certs"));
  writeFileSync(join(dir, "certs", "client.pem"), PEM);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function load(name: string, text: string) {
  const stack = newStack();
  const apis = configApis(stack);
  const file = configDir(name, text);
  const before = stack.node.findAll().length;
  return { stack, file, before, run: () => MachineClients.fromFile(stack, file, { apis }) };
}

/** The file's error; also checks that nothing was created. */
function rejected(text: string, name = "integrations.yaml") {
  const { stack, file, before, run } = load(name, text);
  const e = errorOf(run);
  expect(e).toBeInstanceOf(ConfigFileError);
  expect(stack.node.findAll().length).toBe(before);
  return { e: e as ConfigFileError, file };
}

const access = [{ api: "orders", scope: "orders.read" }];
const endDate = inDays(180);
const ALL_KINDS = {
  clients: [
    {
      name: "gh",
      access,
      credential: {
        type: "githubActions",
        organization: "contoso",
        repository: "billing",
        environment: "production",
      },
    },
    {
      name: "k8s",
      access,
      credential: {
        type: "kubernetes",
        issuer: ISSUER,
        namespace: "billing",
        serviceAccount: "billing-sync",
      },
    },
    {
      name: "custom",
      access,
      credential: {
        type: "federated",
        issuer: "https://issuer.contoso.example",
        subject: "job:nightly",
        audiences: ["api://contoso-exchange"],
      },
    },
    {
      name: "cert",
      access,
      credential: { type: "certificate", pemFile: "certs/client.pem", endDate },
    },
    {
      name: "scheduled",
      access,
      credential: {
        type: "secret",
        rotationDays: 20,
        validityDays: 45,
        scheduleKey: "integrations/legacy-name",
        delivery: { type: "output", outputName: "scheduled_secret" },
      },
    },
    {
      name: "migrating",
      access,
      credential: [
        { type: "secret", delivery: "output" },
        {
          type: "githubActions",
          organization: "contoso",
          repository: "billing",
          ref: "refs/heads/main",
        },
      ],
    },
  ],
};

describe.each([
  ["integrations.yaml", stringify(ALL_KINDS)],
  ["integrations.json", JSON.stringify(ALL_KINDS, null, 2)],
])("config-file credentials in %s", (name, text) => {
  it("synthesize the resources of each credential kind", () => {
    const { stack, run } = load(name, text);
    const group = run();
    const app = (client: string) => ref(group.clients.get(client)!.application, "id");
    const json = synth(stack);
    const fics = resourcesOf(json, "azuread_application_federated_identity_credential");
    expect(fics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          application_id: app("gh"),
          issuer: "https://token.actions.githubusercontent.com",
          subject: "repo:contoso/billing:environment:production",
          audiences: ["api://AzureADTokenExchange"],
        }),
        expect.objectContaining({
          application_id: app("k8s"),
          issuer: ISSUER,
          subject: "system:serviceaccount:billing:billing-sync",
          audiences: ["api://AzureADTokenExchange"],
        }),
        expect.objectContaining({
          application_id: app("custom"),
          issuer: "https://issuer.contoso.example",
          subject: "job:nightly",
          audiences: ["api://contoso-exchange"],
        }),
        expect.objectContaining({
          application_id: app("migrating"),
          subject: "repo:contoso/billing:ref:refs/heads/main",
        }),
      ]),
    );
    expect(fics).toHaveLength(4);

    expect(resourcesOf(json, "azuread_application_certificate")).toEqual([
      expect.objectContaining({
        application_id: app("cert"),
        type: "AsymmetricX509Cert",
        encoding: "pem",
        end_date: endDate,
        value: expect.stringMatching(/^-----BEGIN CERTIFICATE-----\n/),
      }),
    ]);
    expect(JSON.stringify(json)).not.toMatch(/PRIVATE KEY/);

    const passwords = resourcesOf(json, "azuread_application_password");
    const offset = rotationOffsetMinutes("integrations/legacy-name", 20);
    expect(passwords.filter((p) => p.application_id === app("scheduled"))).toEqual(
      [0, 1].map((slot) =>
        expect.objectContaining({
          end_date: '${timeadd(plantimestamp(), "1080h")}',
          rotate_when_changed: {
            period_start: expect.stringContaining(`+ ${offset * 60 + slot * 20 * 86400})`),
          },
        }),
      ),
    );
    expect(group.clients.get("scheduled")!.toModel().credentials[0].rotationOffsetMinutes).toBe(
      offset,
    );
    expect(passwords.filter((p) => p.application_id === app("migrating"))).toHaveLength(2);
    expect(json.resource.time_rotating).toBeUndefined();
    const outputs = json.output as Record<string, { sensitive?: boolean }>;
    expect(outputs.scheduled_secret).toMatchObject({ sensitive: true });
    expect(Object.values(outputs).filter((o) => o.sensitive)).toHaveLength(2);
    expect(
      group.clients
        .get("migrating")!
        .toModel()
        .credentials.map((c) => c.kind),
    ).toEqual(["secret", "federated"]);
  });
});

describe("config-file credential rejections", () => {
  it("rejects a GitHub credential pinned to both an environment and a ref", () => {
    const { e, file } = rejected(
      [
        "clients:",
        "  - name: job",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential:",
        "      type: githubActions",
        "      organization: contoso",
        "      repository: billing",
        "      environment: production",
        "      ref: refs/heads/main",
      ].join("\n"),
    );
    expect(e.problems).toEqual([
      expect.objectContaining({
        code: "GITHUB_SUBJECT_UNPINNED",
        line: 5,
        entry: 'clients[0] "job" › credential',
      }),
    ]);
    expect(e.message.split("\n")[1]).toBe(
      `  ${file}:5 clients[0] "job" › credential › FederatedCredential.githubActions: give exactly one of environment and ref, so that the subject pins the repository and the environment or the branch (got {"environment":"production","ref":"refs/heads/main"}). Use e.g. environment: "production" or ref: "refs/heads/main".`,
    );
  });

  it("rejects a bad git ref, an http issuer and a wildcard subject at their lines", () => {
    const { e, file } = rejected(
      [
        "clients:",
        "  - name: gh",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential:",
        "      type: githubActions",
        "      organization: contoso",
        "      repository: billing",
        "      ref: main",
        "  - name: k8s",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential:",
        "      type: kubernetes",
        "      issuer: http://cluster.example",
        "      namespace: billing",
        "      serviceAccount: sync",
        "  - name: custom",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential:",
        "      - type: federated",
        "        issuer: https://issuer.example",
        "        subject: 'job:*'",
      ].join("\n"),
    );
    expect(e.problems.map((p) => [p.line, p.code, p.entry])).toEqual([
      [8, "GITHUB_REF_INVALID", 'clients[0] "gh" › credential'],
      [13, "FEDERATED_ISSUER_NOT_HTTPS", 'clients[1] "k8s" › credential'],
      [19, "FEDERATED_WILDCARD", 'clients[2] "custom" › credential[0]'],
    ]);
    expect(e.message).toContain(
      `${file}:8 clients[0] "gh" › credential › FederatedCredential.githubActions: ref must be a full git ref`,
    );
    expect(e.problems[1].message).toMatch(
      /issuer must be an https URL \(got "http:\/\/cluster.example"\)/,
    );
    expect(e.problems[2].message).toMatch(
      /credential\[0\] › FederatedCredential.custom: subject must not contain wildcards/,
    );
  });

  it("rejects more than one audience", () => {
    const { e } = rejected(
      stringify({
        clients: [
          {
            name: "job",
            access,
            credential: {
              type: "federated",
              issuer: "https://issuer.example",
              subject: "job",
              audiences: ["a", "b"],
            },
          },
        ],
      }),
    );
    expect(e.problems[0]).toMatchObject({ code: "FEDERATED_AUDIENCES_INVALID", line: 11 });
    expect(e.problems[0].message).toMatch(/audiences must hold exactly one audience/);
  });

  it("rejects slots: 1, a scheduleKey that is not text, and a validity shorter than two rotations", () => {
    const { e, file } = rejected(
      [
        "clients:",
        "  - name: a",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential: { type: secret, slots: 1 }",
        "  - name: c",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential: { type: secret, scheduleKey: '' }",
        "  - name: b",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential:",
        "      type: secret",
        "      rotationDays: 30",
        "      validityDays: 45",
      ].join("\n"),
    );
    expect(e.problems.map((p) => [p.line, p.code])).toEqual([
      [4, "SECRET_SLOTS_REMOVED"],
      [7, "SECRET_SCHEDULE_KEY_INVALID"],
      [13, "SECRET_TWO_SLOT_VALIDITY_TOO_SHORT"],
    ]);
    expect(e.message).toContain(
      `${file}:4 clients[0] "a" › credential › ClientSecret.rotating: slots was removed in 0.2`,
    );
    expect(e.problems[1].message).toMatch(/scheduleKey must be a non-empty string/);
    expect(e.problems[2].message).toMatch(
      /validityDays must be at least 2 × rotationDays \(60\) \(got 45\)\. Use validityDays: 60 or more/,
    );
  });

  it("rejects a bad output name and a Key Vault delivery", () => {
    const { e } = rejected(
      [
        "clients:",
        "  - name: a",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential: { type: secret, delivery: { type: output, outputName: 1st-secret } }",
        "  - name: b",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential:",
        "      type: secret",
        "      delivery: { type: keyVault, keyVaultId: x, secretName: y }",
      ].join("\n"),
    );
    expect(e.problems.map((p) => [p.line, p.code])).toEqual([
      [4, "SECRET_OUTPUT_NAME_INVALID"],
      [9, "CONFIG_SCHEMA"],
      [9, "CONFIG_UNKNOWN_KEY"], // keyVaultId
      [9, "CONFIG_UNKNOWN_KEY"], // secretName: one problem per key, each at its own line
    ]);
    expect(e.problems[0].message).toMatch(
      /credential › ClientSecret.rotating › SecretDelivery.output: outputName must start with a letter or underscore/,
    );
    expect(e.problems[1].entry).toBe('clients[1] "b" › credential.delivery.type');
    expect(e.problems[1].message).toMatch(/Key Vault delivery is TypeScript-only/);
  });

  it("rejects an unknown credential type and an empty or malformed list", () => {
    const { e } = rejected(
      [
        "clients:",
        "  - name: a",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential: { type: password }",
        "  - name: b",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential: []",
        "  - name: c",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential: secret",
        "  - name: d",
        "    access: [{ api: orders, scope: orders.read }]",
        "    credential:",
        "      - { type: secret }",
        "      - { type: kubernetes, issuer: https://k.example, namespace: ns }",
      ].join("\n"),
    );
    expect(e.problems.map((p) => [p.line, p.entry])).toEqual([
      [4, 'clients[0] "a" › credential.type'],
      [7, 'clients[1] "b" › credential'],
      [10, 'clients[2] "c" › credential'],
      [15, 'clients[3] "d" › credential[1].serviceAccount'],
    ]);
    expect(e.problems[0].message).toMatch(
      /invalid discriminator value.*\(got "password"\)\. Use type: secret, githubActions, kubernetes, federated or certificate\./,
    );
    expect(e.problems[2].message).toMatch(
      /invalid input: expected object, received string, or expected array, received string \(got "secret"\)\. Write credential:/,
    );
    expect(e.problems[3].message).toMatch(/"serviceAccount" is required/);
  });

  it("rejects an unknown key of a listed credential together with the entry's other problems", () => {
    const { e } = rejected(
      [
        "clients:",
        "  - name: job",
        "    access: [{ api: orders, scope: openid }]",
        "    credential:",
        "      - { type: secret, validityDays: 120 }",
        "      - { type: kubernetes, issuer: https://k.example, namespace: ns, serviceAccount: sa, audience: x }",
      ].join("\n"),
    );
    expect(e.problems.map((p) => [p.line, p.code, p.entry])).toEqual([
      [3, "DELEGATED_SCOPE", 'clients[0] "job" › access[0].scope'],
      [5, "SECRET_VALIDITY_TOO_LONG", 'clients[0] "job" › credential[0]'],
      [6, "CONFIG_UNKNOWN_KEY", 'clients[0] "job" › credential[1]'],
    ]);
    expect(e.problems[2].message).toMatch(/unknown key "audience" \(got "audience"\)/);
  });

  it("rejects two secrets and the same federated subject twice in one client", () => {
    const gh = { type: "githubActions", organization: "c", repository: "r", environment: "prod" };
    const { e } = rejected(
      stringify({
        clients: [
          { name: "a", access, credential: [{ type: "secret" }, { type: "secret", slots: 2 }] },
          { name: "b", access, credential: [gh, { ...gh }] },
        ],
      }),
    );
    expect(e.problems.map((p) => [p.code, p.entry])).toEqual([
      ["CREDENTIAL_TWO_SECRETS", 'clients[0] "a" › credential'],
      ["CREDENTIAL_DUPLICATE", 'clients[1] "b" › credential'],
    ]);
    expect(e.problems[0].message).toMatch(/a client may hold at most one secret credential/);
    expect(e.problems[1].message).toMatch(
      /the same federated credential is listed twice \(got "repo:c\/r:environment:prod"\)/,
    );
  });

  it("rejects an unreadable PEM file, a private key and an inline certificate", () => {
    const key = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const text = [
      "clients:",
      "  - name: missing",
      "    access: [{ api: orders, scope: orders.read }]",
      `    credential: { type: certificate, pemFile: certs/none.pem, endDate: "${endDate}" }`,
      "  - name: keyed",
      "    access: [{ api: orders, scope: orders.read }]",
      "    credential:",
      "      type: certificate",
      "      pemFile: certs/keyed.pem",
      `      endDate: "${endDate}"`,
      "  - name: inline",
      "    access: [{ api: orders, scope: orders.read }]",
      "    credential:",
      "      type: certificate",
      "      pem: x",
      "      pemFile: certs/client.pem",
      `      endDate: "${endDate}"`,
    ].join("\n");
    const stack = newStack();
    const apis = configApis(stack);
    const file = configDir("integrations.yaml", text);
    writeFileSync(join(file, "..", "certs", "keyed.pem"), PEM + key);
    const e = errorOf(() => MachineClients.fromFile(stack, file, { apis })) as ConfigFileError;
    expect(e.problems.map((p) => [p.line, p.code])).toEqual([
      [4, "CONFIG_PEM_FILE_UNREADABLE"],
      [9, "CERTIFICATE_HAS_PRIVATE_KEY"],
      [15, "CONFIG_UNKNOWN_KEY"],
    ]);
    expect(e.problems[0].message).toMatch(
      /credential.pemFile: the certificate's PEM file cannot be read \(ENOENT, looked at .*certs\/none.pem\) \(got "certs\/none.pem"\)\. Give the path .* relative to the config file\./,
    );
    expect(e.problems[1].message).toMatch(/the PEM holds a private key/);
    expect(e.message).not.toContain(key.split("\n")[1]);
    expect(e.problems[2].message).toMatch(/unknown key "pem"/);
  });

  it("rejects certificate end dates in the past, too far, or not RFC 3339", () => {
    const cert = (d: unknown, extra: Record<string, unknown> = {}) => ({
      type: "certificate",
      pemFile: "certs/client.pem",
      endDate: d,
      ...extra,
    });
    const { e } = rejected(
      JSON.stringify(
        {
          clients: [
            { name: "a", access, credential: cert(inDays(-1)) },
            { name: "b", access, credential: cert(inDays(200), { maxValidityDays: 90 }) },
            { name: "c", access, credential: cert("31/03/2027") },
          ],
        },
        null,
        2,
      ),
      "integrations.json",
    );
    expect(e.problems.map((p) => p.code)).toEqual([
      "CERTIFICATE_END_DATE_PAST",
      "CERTIFICATE_END_DATE_TOO_FAR",
      "CERTIFICATE_END_DATE_INVALID",
    ]);
    // The lines of the three "endDate" keys in the indented JSON.
    expect(e.problems.map((p) => p.line)).toEqual([14, 28, 43]);
    expect(e.problems[1].message).toMatch(/endDate is more than 90 days away/);
    expect(e.problems[2].message).toMatch(/endDate must be an RFC 3339 timestamp/);
  });

  it("creates nothing when one credential of the file is bad", () => {
    const bad = structuredClone(ALL_KINDS);
    (bad.clients[1].credential as { namespace: string }).namespace = "Billing";
    const { e } = rejected(stringify(bad));
    expect(e.problems.map((p) => p.code)).toEqual(["KUBERNETES_NAME_INVALID"]);
  });
});
