import {
  RotationSpec,
  irregularApplies,
  keepsInvariants,
  mulberry32,
  regularApplies,
  simulateRotation,
} from "../../src/credentials/rotation-model";
import {
  DAY_SECONDS,
  maxApplyGapDays,
  minTwoSlotValidityDays,
  newestSlot,
  slotEndUnix,
  slotPeriod,
} from "../../src/credentials/rotation-schedule";

// Three years of applies, starting at an arbitrary hour that is not a period boundary.
const START = Date.UTC(2026, 0, 1, 9, 17) / 1000;
const YEARS3 = 3 * 365;
const HORIZON = START + YEARS3 * DAY_SECONDS;

interface Cadence {
  readonly name: string;
  readonly applies: (spec: RotationSpec) => number[];
  /** Whether the cadence is within what the schedule tolerates (gaps ≤ maxApplyGapDays). */
  readonly withinGrace: boolean;
}

const grace = (s: RotationSpec) => maxApplyGapDays(s.rotationDays, s.validityDays);
const cadences: Cadence[] = [
  { name: "daily", applies: () => regularApplies(START, 1, YEARS3), withinGrace: true },
  { name: "weekly", applies: () => regularApplies(START, 7, YEARS3), withinGrace: true },
  {
    name: "every rotationDays",
    applies: (s) => regularApplies(START, s.rotationDays, YEARS3),
    withinGrace: true,
  },
  {
    name: "irregular, gaps 1h..grace",
    applies: (s) => irregularApplies(START, 1 / 24, grace(s), YEARS3, 20261126),
    withinGrace: true,
  },
  {
    name: "irregular, gaps 1h..grace (seed 2)",
    applies: (s) => irregularApplies(START, 1 / 24, grace(s), YEARS3, 7),
    withinGrace: true,
  },
  {
    name: "every rotationDays + 1",
    applies: (s) => regularApplies(START, s.rotationDays + 1, YEARS3),
    withinGrace: false,
  },
  {
    name: "irregular, gaps 1h..1.5×grace",
    applies: (s) => irregularApplies(START, 1 / 24, 1.5 * grace(s), YEARS3, 20261126),
    withinGrace: false,
  },
];

const specs: RotationSpec[] = [
  { slots: 2, rotationDays: 30, validityDays: 60 }, // the default
  { slots: 2, rotationDays: 20, validityDays: 60 },
  { slots: 2, rotationDays: 7, validityDays: 30 },
];

function fmt(n: number): string {
  return Number.isFinite(n) ? n.toFixed(1) : "-";
}

describe("rotation model: two-slot schedule", () => {
  const rows: string[] = [];
  afterAll(() => {
    console.log(
      [
        "Two-slot rotation over three years (days; remaining = worst-case validity left on the",
        "published secret just before the next apply; overlap = worst-case validity left on a",
        "superseded secret after the apply that superseded it)",
        "",
        "| schedule | cadence | applies | secrets | remaining | overlap | invariants |",
        "|---|---|---|---|---|---|---|",
        ...rows,
      ].join("\n"),
    );
  });

  for (const spec of specs) {
    for (const cadence of cadences) {
      const label = `${spec.rotationDays}/${spec.validityDays} (grace ${grace(spec)}d)`;
      it(`${cadence.withinGrace ? "keeps" : "breaks"} the invariants: ${label}, ${cadence.name}`, () => {
        const r = simulateRotation(spec, cadence.applies(spec), HORIZON);
        rows.push(
          `| ${label} | ${cadence.name} | ${r.applies} | ${r.secretsCreated} | ${fmt(r.minPublishedRemainingDays)} | ${fmt(r.minOverlapDays)} | ${keepsInvariants(r) ? "kept" : `BROKEN: ${r.violations[0]}`} |`,
        );
        expect(r.maxLifetimeDays).toBeLessThanOrEqual(spec.validityDays);
        if (cadence.withinGrace) {
          expect(r.violations).toEqual([]);
          expect(keepsInvariants(r)).toBe(true);
          // A new secret about every rotationDays: three years hold ~1095/R of them, plus the first two.
          expect(r.secretsCreated).toBeGreaterThanOrEqual(Math.floor(YEARS3 / spec.rotationDays));
          expect(r.secretsCreated).toBeLessThanOrEqual(Math.ceil(YEARS3 / spec.rotationDays) + 2);
          // Worst-case remaining validity of the published secret: at least validity − R − gap.
          const maxGap = Math.max(...gaps(cadence.applies(spec)));
          expect(r.minPublishedRemainingDays).toBeGreaterThanOrEqual(
            spec.validityDays - spec.rotationDays - maxGap - 1e-9,
          );
          // A superseded secret stays valid at least grace − gap after the apply that superseded it.
          expect(r.minOverlapDays).toBeGreaterThanOrEqual(grace(spec) - maxGap - 1e-9);
        } else {
          // A gap longer than the grace lets one apply cross two boundaries: both slots are
          // replaced and the secret consumers hold is destroyed in the same apply.
          expect(r.publishedDestroyed).toBeGreaterThan(0);
          expect(keepsInvariants(r)).toBe(false);
        }
      });
    }
  }

  it("replaces exactly one slot at a time, always the older one, when applies are daily", () => {
    const spec = specs[0];
    const applies = regularApplies(START, 1, 210);
    const r = simulateRotation(spec, applies, START + 210 * DAY_SECONDS);
    expect(r.publishedDestroyed).toBe(0);
    // 210 days at R = 30: 7 boundaries crossed, plus the two first secrets.
    expect(r.secretsCreated).toBe(9);
  });

  it("gives the published secret validityDays − R − gap of remaining validity at worst, daily", () => {
    const r = simulateRotation(specs[0], regularApplies(START, 1, YEARS3), HORIZON);
    expect(r.minPublishedRemainingDays).toBeGreaterThanOrEqual(60 - 30 - 1);
    expect(r.minPublishedRemainingDays).toBeLessThan(60 - 30);
  });
});

