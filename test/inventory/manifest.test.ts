import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { DataAzureadClientConfig } from "@cdktf/provider-azuread/lib/data-azuread-client-config";
import { DirectoryStack } from "../../examples/directory";
import { OrdersStack } from "../../examples/orders";
import {
  ClientSecret,
  MachineClient,
  MANIFEST_CONTEXT_KEY,
  MANIFEST_FILE_NAME,
  MachineClientManifest,
  ProtectedApi,
  ScopeVocabulary,
  Suppressions,
  buildManifest,
  manifestOf,
  serializeManifest,
} from "../../src";
import { SecretDelivery as KeyVaultSecretDelivery } from "../../src/azurerm";
import { MAX_SECRET_VALIDITY_DAYS } from "../../src/credentials/client-secret";
import { rotationOffsetMinutes } from "../../src/credentials/rotation-schedule";
import { formatOffset } from "../../src/inventory/report";
import { DEFAULT_MAX_SECRET_DAYS, checkPaths } from "../../src/check";
import { main } from "../../src/cli/main";
import { NOW, removeTempDirs, tempDir } from "../check/check-util";

afterAll(removeTempDirs);

function outdir(): string {
  return tempDir("mcc-synth-");
}

/** Synthesizes the repository's example app (examples/main.ts's OrdersStack) into a fresh directory. */
function synthExample(context: Record<string, unknown> = {}): string {
  const dir = outdir();
  const app = new App({ outdir: dir, context });
  new OrdersStack(app, "orders");
  app.synth();
  return dir;
}

const vocab = ScopeVocabulary.define({
  "stock.read": { description: "Read stock" },
  "stock.admin": { description: "Manage stock", privileged: true },
});

/** A stack with two clients (declared in reverse order) on one API. */
function twoClientStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, "inventory");
  new AzureadProvider(stack, "azuread", {});
  new TimeProvider(stack, "time", {});
  const api = new ProtectedApi(stack, "StockApi", {
    displayName: "stock-api",
    identifierUri: "api://contoso.example/stock",
    vocabulary: vocab,
  });
  new MachineClient(stack, "Zeta", {
    displayName: "zeta-job",
    access: [
      api.grant("stock.admin", { justification: "Nightly reconciliation corrects stock levels" }),
      api.grant("stock.read"),
    ],
    credential: ClientSecret.rotating({ rotationDays: 20, validityDays: 45 }),
    owners: ["9b2c1f0e-4d3a-4c5b-8e7f-1a2b3c4d5e6f", "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"],
  });
  new MachineClient(stack, "Alpha", {
    displayName: "alpha-job",
    access: [api.grant("stock.read")],
    credential: ClientSecret.rotating(),
  });
  return stack;
}

