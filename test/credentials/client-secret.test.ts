import { ApplicationPasswordA } from "@cdktf/provider-azuread/lib/application-password";
import { TerraformStack, Testing } from "cdktf";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import {
  ClientSecret,
  MachineClient,
  ProtectedApi,
  RotatingSecretOptions,
  ScopeVocabulary,
  SecretDelivery,
} from "../../src";
import {
  DAY_SECONDS,
  newestSlot,
  slotEndUnix,
  slotPeriod,
} from "../../src/credentials/rotation-schedule";
import { errorOf, newStack, ref, resolveIn, resourcesOf, synth, TfJson } from "../util";

const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });

function setup(credential: ClientSecret, stack: TerraformStack = newStack()) {
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: orders,
  });
  const client = new MachineClient(stack, "BillingSync", {
    displayName: "billing-sync",
    access: [api.grant("orders.read")],
    credential,
  });
  return { stack, client };
}

const NOW = "provider::time::rfc3339_parse(plantimestamp()).unix";

/**
 * Evaluates the arithmetic the two-slot schedule synthesizes, with plan time = `unix`, so that the
 * Terraform expressions can be checked against the schedule the rotation model simulates.
 * Accepts only numbers, + - * / ( ) > ? :, floor and quoted slot names; anything else throws.
 */
