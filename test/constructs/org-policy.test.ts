import { App, Testing } from "cdktf";
import {
  ClientSecret,
  MachineClient,
  MachineClientsError,
  OrgPolicy,
  Suppressions,
} from "../../src";
import { SecretValidityRule } from "../../src/policy/secret-validity";
import { errorOf, newStack } from "../util";
import { billingApi, JUSTIFICATION, ordersApi, providerStack } from "./fixtures";
import { TerraformStack } from "cdktf";

function synthValidated(stack: TerraformStack): string {
  return Testing.synth(stack, true);
}

function annotationsOf(stack: TerraformStack, path: string): string[] {
  return stack.node
    .findAll()
    .filter((c) => c.node.path === path)
    .flatMap((c) =>
      c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data as string),
    );
}

describe("OrgPolicy", () => {
  it("checks nothing until a policy is applied", () => {
    const stack = providerStack();
    const api = ordersApi(stack);
    new MachineClient(stack, "Admin", {
      displayName: "admin",
      access: [api.grant("orders.admin", { justification: JUSTIFICATION })],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 90 }),
    });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it("passes a compliant stack", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ maxSecretValidityDays: 60, requireExplicitOwners: true });
    const api = ordersApi(stack);
    new MachineClient(stack, "Billing", {
      displayName: "billing",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 60 }),
      owners: ["11111111-1111-4111-8111-111111111111"],
    });
    expect(() => synthValidated(stack)).not.toThrow();
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
    expect(OrgPolicy.of(stack).report()).toBe("No org policy findings.");
  });

  it("rejects a non-compliant stack at synth, listing every violation at once", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ maxSecretValidityDays: 60, requireExplicitOwners: true });
    const orders = ordersApi(stack);
    const billing = billingApi(stack);
    new MachineClient(stack, "Admin", {
      displayName: "admin",
      access: [
        orders.grant("orders.admin", { justification: JUSTIFICATION }),
        billing.grant("billing.read"),
      ],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 90 }),
    });
    new MachineClient(stack, "Reader", {
      displayName: "reader",
      access: [orders.grant("orders.read")],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 61 }),
    });
    const message = errorOf(() => synthValidated(stack)).message;
    const lines = message.split("\n").map((l) => l.trim());
    const heads = lines.filter((l) => l.startsWith("[test/"));
    expect(heads.map((l) => l.replace(/:.*/, ""))).toEqual([
      "[test/Admin] MC-SECRET-VALIDITY",
      "[test/Admin] MC-PRIVILEGED-SECRET-VALIDITY",
      "[test/Admin] MC-PRIVILEGED-ISOLATION",
      "[test/Admin] MC-EXPLICIT-OWNERS",
      "[test/Reader] MC-SECRET-VALIDITY",
      "[test/Reader] MC-EXPLICIT-OWNERS",
    ]);
    expect(message).toContain(
      "[test/Reader] MC-SECRET-VALIDITY: a client secret is valid for 61 days; the org allows at most 60 (got 61).",
    );
    expect(lines.filter((l) => l.startsWith("Why: "))).toHaveLength(6);
    expect(lines.filter((l) => l.startsWith("Fix: "))).toHaveLength(6);
    expect(message).toContain(`Why: ${SecretValidityRule.explanation}`);
  });

  it("reports a suppressed finding as a warning with its reason instead of failing", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ maxSecretValidityDays: 60 });
    const api = ordersApi(stack);
    const client = new MachineClient(stack, "Legacy", {
      displayName: "legacy",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 90 }),
    });
    Suppressions.add(client, [
      { id: "MC-SECRET-VALIDITY", reason: "vendor SDK caches secrets, see OPS-9" },
    ]);
    expect(() => synthValidated(stack)).not.toThrow();
    synthValidated(stack); // validations run again: the warning is not repeated
    const warnings = annotationsOf(stack, "test/Legacy");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^\[suppressed\] MC-SECRET-VALIDITY: a client secret is valid for 90 days/,
    );
    expect(warnings[0]).toContain(
      "Suppressed at test/Legacy: vendor SDK caches secrets, see OPS-9",
    );
    const [finding] = OrgPolicy.of(stack).findings();
    expect(finding.suppressed).toEqual({
      reason: "vendor SDK caches secrets, see OPS-9",
      declaredAt: "test/Legacy",
    });
    expect(OrgPolicy.of(stack).report()).toMatch(
      /^1 org policy finding\(s\), 0 not suppressed:\n\[test\/Legacy\]/,
    );
  });

  it("merges policies from the app down, the nearest scope winning", () => {
    const app = Testing.app();
    const strict = providerStack(app, "strict");
    const loose = providerStack(app, "loose");
    OrgPolicy.of(app).apply({ maxSecretValidityDays: 60, allowSecrets: true });
    OrgPolicy.of(loose).apply({ maxSecretValidityDays: 90 });
    for (const stack of [strict, loose]) {
      const api = ordersApi(stack);
      new MachineClient(stack, "Client", {
        displayName: "client",
        access: [api.grant("orders.read")],
        credential: ClientSecret.rotating({ rotationDays: 30, validityDays: 90 }),
      });
    }
    expect(OrgPolicy.effectiveFor(loose)?.maxSecretValidityDays).toBe(90);
    expect(OrgPolicy.effectiveFor(strict)?.maxSecretValidityDays).toBe(60);
    expect(() => synthValidated(loose)).not.toThrow();
    expect(errorOf(() => synthValidated(strict)).message).toContain(
      "[strict/Client] MC-SECRET-VALIDITY",
    );
    expect(
      OrgPolicy.of(app)
        .findings()
        .map((f) => f.path),
    ).toEqual(["strict/Client"]);
  });

  it("fails App.synth() (what `cdktf synth` runs) with the violations", () => {
    const app = new App({ outdir: Testing.app().outdir });
    const stack = providerStack(app, "prod");
    OrgPolicy.of(app).apply({ allowSecrets: false });
    const api = ordersApi(stack);
    new MachineClient(stack, "Job", {
      displayName: "job",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    const message = errorOf(() => app.synth()).message;
    expect(message).toMatch(
      /^Validation failed with the following errors:\n {2}\[prod\/Job\] MC-SECRETS-NOT-ALLOWED: /,
    );
  });

  it("rejects a scope that is not a construct", () => {
    const e = errorOf(() => OrgPolicy.of({} as never));
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.message).toMatch(/^OrgPolicy.of: an org policy applies to a construct/);
  });

  it("rejects invalid options when applied", () => {
    const stack = newStack();
    expect(errorOf(() => OrgPolicy.of(stack).apply({ maxGrantsPerClient: -1 })).message).toMatch(
      /^OrgPolicy.of\(test\).apply: maxGrantsPerClient must be a whole number, at least 1 \(got -1\)/,
    );
  });
});