describe("machine-clients.json", () => {
  test("is written next to each stack's cdk.tf.json on synth", () => {
    const dir = synthExample();
    const stackDir = path.join(dir, "stacks", "orders");
    expect(fs.existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(stackDir, MANIFEST_FILE_NAME), "utf8"));
    expect(manifest).toEqual({
      schemaVersion: 1,
      stack: "orders",
      clients: [
        {
          displayName: "billing-sync",
          path: "orders/BillingSync",
          owners: [],
          ownersDefaultToDeployer: true,
          flow: "client_credentials",
          grants: [
            {
              // The default api://{appId}: keyed by the API's path, the URI as a reference.
              api: "orders/OrdersApi",
              identifierUri: expect.stringMatching(
                /^\$\{azuread_application_identifier_uri\.OrdersApi_IdentifierUri_[0-9A-F]{8}\.identifier_uri\}$/,
              ),
              scope: "orders.read",
              roleId: expect.stringMatching(/^[0-9a-f-]{36}$/),
              privileged: false,
            },
          ],
          credentials: [
            {
              kind: "secret",
              rotationDays: 30,
              validityDays: 60,
              slots: 2,
              maxApplyGapDays: 30,
              rotationOffsetMinutes: rotationOffsetMinutes("orders/BillingSync", 30),
            },
          ],
          delivery: [],
          suppressions: [],
        },
      ],
      // The stack's API and its app roles, with their lifecycle status.
      apis: [
        {
          path: "orders/OrdersApi",
          kind: "protected",
          // The default api://{appId}, known at apply: a reference to its resource.
          identifierUri: expect.stringMatching(
            /^\$\{azuread_application_identifier_uri\.OrdersApi_IdentifierUri_[0-9A-F]{8}\.identifier_uri\}$/,
          ),
          roles: expect.arrayContaining([
            {
              scope: "orders.read",
              roleId: expect.stringMatching(/^[0-9a-f-]{36}$/),
              enabled: true,
              status: "active",
              privileged: false,
            },
          ]),
        },
      ],
    });
  });

  test("is byte-identical across synths, with sorted keys, clients, owners and grants", () => {
    const render = (): string => {
      const dir = outdir();
      const app = new App({ outdir: dir });
      twoClientStack(app);
      app.synth();
      return fs.readFileSync(path.join(dir, "stacks", "inventory", MANIFEST_FILE_NAME), "utf8");
    };
    const first = render();
    expect(render()).toBe(first);
    const m = JSON.parse(first) as MachineClientManifest;
    expect(m.clients.map((c) => c.path)).toEqual(["inventory/Alpha", "inventory/Zeta"]);
    const zeta = m.clients[1];
    expect(zeta.owners).toEqual([
      "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      "9b2c1f0e-4d3a-4c5b-8e7f-1a2b3c4d5e6f",
    ]);
    expect(zeta.ownersDefaultToDeployer).toBe(false);
    expect(zeta.grants.map((g) => [g.scope, g.privileged, g.justification])).toEqual([
      ["stock.admin", true, "Nightly reconciliation corrects stock levels"],
      ["stock.read", false, undefined],
    ]);
    expect(Object.keys(JSON.parse(first))).toEqual(["apis", "clients", "schemaVersion", "stack"]);
  });

  test("records addSecretOutput() as a delivery, beside the credential's own", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "deliveries");
    const api = new ProtectedApi(stack, "StockApi", {
      displayName: "stock-api",
      identifierUri: "api://contoso.example/stock",
      vocabulary: vocab,
    });
    const plain = new MachineClient(stack, "Plain", {
      displayName: "plain",
      access: [api.grant("stock.read")],
      credential: ClientSecret.rotating(),
    });
    const both = new MachineClient(stack, "Both", {
      displayName: "both",
      access: [api.grant("stock.read")],
      credential: ClientSecret.rotating({
        delivery: KeyVaultSecretDelivery.keyVault({
          keyVaultId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
          secretName: "both-secret",
        }),
      }),
    });
    expect(manifestOf(stack).clients.map((c) => [c.path, c.delivery])).toEqual([
      ["deliveries/Both", ["key-vault:both-secret"]],
      ["deliveries/Plain", []],
    ]);
    plain.addSecretOutput();
    both.addSecretOutput();
    expect(manifestOf(stack).clients.map((c) => [c.path, c.delivery])).toEqual([
      ["deliveries/Both", ["key-vault:both-secret", "terraform-output"]],
      ["deliveries/Plain", ["terraform-output"]],
    ]);
  });

  test("shows each client's rotation offset, different for different clients", () => {
    const app = Testing.app();
    const m = manifestOf(twoClientStack(app));
    const offsets = m.clients.map((c) => c.credentials[0].rotationOffsetMinutes);
    expect(offsets).toEqual([
      rotationOffsetMinutes("inventory/Alpha", 30),
      rotationOffsetMinutes("inventory/Zeta", 20),
    ]);
  });

  test("contains no secret: no password value or reference to one", () => {
    const dir = synthExample();
    const text = fs.readFileSync(path.join(dir, "stacks", "orders", MANIFEST_FILE_NAME), "utf8");
    expect(text).not.toMatch(/\.value\b|"value"|password/i);
    const built = buildManifest("s", [
      {
        model: {
          path: "s/C",
          displayName: "c",
          owners: [],
          explicitOwners: false,
          grants: [],
          credentials: [{ kind: "secret", value: "s3cr3t" } as unknown as { kind: "secret" }],
        },
        suppressions: [],
      },
    ]);
    expect(serializeManifest(built)).not.toContain("s3cr3t");
  });

  test("lists suppressions in force on each client (its own and its scopes'), with reasons, sorted by rule id", () => {
    const stack = twoClientStack(new App({ outdir: outdir() }));
    Suppressions.add(stack.node.findChild("Zeta"), [
      { id: "MC-SECRETS-NOT-ALLOWED", reason: "Vendor tool supports only client secrets" },
    ]);
    Suppressions.add(stack, [
      { id: "MC-EXPLICIT-OWNERS", reason: "Owners are assigned by the platform team" },
    ]);
    const m = manifestOf(stack);
    expect(m.clients[1].suppressions).toEqual([
      { id: "MC-EXPLICIT-OWNERS", reason: "Owners are assigned by the platform team" },
      { id: "MC-SECRETS-NOT-ALLOWED", reason: "Vendor tool supports only client secrets" },
    ]);
    expect(m.clients[0].suppressions).toEqual([
      { id: "MC-EXPLICIT-OWNERS", reason: "Owners are assigned by the platform team" },
    ]);
  });

  test("collects credential delivery targets, sorted and unique", () => {
    const m = buildManifest("s", [
      {
        model: {
          path: "s/C",
          displayName: "c",
          owners: [],
          explicitOwners: false,
          grants: [],
          credentials: [
            { kind: "secret", delivery: "key-vault:c-secret" },
            { kind: "certificate", delivery: "key-vault:c-cert", validityDays: 180 },
          ],
        },
        suppressions: [],
      },
    ]);
    expect(m.clients[0].delivery).toEqual(["key-vault:c-cert", "key-vault:c-secret"]);
    expect(m.clients[0].credentials.map((c) => c.kind)).toEqual(["certificate", "secret"]);
  });

  test("shows tokens as Terraform references", () => {
    const stack = new TerraformStack(new App({ outdir: outdir() }), "tokens");
    new AzureadProvider(stack, "azuread", {});
    new TimeProvider(stack, "time", {});
    const me = new DataAzureadClientConfig(stack, "me", {});
    const api = new ProtectedApi(stack, "Api", {
      displayName: "api",
      identifierUri: "api://contoso.example/stock",
      vocabulary: vocab,
    });
    new MachineClient(stack, "Job", {
      displayName: "job",
      access: [api.grant("stock.read")],
      credential: ClientSecret.rotating(),
      owners: [me.objectId],
    });
    expect(manifestOf(stack).clients[0].owners).toEqual([
      "${data.azuread_client_config.me.object_id}",
    ]);
  });

  test("is not written when the context turns it off", () => {
    const dir = synthExample({ [MANIFEST_CONTEXT_KEY]: false });
    expect(fs.existsSync(path.join(dir, "stacks", "orders", "cdk.tf.json"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "stacks", "orders", MANIFEST_FILE_NAME))).toBe(false);
  });

  test("is not written for a stack without machine clients", () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const stack = new TerraformStack(app, "empty");
    new AzureadProvider(stack, "azuread", {});
    app.synth();
    expect(fs.existsSync(path.join(dir, "stacks", "empty", MANIFEST_FILE_NAME))).toBe(false);
  });
});

