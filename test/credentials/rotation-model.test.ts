import {
  Observation,
  Scenario,
  checkTrace,
  irregularApplies,
  mulberry32,
  normalizeTrace,
  offsetOf,
  regularApplies,
  runModel,
  withRefreshes,
} from "../../src/credentials/rotation-model";
import {
  CADENCES,
  CHANGES,
  TABLE_SCHEDULES,
  changeOutcome,
  simulateCadence,
  tableConfig,
} from "../../src/credentials/rotation-table";
import {
  DAY_SECONDS,
  maxApplyGapDays,
  minTwoSlotValidityDays,
  nextBoundary,
  rotationOffsetMinutes,
  slotPeriodStart,
} from "../../src/credentials/rotation-schedule";
import { allScenarios } from "../terraform/scenarios";

const DAY = DAY_SECONDS;
const START = Date.UTC(2026, 0, 1, 9, 17) / 1000;

describe("rotation model: three years of applies with refresh-only runs between them", () => {
  for (const [r, v] of TABLE_SCHEDULES) {
    const config = tableConfig(r, v);
    for (const cadence of CADENCES) {
      it(`${cadence.withinGrace ? "keeps" : "breaks"} the invariants: ${r}/${v}, ${cadence.name}`, () => {
        const report = simulateCadence(config, cadence);
        expect(report.maxValidityAtCreationDays).toBeLessThanOrEqual(v);
        if (cadence.withinGrace) {
          expect(report.violations).toEqual([]);
          const applies = cadence.applies(config);
          const maxGap = Math.max(...applies.slice(1).map((t, i) => (t - applies[i]) / DAY));
          // About one new secret every rotationDays, plus the first two.
          expect(report.secretsCreated).toBeGreaterThanOrEqual(Math.floor((3 * 365) / r));
          expect(report.secretsCreated).toBeLessThanOrEqual(Math.ceil((3 * 365) / r) + 2);
          // Before each later run the published secret has at least validityDays − R − gap left,
          // and a superseded secret stays valid at least grace − gap after it was superseded.
          expect(report.minPublishedRemainingDays).toBeGreaterThanOrEqual(v - r - maxGap - 1e-9);
          expect(report.minOverlapDays).toBeGreaterThanOrEqual(
            maxApplyGapDays(r, v) - maxGap - 1e-9,
          );
        } else {
          // A gap longer than the grace lets one apply find both slots due: it replaces both and
          // destroys the secret consumers hold.
          expect(report.violations.map((x) => x.kind)).toContain("published-destroyed");
        }
      });
    }
  }
});

describe("rotation model: the scenarios the Terraform tier runs", () => {
  for (const scenario of allScenarios()) {
    it(`${scenario.name}: ${scenario.violations.length ? "breaks" : "keeps"} the invariants`, () => {
      const kinds = checkTrace(runModel(scenario)).violations.map((v) => v.kind);
      if (scenario.violations.length === 0) expect(kinds).toEqual([]);
      else for (const kind of scenario.violations) expect(kinds).toContain(kind);
    });
  }
});

