/**
 * A small model of how client secrets rotate when Terraform runs, used to check the schedules of
 * `ClientSecret.rotating()` against pipeline cadences. Pure TypeScript, deterministic.
 *
 * What the model assumes, and where it comes from:
 * - Nothing changes between applies: `time_rotating` "rotates" only when Terraform runs. Its
 *   rotation timestamp is `base + rotation_days`; once the current time has passed it, the
 *   resource is removed from state at refresh and planned for creation, with a new base equal to
 *   the time of that apply (time provider, `time_rotating` docs: "When the current time has passed
 *   the rotation timestamp, the resource will trigger recreation"; the new base includes the
 *   apply's lateness: hashicorp/terraform-provider-time#195). With `rfc3339` set, the base never
 *   moves and the resource is recreated on every run after the first rotation
 *   (hashicorp/terraform-provider-time#44) — why the two-slot schedule does not use it.
 * - `azuread_application_password`: every argument forces replacement, `rotate_when_changed`
 *   is "a map of arbitrary key/value pairs that will force recreation of the password when they
 *   change", and `end_date` is an RFC 3339 timestamp (azuread provider docs). A replacement
 *   destroys the old password in the same apply that creates the new one (Terraform's default
 *   replace order), which is the outage of the single-slot pattern (azuread issues #1549, #1599).
 * - The two-slot schedule keys each password on a calendar period computed at plan time from
 *   `plantimestamp()` (fixed for the plan, Terraform docs) and `provider::time::rfc3339_parse(…).unix`
 *   (time provider ≥ 0.11); see `rotation-schedule.ts`. The period is the same on every plan until
 *   the slot is due, so a plan between boundaries shows no change.
 *
 * Invariants checked at every apply:
 * 1. the published secret (the newest, which delivery points at) stays valid until the next apply,
 *    so at every moment at least one secret is valid;
 * 2. the secret published before an apply is never destroyed by that apply;
 * 3. no secret is valid for longer than `validityDays` after its creation, and no secret is
 *    published with less than a day left. (The older slot may be created close to its end on the
 *    very first apply; it is never the published one then.)
 */
import { DAY_SECONDS, newestSlot, slotEndUnix, slotPeriod } from "./rotation-schedule";

/** A schedule to simulate. */
export interface RotationSpec {
  /** 2 (calendar-staggered slots) or 1 (one password on a `time_rotating`). */
  readonly slots: 1 | 2;
  /** Days between new secrets. */
  readonly rotationDays: number;
  /** Days each secret stays valid. */
  readonly validityDays: number;
}

/** One simulated password. */
export interface SimulatedSecret {
  /** Sequence number, in creation order. */
  readonly id: number;
  /** The slot it lives in. */
  readonly slot: number;
  /** Unix seconds of the apply that created it. */
  readonly created: number;
  /** Unix seconds of its end date. */
  readonly end: number;
  /** Unix seconds of the apply that destroyed it, if any. */
  destroyed?: number;
}

/** What a simulation found. */
export interface SimulationResult {
  /** Number of applies simulated. */
  readonly applies: number;
  /** Number of passwords created. */
  readonly secretsCreated: number;
  /** Applies after which the published secret expired before the next apply (invariant 1). */
  readonly publishedExpiredBeforeNextApply: number;
  /** Moments (intervals between applies) in which no secret at all was valid (invariant 1). */
  readonly intervalsWithoutValidSecret: number;
  /** Applies that destroyed the secret published before them (invariant 2). */
  readonly publishedDestroyed: number;
  /** Passwords valid longer than validityDays, or published with less than a day left (invariant 3). */
  readonly lifetimeViolations: number;
  /** Worst-case remaining validity of the published secret, in days, just before each next apply. */
  readonly minPublishedRemainingDays: number;
  /**
   * Worst case, in days, of how long a secret stays valid after the apply that stops publishing it
   * (the time a consumer has to re-read). `Infinity` when nothing was superseded.
   */
  readonly minOverlapDays: number;
  /** The longest validity of a password from its creation, in days. */
  readonly maxLifetimeDays: number;
  /** Human-readable descriptions of the first violations. */
  readonly violations: readonly string[];
}

/** True when a simulation kept all three invariants. */
export function keepsInvariants(r: SimulationResult): boolean {
  return (
    r.publishedExpiredBeforeNextApply === 0 &&
    r.intervalsWithoutValidSecret === 0 &&
    r.publishedDestroyed === 0 &&
    r.lifetimeViolations === 0
  );
}