describe("check and the manifest agree on justified tier-0 grants", () => {
  function synthDirectory(): string {
    const dir = outdir();
    const app = new App({ outdir: dir });
    new DirectoryStack(app, "directory");
    app.synth();
    return path.join(dir, "stacks", "directory");
  }
  const justification =
    "Sends invoices from the billing mailbox; restrict it with an Exchange application access policy.";

  test("reports a justified Graph tier-0 grant as a warning that quotes the justification", async () => {
    const r = await checkPaths([synthDirectory()], { now: NOW });
    expect(r.findings.map((f) => `${f.ruleId}:${f.severity}`)).toEqual([
      "MCC011:warning",
      "MCC011:warning",
    ]);
    for (const f of r.findings) {
      expect(f.message).toContain(
        `Microsoft Graph tier-0 application permission Mail.Send. Justified in machine-clients.json: ${JSON.stringify(justification)}.`,
      );
    }
  });

  test("reports it as an error when no manifest records the justification", async () => {
    const dir = synthDirectory();
    fs.rmSync(path.join(dir, MANIFEST_FILE_NAME));
    const r = await checkPaths([dir], { now: NOW });
    expect(r.findings.map((f) => `${f.ruleId}:${f.severity}`)).toEqual([
      "MCC011:error",
      "MCC011:error",
    ]);
    expect(r.findings[0].message).not.toContain("Justified");
  });
});