describe("rotation model: what each kind of run does", () => {
  const config = tableConfig(30, 60);
  const offset = offsetOf(config);
  const b = nextBoundary(START, 30, offset);
  const run = (steps: Scenario["steps"]) => runModel({ name: "t", config, steps });

  it("creates both slots on the first apply, each valid validityDays from that plan", () => {
    const [first] = run([{ kind: "apply", at: START }]);
    expect(first.created).toHaveLength(2);
    expect(first.passwords.map((p) => p.end)).toEqual([START + 60 * DAY, START + 60 * DAY]);
    expect(first.passwords.map((p) => p.periodStart)).toEqual([
      slotPeriodStart(START, 0, 30, offset),
      slotPeriodStart(START, 1, 30, offset),
    ]);
  });

  it("replaces only the slot that is due, and publishes it: the other stays valid", () => {
    const trace = run([
      { kind: "apply", at: START },
      { kind: "apply", at: b - 1 },
      { kind: "apply", at: b },
    ]);
    expect(trace[1].created).toEqual([]);
    expect(trace[2].created).toHaveLength(1);
    expect(trace[2].destroyed).toHaveLength(1);
    expect(trace[2].destroyed).not.toContain(trace[1].published);
    expect(trace[2].published).toBe(trace[2].created[0]);
  });

  it("changes nothing in a refresh-only run or a plan, even after a boundary", () => {
    const trace = run([
      { kind: "apply", at: START },
      { kind: "refresh", at: b + 3600 },
      { kind: "plan", at: b + 7200 },
    ]);
    expect(trace[1]).toMatchObject({ created: [], destroyed: [], published: trace[0].published });
    expect(trace[2]).toMatchObject({ created: [], destroyed: [], published: trace[0].published });
  });

  it("gives a password created an hour before its boundary its full validity", () => {
    const [first] = run([{ kind: "apply", at: b - 3600 }]);
    expect(Math.min(...first.passwords.map((p) => p.end - (b - 3600)))).toBe(60 * DAY);
    expect(checkTrace([first]).violations).toEqual([]);
  });
});

describe("rotation model: changing the settings", () => {
  const base = tableConfig(30, 60);
  const outcome = (name: string) =>
    changeOutcome(
      base,
      CHANGES.find((c) => c.name === name)!,
    );

  it("replaces nothing when the display name changes", () => {
    const o = outcome("display name");
    expect([o.replaced, o.created, o.previous]).toEqual([0, 0, expect.stringMatching(/^valid/)]);
    expect(o.violations).toEqual([]);
  });

  it("replaces nothing when validityDays changes: each slot adopts it when next due", () => {
    const o = outcome("validityDays 60 → 80");
    expect([o.replaced, o.created]).toEqual([0, 0]);
    expect(o.violations).toEqual([]);
  });

  it("replaces both slots when rotationDays changes, destroying the published secret (documented)", () => {
    const o = outcome("rotationDays 30 → 20");
    expect([o.replaced, o.created, o.previous]).toEqual([2, 2, "destroyed by the apply"]);
    expect(o.publishedLeft).toBe(60);
    expect(o.violations).toEqual([]);
  });

  it("keeps the published secret valid until its end date when the passwords are forgotten first", () => {
    const o = outcome("rotationDays 30 → 20 after `state rm`");
    expect([o.replaced, o.created]).toEqual([2, 2]);
    expect(o.previous).toMatch(/^valid \d+\.\d more days$/);
    expect(Number(/valid (\S+)/.exec(o.previous)![1])).toBeGreaterThanOrEqual(60 - 30 - 1);
    expect(o.violations).toEqual([]);
  });

  it("reports a destroyed published secret when a step does not say why", () => {
    const trace: Observation[] = runModel({
      name: "t",
      config: base,
      steps: [
        { kind: "apply", at: START },
        { kind: "apply", at: START + DAY, config: { rotationDays: 20 } },
      ],
    });
    expect(checkTrace(trace).violations.map((v) => v.kind)).toEqual(["published-destroyed"]);
  });
});

