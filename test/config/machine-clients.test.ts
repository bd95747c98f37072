import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { Testing } from "cdktf";
import {
  ConfigFileError,
  MachineClients,
  MachineClientsError,
  OrgPolicy,
  Suppressions,
} from "../../src";
import { rotationOffsetMinutes } from "../../src/credentials/rotation-schedule";
import { providerStack } from "../constructs/fixtures";
import { errorOf, newStack, resourcesOf, synth } from "../util";
import { configApis, VALID_YAML } from "./fixtures";

function load(text: string, file = "integrations.yaml") {
  const stack = newStack();
  const apis = configApis(stack);
  const before = stack.node.findAll().length;
  const run = () => MachineClients.fromText(stack, file, text, { apis });
  return { stack, apis, before, run };
}

/** The file's error; also checks that nothing was created. */
function rejected(text: string, file = "integrations.yaml"): ConfigFileError {
  const { stack, before, run } = load(text, file);
  const e = errorOf(run);
  expect(e).toBeInstanceOf(ConfigFileError);
  expect(e).toBeInstanceOf(MachineClientsError);
  expect(stack.node.findAll().length).toBe(before);
  return e as ConfigFileError;
}

/** A config with one client whose fields are overridden by `patch`. */
function oneClient(patch: Record<string, unknown>, base: Record<string, unknown> = {}): string {
  return stringify({
    clients: [
      {
        name: "job",
        access: [{ api: "orders", scope: "orders.read" }],
        credential: { type: "secret" },
        ...base,
        ...patch,
      },
    ],
  });
}