describe("rotation model: single slot (time_rotating)", () => {
  it("destroys the published secret at every rotation, which is why two slots are the default", () => {
    const spec: RotationSpec = { slots: 1, rotationDays: 30, validityDays: 60 };
    const r = simulateRotation(spec, regularApplies(START, 1, YEARS3), HORIZON);
    console.log(
      `single slot 30/60, daily applies: ${r.secretsCreated} secrets, ${r.publishedDestroyed} ` +
        `applies destroyed the secret consumers held; worst remaining validity ${fmt(r.minPublishedRemainingDays)}d`,
    );
    expect(r.publishedDestroyed).toBe(r.secretsCreated - 1);
    expect(r.intervalsWithoutValidSecret).toBe(0);
    expect(r.lifetimeViolations).toBe(0);
    // time_rotating drifts: a rotation lands on the first apply after base + R, and the next
    // period counts from there, so daily applies rotate every R + 1 days.
    expect(r.secretsCreated).toBe(Math.ceil(YEARS3 / 31));
  });

  it("lets the secret expire when the gap between applies exceeds validityDays", () => {
    const spec: RotationSpec = { slots: 1, rotationDays: 30, validityDays: 60 };
    expect(keepsInvariants(simulateRotation(spec, regularApplies(START, 59, 400), HORIZON))).toBe(
      false, // the secret is destroyed at every rotation anyway
    );
    const r = simulateRotation(spec, regularApplies(START, 61, YEARS3), HORIZON);
    expect(r.publishedExpiredBeforeNextApply).toBeGreaterThan(0);
    expect(r.violations[0]).toMatch(/published secret #\d+ expires .* before /);
  });
});

describe("rotation schedule arithmetic", () => {
  it("alternates the slots every rotationDays on the calendar", () => {
    const R = 20;
    const day = (d: number) => d * DAY_SECONDS;
    expect([0, 1].map((s) => slotPeriod(day(0), s, R))).toEqual([0, -1]);
    expect([0, 1].map((s) => slotPeriod(day(19.99), s, R))).toEqual([0, -1]);
    expect([0, 1].map((s) => slotPeriod(day(20), s, R))).toEqual([0, 0]);
    expect([0, 1].map((s) => slotPeriod(day(40), s, R))).toEqual([1, 0]);
    expect(newestSlot(day(10), R)).toBe(0);
    expect(newestSlot(day(30), R)).toBe(1);
    expect(newestSlot(day(45), R)).toBe(0);
    expect(slotEndUnix(1, 0, R, 60)).toBe(day(40 + 60));
    expect(slotEndUnix(0, 1, R, 60)).toBe(day(20 + 60));
  });

  it("derives the tolerated gap and the least validity", () => {
    expect(maxApplyGapDays(20, 60)).toBe(20);
    expect(maxApplyGapDays(30, 61)).toBe(30);
    expect(minTwoSlotValidityDays(30)).toBe(60);
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

function gaps(ts: number[]): number[] {
  return ts.slice(1).map((t, i) => (t - ts[i]) / DAY_SECONDS);
}
