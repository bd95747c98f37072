/**
 * A model of how `ClientSecret.rotating()`'s passwords behave when Terraform runs, used to check
 * the schedule against pipeline cadences, refresh-only runs and changes of the settings. Pure
 * TypeScript, deterministic. The real-Terraform test tier (`npm run test:terraform`) runs the
 * same scenarios through the `terraform` binary and checks that it observes exactly what this
 * model predicts, with the same invariant checker ({@link checkTrace}).
 *
 * What the model assumes, and where it comes from (each one is exercised by the Terraform tier):
 * - Nothing changes between runs: a password changes only when `terraform apply` applies a plan.
 * - `azuread_application_password`: every argument forces a new password (azuread 3.7.0);
 *   `rotate_when_changed` holds the start of the slot's current period, computed at plan time
 *   from `plantimestamp()` (fixed for a plan and its apply); `end_date` is the plan time plus
 *   `validityDays` and is kept by `lifecycle.ignore_changes` until the password is replaced;
 *   `create_before_destroy` creates the new password before the old one is deleted.
 * - `terraform apply -refresh-only` recomputes `plantimestamp()` but changes no resource; a plan
 *   that is not applied changes nothing. The published secret is chosen from state (the password
 *   whose period started last), so neither changes it.
 * - `terraform state rm` of both passwords (the no-outage procedure for a new rotationDays)
 *   forgets them: they stay valid in Entra until their end dates, and the next apply creates two.
 */
import {
  DAY_SECONDS,
  SLOT_NAMES,
  maxApplyGapDays,
  nextBoundary,
  rotationOffsetMinutes,
  slotPeriodStart,
} from "./rotation-schedule";

/** The settings a step runs with: `ClientSecret.rotating()`'s options and the client's name. */
export interface ScheduleConfig {
  /** Days between new secrets. */
  readonly rotationDays: number;
  /** Days each secret stays valid. */
  readonly validityDays: number;
  /** The key of the rotation offset (`scheduleKey`, by default the client's construct path). */
  readonly scheduleKey: string;
  /** The client's display name (no password depends on it). */
  readonly displayName: string;
}

/** The rotation offset, in minutes, that a config gives. */
export function offsetOf(config: ScheduleConfig): number {
  return rotationOffsetMinutes(config.scheduleKey, config.rotationDays);
}

/** What a step does. */
export type StepKind =
  /** `terraform plan` then `terraform apply` of that plan. */
  | "apply"
  /** `terraform apply -refresh-only`. */
  | "refresh"
  /** `terraform plan` that is never applied. */
  | "plan"
  /** `terraform state rm` of both passwords, then `terraform apply`. */
  | "forget-and-apply";

/** One run of Terraform in a scenario. */
export interface Step {
  /** What runs. */
  readonly kind: StepKind;
  /** Unix seconds of the run (its plan time). */
  readonly at: number;
  /** The settings in force from this step on, when they change here. */
  readonly config?: Partial<ScheduleConfig>;
  /** Why the step may destroy the secret published before it (a documented case). */
  readonly expectPublishedDestroyed?: string;
}

/** A sequence of runs on one client, from an empty state. */
export interface Scenario {
  /** Names the scenario in test titles and messages. */
  readonly name: string;
  /** The settings of the first step. */
  readonly config: ScheduleConfig;
  /** The runs, in time order. */
  readonly steps: readonly Step[];
}

/** One password as observed in state after a step. */
export interface ObservedPassword {
  /** An identity that changes when the password is replaced (the model's sequence number, or the
   * Terraform stand-in's id). */
  readonly key: string;
  /** `A` or `B`. */
  readonly slot: string;
  /** Unix seconds of the start of the period it was created for (its `rotate_when_changed`). */
  readonly periodStart: number;
  /** Unix seconds of its end date. */
  readonly end: number;
}

/** The order in which a replacement ran: Terraform's `["create","delete"]` or `["delete","create"]`. */
export type ReplaceOrder = "create-then-delete" | "delete-then-create";