describe("MachineClients.fromText", () => {
  it("creates the file's clients under a group named after the file", () => {
    const { stack, run } = load(VALID_YAML);
    const group = run();
    expect(group.node.path).toBe("test/integrations");
    expect([...group.clients.keys()]).toEqual(["billing-sync", "order-repair"]);
    const repair = group.clients.get("order-repair")!;
    expect(repair.toModel()).toMatchObject({
      path: "test/integrations/order-repair",
      displayName: "order-repair",
      explicitOwners: true,
      grants: [
        {
          scope: "orders.admin",
          privileged: true,
          justification: "nightly job repairs stuck orders (OPS-17)",
        },
      ],
      credentials: [{ kind: "secret", rotationDays: 10, validityDays: 30 }],
    });
    expect(Suppressions.of(repair)).toEqual([
      { id: "MC-MAX-GRANTS", reason: "reviewed with the platform team in OPS-18" },
    ]);
    const json = synth(stack);
    const names = resourcesOf(json, "azuread_application").map((a) => a.display_name);
    expect(names).toEqual(expect.arrayContaining(["Billing sync", "order-repair"]));
    expect(resourcesOf(json, "azuread_app_role_assignment")).toHaveLength(3);
  });

  it("reads JSON the same way", () => {
    const { run } = load(
      JSON.stringify({
        clients: [
          {
            name: "a",
            access: [{ api: "orders", scope: "orders.read" }],
            credential: { type: "secret" },
          },
        ],
      }),
      "clients.json",
    );
    const group = run();
    expect(group.node.id).toBe("clients");
    const a = group.clients.get("a")!;
    expect(a.toModel().credentials).toEqual([
      {
        kind: "secret",
        rotationDays: 30,
        validityDays: 60,
        slots: 2,
        maxApplyGapDays: 30,
        rotationOffsetMinutes: rotationOffsetMinutes(a.node.path, 30),
      },
    ]);
  });

  it("rejects a delegated scope", () => {
    const e = rejected(oneClient({ access: [{ api: "orders", scope: "offline_access" }] }));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({
      code: "DELEGATED_SCOPE",
      line: 5,
      entry: 'clients[0] "job" › access[0].scope',
    });
    expect(e.message).toBe(
      [
        "integrations.yaml: 1 problem(s); nothing from this file was synthesized.",
        '  integrations.yaml:5 clients[0] "job" › access[0].scope: offline_access is a delegated scope (user sign-in only) and never applies to the client credentials flow (got "offline_access"). Remove it and declare the application permission (app role) the client needs instead.',
      ].join("\n"),
    );
  });

  it("rejects a displayName over Entra's 120 characters for single-tenant apps", () => {
    const e = rejected(oneClient({ displayName: "d".repeat(121) }));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ line: 8, entry: 'clients[0] "job" › displayName' });
    expect(e.problems[0].message).toContain(
      "Write the app's display name (1 to 120 characters: Entra's limit for single-tenant apps), or leave it out to use the name.",
    );
  });

  it("rejects a delegated scope of a hybrid API", () => {
    const e = rejected(oneClient({ access: [{ api: "stock", scope: "stock.read.user" }] }));
    expect(e.problems[0].code).toBe("CONFIG_DELEGATED_GRANT");
    expect(e.problems[0].message).toMatch(
      /"stock.read.user" is a delegated \(user sign-in\) scope of API "stock" and never applies to the client credentials flow .* Use an application permission of the API: "stock.read"\./,
    );
  });

  it("rejects an unknown API", () => {
    const e = rejected(oneClient({ access: [{ api: "inventory", scope: "stock.read" }] }));
    expect(e.problems[0].message).toBe(
      'clients[0] "job" › access[0].api: unknown API "inventory" (got "inventory"). Use one of: "orders", "billing", "stock" (the keys of the apis option).',
    );
  });

  it("rejects an unknown scope", () => {
    const e = rejected(oneClient({ access: [{ api: "orders", scope: "orders.delete" }] }));
    expect(e.problems[0].message).toMatch(
      /access\[0\].scope: scope is not in the API's vocabulary \(got "orders.delete"\). Use one of: "orders.admin", "orders.read", "orders.write"\./,
    );
  });

  it("rejects a privileged scope without justification, or with a short one", () => {
    const e = rejected(
      oneClient({
        access: [
          { api: "orders", scope: "orders.admin" },
          { api: "orders", scope: "orders.write" },
        ],
      }) + "",
    );
    expect(e.problems[0].message).toMatch(
      /"orders.admin" is privileged and can only be granted with a justification\. Say why/,
    );
    const f = rejected(
      oneClient({
        access: [{ api: "orders", scope: "orders.admin", justification: "ops need it" }],
      }),
    );
    expect(f.problems[0]).toMatchObject({
      code: "PRIVILEGED_JUSTIFICATION",
      entry: 'clients[0] "job" › access[0].justification',
    });
    expect(f.problems[0].message).toMatch(/has 9 visible characters; at least 20 are required/);
  });

  it("rejects bad durations", () => {
    expect(
      rejected(oneClient({ credential: { type: "secret", validityDays: 120 } })).problems[0]
        .message,
    ).toMatch(/credential › ClientSecret.rotating: validityDays must be at most 90 \(got 120\)/);
    expect(
      rejected(oneClient({ credential: { type: "secret", rotationDays: 60, validityDays: 60 } }))
        .problems[0].message,
    ).toMatch(/rotationDays \(60\) must be less than validityDays \(60\)/);
    const e = rejected(oneClient({ credential: { type: "secret", rotationDays: 7.5 } }));
    expect(e.problems[0]).toMatchObject({
      code: "CONFIG_SCHEMA",
      entry: 'clients[0] "job" › credential.rotationDays',
    });
    expect(e.problems[0].message).toMatch(
      /invalid input: expected int, received number \(got 7.5\). Use a whole number of days, at least 1/,
    );
  });

  it("rejects duplicate clients, by name or display name, and duplicate grants", () => {
    const job = {
      name: "job",
      access: [{ api: "orders", scope: "orders.read" }],
      credential: { type: "secret" },
    };
    const e = rejected(
      stringify({
        clients: [job, { ...job, name: "JOB" }, { ...job, name: "other", displayName: "job" }],
      }),
    );
    expect(e.problems.map((p) => p.code)).toEqual([
      "CONFIG_DUPLICATE_CLIENT",
      "CONFIG_DUPLICATE_CLIENT",
    ]);
    expect(e.problems[0].message).toMatch(/client name "JOB" is already used by clients\[0\]/);
    expect(e.problems[1].message).toMatch(/display name "job" is already used by clients\[0\]/);
    const g = rejected(
      oneClient({
        access: [
          { api: "orders", scope: "orders.read" },
          { api: "orders", scope: "orders.read" },
        ],
      }),
    );
    expect(g.problems[0].message).toMatch(
      /"orders.read" on "orders" is already granted by access\[0\]/,
    );
  });

  it("rejects an entry's unknown keys together with its other problems", () => {
    const e = rejected(
      oneClient({ acess: [], access: [{ api: "orders", scope: "openid", scpoe: "x" }] }),
    );
    expect(e.problems.map((p) => [p.line, p.code])).toEqual([
      [5, "DELEGATED_SCOPE"],
      [6, "CONFIG_UNKNOWN_KEY"],
      [9, "CONFIG_UNKNOWN_KEY"],
    ]);
    expect(e.problems[1].message).toMatch(/^clients\[0\] "job" › access\[0\]: unknown key "scpoe"/);
  });

  it("rejects unknown keys, missing fields and wrong types with the field's fix", () => {
    const e = rejected(oneClient({ acess: [] }));
    expect(e.problems[0].message).toBe(
      'clients[0] "job": unknown key "acess" (got "acess"). Remove it or correct its spelling (keys are case-sensitive).',
    );
    const f = rejected(stringify({ clients: [{ name: "job", credential: { type: "secret" } }] }));
    expect(f.problems[0].message).toMatch(
      /^clients\[0\] "job" › access: "access" is required\. List the grants/,
    );
    const g = rejected(oneClient({ name: "bad name!" }));
    expect(g.problems[0].message).toMatch(
      /name: invalid string: must match pattern .* \(got "bad name!"\). Name the client with a letter/,
    );
  });

  it("rejects a file that is not an object with a clients list", () => {
    expect(rejected("- a\n- b\n").problems[0].message).toMatch(
      /^\(top level\): the file must hold an object with a `clients` list/,
    );
    expect(rejected("clients: []\n").problems[0].message).toMatch(
      /^clients: too small: expected array to have >=1 items \(got \[\]\)/,
    );
    expect(rejected("").problems[0].message).toMatch(/the file must hold an object/);
  });

  it("rejects YAML syntax errors, duplicate keys, tags and several documents, with lines", () => {
    const e = rejected("clients:\n  - name: a\n    name: b\n");
    const duplicate = e.problems.find((p) => p.code === "CONFIG_DUPLICATE_KEY");
    expect(duplicate).toMatchObject({ line: 3 });
    expect(duplicate?.message).toMatch(/key "name" is given twice, at lines 2 and 3/);
    expect(rejected("clients: !!js/function 'x'\n").problems[0].message).toMatch(/tag/i);
    expect(rejected("clients: [a]\n---\nclients: [b]\n").problems[0].message).toMatch(
      /not valid YAML/,
    );
    expect(rejected("clients:\n  - name: [unclosed\n").problems[0].code).toBe("CONFIG_SYNTAX");
  });

  it("rejects JSON syntax errors with the line", () => {
    const e = rejected('{\n  "clients": [\n    { "name": "a", }\n  ]\n}\n', "clients.json");
    expect(e.problems[0].code).toBe("CONFIG_SYNTAX");
    expect(e.problems[0].line).toBe(3);
    expect(e.message).toMatch(
      /^clients.json: 1 problem\(s\); nothing from this file was synthesized.\n {2}clients.json:3 \(file\): the file is not valid JSON/,
    );
  });

  it("rejects bad owners and bad suppressions", () => {
    expect(rejected(oneClient({ owners: ["alice@contoso.example"] })).problems[0].message).toMatch(
      /owners: each owner must be an object id/,
    );
    const e = rejected(
      oneClient({ suppressions: [{ id: "MC-NOPE", reason: "because of reasons" }] }),
    );
    expect(e.problems[0].message).toMatch(
      /suppressions › suppressions\[0\]: the suppression names no rule of the org policy \(got "MC-NOPE"\)/,
    );
  });

  it("lists every problem of the file at once, in line order", () => {
    const text = [
      "clients:",
      "  - name: a",
      "    access: [{ api: orders, scope: openid }]",
      "    credential: { type: secret }",
      "  - name: b",
      "    access: [{ api: nope, scope: x }]",
      "    credential: { type: secret, validityDays: 365 }",
      "  - name: c",
      "    credential: { type: password }",
    ].join("\n");
    const e = rejected(text);
    expect(e.problems.map((p) => [p.line, p.code])).toEqual([
      [3, "DELEGATED_SCOPE"],
      [6, "CONFIG_UNKNOWN_API"],
      [7, "SECRET_VALIDITY_TOO_LONG"],
      [8, "CONFIG_SCHEMA"],
      [9, "CONFIG_SCHEMA"],
    ]);
    expect(e.message.split("\n")).toHaveLength(6);
  });

  it("rejects an unsupported file extension and a file loaded twice", () => {
    expect(rejected(VALID_YAML, "integrations.txt").problems[0].message).toMatch(
      /the file name must end in .yaml, .yml or .json/,
    );
    const { stack, apis, run } = load(VALID_YAML);
    run();
    expect(
      errorOf(() => MachineClients.fromText(stack, "integrations.yaml", VALID_YAML, { apis }))
        .message,
    ).toMatch(/"test\/integrations" already exists; the file was loaded twice or its id is taken/);
  });

  it("rejects options without APIs", () => {
    const stack = newStack();
    expect(
      errorOf(() => MachineClients.fromText(stack, "a.yaml", VALID_YAML, { apis: {} })).message,
    ).toMatch(/apis must name at least one API/);
    expect(
      errorOf(() =>
        MachineClients.fromText(stack, "a.yaml", VALID_YAML, { apis: { orders: {} as never } }),
      ).message,
    ).toMatch(/apis.orders: each API must be a ProtectedApi/);
  });
});