describe("check on this repository's own synthesized example", () => {
  test("reports no finding at all", async () => {
    const r = await checkPaths([synthExample()], { now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.files.map((f) => path.basename(f))).toEqual(["cdk.tf.json"]);
    expect(r.findings).toEqual([]);
  });

  test("evaluates the two-slot schedule: each secret is valid for at most 60 days", async () => {
    // Not a note: with a maximum just below the schedule's 60 days, check computes the end dates.
    const r = await checkPaths([synthExample()], { now: NOW, maxSecretDays: 59 });
    expect(r.findings.map((f) => `${f.ruleId}:${f.severity}`)).toEqual([
      "MCC005:error",
      "MCC005:error",
    ]);
    for (const f of r.findings) {
      expect(f.message).toMatch(
        /^The password is valid for 60 days when planned at \S+ \(the worst case over plans in the next two years\), beyond the policy maximum of 59 days\.$/,
      );
    }
    const ok = await checkPaths([synthExample()], { now: NOW, maxSecretDays: 60 });
    expect(ok.findings).toEqual([]);
  });

  test("finds a fault introduced into the synthesized JSON", async () => {
    const dir = synthExample();
    const file = path.join(dir, "stacks", "orders", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const sp of Object.values(json.resource.azuread_service_principal) as Record<
      string,
      unknown
    >[]) {
      delete sp.app_role_assignment_required;
    }
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    const r = await checkPaths([dir], { now: NOW });
    expect(r.findings.map((f) => f.ruleId)).toEqual(["MCC009"]);
    expect(r.findings[0].address).toMatch(/^azuread_service_principal\.OrdersApi_ServicePrincipal/);
    expect(r.findings[0].line).toBeGreaterThan(1);
  });

  test("report renders its manifest", async () => {
    let out = "";
    const code = await main(["report", synthExample()], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      cwd: process.cwd(),
    });
    expect(code).toBe(0);
    expect(out).toContain(
      `| billing-sync | \`orders/BillingSync\` | deploying principal | api://{appId} of orders/OrdersApi | \`orders.read\` | secret, rotates every 30 d, valid 60 d, 2 slots, offset ${formatOffset(rotationOffsetMinutes("orders/BillingSync", 30))} | — | — |`,
    );
  });

  test("the CLI exits 0 on it", async () => {
    let out = "";
    const code = await main(["check", synthExample()], {
      stdout: (t) => (out += t),
      stderr: () => undefined,
      cwd: process.cwd(),
    });
    expect(out).toContain("0 errors, 0 warnings, 0 notes in 1 file");
    expect(code).toBe(0);
  });
});

test("check's default secret maximum is the library's own limit", () => {
  expect(DEFAULT_MAX_SECRET_DAYS).toBe(MAX_SECRET_VALIDITY_DAYS);
});