/** What one step left behind. */
export interface Observation {
  /** The step. */
  readonly step: Step;
  /** The settings in force for the step. */
  readonly config: ScheduleConfig;
  /** The passwords in state after it, in slot order. */
  readonly passwords: readonly ObservedPassword[];
  /** Keys of the passwords it created. */
  readonly created: readonly string[];
  /** Keys of the passwords it destroyed. */
  readonly destroyed: readonly string[];
  /** Keys of the passwords it removed from state without destroying them. */
  readonly forgotten: readonly string[];
  /** The key of the published secret after it (output, Key Vault, `secretValue`). */
  readonly published: string | undefined;
  /** The order of each replacement, where observed (the Terraform tier reads it from the plan). */
  readonly replaceOrders: readonly ReplaceOrder[];
}

/** Kinds of invariant violations {@link checkTrace} reports. */
export type ViolationKind =
  /** The secret published before a step had expired by the time of the step. */
  | "published-expired"
  /** A step destroyed the secret published before it. */
  | "published-destroyed"
  /** A password was created with less than a day left. */
  | "created-short"
  /** A password was created valid for longer than validityDays. */
  | "created-too-long"
  /** After an apply, the published secret was created more than rotationDays ago, so it has less
   * than (its validity − rotationDays) left. */
  | "margin"
  /** A refresh-only run or an unapplied plan changed the published secret or a password. */
  | "changed-without-apply"
  /** A replacement deleted the old password before creating the new one. */
  | "destroy-before-create"
  /** No password is published after an apply. */
  | "nothing-published";

/** One broken invariant. */
export interface Violation {
  /** Which invariant. */
  readonly kind: ViolationKind;
  /** Unix seconds of the step. */
  readonly at: number;
  /** What happened, with dates. */
  readonly message: string;
}

/** What {@link checkTrace} found over a scenario. */
export interface TraceReport {
  /** Every broken invariant, in step order. */
  readonly violations: readonly Violation[];
  /** Number of passwords created. */
  readonly secretsCreated: number;
  /** Number of applies. */
  readonly applies: number;
  /**
   * Worst case, in days, of the validity left on the published secret just before each later step
   * (`Infinity` when there is no later step).
   */
  readonly minPublishedRemainingDays: number;
  /**
   * Worst case, in days, of how long a secret stays valid after the step that stops publishing it
   * (the time a consumer has to re-read). `Infinity` when nothing was superseded.
   */
  readonly minOverlapDays: number;
  /** The longest validity of a password at its creation, in days. */
  readonly maxValidityAtCreationDays: number;
}

/** Runs a scenario through the model: what Terraform would leave in state after each step. */
export function runModel(scenario: Scenario): Observation[] {
  let config: ScheduleConfig = { ...scenario.config };
  const slots: (ObservedPassword | undefined)[] = [undefined, undefined];
  let sequence = 0;
  const out: Observation[] = [];
  for (const step of scenario.steps) {
    config = { ...config, ...defined(step.config ?? {}) };
    const offset = offsetOf(config);
    const created: string[] = [];
    const destroyed: string[] = [];
    const forgotten: string[] = [];
    const orders: ReplaceOrder[] = [];
    if (step.kind === "forget-and-apply") {
      for (let k = 0; k < slots.length; k++) {
        if (slots[k]) forgotten.push(slots[k]!.key);
        slots[k] = undefined;
      }
    }
    if (step.kind === "apply" || step.kind === "forget-and-apply") {
      for (let k = 0; k < slots.length; k++) {
        const periodStart = slotPeriodStart(step.at, k, config.rotationDays, offset);
        const old = slots[k];
        if (old && old.periodStart === periodStart) continue;
        slots[k] = {
          key: `m${++sequence}`,
          slot: SLOT_NAMES[k],
          periodStart,
          end: step.at + config.validityDays * DAY_SECONDS,
        };
        created.push(slots[k]!.key);
        if (old) {
          destroyed.push(old.key);
          orders.push("create-then-delete");
        }
      }
    }
    const present = slots.filter((s): s is ObservedPassword => s !== undefined);
    out.push({
      step,
      config,
      passwords: present,
      created,
      destroyed,
      forgotten,
      published: newestOf(present)?.key ?? out[out.length - 1]?.published,
      replaceOrders: orders,
    });
  }
  return out;
}

/** The password whose period started last: the published one. */
export function newestOf(passwords: readonly ObservedPassword[]): ObservedPassword | undefined {
  return passwords.reduce<ObservedPassword | undefined>(
    (best, p) => (best === undefined || p.periodStart > best.periodStart ? p : best),
    undefined,
  );
}