function evaluate(expression: string, unix: number, names: Record<string, string> = {}): unknown {
  let body = expression.replace(/^\$\{/, "").replace(/\}$/, "");
  body = body.split(NOW).join(String(unix));
  for (const [reference, name] of Object.entries(names))
    body = body.split(reference).join(`"${name}"`);
  const end = /^timeadd\("1970-01-01T00:00:00Z", format\("%dh", (.*)\)\)$/.exec(body);
  const arithmetic = end ? end[1] : body;
  if (!/^[\d\s+\-*/()<>?:."AB]*$/.test(arithmetic.replace(/floor/g, ""))) {
    throw new Error(`unexpected expression: ${arithmetic}`);
  }
  const value = new Function("floor", `return (${arithmetic});`)(Math.floor);
  return end ? new Date(value * 3_600_000).toISOString().replace(".000Z", "Z") : value;
}

describe("ClientSecret.rotating (two slots, the default)", () => {
  it("synthesizes two passwords keyed on staggered calendar periods computed at plan time", () => {
    const { stack, client } = setup(ClientSecret.rotating({ rotationDays: 20, validityDays: 60 }));
    const json = synth(stack);
    expect(json.resource.time_rotating).toBeUndefined();
    const passwords = resourcesOf(json, "azuread_application_password");
    const periodA = `\${floor((${NOW} / 3456000))}`;
    const periodB = `\${floor(((${NOW} - 1728000) / 3456000))}`;
    expect(passwords).toEqual([
      {
        application_id: ref(client.application, "id"),
        display_name: "billing-sync (slot A of 2: new secret every 20d, valid 60d)",
        end_date: `\${timeadd("1970-01-01T00:00:00Z", format("%dh", (((floor((${NOW} / 3456000)) * 40) + 60) * 24)))}`,
        rotate_when_changed: { period: periodA },
      },
      {
        application_id: ref(client.application, "id"),
        display_name: "billing-sync (slot B of 2: new secret every 20d, valid 60d)",
        end_date: `\${timeadd("1970-01-01T00:00:00Z", format("%dh", ((((floor(((${NOW} - 1728000) / 3456000)) * 40) + 20) + 60) * 24)))}`,
        rotate_when_changed: { period: periodB },
      },
    ]);
    // No start_date: Entra starts each password when it is created.
    for (const p of passwords) expect(p).not.toHaveProperty("start_date");
  });

  it("synthesizes the same periods, end dates and newest slot as the rotation model", () => {
    const R = 7;
    const V = 30;
    const { stack, client } = setup(ClientSecret.rotating({ rotationDays: R, validityDays: V }));
    const json = synth(stack);
    const [a, b] = Object.values(json.resource.azuread_application_password) as TfJson[];
    const passwords = client.node
      .findAll()
      .filter((c): c is ApplicationPasswordA => c instanceof ApplicationPasswordA);
    const names = {
      [`${ref(passwords[0], "value").slice(2, -1)}`]: "A",
      [`${ref(passwords[1], "value").slice(2, -1)}`]: "B",
    };
    const newest = resolveIn(stack, client.secretValue) as string;
    const start = Date.UTC(2026, 0, 1, 3, 30) / 1000;
    for (let t = start; t < start + 60 * DAY_SECONDS; t += DAY_SECONDS / 4) {
      expect(Number(evaluate(a.rotate_when_changed.period, t))).toBe(slotPeriod(t, 0, R));
      expect(Number(evaluate(b.rotate_when_changed.period, t))).toBe(slotPeriod(t, 1, R));
      expect(evaluate(a.end_date, t)).toBe(
        new Date(slotEndUnix(slotPeriod(t, 0, R), 0, R, V) * 1000)
          .toISOString()
          .replace(".000Z", "Z"),
      );
      expect(evaluate(b.end_date, t)).toBe(
        new Date(slotEndUnix(slotPeriod(t, 1, R), 1, R, V) * 1000)
          .toISOString()
          .replace(".000Z", "Z"),
      );
      expect(evaluate(newest, t, names)).toBe(newestSlot(t, R) === 0 ? "A" : "B");
    }
  });

  it("exposes the newest secret as a conditional reference on the slot periods, never a literal", () => {
    const { stack, client } = setup(ClientSecret.rotating());
    const [a, b] = client.node
      .findAll()
      .filter((c): c is ApplicationPasswordA => c instanceof ApplicationPasswordA);
    const aIsNewer =
      `((floor((${NOW} / 5184000)) * 60) > ` +
      `((floor(((${NOW} - 2592000) / 5184000)) * 60) + 30))`;
    const inner = (r: string) => r.slice(2, -1);
    expect(resolveIn(stack, client.secretValue)).toBe(
      `\${${aIsNewer} ? ${inner(ref(a, "value"))} : ${inner(ref(b, "value"))}}`,
    );
  });

  it("keeps single-slot mode: one password on a time_rotating", () => {
    const { stack } = setup(ClientSecret.rotating({ slots: 1 }));
    const json = synth(stack);
    expect(resourcesOf(json, "time_rotating")).toEqual([{ rotation_days: 30 }]);
    expect(resourcesOf(json, "azuread_application_password")).toHaveLength(1);
  });

  it("describes the schedule for policy and inventory", () => {
    expect(ClientSecret.rotating({ rotationDays: 10, validityDays: 45 }).describe()).toEqual({
      kind: "secret",
      rotationDays: 10,
      validityDays: 45,
      slots: 2,
      maxApplyGapDays: 10,
    });
    expect(
      ClientSecret.rotating({ slots: 1, delivery: SecretDelivery.output() }).describe(),
    ).toEqual({
      kind: "secret",
      rotationDays: 30,
      validityDays: 60,
      slots: 1,
      maxApplyGapDays: 30,
      delivery: "terraform-output",
    });
  });

  it.each<[RotatingSecretOptions, string]>([
    [
      { rotationDays: 31, validityDays: 61 },
      "with two slots each password is replaced every 2 × rotationDays (62 days), so validityDays must be at least 2 × rotationDays (62) (got 61). Use validityDays: 62 or more, or rotationDays: 30 or less.",
    ],
    [
      { rotationDays: 40 },
      "with two slots each password is replaced every 2 × rotationDays (80 days), so validityDays must be at least 2 × rotationDays (80) (got 60).",
    ],
    [
      { slots: 3 as 2 },
      "slots must be 2 (staggered passwords, the default) or 1 (one password replaced in place) (got 3). Leave slots out, or use slots: 1 where the tenant caps the number of passwords.",
    ],
    [
      { delivery: { kind: "output" } as unknown as SecretDelivery },
      'delivery must be made by SecretDelivery.output() or SecretDelivery.keyVault() (got {"kind":"output"}).',
    ],
    [
      { delivery: SecretDelivery.output({ outputName: "client secret" }) },
      'SecretDelivery.output: outputName must start with a letter or underscore and hold only letters, digits, underscores and dashes (got "client secret"). Use e.g. outputName: "billing_sync_client_secret".',
    ],
  ])("rejects the rotating secret %p", (options, message) => {
    const stack = newStack();
    const error = errorOf(() => setup(ClientSecret.rotating(options), stack));
    expect(error.message).toContain("test/BillingSync › ClientSecret.rotating");
    expect(error.message).toContain(message);
    // Nothing half-built.
    expect(stack.node.tryFindChild("BillingSync")).toBeUndefined();
  });

  it("accepts slots: 1 where two slots would need a longer validity", () => {
    expect(() =>
      setup(ClientSecret.rotating({ rotationDays: 30, validityDays: 60, slots: 1 })),
    ).not.toThrow();
  });
});

describe("SecretDelivery.output", () => {
  it("publishes the newest secret as a sensitive output, by reference", () => {
    const { stack, client } = setup(ClientSecret.rotating({ delivery: SecretDelivery.output() }));
    const json = synth(stack);
    const [a, b] = client.node
      .findAll()
      .filter((c): c is ApplicationPasswordA => c instanceof ApplicationPasswordA);
    const outputs = Object.values(json.output) as TfJson[];
    expect(outputs).toHaveLength(1);
    expect(outputs[0].sensitive).toBe(true);
    expect(outputs[0].description).toBe(
      "Client secret of billing-sync (the newest; it ends at its end date)",
    );
    expect(outputs[0].value).toContain(
      `${ref(a, "value").slice(2, -1)} : ${ref(b, "value").slice(2, -1)}`,
    );
  });

  it("uses the given output name exactly", () => {
    const { stack } = setup(
      ClientSecret.rotating({ delivery: SecretDelivery.output({ outputName: "billing_secret" }) }),
    );
    expect(Object.keys(synth(stack).output)).toEqual(["billing_secret"]);
  });

  it("writes no output without a delivery", () => {
    const { stack } = setup(ClientSecret.rotating());
    expect(synth(stack).output).toBeUndefined();
  });
});

describe("ClientSecret.rotating: stack checks at synth", () => {
  it("rejects a two-slot stack without the time provider, whose function the schedule calls", () => {
    const { stack } = setup(ClientSecret.rotating());
    expect(() => Testing.synth(stack, true)).toThrow(
      'test/BillingSync › ClientSecret.rotating: the two-slot schedule calls provider::time::rfc3339_parse, so the stack must declare the time provider. Add new TimeProvider(stack, "time")',
    );
  });

  it("passes the check when the stack declares the time provider", () => {
    const stack = newStack();
    new TimeProvider(stack, "time", {});
    new AzureadProvider(stack, "azuread", {});
    setup(ClientSecret.rotating(), stack);
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(synth(stack).terraform.required_providers.time.source).toBe("hashicorp/time");
  });
});

describe("single-slot delivery", () => {
  it("delivers the one password's value by reference", () => {
    const { stack, client } = setup(
      ClientSecret.rotating({ slots: 1, delivery: SecretDelivery.output({ outputName: "s" }) }),
    );
    const [password] = client.node
      .findAll()
      .filter((c): c is ApplicationPasswordA => c instanceof ApplicationPasswordA);
    expect(synth(stack).output.s).toEqual({
      value: ref(password, "value"),
      sensitive: true,
      description: "Client secret of billing-sync (the newest; it ends at its end date)",
    });
  });
});
