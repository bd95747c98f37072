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

  it("fails to load the azurerm entry point without it, naming the missing package", () => {
    const r = withoutAzurerm(`require("./src/azurerm")`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Cannot find module '@cdktf/provider-azurerm/lib/key-vault-secret'");
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