describe("the invariant checker", () => {
  const config = tableConfig(7, 30);
  const good = runModel({
    name: "t",
    config,
    steps: withRefreshes(regularApplies(START, 1, 30), config),
  });

  it("accepts the model's trace of a schedule kept within its grace", () => {
    expect(checkTrace(good).violations).toEqual([]);
  });

  it("rejects a refresh-only run that switches the published secret", () => {
    const i = good.findIndex((o) => o.step.kind === "refresh");
    const other = good[i].passwords.find((p) => p.key !== good[i].published)!.key;
    const bad = good.map((o, j) => (j === i ? { ...o, published: other } : o));
    expect(checkTrace(bad).violations.map((v) => v.kind)).toContain("changed-without-apply");
  });

  it("rejects a replacement that deletes before it creates", () => {
    const i = good.findIndex((o) => o.replaceOrders.length > 0);
    const bad = good.map((o, j): Observation =>
      j === i ? { ...o, replaceOrders: ["delete-then-create"] } : o,
    );
    expect(checkTrace(bad).violations.map((v) => v.kind)).toEqual(["destroy-before-create"]);
  });

  it("rejects a password created with less than a day left, or longer than validityDays", () => {
    const first = good[0];
    const short = {
      ...first,
      passwords: first.passwords.map((p) => ({ ...p, end: first.step.at + 3600 })),
    };
    expect(checkTrace([short]).violations.map((v) => v.kind)).toEqual([
      "created-short",
      "created-short",
    ]);
    const long = {
      ...first,
      passwords: first.passwords.map((p) => ({ ...p, end: first.step.at + 31 * DAY })),
    };
    expect(checkTrace([long]).violations.map((v) => v.kind)).toEqual([
      "created-too-long",
      "created-too-long",
    ]);
  });

  it("rejects a published secret that is older than rotationDays after an apply", () => {
    const stale = good.map((o, j) =>
      o.step.kind === "apply" && j > 0 ? { ...o, published: good[0].published } : o,
    );
    expect(checkTrace(stale).violations.map((v) => v.kind)).toContain("margin");
  });

  it("compares traces by what identifies a password, not by key", () => {
    const renamed = good.map((o) => ({
      ...o,
      passwords: o.passwords.map((p) => ({ ...p, key: `x${p.key}` })),
      created: o.created.map((k) => `x${k}`),
      destroyed: o.destroyed.map((k) => `x${k}`),
      published: o.published && `x${o.published}`,
    }));
    expect(normalizeTrace(renamed)).toEqual(normalizeTrace(good));
    const shifted = good.map((o) => ({
      ...o,
      passwords: o.passwords.map((p) => ({ ...p, end: p.end + 1 })),
    }));
    expect(normalizeTrace(shifted)).not.toEqual(normalizeTrace(good));
  });
});

describe("rotation schedule arithmetic", () => {
  it("alternates the slots every rotationDays on the calendar, shifted by the offset", () => {
    const R = 20;
    const o = 90; // minutes
    const day = (d: number) => d * DAY + o * 60;
    expect(slotPeriodStart(day(0), 0, R, o)).toBe(day(0));
    expect(slotPeriodStart(day(0) - 1, 0, R, o)).toBe(day(-40));
    expect(slotPeriodStart(day(19.99), 1, R, o)).toBe(day(-20));
    expect(slotPeriodStart(day(20), 1, R, o)).toBe(day(20));
    expect(slotPeriodStart(day(45), 0, R, o)).toBe(day(40));
    expect(nextBoundary(day(0), R, o)).toBe(day(20));
    expect(nextBoundary(day(19), R, o)).toBe(day(20));
  });

  it("derives the tolerated gap and the least validity", () => {
    expect(maxApplyGapDays(20, 60)).toBe(20);
    expect(maxApplyGapDays(30, 61)).toBe(30);
    expect(minTwoSlotValidityDays(30)).toBe(60);
  });

  it("derives offsets below rotationDays from the key alone", () => {
    expect(rotationOffsetMinutes("orders/BillingSync", 30)).toBe(
      rotationOffsetMinutes("orders/BillingSync", 30),
    );
    const offsets = Array.from({ length: 200 }, (_, i) => rotationOffsetMinutes(`c${i}`, 30));
    expect(Math.max(...offsets)).toBeLessThan(30 * 1440);
    // Spread: the 200 clients land on many different days of the period.
    expect(new Set(offsets.map((m) => Math.floor(m / 1440))).size).toBeGreaterThan(20);
  });

  it("draws the same irregular schedule for the same seed", () => {
    expect(irregularApplies(START, 0.5, 3, 30, 42)).toEqual(
      irregularApplies(START, 0.5, 3, 30, 42),
    );
    expect(irregularApplies(START, 0.5, 3, 30, 42)).not.toEqual(
      irregularApplies(START, 0.5, 3, 30, 43),
    );
    const r = mulberry32(1);
    const xs = Array.from({ length: 1000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});
