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
});