describe("config-file clients under an org policy", () => {
  it("are checked like any other client", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ maxSecretValidityDays: 45, maxGrantsPerClient: 1 });
    MachineClients.fromText(stack, "integrations.yaml", VALID_YAML, { apis: configApis(stack) });
    const findings = OrgPolicy.of(stack).findings();
    expect(findings.map((f) => [f.path, f.ruleId, f.suppressed?.reason])).toEqual([
      ["test/integrations/billing-sync", "MC-SECRET-VALIDITY", undefined],
      ["test/integrations/billing-sync", "MC-MAX-GRANTS", undefined],
    ]);
    const message = errorOf(() => Testing.synth(stack, true)).message;
    expect(message).toContain(
      "[test/integrations/billing-sync] MC-SECRET-VALIDITY: a client secret is valid for 60 days; the org allows at most 45 (got 60).",
    );
    expect(message).toContain(
      "[test/integrations/billing-sync] MC-MAX-GRANTS: the client holds 2 grants; the org allows at most 1 (got 2).",
    );
  });
});

describe("MachineClients.fromFile", () => {
  it("reads the file from disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "mc-config-"));
    const file = join(dir, "integrations.yml");
    writeFileSync(file, VALID_YAML);
    const stack = newStack();
    const group = MachineClients.fromFile(stack, file, {
      apis: configApis(stack),
      id: "Integrations",
    });
    expect(group.node.path).toBe("test/Integrations");
    expect(group.clients.size).toBe(2);
    expect(group.file).toBe(file);
  });

  it("rejects a missing file", () => {
    const stack = newStack();
    const e = errorOf(() =>
      MachineClients.fromFile(stack, "nowhere/integrations.yaml", { apis: configApis(stack) }),
    );
    expect(e).toBeInstanceOf(ConfigFileError);
    expect(e.message).toMatch(
      /^nowhere\/integrations.yaml: 1 problem\(s\)[^\n]*\n {2}nowhere\/integrations.yaml:1 \(file\): the file cannot be read: ENOENT/,
    );
  });
});

describe("a config file with 1,000 clients", () => {
  it("validates and synthesizes", () => {
    const clients = Array.from({ length: 1000 }, (_, i) => ({
      name: `client-${i}`,
      access: [
        { api: i % 2 ? "orders" : "billing", scope: i % 2 ? "orders.read" : "billing.read" },
      ],
      credential: { type: "secret", rotationDays: 30, validityDays: 60 },
    }));
    const { stack, run } = load(stringify({ clients }));
    expect(run().clients.size).toBe(1000);
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_application")).toHaveLength(1003);
    expect(resourcesOf(json, "azuread_application_password")).toHaveLength(2000);
  });
});