/**
 * Checks the invariants over a trace of observations (from the model or from Terraform):
 * 1. the secret published before a step is still valid at the step, and is not destroyed by it
 *    (unless the step says why: {@link Step.expectPublishedDestroyed});
 * 2. after an apply the published secret was created at most rotationDays ago, so it has at least
 *    its validity − rotationDays left;
 * 3. every password is created with at least a day, and at most validityDays, left;
 * 4. a refresh-only run or an unapplied plan changes no password and not the published secret;
 * 5. every replacement creates the new password before deleting the old one.
 */
export function checkTrace(trace: readonly Observation[], horizon?: number): TraceReport {
  const violations: Violation[] = [];
  const byKey = new Map<string, { p: ObservedPassword; created: number; destroyed?: number }>();
  const supersessions: { key: string; at: number }[] = [];
  let minRemaining = Infinity;
  let maxValidity = 0;
  let applies = 0;
  const add = (kind: ViolationKind, at: number, message: string) =>
    violations.push({ kind, at, message: `${iso(at)}: ${message}` });
  trace.forEach((o, i) => {
    const { step, config } = o;
    const t = step.at;
    const before = i > 0 ? trace[i - 1].published : undefined;
    const prev = before !== undefined ? byKey.get(before) : undefined;
    if (prev) {
      minRemaining = Math.min(minRemaining, (prev.p.end - t) / DAY_SECONDS);
      if (prev.p.end <= t) {
        add(
          "published-expired",
          t,
          `the published secret (slot ${prev.p.slot}) expired at ${iso(prev.p.end)}, before this ${step.kind}`,
        );
      }
    }
    for (const p of o.passwords) {
      if (!byKey.has(p.key)) byKey.set(p.key, { p, created: t });
    }
    for (const key of o.created) {
      const c = byKey.get(key);
      if (!c) continue;
      const left = (c.p.end - t) / DAY_SECONDS;
      maxValidity = Math.max(maxValidity, left);
      if (left < 1) {
        add("created-short", t, `slot ${c.p.slot} created with ${left.toFixed(3)} days left`);
      }
      if (left > config.validityDays + 1e-9) {
        add(
          "created-too-long",
          t,
          `slot ${c.p.slot} created valid for ${left.toFixed(3)} days, more than validityDays (${config.validityDays})`,
        );
      }
    }
    for (const key of o.destroyed) {
      const d = byKey.get(key);
      if (d) d.destroyed = t;
    }
    if (before !== undefined && o.destroyed.includes(before) && !step.expectPublishedDestroyed) {
      add(
        "published-destroyed",
        t,
        `this ${step.kind} destroyed the secret published before it (slot ${prev?.p.slot})`,
      );
    }
    if (o.replaceOrders.includes("delete-then-create")) {
      add("destroy-before-create", t, "a password was deleted before its replacement was created");
    }
    if (step.kind === "refresh" || step.kind === "plan") {
      if (o.published !== before || o.created.length > 0 || o.destroyed.length > 0) {
        add(
          "changed-without-apply",
          t,
          `a ${step.kind === "refresh" ? "refresh-only run" : "plan"} changed ${
            o.published !== before ? "the published secret" : "a password"
          }`,
        );
      }
    } else {
      applies++;
      const pub = o.published !== undefined ? byKey.get(o.published) : undefined;
      if (!pub || !o.passwords.some((p) => p.key === o.published)) {
        add("nothing-published", t, "no password in state is published after the apply");
      } else if (pub.created < t - config.rotationDays * DAY_SECONDS) {
        add(
          "margin",
          t,
          `the published secret (slot ${pub.p.slot}) was created ${((t - pub.created) / DAY_SECONDS).toFixed(2)} days ago, more than rotationDays (${config.rotationDays}): it has ${((pub.p.end - t) / DAY_SECONDS).toFixed(2)} days left`,
        );
      }
    }
    if (before !== undefined && o.published !== before) supersessions.push({ key: before, at: t });
  });
  const last = trace[trace.length - 1];
  if (horizon !== undefined && last?.published !== undefined) {
    const p = byKey.get(last.published);
    if (p) minRemaining = Math.min(minRemaining, (p.p.end - horizon) / DAY_SECONDS);
  }
  let minOverlap = Infinity;
  for (const { key, at } of supersessions) {
    const s = byKey.get(key);
    if (!s) continue;
    const gone = Math.min(s.destroyed ?? Infinity, s.p.end);
    minOverlap = Math.min(minOverlap, (gone - at) / DAY_SECONDS);
  }
  return {
    violations,
    secretsCreated: byKey.size,
    applies,
    minPublishedRemainingDays: minRemaining,
    minOverlapDays: minOverlap,
    maxValidityAtCreationDays: maxValidity,
  };
}

