/**
 * Scenarios shared by the rotation model's tests (`npm test`) and the real-Terraform tier
 * (`npm run test:terraform`): the same steps run through both, and the tier checks that Terraform
 * does exactly what the model predicts.
 */
import {
  Scenario,
  ScheduleConfig,
  Step,
  graceDays,
  offsetOf,
  regularApplies,
  withRefreshes,
} from "../../src/credentials/rotation-model";
import { DAY_SECONDS, nextBoundary } from "../../src/credentials/rotation-schedule";
import { defaultConfig } from "./stack";

/** An arbitrary moment that is not a slot boundary: 2026-11-10T09:17Z. */
export const START = Date.UTC(2026, 10, 10, 9, 17) / 1000;

const HOUR = 3600;
const DAY = DAY_SECONDS;

/** The schedules the tier must pass: the default and two that the issue names. */
export const SCHEDULES: readonly [number, number][] = [
  [30, 60],
  [20, 60],
  [7, 30],
];

/** What a scenario expects of the invariant checker. */
export interface Expectation {
  /** The kinds of violation the checker must report (none for a scenario inside the rules). */
  readonly violations: readonly string[];
}

/** A scenario and what it must show. */
export interface SharedScenario extends Scenario, Expectation {}

function applies(times: readonly number[]): Step[] {
  return times.map((at) => ({ kind: "apply", at }));
}

/** The scenarios for one schedule. */
export function scenariosFor(rotationDays: number, validityDays: number): SharedScenario[] {
  const config = defaultConfig(rotationDays, validityDays);
  const R = rotationDays;
  const label = `${R}/${validityDays}`;
  const boundary = (t: number, c: ScheduleConfig = config) =>
    nextBoundary(t, c.rotationDays, offsetOf(c));
  const out: SharedScenario[] = [];

  // Regular cadences, with refresh-only runs between the applies (just after a boundary when one
  // falls between two applies: where a plan-time choice of the published secret went wrong).
  // Daily applies run through two boundaries (one apply lands on a boundary to the second); for
  // long periods, over the days around each boundary (the days between are the same empty plan).
  const b1 = boundary(START);
  const daily =
    R <= 10
      ? regularApplies(b1 - 3 * DAY, 1, R + 5)
      : [...regularApplies(b1 - 3 * DAY, 1, 6), ...regularApplies(b1 + (R - 2) * DAY, 1, 5)];
  out.push({
    name: `${label} daily applies`,
    config,
    steps: withRefreshes(daily, config, 1).filter(
      (s, i, all) => s.kind === "apply" || crossesBoundary(all, i, config),
    ),
    violations: [],
  });
  out.push({
    name: `${label} weekly applies`,
    config,
    steps: withRefreshes(regularApplies(START, 7, Math.max(2 * R + 7, 28)), config),
    violations: [],
  });
  out.push({
    name: `${label} applies every rotationDays`,
    config,
    steps: withRefreshes(regularApplies(START, R, 4 * R), config),
    violations: [],
  });

  // The first apply one hour before a boundary: the slot due an hour later is created with its
  // full validity (not one that ends at the boundary), and the next apply replaces it.
  const first = b1 - HOUR;
  out.push({
    name: `${label} first apply one hour before a boundary`,
    config,
    steps: [
      { kind: "apply", at: first },
      { kind: "refresh", at: first + 2 * HOUR },
      { kind: "plan", at: first + 3 * HOUR },
      { kind: "apply", at: first + 4 * HOUR },
      { kind: "apply", at: boundary(first + 4 * HOUR) + HOUR },
    ],
    violations: [],
  });

  // Edits of each setting, in steady state (one slot has rotated since the first apply), then an
  // apply just after each of the next two boundaries of the new settings, where each slot in turn
  // adopts them.
  const before = [START, START + (R + 2) * DAY];
  const editAt = START + (R + 3) * DAY;
  const after = (c: ScheduleConfig) => {
    const n1 = boundary(editAt, c) + HOUR;
    return [n1, boundary(n1, c) + HOUR];
  };
  const longerV = Math.min(90, validityDays + 10);
  const shorterV = Math.max(2 * R, validityDays - 10);
  for (const v of new Set([longerV, shorterV].filter((x) => x !== validityDays))) {
    const edited = { ...config, validityDays: v };
    out.push({
      name: `${label} validityDays → ${v}`,
      config,
      steps: [
        ...applies(before),
        { kind: "apply", at: editAt, config: { validityDays: v } },
        { kind: "refresh", at: editAt + HOUR },
        ...applies(after(edited)),
      ],
      violations: [],
    });
  }
  const otherR = R >= 10 ? R - 5 : R + 3 <= validityDays / 2 ? R + 3 : R - 2;
  const editedR = { ...config, rotationDays: otherR };
  out.push({
    name: `${label} rotationDays → ${otherR}`,
    config,
    steps: [
      ...applies(before),
      {
        kind: "apply",
        at: editAt,
        config: { rotationDays: otherR },
        expectPublishedDestroyed: "a new rotationDays moves the calendar: both slots are replaced",
      },
      ...applies(after(editedR)),
    ],
    violations: [],
  });
  out.push({
    name: `${label} rotationDays → ${otherR} after terraform state rm (no outage)`,
    config,
    steps: [
      ...applies(before),
      { kind: "forget-and-apply", at: editAt, config: { rotationDays: otherR } },
      ...applies(after(editedR)),
    ],
    violations: [],
  });
  out.push({
    name: `${label} display name edited`,
    config,
    steps: [
      ...applies(before),
      { kind: "apply", at: editAt, config: { displayName: "billing-sync-renamed" } },
      ...applies(after(config)),
    ],
    violations: [],
  });

  // Outside the rules: applies further apart than the schedule tolerates. The first apply is
  // half a day before a boundary, so the next one, grace + 1 days later, finds both slots due:
  // it replaces both and destroys the secret consumers hold; the checker must say so.
  const late = graceDays(config) + 1;
  out.push({
    name: `${label} applies every ${late} days (beyond the grace of ${graceDays(config)})`,
    config,
    steps: applies(regularApplies(b1 - 12 * HOUR, late, 3 * late)),
    violations: ["published-destroyed"],
  });
  return out;
}

/** True when refresh step `i` sits between two applies that a slot boundary separates. */
function crossesBoundary(steps: readonly Step[], i: number, config: ScheduleConfig): boolean {
  const prev = steps[i - 1];
  const next = steps[i + 1];
  if (!prev || !next) return false;
  return boundaryBetween(prev.at, next.at, config);
}

function boundaryBetween(a: number, b: number, config: ScheduleConfig): boolean {
  return nextBoundary(a, config.rotationDays, offsetOf(config)) < b;
}

/** Every scenario of every schedule the tier must pass. */
export function allScenarios(): SharedScenario[] {
  return SCHEDULES.flatMap(([r, v]) => scenariosFor(r, v));
}
