/**
 * The real-Terraform tier for client-secret rotation (`npm run test:terraform`): every shared
 * scenario (test/terraform/scenarios.ts) runs through the `terraform` binary with provider-free
 * stand-ins, and must
 * - do exactly what the rotation model predicts, step by step;
 * - keep the invariants (or, outside the rules, break exactly the ones the model says);
 * - keep Key Vault on the published secret and its end date;
 * - replace every password create-before-destroy.
 * The frozen 0.1.0 stack runs through the same harness and fails it, which shows the tier can
 * see each defect it guards against.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  Scenario,
  checkTrace,
  normalizeTrace,
  runModel,
} from "../../src/credentials/rotation-model";
import { findTerraform, inParallel, TfJson } from "./harness";
import { TierRun, runInTerraform } from "./rotation-tier";
import { SharedScenario, allScenarios } from "./scenarios";
import { PUBLISHED_OUTPUT_ID, defaultConfig, synthRotationStack } from "./stack";

// Fails the whole tier with a clear message when terraform is missing: it never skips.
findTerraform();

const PARALLEL = Number(process.env.TIER_PARALLELISM) || Math.min(4, os.cpus().length + 1);
const publishedOutput = (outputs: Readonly<Record<string, unknown>>) =>
  Object.entries(outputs).find(([k]) => k.includes(PUBLISHED_OUTPUT_ID))?.[1];

describe("client-secret rotation through real Terraform", () => {
  const scenarios = allScenarios();
  const runs = new Map<SharedScenario, TierRun>();

  beforeAll(async () => {
    const results = await inParallel(
      scenarios.map(
        (s) => () => runInTerraform(s, { synth: synthRotationStack, published: publishedOutput }),
      ),
      PARALLEL,
    );
    scenarios.forEach((s, i) => runs.set(s, results[i]));
  });

  describe.each(scenarios.map((s) => [s.name, s] as const))("%s", (_name, scenario) => {
    it("does what the rotation model predicts, step by step", () => {
      const run = runs.get(scenario)!;
      expect(normalizeTrace(run.trace)).toEqual(normalizeTrace(runModel(scenario)));
    });

    it(
      scenario.violations.length === 0
        ? "keeps every invariant"
        : `breaks the invariants it must: ${scenario.violations.join(", ")}`,
      () => {
        const kinds = checkTrace(runs.get(scenario)!.trace).violations.map((v) => v.kind);
        if (scenario.violations.length === 0) {
          expect(checkTrace(runs.get(scenario)!.trace).violations).toEqual([]);
        } else {
          for (const kind of scenario.violations) expect(kinds).toContain(kind);
        }
      },
    );

    it("keeps the Key Vault secret on the published secret and its end date", () => {
      expect(runs.get(scenario)!.deliveryMismatches).toEqual([]);
    });
  });

  it("replaces passwords only create-before-destroy, and does replace them", () => {
    const orders = [...runs.values()].flatMap((r) => r.trace.flatMap((o) => o.replaceOrders));
    expect(orders.length).toBeGreaterThan(50);
    expect(new Set(orders)).toEqual(new Set(["create-then-delete"]));
    // Read from the plan: each replacement of a password stand-in is ["create","delete"].
    const actions = [...runs.values()].flatMap((r) =>
      r.changes.flat().filter((c) => c.actions.length === 2),
    );
    expect(actions.every((c) => c.actions.join() === "create,delete")).toBe(true);
  });

  it("updates Key Vault to the new secret before it deletes the replaced password", () => {
    let rotations = 0;
    for (const run of runs.values()) {
      for (const events of run.events) {
        const done = (pred: (e: (typeof events)[number]) => boolean) => events.findIndex(pred);
        const vault = done(
          (e) =>
            e.type === "apply_complete" &&
            e.action === "update" &&
            e.address.includes(".azurerm_key_vault_secret__"),
        );
        for (const [i, e] of events.entries()) {
          if (e.type !== "apply_start" || e.action !== "delete") continue;
          if (!e.address.includes(".azuread_application_password__")) continue;
          rotations++;
          // The vault secret changed to the new password before any old one was deleted.
          expect(vault).toBeGreaterThanOrEqual(0);
          expect(vault).toBeLessThan(i);
        }
      }
    }
    expect(rotations).toBeGreaterThan(50);
  });

  it("never changes the published secret in a refresh-only run or an unapplied plan", () => {
    let looked = 0;
    for (const run of runs.values()) {
      run.trace.forEach((o, i) => {
        if (o.step.kind !== "refresh" && o.step.kind !== "plan") return;
        looked++;
        expect(o.published).toBe(run.trace[i - 1].published);
        expect(run.states[i]).toEqual(run.states[i - 1]);
      });
    }
    expect(looked).toBeGreaterThan(30);
  });
});

// ---- the 0.1.0 stack, frozen: the tier must catch each of its defects ---------------------------

const FIXTURE = path.join(__dirname, "fixtures", "two-slot-calendar-0.1.0.tf.json");
const fixture = (): TfJson => JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
const at = (iso: string) => Date.parse(iso) / 1000;

/** The fixture with the client's display name changed, as a user would edit it. */
function renamed(json: TfJson): TfJson {
  const text = JSON.stringify(json).split('"billing-sync').join('"billing-sync-v2');
  return JSON.parse(text);
}