/**
 * A trace with keys replaced by what identifies a password across sources (slot, period start,
 * end date, and the step that created it), so that the model's and Terraform's traces compare
 * equal exactly when they agree.
 */
export function normalizeTrace(trace: readonly Observation[]): unknown[] {
  const born = new Map<string, number>();
  trace.forEach((o, i) => o.passwords.forEach((p) => born.has(p.key) || born.set(p.key, i)));
  const name = (o: Observation, key: string | undefined): string | undefined => {
    if (key === undefined) return undefined;
    const p = o.passwords.find((q) => q.key === key);
    return p
      ? `${p.slot}@${iso(p.periodStart)}..${iso(p.end)}#${born.get(key)}`
      : `#${born.get(key)}`;
  };
  return trace.map((o) => ({
    step: `${o.step.kind} ${iso(o.step.at)}`,
    passwords: o.passwords.map((p) => name(o, p.key)),
    created: o.created.length,
    destroyed: o.destroyed.map((k) => `#${born.get(k)}`),
    forgotten: o.forgotten.map((k) => `#${born.get(k)}`),
    published: name(o, o.published),
    replaceOrders: o.replaceOrders,
  }));
}

/** True when a report holds no violation. */
export function keepsInvariants(r: TraceReport): boolean {
  return r.violations.length === 0;
}

// ---- scenario builders -------------------------------------------------------------------------

/** Applies every `everyDays` days from `start` (Unix seconds) for `days` days. */
export function regularApplies(start: number, everyDays: number, days: number): number[] {
  const out: number[] = [];
  for (let t = start; t < start + days * DAY_SECONDS; t += everyDays * DAY_SECONDS) out.push(t);
  return out;
}

/**
 * Applies at irregular intervals drawn uniformly between `minGapDays` and `maxGapDays`, from a
 * seeded generator (the same seed gives the same schedule on every run).
 */
export function irregularApplies(
  start: number,
  minGapDays: number,
  maxGapDays: number,
  days: number,
  seed: number,
): number[] {
  const random = mulberry32(seed);
  const out: number[] = [];
  for (let t = start; t < start + days * DAY_SECONDS;) {
    out.push(Math.round(t));
    t += (minGapDays + random() * (maxGapDays - minGapDays)) * DAY_SECONDS;
  }
  return out;
}

/**
 * Steps for applies at `applyTimes`, with a refresh-only run between two applies: just after the
 * first slot boundary that falls between them (where a plan-time choice would switch the
 * published secret), or halfway when none does. `refreshEvery` = 0 adds none.
 */
export function withRefreshes(
  applyTimes: readonly number[],
  config: ScheduleConfig,
  refreshEvery = 1,
): Step[] {
  const steps: Step[] = [];
  applyTimes.forEach((t, i) => {
    steps.push({ kind: "apply", at: t });
    const next = applyTimes[i + 1];
    if (next === undefined || refreshEvery === 0 || i % refreshEvery !== 0) return;
    const boundary = nextBoundary(t, config.rotationDays, offsetOf(config));
    const at = boundary + 3600 < next ? boundary + 3600 : Math.round((t + next) / 2);
    if (at > t && at < next) steps.push({ kind: "refresh", at });
  });
  return steps;
}

/** The tolerated gap between applies for a config. */
export function graceDays(config: ScheduleConfig): number {
  return maxApplyGapDays(config.rotationDays, config.validityDays);
}

/** A small seeded pseudo-random generator (mulberry32) returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** RFC 3339 of Unix seconds, to the second. */
export function iso(unixSeconds: number): string {
  return Number.isFinite(unixSeconds)
    ? new Date(unixSeconds * 1000).toISOString().replace(".000Z", "Z")
    : String(unixSeconds);
}
