/**
 * The two-slot rotation schedule as plain arithmetic (no cdktf import), shared by the Terraform
 * expressions that `ClientSecret.rotating()` synthesizes, by the rotation model that simulates
 * them, and by the real-Terraform test tier that checks both.
 *
 * Time is cut into calendar periods. With `R` = rotationDays and a per-client offset `o` (minutes,
 * `0 ≤ o < R` days), slot 0 (A) starts a new period every `2R` days at `o, o + 2R, o + 4R, …`
 * after 1970-01-01T00:00Z and slot 1 (B) at `o + R, o + 3R, …`, so a new secret is due every `R`
 * days, alternating between the slots. A slot's password is keyed (`rotate_when_changed`) on the
 * start of its current period and is replaced, create-before-destroy, at the first
 * `terraform apply` in a new period of that slot. Each password ends `validityDays` after the plan
 * that created it; its end date is then kept (`ignore_changes`) until the slot is next due.
 * Because the periods are fixed on the calendar (not counted from the last apply), late applies
 * never shift the schedule, and the two slots never drift together. The offset spreads the
 * rotations of a tenant's clients over the period instead of all at the same UTC midnight.
 */
import { contentHash } from "./ids";

/** Seconds in a day. */
export const DAY_SECONDS = 86_400;

/** Minutes in a day. */
export const DAY_MINUTES = 1_440;

/** The number of staggered slots: two, so that the previous secret stays valid after a rotation. */
export const TWO_SLOTS = 2;

/** The names of the slots, in order; they name the password resources (`SecretSlotA`, `SecretSlotB`). */
export const SLOT_NAMES = ["A", "B"] as const;

/**
 * The client's rotation offset, in whole minutes after 1970-01-01T00:00Z, `0 ≤ offset <
 * rotationDays` days: a hash (FNV-1a) of a stable key of the client, never time or randomness,
 * so that the same program always gives the same schedule and different clients rotate at
 * different moments.
 */
export function rotationOffsetMinutes(key: string, rotationDays: number): number {
  return parseInt(contentHash(key), 16) % (rotationDays * DAY_MINUTES);
}

/** Where `slot`'s grid starts, in seconds after the epoch: the offset plus `slot × rotationDays`. */
function slotShiftSeconds(slot: number, rotationDays: number, offsetMinutes: number): number {
  return offsetMinutes * 60 + slot * rotationDays * DAY_SECONDS;
}

/**
 * The start (Unix seconds) of the current period of `slot` (0 or 1) at `unixSeconds`: it changes
 * exactly when that slot is due, and is what each password is keyed on.
 */
export function slotPeriodStart(
  unixSeconds: number,
  slot: number,
  rotationDays: number,
  offsetMinutes: number,
): number {
  const shift = slotShiftSeconds(slot, rotationDays, offsetMinutes);
  const period = 2 * rotationDays * DAY_SECONDS;
  return Math.floor((unixSeconds - shift) / period) * period + shift;
}

/** The next moment (Unix seconds, after `unixSeconds`) at which either slot is due. */
export function nextBoundary(
  unixSeconds: number,
  rotationDays: number,
  offsetMinutes: number,
): number {
  const shift = offsetMinutes * 60;
  const step = rotationDays * DAY_SECONDS;
  return (Math.floor((unixSeconds - shift) / step) + 1) * step + shift;
}

/**
 * The longest gap between two applies, in days, that the two-slot schedule tolerates:
 * `min(rotationDays, validityDays − rotationDays)`. With gaps of at most `G` days, a secret
 * superseded by an apply stays valid at least `maxApplyGapDays − G` days after that apply.
 */
export function maxApplyGapDays(rotationDays: number, validityDays: number): number {
  return Math.min(rotationDays, validityDays - rotationDays);
}

/**
 * The least `validityDays` the two-slot schedule accepts for `rotationDays`: `2 × rotationDays`.
 * A slot's password is replaced at the first apply of the slot's next period, `2 × rotationDays`
 * after the start of the period it was created for; it must stay valid until then, so that the
 * secret superseded by the other slot still works for `rotationDays` after it was superseded.
 */
export function minTwoSlotValidityDays(rotationDays: number): number {
  return 2 * rotationDays;
}

/** RFC 3339 (UTC, whole seconds) of Unix seconds, as Terraform's `timeadd` prints it. */
export function rfc3339Seconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(".000Z", "Z");
}