async function runFixture(steps: Scenario["steps"], edit?: (j: TfJson) => TfJson) {
  const scenario: Scenario = { name: "fixture-0.1.0", config: defaultConfig(30, 60), steps };
  const run = await runInTerraform(scenario, {
    synth: (c) => (edit && c.displayName !== "billing-sync" ? edit(fixture()) : fixture()),
    published: (outputs) => outputs.billing_secret,
  });
  return { run, report: checkTrace(run.trace) };
}

describe("the 0.1.0 two-slot stack (frozen fixture) fails the tier", () => {
  it("detects a refresh-only run that publishes an expired secret", async () => {
    // The example: an apply on 2026-11-10, a refresh-only run on 2026-12-03T09:30Z.
    const { run, report } = await runFixture([
      { kind: "apply", at: at("2026-11-10T00:00:00Z") },
      { kind: "refresh", at: at("2026-12-03T09:30:00Z") },
      { kind: "plan", at: at("2026-12-03T10:00:00Z") },
    ]);
    expect(report.violations.map((v) => v.kind)).toEqual([
      "changed-without-apply",
      "published-expired",
    ]);
    const refreshed = run.trace[1];
    const published = refreshed.passwords.find((p) => p.key === refreshed.published)!;
    expect(new Date(published.end * 1000).toISOString()).toBe("2026-12-03T00:00:00.000Z");
  });

  it("detects a rotation that deletes the old password before creating the new one", async () => {
    const { report } = await runFixture([
      { kind: "apply", at: at("2026-11-10T00:00:00Z") },
      { kind: "apply", at: at("2026-12-03T09:30:00Z") },
    ]);
    expect(report.violations.map((v) => v.kind)).toEqual(["destroy-before-create"]);
  });

  it("detects a display-name edit that destroys both passwords, the published one included", async () => {
    const { run, report } = await runFixture(
      [
        { kind: "apply", at: at("2026-11-10T00:00:00Z") },
        { kind: "apply", at: at("2026-11-12T00:00:00Z"), config: { displayName: "renamed" } },
      ],
      renamed,
    );
    expect(run.trace[1].destroyed).toHaveLength(2);
    expect(report.violations.map((v) => v.kind)).toEqual([
      "published-destroyed",
      "destroy-before-create",
    ]);
  });

  it("detects a first apply an hour before a boundary that creates a password with an hour left", async () => {
    const { report } = await runFixture([{ kind: "apply", at: at("2026-12-02T23:00:00Z") }]);
    expect(report.violations.map((v) => v.kind)).toEqual(["created-short"]);
    expect(report.violations[0].message).toContain("created with 0.042 days left");
  });
});
