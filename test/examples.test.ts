import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { OrdersStack } from "../examples/orders";
import { deriveRoleId } from "../src";
import { resolveIn, resourcesOf } from "./util";

describe("examples/main.ts (the DESIGN.md scenario)", () => {
  it("synthesizes the orders API, the billing client and its two-slot rotating secret", () => {
    const stack = new OrdersStack(Testing.app(), "orders");
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.keys(json.provider).sort()).toEqual(["azuread", "time"]);
    expect(
      resourcesOf(json, "azuread_application")
        .map((a) => a.display_name)
        .sort(),
    ).toEqual(["billing-sync", "orders-api"]);
    expect(resourcesOf(json, "azuread_app_role_assignment")).toEqual([
      expect.objectContaining({ app_role_id: deriveRoleId("orders.read") }),
    ]);
    // Two staggered passwords (slots A and B), keyed on calendar periods: no time_rotating.
    expect(resourcesOf(json, "azuread_application_password").map((p) => p.display_name)).toEqual([
      "rotating secret, slot A",
      "rotating secret, slot B",
    ]);
    expect(json.terraform.required_version).toBe(">= 1.8.0");
    expect(json.resource.time_rotating).toBeUndefined();
    // The secure default identifier URI api://{appId}, set once the application exists.
    const [uri] = resourcesOf(json, "azuread_application_identifier_uri");
    expect(uri.identifier_uri).toMatch(
      /^api:\/\/\$\{azuread_application\.OrdersApi_Application_\w+\.client_id\}$/,
    );
    expect(resolveIn(stack, stack.billing.tokenScopeFor(stack.api))).toMatch(
      /^\$\{azuread_application_identifier_uri\.OrdersApi_IdentifierUri_\w+\.identifier_uri\}\/\.default$/,
    );
  });

  it("runs as a cdktf app and writes byte-identical Terraform JSON on every run", () => {
    const run = () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-example-"));
      execFileSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), "--transpile-only", "examples/main.ts"],
        {
          cwd: path.join(__dirname, ".."),
          env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
        },
      );
      const file = path.join(outdir, "stacks", "orders", "cdk.tf.json");
      const text = fs.readFileSync(file, "utf8");
      fs.rmSync(outdir, { recursive: true, force: true });
      return text;
    };
    const first = run();
    expect(JSON.parse(first).resource.azuread_application).toBeDefined();
    expect(run()).toBe(first);
  });
});
