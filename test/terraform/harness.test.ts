/**
 * The Terraform tier's harness, tested without the binary (part of `npm test`): the stand-in
 * conversion, and the clear failure when terraform is missing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { convertStack, findTerraform, standInName, TfJson } from "./harness";
import { defaultConfig, synthRotationStack } from "./stack";

const FIXTURE = path.join(__dirname, "fixtures", "two-slot-calendar-0.1.0.tf.json");

describe("findTerraform", () => {
  it("rejects a PATH without terraform with a message that says how to fix it, never skipping", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "mc-no-tf-"));
    expect(() => findTerraform({ PATH: empty })).toThrow(
      "npm run test:terraform needs the terraform binary (≥ 1.8) on PATH, or its path in TERRAFORM. " +
        "Install it (https://developer.hashicorp.com/terraform/install) and run the tier again; it does not skip.",
    );
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it("rejects a TERRAFORM that is not an executable file", () => {
    expect(() => findTerraform({ TERRAFORM: "/nonexistent/terraform" })).toThrow(
      "npm run test:terraform: TERRAFORM=/nonexistent/terraform is not an executable file.",
    );
  });

  it("finds an executable named terraform on PATH", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-fake-tf-"));
    fs.writeFileSync(path.join(dir, "terraform"), "#!/bin/sh\n", { mode: 0o755 });
    expect(findTerraform({ PATH: `/nonexistent${path.delimiter}${dir}` })).toBe(
      path.join(dir, "terraform"),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("convertStack", () => {
  const stack = synthRotationStack(defaultConfig(30, 60));
  const { config, standIns } = convertStack(stack);
  const passwords = Object.keys(stack.resource.azuread_application_password);
  const data = (type: string, name: string): TfJson =>
    config.resource.terraform_data[standInName(type, name)];

  it("stands in for every provider resource with a terraform_data, and drops providers", () => {
    const originals = Object.entries<TfJson>(stack.resource).flatMap(([type, rs]) =>
      Object.keys(rs).map((name) => standInName(type, name)),
    );
    expect(Object.keys(config.resource)).toEqual(["terraform_data"]);
    expect(Object.keys(config.resource.terraform_data).sort()).toEqual(originals.sort());
    expect([...standIns.keys()].sort()).toEqual(originals.sort());
    expect(config.provider).toBeUndefined();
    expect(config.data).toBeUndefined();
    expect(config.terraform).toEqual({ required_version: ">= 1.8.0" });
    expect(JSON.stringify(config)).not.toMatch(/provider::|plantimestamp\(\)/);
  });

  it("puts every argument of a password into a triggers_replace map, keeping its lifecycle", () => {
    for (const name of passwords) {
      const d = data("azuread_application_password", name);
      const local = `mc_args_${standInName("azuread_application_password", name)}`;
      expect(d.input).toBe(`\${local.${local}}`);
      for (const arg of ["application_id", "display_name", "end_date", "rotate_when_changed"]) {
        expect(d.triggers_replace).toContain(`${arg} = jsonencode(local.${local}.${arg})`);
      }
      // start_date is not set: Entra computes it, so it triggers nothing.
      expect(d.triggers_replace).not.toContain("start_date =");
      expect(config.locals[local].start_date).toBe("${local.mc_now_rfc3339}");
      expect(d.lifecycle).toEqual({
        create_before_destroy: true,
        ignore_changes: ['triggers_replace["end_date"]', "input"],
      });
    }
  });

  it("reads the plan time from var.now and computed attributes from the stand-in's id", () => {
    const local =
      config.locals[`mc_args_${standInName("azuread_application_password", passwords[0])}`];
    expect(local.end_date).toBe('${timeadd(local.mc_now_rfc3339, "1440h")}');
    expect(local.rotate_when_changed.period_start).toContain("local.mc_now_parsed.unix");
    expect(local.application_id).toMatch(
      /^\$\{terraform_data\.azuread_application__BillingSync_Application_\w+\.id\}$/,
    );
    const output = Object.values<TfJson>(config.output)[0];
    expect(output.value).toContain(".output.rotate_when_changed.period_start");
    expect(output.value).toMatch(/\? terraform_data\.\S+\.id : terraform_data\.\S+\.id\}$/);
  });

  it("turns data sources into constants", () => {
    const app =
      config.locals[
        `mc_args_${standInName("azuread_application", Object.keys(stack.resource.azuread_application)[0])}`
      ];
    expect(app.owners[0]).toMatch(
      /^\$\{"stand-in for data\.azuread_client_config\.\w+\.object_id"\}$/,
    );
  });

  it("converts the frozen 0.1.0 stack too, without create_before_destroy", () => {
    const old = convertStack(JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
    const lifecycles = Object.entries<TfJson>(old.config.resource.terraform_data)
      .filter(([k]) => k.startsWith("azuread_application_password__"))
      .map(([, v]) => v.lifecycle);
    expect(lifecycles).toEqual([undefined, undefined]);
  });

  it("rejects a provider function it has no stand-in for, naming it", () => {
    const bad = structuredClone(stack);
    bad.output = { x: { value: '${provider::time::duration_parse("1h").seconds}' } };
    expect(() => convertStack(bad)).toThrow(
      "unsupported provider function provider::time::duration_parse: add a stand-in for it to test/terraform/harness.ts",
    );
  });

  it("rejects count and for_each, which it does not convert yet", () => {
    const bad = structuredClone(stack);
    const [name] = passwords;
    bad.resource.azuread_application_password[name].count = 2;
    expect(() => convertStack(bad)).toThrow(
      `azuread_application_password.${name}: count and for_each are not supported`,
    );
  });

  it("moves stand-ins where the stack moves resources, from addresses no longer configured", () => {
    const moving = structuredClone(stack);
    const [name] = passwords;
    moving.moved = [
      { from: "azuread_application_password.old_name", to: `azuread_application_password.${name}` },
    ];
    expect(convertStack(moving).config.moved).toEqual([
      {
        from: "terraform_data.azuread_application_password__old_name",
        to: `terraform_data.${standInName("azuread_application_password", name)}`,
      },
    ]);
  });
});
