import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..");

/** Runs `code` in a fresh Node process that cannot resolve @cdktf/provider-azurerm. */
function withoutAzurerm(code: string) {
  return spawnSync(
    process.execPath,
    [
      "-r",
      require.resolve("ts-node/register/transpile-only"),
      "-r",
      join(__dirname, "fixtures/without-azurerm.js"),
      "-e",
      code,
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TS_NODE_PROJECT: join(root, "tsconfig.json") },
    },
  );
}

describe("entry points", () => {
  it("loads the main entry point and synthesizes a client without @cdktf/provider-azurerm", () => {
    const r = withoutAzurerm(`
      const { Testing, TerraformStack } = require("cdktf");
      const m = require("./src");
      const stack = new TerraformStack(Testing.app(), "s");
      const api = new m.ProtectedApi(stack, "Api", { displayName: "a",
        vocabulary: m.ScopeVocabulary.define({ "r.read": { description: "Read" } }) });
      new m.MachineClient(stack, "C", { displayName: "c", access: [api.grant("r.read")],
        credential: m.ClientSecret.rotating({ delivery: m.SecretDelivery.output() }) });
      Testing.synth(stack);
      const loaded = Object.keys(require.cache).filter((f) => f.includes("provider-azurerm"));
      // The config-file parsers (~100 ms to load) wait for the first config file.
      const parsers = Object.keys(require.cache).filter((f) => /node_modules[\\/](yaml|zod)[\\/]/.test(f));
      console.log("ok", loaded.length, parsers.length);
    `);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("ok 0 0");
    expect(r.status).toBe(0);
  });

  it("rejects SecretDelivery.keyVault without @cdktf/provider-azurerm, naming it and its install command", () => {
    const r = withoutAzurerm(`
      const { SecretDelivery } = require("./src/azurerm");
      const { MachineClientsError } = require("./src");
      try {
        SecretDelivery.keyVault({ keyVaultId: "x", secretName: "s" });
        console.log("no error");
      } catch (e) {
        console.log(JSON.stringify({ isError: e instanceof MachineClientsError, code: e.code, message: e.message }));
      }
    `);
    expect(r.stderr).toBe("");
    const error = JSON.parse(r.stdout);
    expect(error).toMatchObject({ isError: true, code: "AZURERM_PROVIDER_MISSING" });
    expect(error.message).toContain("SecretDelivery.keyVault");
    expect(error.message).toContain("needs the optional peer dependency @cdktf/provider-azurerm");
    expect(error.message).toContain("npm install @cdktf/provider-azurerm@^14.23.1");
    expect(error.message).not.toContain("Cannot find module");
  });

  it("keeps other loading errors of the azurerm entry point as they are", () => {
    // A module the provider itself needs is missing: not the "install @cdktf/provider-azurerm" case.
    const r = spawnSync(
      process.execPath,
      [
        "-r",
        require.resolve("ts-node/register/transpile-only"),
        "-e",
        `const Module = require("node:module");
         const resolve = Module._resolveFilename;
         Module._resolveFilename = function (request, ...rest) {
           if (request === "cdktf" && String(rest[0]?.filename).includes("provider-azurerm")) {
             const error = new Error("Cannot find module 'cdktf'");
             error.code = "MODULE_NOT_FOUND";
             throw error;
           }
           return resolve.call(this, request, ...rest);
         };
         const { SecretDelivery } = require("./src/azurerm");
         try { SecretDelivery.keyVault({ keyVaultId: "x", secretName: "s" }); console.log("no error"); }
         catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }`,
      ],
      {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: join(root, "tsconfig.json") },
      },
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ name: "Error", message: "Cannot find module 'cdktf'" });
  });

  it("maps ./azurerm in package.json exports to the built subpath", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.exports["./azurerm"]).toEqual({
      types: "./lib/azurerm.d.ts",
      default: "./lib/azurerm.js",
    });
    expect(pkg.peerDependenciesMeta["@cdktf/provider-azurerm"]).toEqual({ optional: true });
    expect(pkg.dependencies?.["@cdktf/provider-azurerm"]).toBeUndefined();
  });

  it("loads the verify entry point with cdktf, constructs and every @cdktf package unresolvable", () => {
    const r = spawnSync(
      process.execPath,
      [
        "-r",
        require.resolve("ts-node/register/transpile-only"),
        "-r",
        join(__dirname, "fixtures/without-cdktf.js"),
        "-e",
        `const v = require("./src/verify");
         const orders = v.ScopeVocabulary.define({ "orders.read": { description: "Read" } });
         v.createTokenVerifier({ tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
           audience: "c3a7e0a1-5b8e-4c7f-9d1e-2f3a4b5c6d7e", vocabulary: orders });
         const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\/](cdktf|constructs|@cdktf|yaml|zod)[\\/]/.test(f));
         let main = "loaded";
         try { require("./src"); } catch (e) { main = e.message.split(String.fromCharCode(10))[0]; }
         console.log(JSON.stringify({ loaded, main }));`,
      ],
      {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: join(root, "tsconfig.json") },
      },
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      loaded: [],
      main: expect.stringContaining("Cannot find module 'cdktf'"),
    });
  });

  it("exports no internal helper from the main entry point", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const main = require("../src") as Record<string, unknown>;
    const internals = [
      "fail",
      "describeValue",
      "DESCRIBE_VALUE_MAX_LENGTH",
      "NO_VALUE",
      "trackMachineClient",
      "trackApi",
      "registerPolicySubject",
      "registerPolicyApi",
      "registerApiPolicySubject",
      "grantFromVocabulary",
      "rolesAssignedBy",
      "checkIdentifierUri",
      "checkJustification",
      "checkScopeValue",
      "checkGraphPermission",
      "evaluateClient",
      "evaluateApi",
      "resolveOrgPolicy",
      "periodStartExpression",
    ];
    expect(internals.filter((name) => name in main)).toEqual([]);
    for (const name of ["ScopeVocabulary", "ProtectedApi", "MachineClient", "ClientSecret"]) {
      expect([name, typeof main[name]]).toEqual([name, "function"]);
    }
  });

  it("maps ./verify in package.json exports and typesVersions, and keeps the cdktf peers optional", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.exports["./verify"]).toEqual({
      types: "./lib/verify/index.d.ts",
      default: "./lib/verify/index.js",
    });
    expect(pkg.typesVersions["*"].verify).toEqual(["lib/verify/index.d.ts"]);
    expect(pkg.dependencies.jose).toMatch(/^\^5\./);
    for (const peer of Object.keys(pkg.peerDependencies)) {
      expect([peer, pkg.peerDependenciesMeta[peer]]).toEqual([peer, { optional: true }]);
    }
  });
});
