/**
 * The tables of docs/credentials.md, generated from the rotation model (a test keeps the page in
 * step with them; `npm run generate:rotation-tables` rewrites them). Pure TypeScript.
 */
import {
  Scenario,
  ScheduleConfig,
  Step,
  TraceReport,
  checkTrace,
  graceDays,
  irregularApplies,
  regularApplies,
  runModel,
  withRefreshes,
} from "./rotation-model";
import { DAY_SECONDS } from "./rotation-schedule";

/** The schedules the tables show: the default and two others. */
export const TABLE_SCHEDULES: readonly [number, number][] = [
  [30, 60],
  [20, 60],
  [7, 30],
];

/** Where the simulations start: an arbitrary moment, 2026-01-01T09:17Z. */
export const TABLE_START = Date.UTC(2026, 0, 1, 9, 17) / 1000;

/** Three years, in days. */
export const TABLE_DAYS = 3 * 365;

/** The schedule key the tables use (a client's construct path). */
export const TABLE_KEY = "orders/BillingSync";

/** A cadence of applies, with refresh-only runs between them. */
export interface Cadence {
  /** How the table names it. */
  readonly name: string;
  /** Apply times for a config. */
  readonly applies: (config: ScheduleConfig) => number[];
  /** Whether its gaps stay within the schedule's grace. */
  readonly withinGrace: boolean;
}

/** The cadences of the first table. */
export const CADENCES: readonly Cadence[] = [
  { name: "daily", applies: () => regularApplies(TABLE_START, 1, TABLE_DAYS), withinGrace: true },
  { name: "weekly", applies: () => regularApplies(TABLE_START, 7, TABLE_DAYS), withinGrace: true },
  {
    name: "every rotationDays",
    applies: (c) => regularApplies(TABLE_START, c.rotationDays, TABLE_DAYS),
    withinGrace: true,
  },
  {
    name: "irregular, 1 h to grace apart",
    applies: (c) => irregularApplies(TABLE_START, 1 / 24, graceDays(c), TABLE_DAYS, 20261126),
    withinGrace: true,
  },
  {
    name: "every rotationDays + 1",
    applies: (c) => regularApplies(TABLE_START, c.rotationDays + 1, TABLE_DAYS),
    withinGrace: false,
  },
];

/** A config for a schedule, with the tables' key. */
export function tableConfig(rotationDays: number, validityDays: number): ScheduleConfig {
  return { rotationDays, validityDays, scheduleKey: TABLE_KEY, displayName: "billing-sync" };
}

/** Runs a cadence over three years, with a refresh-only run between every two applies. */
export function simulateCadence(config: ScheduleConfig, cadence: Cadence): TraceReport {
  const scenario: Scenario = {
    name: cadence.name,
    config,
    steps: withRefreshes(cadence.applies(config), config),
  };
  return checkTrace(runModel(scenario), TABLE_START + TABLE_DAYS * DAY_SECONDS);
}

const days = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");

/** The first table: each schedule under each cadence. */
export function cadenceTable(): string {
  const rows = [
    "| schedule | grace (d) | cadence | secrets | published: least left (d) | superseded: least overlap (d) | invariants |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const [r, v] of TABLE_SCHEDULES) {
    const config = tableConfig(r, v);
    for (const cadence of CADENCES) {
      const report = simulateCadence(config, cadence);
      const kinds = [...new Set(report.violations.map((x) => x.kind))];
      rows.push(
        `| ${r}/${v} | ${graceDays(config)} | ${cadence.name} | ${report.secretsCreated} | ${days(report.minPublishedRemainingDays)} | ${days(report.minOverlapDays)} | ${kinds.length === 0 ? "kept" : `broken: ${kinds.join(", ")}`} |`,
      );
    }
  }
  return rows.join("\n");
}

/** One settings change of the second table. */
export interface Change {
  readonly name: string;
  readonly config: Partial<ScheduleConfig>;
  readonly kind: Step["kind"];
}

/** What a settings change did, as the second table shows it. */
export interface ChangeOutcome {
  /** Passwords the change's apply destroyed or forgot. */
  readonly replaced: number;
  /** Passwords it created. */
  readonly created: number;
  /** What became of the secret published before it. */
  readonly previous: string;
  /** Days left on the secret published after it. */
  readonly publishedLeft: number;
  /** Broken invariants over the whole run (a destroyed published secret is allowed here). */
  readonly violations: TraceReport["violations"];
}

/** What a settings change does, with daily applies before and after it. */
export function changeOutcome(base: ScheduleConfig, change: Change): ChangeOutcome {
  const R = base.rotationDays;
  const before = regularApplies(TABLE_START, 1, R + 10);
  const at = TABLE_START + (R + 10) * DAY_SECONDS;
  const edited = { ...base, ...change.config };
  const after = regularApplies(at + DAY_SECONDS, 1, 2 * edited.rotationDays + 2);
  const steps: Step[] = [
    ...before.map((t): Step => ({ kind: "apply", at: t })),
    {
      kind: change.kind,
      at,
      config: change.config,
      expectPublishedDestroyed: "documented",
    },
    ...after.map((t): Step => ({ kind: "apply", at: t })),
  ];
  const trace = runModel({ name: change.name, config: base, steps });
  const i = before.length;
  const edit = trace[i];
  const previous = trace[i - 1].published!;
  const prev = trace[i - 1].passwords.find((p) => p.key === previous)!;
  const published = edit.passwords.find((p) => p.key === edit.published)!;
  const destroyedAt = trace.findIndex((o, j) => j >= i && o.destroyed.includes(previous));
  const report = checkTrace(trace);
  return {
    replaced: edit.destroyed.length + edit.forgotten.length,
    created: edit.created.length,
    previous:
      destroyedAt === i
        ? "destroyed by the apply"
        : `valid ${days(((destroyedAt >= 0 ? trace[destroyedAt].step.at : prev.end) - at) / DAY_SECONDS)} more days`,
    publishedLeft: (published.end - at) / DAY_SECONDS,
    violations: report.violations,
  };
}

/** The changes of the second table, for the default schedule. */
export const CHANGES: readonly Change[] = [
  { name: "display name", config: { displayName: "billing-sync-v2" }, kind: "apply" },
  { name: "validityDays 60 → 80", config: { validityDays: 80 }, kind: "apply" },
  { name: "rotationDays 30 → 20", config: { rotationDays: 20 }, kind: "apply" },
  {
    name: "rotationDays 30 → 20 after `state rm`",
    config: { rotationDays: 20 },
    kind: "forget-and-apply",
  },
];

/** The second table: what each settings change does to the default schedule (30/60). */
export function changeTable(): string {
  const base = tableConfig(30, 60);
  const rows = [
    "| change | replaced by the apply | secret published before it | published after it: days left |",
    "| --- | --- | --- | --- |",
  ];
  for (const change of CHANGES) {
    const o = changeOutcome(base, change);
    rows.push(
      `| ${change.name} | ${o.replaced === 0 ? "none" : o.replaced === 2 && change.kind === "forget-and-apply" ? "none (2 forgotten, 2 new)" : `${o.replaced} of 2`} | ${o.previous} | ${days(o.publishedLeft)} |`,
    );
  }
  return rows.join("\n");
}
