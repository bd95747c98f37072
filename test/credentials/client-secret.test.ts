import { ApplicationPasswordA } from "@cdktf/provider-azuread/lib/application-password";
import { LocalBackend, TerraformStack, Testing, Token, ref as tfRef } from "cdktf";
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
import { Unknown, evaluate, parseTemplate, traversalName } from "../../src/check/expr";
import {
  DAY_SECONDS,
  rfc3339Seconds,
  rotationOffsetMinutes,
  slotPeriodStart,
} from "../../src/credentials/rotation-schedule";
import { REQUIRED_TERRAFORM_VERSION } from "../../src/credentials/required-version";
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

/** Evaluates a synthesized expression with check's evaluator, at plan time `unix`. */
function evaluateAt(expression: string, unix: number, values: Record<string, unknown> = {}) {
  return evaluate(parseTemplate(expression), {
    planTime: unix * 1000,
    resolve: (n) => {
      const name = traversalName(n);
      return name in values ? values[name] : new Unknown(name);
    },
  });
}

const passwordsOf = (client: MachineClient) =>
  client.node.findAll().filter((c): c is ApplicationPasswordA => c instanceof ApplicationPasswordA);

describe("ClientSecret.rotating (two slots)", () => {
  it("synthesizes two passwords keyed on the start of staggered calendar periods", () => {
    const { stack, client } = setup(ClientSecret.rotating({ rotationDays: 20, validityDays: 60 }));
    const json = synth(stack);
    expect(json.resource.time_rotating).toBeUndefined();
    const offset = rotationOffsetMinutes("test/BillingSync", 20);
    const start = (shift: number) =>
      `\${timeadd("1970-01-01T00:00:00Z", format("%ds", ((floor(((${NOW} - ${shift}) / 3456000)) * 3456000) + ${shift})))}`;
    expect(resourcesOf(json, "azuread_application_password")).toEqual(
      ["A", "B"].map((slot, i) => ({
        application_id: ref(client.application, "id"),
        // Constant: nothing that changes in normal maintenance may replace a password.
        display_name: `rotating secret, slot ${slot}`,
        end_date: '${timeadd(plantimestamp(), "1440h")}',
        rotate_when_changed: { period_start: start(offset * 60 + i * 20 * 86400) },
        lifecycle: { create_before_destroy: true, ignore_changes: ["end_date"] },
      })),
    );
  });

  it("sends no start_date: Entra starts each password when it is created", () => {
    const { stack } = setup(ClientSecret.rotating());
    for (const p of resourcesOf(synth(stack), "azuread_application_password")) {
      expect(p).not.toHaveProperty("start_date");
    }
  });

  it("keeps the client's display name out of the passwords: renaming the client replaces none", () => {
    const names = (displayName: string) => {
      const stack = newStack();
      const api = new ProtectedApi(stack, "OrdersApi", {
        displayName: "orders-api",
        identifierUri: "api://contoso.example/orders",
        vocabulary: orders,
      });
      new MachineClient(stack, "BillingSync", {
        displayName,
        access: [api.grant("orders.read")],
        credential: ClientSecret.rotating(),
      });
      return synth(stack).resource.azuread_application_password;
    };
    expect(names("billing-sync-renamed")).toEqual(names("billing-sync"));
  });

  it("changes nothing in the passwords when only validityDays changes, except the end date it keeps", () => {
    const passwords = (validityDays: number) => {
      const { stack } = setup(ClientSecret.rotating({ rotationDays: 20, validityDays }));
      return resourcesOf(synth(stack), "azuread_application_password").map(
        ({ end_date: _end, ...rest }) => rest,
      );
    };
    expect(passwords(45)).toEqual(passwords(60));
  });

  it("computes the same period starts as the schedule's arithmetic, at every plan time", () => {
    const R = 7;
    const { stack, client } = setup(ClientSecret.rotating({ rotationDays: R, validityDays: 30 }));
    const [a, b] = resourcesOf(synth(stack), "azuread_application_password");
    const offset = rotationOffsetMinutes("test/BillingSync", R);
    const from = Date.UTC(2026, 0, 1, 3, 30) / 1000;
    for (let t = from; t < from + 60 * DAY_SECONDS; t += DAY_SECONDS / 4 + 61) {
      expect(evaluateAt(a.rotate_when_changed.period_start, t)).toBe(
        rfc3339Seconds(slotPeriodStart(t, 0, R, offset)),
      );
      expect(evaluateAt(b.rotate_when_changed.period_start, t)).toBe(
        rfc3339Seconds(slotPeriodStart(t, 1, R, offset)),
      );
      expect(evaluateAt(a.end_date, t)).toBe(rfc3339Seconds(t + 30 * DAY_SECONDS));
    }
    // The boundary itself belongs to the new period.
    const boundary = slotPeriodStart(from + 40 * DAY_SECONDS, 1, R, offset);
    expect(evaluateAt(b.rotate_when_changed.period_start, boundary)).toBe(rfc3339Seconds(boundary));
    expect(evaluateAt(b.rotate_when_changed.period_start, boundary - 1)).toBe(
      rfc3339Seconds(boundary - 2 * R * DAY_SECONDS),
    );
    expect(passwordsOf(client)).toHaveLength(2);
  });

  it("publishes the slot whose recorded period started last, read from state, never from the clock", () => {
    const { stack, client } = setup(ClientSecret.rotating());
    const [a, b] = passwordsOf(client);
    const inner = (r: string) => r.slice(2, -1);
    const published = resolveIn(stack, client.secretValue) as string;
    expect(published).toBe(
      `\${(timecmp(${inner(ref(a, "rotate_when_changed.period_start"))}, ${inner(ref(b, "rotate_when_changed.period_start"))}) == 1) ? ${inner(ref(a, "value"))} : ${inner(ref(b, "value"))}}`,
    );
    expect(published).not.toContain("plantimestamp");
    // With slot A's recorded period later, A; otherwise B — whatever the plan time.
    const state = (startA: string, startB: string) => ({
      [`${inner(ref(a, "rotate_when_changed"))}.period_start`]: startA,
      [`${inner(ref(b, "rotate_when_changed"))}.period_start`]: startB,
      [inner(ref(a, "value"))]: "secret-A",
      [inner(ref(b, "value"))]: "secret-B",
    });
    for (const t of [0, 1.9e9, 4e9]) {
      expect(evaluateAt(published, t, state("2026-12-03T00:00:00Z", "2026-11-03T00:00:00Z"))).toBe(
        "secret-A",
      );
      expect(evaluateAt(published, t, state("2026-12-03T00:00:00Z", "2027-01-02T00:00:00Z"))).toBe(
        "secret-B",
      );
    }
  });

  it("spreads clients over the period by a hash of their construct path, or of scheduleKey", () => {
    const offsets = ["orders/A", "orders/B", "orders/C", "billing/Sync"].map((k) =>
      rotationOffsetMinutes(k, 30),
    );
    expect(new Set(offsets).size).toBe(4);
    for (const o of offsets) {
      expect(Number.isInteger(o)).toBe(true);
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(30 * 1440);
    }
    // Deterministic: the same key gives the same offset.
    expect(rotationOffsetMinutes("orders/A", 30)).toBe(offsets[0]);
    const secret = ClientSecret.rotating({ scheduleKey: "orders/BillingSyncOld" });
    expect(secret.rotationOffsetMinutesFor("orders/Renamed")).toBe(
      rotationOffsetMinutes("orders/BillingSyncOld", 30),
    );
    expect(ClientSecret.rotating().rotationOffsetMinutesFor("orders/Renamed")).toBe(
      rotationOffsetMinutes("orders/Renamed", 30),
    );
  });

  it("keeps the schedule of a renamed construct when scheduleKey is its old path", () => {
    const passwords = (id: string, scheduleKey?: string) => {
      const stack = newStack();
      const api = new ProtectedApi(stack, "OrdersApi", {
        displayName: "orders-api",
        identifierUri: "api://contoso.example/orders",
        vocabulary: orders,
      });
      new MachineClient(stack, id, {
        displayName: "billing-sync",
        access: [api.grant("orders.read")],
        credential: ClientSecret.rotating({ scheduleKey }),
      });
      return resourcesOf(synth(stack), "azuread_application_password").map(
        (p) => p.rotate_when_changed,
      );
    };
    expect(passwords("BillingSyncV2", "test/BillingSync")).toEqual(passwords("BillingSync"));
    expect(passwords("BillingSyncV2")).not.toEqual(passwords("BillingSync"));
  });

  it("describes the schedule for policy and inventory", () => {
    expect(ClientSecret.rotating({ rotationDays: 10, validityDays: 45 }).describe()).toEqual({
      kind: "secret",
      rotationDays: 10,
      validityDays: 45,
      slots: 2,
      maxApplyGapDays: 10,
    });
    expect(ClientSecret.rotating({ delivery: SecretDelivery.output() }).describe()).toEqual({
      kind: "secret",
      rotationDays: 30,
      validityDays: 60,
      slots: 2,
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
      { slots: 1 as 2 },
      "slots was removed in 0.2: a secret always rotates in two staggered slots, because a single password is destroyed at every rotation while consumers still hold it (got 1). Leave slots out. Where the tenant limits passwords, use a federated credential or a certificate instead.",
    ],
    [{ slots: 3 as 2 }, "slots was removed in 0.2"],
    [
      { scheduleKey: "" },
      'scheduleKey must be a non-empty string of at most 1024 characters, known at synth (not a Terraform reference) (got ""). Leave it out (the construct path), or keep the old path when renaming, e.g. scheduleKey: "orders/BillingSync".',
    ],
    [{ scheduleKey: 42 as unknown as string }, "scheduleKey must be a non-empty string"],
    [
      { scheduleKey: Token.asString(tfRef("var.key")) },
      "known at synth (not a Terraform reference)",
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

  it("reads scheduleKey once: a getter cannot pass validation and then move the schedule", () => {
    let reads = 0;
    const options = {
      get scheduleKey() {
        reads++;
        return reads === 1 ? "orders/Stable" : Token.asString(tfRef("var.sneaky"));
      },
    };
    const { stack } = setup(ClientSecret.rotating(options));
    expect(reads).toBe(1);
    const offset = rotationOffsetMinutes("orders/Stable", 30);
    const [a] = resourcesOf(synth(stack), "azuread_application_password");
    expect(a.rotate_when_changed.period_start).toContain(`- ${offset * 60}) /`);
    expect(JSON.stringify(synth(stack))).not.toContain("var.sneaky");
  });

  it("rejects a scheduleKey over 1024 characters", () => {
    const error = errorOf(() => setup(ClientSecret.rotating({ scheduleKey: "k".repeat(1025) })));
    expect(error.message).toContain("scheduleKey must be a non-empty string of at most 1024");
  });

  it("accepts slots: 2, which is what every secret does", () => {
    expect(() => setup(ClientSecret.rotating({ slots: 2 }))).not.toThrow();
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
    expect(outputs[0].value).not.toContain("plantimestamp");
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

describe("ClientSecret.rotating: required Terraform version", () => {
  it("requires Terraform >= 1.8.0 in the stack, once, keeping required_providers and backend", () => {
    const stack = newStack();
    new TimeProvider(stack, "time", {});
    new LocalBackend(stack, { path: "orders.tfstate" });
    setup(ClientSecret.rotating(), stack);
    const api = stack.node.findChild("OrdersApi") as ProtectedApi<{
      "orders.read": { description: string };
    }>;
    new MachineClient(stack, "Second", {
      displayName: "second",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    const { terraform } = synth(stack);
    expect(terraform.required_version).toBe(">= 1.8.0");
    expect(REQUIRED_TERRAFORM_VERSION).toBe(">= 1.8.0");
    expect(terraform.required_providers.time.source).toBe("hashicorp/time");
    expect(terraform.backend).toEqual({ local: { path: "orders.tfstate" } });
  });

  it("keeps the program's own required_version and adds its constraint to it", () => {
    const stack = newStack();
    stack.addOverride("terraform.required_version", ">= 1.9, < 2.0");
    setup(ClientSecret.rotating(), stack);
    expect(synth(stack).terraform.required_version).toBe(">= 1.8.0, >= 1.9, < 2.0");
    // Synthesizing again does not add it twice.
    expect(synth(stack).terraform.required_version).toBe(">= 1.8.0, >= 1.9, < 2.0");
  });

  it("adds no required_version to a stack without a rotating secret", () => {
    const stack = newStack();
    new ProtectedApi(stack, "OrdersApi", {
      displayName: "orders-api",
      identifierUri: "api://contoso.example/orders",
      vocabulary: orders,
    });
    expect(synth(stack).terraform?.required_version).toBeUndefined();
  });
});
