import { execFile, execFileSync, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The packed tarball, installed into a separate TypeScript cdktf app: it must compile against the
// shipped .d.ts files and synthesize the DESIGN.md example. Offline: the app's other dependencies
// are linked from this repository's node_modules instead of being downloaded.
import {
  API_CLIENT_ID,
  CLIENT_ID,
  signingKey,
  startJwksServer,
  TENANT,
  token,
} from "./verify/entra";

const repo = path.join(__dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

describe("npm pack", () => {
  let work: string;
  let tarball: string;
  let files: string[];
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "mc-pack-"));
    const packed = JSON.parse(
      execFileSync(npm, ["pack", "--json", "--pack-destination", work], {
        cwd: repo,
        encoding: "utf8",
      }).replace(/^[^[]*/s, ""),
    ) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, packed[0].filename);
    files = packed[0].files.map((f) => f.path);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it("yields a tarball that a separate cdktf app installs, compiles against and synthesizes", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "lib/index.js",
        "lib/index.d.ts",
        "lib/azurerm.js",
        "lib/azurerm.d.ts",
        "lib/verify/index.js",
        "lib/verify/index.d.ts",
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
    execFileSync("tar", ["-xzf", tarball, "-C", work]);
    fs.renameSync(path.join(work, "package"), path.join(modules, "cdktf-machine-clients"));
    // The package's own dependencies, and the peers that a cdktf app installs (the README's
    // install line): the peers are optional so that an API server does not get them.
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    const deps = [
      ...Object.keys(manifest.dependencies ?? {}),
      "cdktf",
      "constructs",
      "@cdktf/provider-azuread",
      "@cdktf/provider-time",
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

  it("installs into an API server without cdktf, constructs or the providers, and verifies a token", async () => {
    const api = path.join(work, "api");
    fs.mkdirSync(api);
    fs.writeFileSync(
      path.join(api, "package.json"),
      JSON.stringify({ name: "orders-api", version: "1.0.0", private: true }),
    );
    // A real npm install of the tarball: npm 7+ installs peers that are not optional, so this
    // proves that the cdktf stack stays out. Packages come from npm's cache when it has them.
    execFileSync(
      npm,
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball],
      { cwd: api, encoding: "utf8" },
    );
    const modules = path.join(api, "node_modules");
    for (const absent of [
      "cdktf",
      "constructs",
      "@cdktf/provider-azuread",
      "@cdktf/provider-time",
      "@cdktf/provider-azurerm",
    ]) {
      expect([absent, fs.existsSync(path.join(modules, absent))]).toEqual([absent, false]);
    }
    expect(fs.existsSync(path.join(modules, "jose"))).toBe(true);

    const key = await signingKey("key-1");
    const jwks = await startJwksServer([key.publicJwk]);
    try {
      fs.writeFileSync(
        path.join(api, "server.js"),
        `const { createTokenVerifier, ScopeVocabulary } = require("cdktf-machine-clients/verify");
const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });
const verifier = createTokenVerifier({
  tenantId: process.env.TENANT_ID, audience: process.env.API_CLIENT_ID, vocabulary: orders,
  jwksUri: process.env.JWKS_URI,
});
verifier.verify("Bearer " + process.env.TOKEN).then((caller) => {
  caller.require("orders.read");
  const engine = Object.keys(require.cache).filter((f) => /node_modules[\\/](cdktf|constructs|@cdktf)[\\/]/.test(f));
  console.log(JSON.stringify({ client: caller.clientId, roles: caller.roles, engine }));
}).catch((e) => { console.error(e); process.exit(1); });
`,
      );
      // Asynchronously: the JWKS server runs in this process and must answer while it waits.
      const { stdout: out } = await promisify(execFile)(process.execPath, ["server.js"], {
        cwd: api,
        encoding: "utf8",
        env: {
          ...process.env,
          TENANT_ID: TENANT,
          API_CLIENT_ID,
          JWKS_URI: jwks.url,
          TOKEN: await token(key),
        },
      });
      expect(JSON.parse(out)).toEqual({ client: CLIENT_ID, roles: ["orders.read"], engine: [] });
    } finally {
      await jwks.close();
    }

    // The cdktf entry point is what needs the peers: it names the missing one.
    const main = spawnSync(process.execPath, ["-e", 'require("cdktf-machine-clients")'], {
      cwd: api,
      encoding: "utf8",
    });
    expect(main.status).not.toBe(0);
    expect(main.stderr).toContain("Cannot find module 'cdktf'");

    // The subpath's types resolve both ways (exports for node16, typesVersions for node10), and
    // a role outside the vocabulary does not compile against the shipped .d.ts files.
    fs.mkdirSync(path.join(modules, "@types"), { recursive: true });
    fs.symlinkSync(
      path.join(repo, "node_modules", "@types", "node"),
      path.join(modules, "@types", "node"),
      "dir",
    );
    fs.writeFileSync(
      path.join(api, "typed.ts"),
      `import { createTokenVerifier, ScopeVocabulary } from "cdktf-machine-clients/verify";
const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});
const verifier = createTokenVerifier({ tenantId: "t", audience: "a", vocabulary: orders });
export async function handle(header: string): Promise<void> {
  const caller = await verifier.verify(header);
  caller.require("orders.read");
  // @ts-expect-error a role outside the vocabulary
  caller.require("orders.raed");
  // @ts-expect-error a privileged role needs a reason
  caller.require("orders.admin");
}
`,
    );
    const tsc = path.join(repo, "node_modules", "typescript", "bin", "tsc");
    for (const resolution of [
      ["--module", "commonjs", "--moduleResolution", "node10"],
      ["--module", "node16"],
    ]) {
      const r = spawnSync(
        process.execPath,
        [
          tsc,
          "--strict",
          "--noEmit",
          "--target",
          "es2022",
          "--types",
          "node",
          ...resolution,
          "typed.ts",
        ],
        { cwd: api, encoding: "utf8" },
      );
      expect([resolution.join(" "), r.stdout]).toEqual([resolution.join(" "), ""]);
    }
  });
});