/**
 * Simulates `applyTimes` (Unix seconds, ascending) and checks the invariants until `horizon`
 * (Unix seconds, after the last apply).
 */
export function simulateRotation(
  spec: RotationSpec,
  applyTimes: readonly number[],
  horizon: number,
): SimulationResult {
  const { rotationDays: R, validityDays: V } = spec;
  const slots: (SimulatedSecret | undefined)[] = [];
  const periods: number[] = [];
  let rotatingBase = Number.NaN; // slots: 1 — the time_rotating base
  const all: SimulatedSecret[] = [];
  const supersessions: { secret: SimulatedSecret; at: number }[] = [];
  const violations: string[] = [];
  const note = (s: string) => {
    if (violations.length < 10) violations.push(s);
  };
  let published: SimulatedSecret | undefined;
  let publishedExpired = 0;
  let uncovered = 0;
  let publishedDestroyed = 0;
  let lifetimeViolations = 0;
  let minRemaining = Infinity;
  let maxLifetime = 0;

  const create = (slot: number, t: number, end: number): SimulatedSecret => {
    const s: SimulatedSecret = { id: all.length, slot, created: t, end };
    all.push(s);
    const lifetime = (end - t) / DAY_SECONDS;
    maxLifetime = Math.max(maxLifetime, lifetime);
    if (lifetime > V) {
      lifetimeViolations++;
      note(`${iso(t)}: secret #${s.id} created with ${lifetime.toFixed(2)} days of validity`);
    }
    return s;
  };

  applyTimes.forEach((t, i) => {
    const destroyed: SimulatedSecret[] = [];
    if (spec.slots === 2) {
      for (const slot of [0, 1]) {
        const p = slotPeriod(t, slot, R);
        if (slots[slot] === undefined || periods[slot] !== p) {
          const old = slots[slot];
          if (old) destroyed.push(old);
          periods[slot] = p;
          slots[slot] = create(slot, t, slotEndUnix(p, slot, R, V));
        }
      }
    } else if (Number.isNaN(rotatingBase) || t > rotatingBase + R * DAY_SECONDS) {
      // time_rotating: removed at refresh once its rotation timestamp has passed; new base = now.
      rotatingBase = t;
      const old = slots[0];
      if (old) destroyed.push(old);
      slots[0] = create(0, t, t + V * DAY_SECONDS);
    }
    for (const d of destroyed) d.destroyed = t;
    if (published && destroyed.includes(published)) {
      publishedDestroyed++;
      note(`${iso(t)}: the apply destroyed secret #${published.id}, published before it`);
    }
    const next =
      spec.slots === 2 ? slots[newestSlot(t, R)]! : (slots[0] as SimulatedSecret | undefined)!;
    if (published && next !== published) supersessions.push({ secret: published, at: t });
    if (next !== published && next.created === t && next.end - t < DAY_SECONDS) {
      lifetimeViolations++;
      note(
        `${iso(t)}: secret #${next.id} published with ${((next.end - t) / DAY_SECONDS).toFixed(2)} days left`,
      );
    }
    published = next;

    const until = i + 1 < applyTimes.length ? applyTimes[i + 1] : horizon;
    const remaining = (published.end - until) / DAY_SECONDS;
    minRemaining = Math.min(minRemaining, remaining);
    if (published.end < until) {
      publishedExpired++;
      note(
        `${iso(t)}: published secret #${published.id} expires ${iso(published.end)}, before ${iso(until)}`,
      );
    }
    const live = slots.filter((s): s is SimulatedSecret => s !== undefined);
    if (Math.max(...live.map((s) => s.end)) < until) {
      uncovered++;
      note(
        `${iso(t)}: no valid secret from ${iso(Math.max(...live.map((s) => s.end)))} to ${iso(until)}`,
      );
    }
  });

  let minOverlap = Infinity;
  for (const { secret, at } of supersessions) {
    // Not destroyed within the horizon: it stays until its end date.
    const gone = Math.min(secret.destroyed ?? Infinity, secret.end);
    minOverlap = Math.min(minOverlap, (gone - at) / DAY_SECONDS);
  }
  return {
    applies: applyTimes.length,
    secretsCreated: all.length,
    publishedExpiredBeforeNextApply: publishedExpired,
    intervalsWithoutValidSecret: uncovered,
    publishedDestroyed,
    lifetimeViolations,
    minPublishedRemainingDays: minRemaining,
    minOverlapDays: minOverlap,
    maxLifetimeDays: maxLifetime,
    violations,
  };
}

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

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
