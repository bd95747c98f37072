import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The packed tarball, installed into a separate TypeScript cdktf app: it must compile against the
// shipped .d.ts files and synthesize the DESIGN.md example. Offline: the app's other dependencies
// are linked from this repository's node_modules instead of being downloaded.
const repo = path.join(__dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

describe("npm pack", () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "mc-pack-"));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it("yields a tarball that a separate cdktf app installs, compiles against and synthesizes", () => {
    const packed = JSON.parse(
      execFileSync(npm, ["pack", "--json", "--pack-destination", work], {
        cwd: repo,
        encoding: "utf8",
      }).replace(/^[^[]*/s, ""),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "lib/index.js",
        "lib/index.d.ts",
        "lib/azurerm.js",
        "lib/azurerm.d.ts",
      ]),
    );
    expect(
      files.filter(
        (f) => /^(src|test|examples)\//.test(f) || (f.endsWith(".ts") && !f.endsWith(".d.ts")),
      ),
    ).toEqual([]);

    const app = path.join(work, "app");
    const modules = path.join(app, "node_modules");
    fs.mkdirSync(path.join(modules, "@cdktf"), { recursive: true });
    execFileSync("tar", ["-xzf", path.join(work, packed[0].filename), "-C", work]);
    fs.renameSync(path.join(work, "package"), path.join(modules, "cdktf-machine-clients"));
    // The package's own dependencies and its peers, as npm would install them.
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    const deps = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter(
        (p) => !manifest.peerDependenciesMeta?.[p]?.optional,
      ),
      "@types/node",
    ];
    for (const dep of deps) {
      fs.mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
      fs.symlinkSync(path.join(repo, "node_modules", dep), path.join(modules, dep), "dir");
    }
    fs.writeFileSync(
      path.join(app, "main.ts"),
      `import { App, TerraformStack } from "cdktf";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { ClientSecret, MachineClient, ProtectedApi, ScopeVocabulary } from "cdktf-machine-clients";

const app = new App({ outdir: "out" });
const stack = new TerraformStack(app, "orders");
new AzureadProvider(stack, "azuread", {});
new TimeProvider(stack, "time", {});
const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.write": { description: "Create and update orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});
const api = new ProtectedApi(stack, "OrdersApi", {
  displayName: "orders-api",
  identifierUri: "api://contoso.example/orders",
  vocabulary: orders,
});
const billing = new MachineClient(stack, "BillingSync", {
  displayName: "billing-sync",
  access: [api.grant("orders.read")],
  credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 61 }),
});
console.log(billing.tokenScopeFor(api));
app.synth();
`,
    );
    fs.writeFileSync(
      path.join(app, "bad.ts"),
      `import { ScopeVocabulary } from "cdktf-machine-clients";
ScopeVocabulary.define({ offline_access: { description: "x" } });
`,
    );
    const tsc = path.join(repo, "node_modules", "typescript", "bin", "tsc");
    const tscArgs = [
      "--strict",
      "--module",
      "commonjs",
      "--target",
      "es2022",
      "--skipLibCheck",
      "--types",
      "node",
    ];
    execFileSync(process.execPath, [tsc, ...tscArgs, "main.ts"], { cwd: app });
    const out = execFileSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8" });
    expect(out.trim()).toBe("api://contoso.example/orders/.default");
    const json = JSON.parse(
      fs.readFileSync(path.join(app, "out", "stacks", "orders", "cdk.tf.json"), "utf8"),
    );
    expect(Object.keys(json.resource).sort()).toEqual([
      "azuread_app_role_assignment",
      "azuread_application",
      "azuread_application_password",
      "azuread_service_principal",
      // The API's wait for Entra to replicate new app roles.
      "time_sleep",
    ]);
    // @cdktf/provider-azurerm is not installed in this app: the main entry point did not need it.
    expect(fs.existsSync(path.join(modules, "@cdktf", "provider-azurerm"))).toBe(false);

    // With the optional peer installed, the ./azurerm subpath compiles (typesVersions, for
    // moduleResolution node) and runs (exports) from the tarball.
    fs.symlinkSync(
      path.join(repo, "node_modules", "@cdktf", "provider-azurerm"),
      path.join(modules, "@cdktf", "provider-azurerm"),
      "dir",
    );
    fs.writeFileSync(
      path.join(app, "vault.ts"),
      `import { App, TerraformStack } from "cdktf";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { ClientSecret, MachineClient, ProtectedApi, ScopeVocabulary } from "cdktf-machine-clients";
import { SecretDelivery } from "cdktf-machine-clients/azurerm";

const app = new App({ outdir: "out-vault", skipValidation: true });
const stack = new TerraformStack(app, "vault");
new AzureadProvider(stack, "azuread", {});
new TimeProvider(stack, "time", {});
const api = new ProtectedApi(stack, "Api", {
  displayName: "orders-api",
  identifierUri: "api://contoso.example/orders",
  vocabulary: ScopeVocabulary.define({ "orders.read": { description: "Read orders" } }),
});
new MachineClient(stack, "Client", {
  displayName: "billing-sync",
  access: [api.grant("orders.read")],
  credential: ClientSecret.rotating({
    delivery: SecretDelivery.keyVault({
      keyVaultId: "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v",
      secretName: "billing-sync",
    }),
  }),
});
app.synth();
`,
    );
    execFileSync(process.execPath, [tsc, ...tscArgs, "vault.ts"], { cwd: app });
    execFileSync(process.execPath, ["vault.js"], { cwd: app });
    const vault = JSON.parse(
      fs.readFileSync(path.join(app, "out-vault", "stacks", "vault", "cdk.tf.json"), "utf8"),
    );
    expect(Object.keys(vault.resource.azurerm_key_vault_secret)).toHaveLength(1);

    let compileError = "";
    try {
      execFileSync(process.execPath, [tsc, ...tscArgs, "--noEmit", "bad.ts"], {
        cwd: app,
        encoding: "utf8",
      });
    } catch (e) {
      compileError = (e as { stdout: string }).stdout;
    }
    expect(compileError).toContain("offline_access is a delegated scope");
  });
});
