/**
 * The two-slot rotation schedule as plain arithmetic (no cdktf import), shared by the Terraform
 * expressions that `ClientSecret.rotating()` synthesizes and by the rotation model that tests them.
 *
 * Time is cut into calendar periods counted from the Unix epoch (UTC midnight). With `R` =
 * rotationDays, slot 0 starts a new period every `2R` days at days `0, 2R, 4R, …` and slot 1 at
 * days `R, 3R, 5R, …`, so a new secret is due every `R` days, alternating between the slots. A slot's
 * password is replaced at the first `terraform apply` in a new period of that slot, and ends
 * `validityDays` after the start of the period it was created for. Because the periods are fixed
 * on the calendar (not counted from the last apply), late applies never shift the schedule, and the
 * two slots can never drift together.
 */

/** Seconds in a day. */
export const DAY_SECONDS = 86_400;

/** The number of staggered slots of the default schedule. */
export const TWO_SLOTS = 2;

/** The period index of `slot` (0 or 1) at `unixSeconds`: it changes when that slot is due. */
export function slotPeriod(unixSeconds: number, slot: number, rotationDays: number): number {
  return Math.floor(
    (unixSeconds - slot * rotationDays * DAY_SECONDS) / (2 * rotationDays * DAY_SECONDS),
  );
}

/** The first day (days since the epoch) of `period` of `slot`. */
export function slotPeriodStartDay(period: number, slot: number, rotationDays: number): number {
  return period * 2 * rotationDays + slot * rotationDays;
}

/** The end (Unix seconds) of the password created for `period` of `slot`. */
export function slotEndUnix(
  period: number,
  slot: number,
  rotationDays: number,
  validityDays: number,
): number {
  return (slotPeriodStartDay(period, slot, rotationDays) + validityDays) * DAY_SECONDS;
}

/** The slot (0 or 1) whose current period started last at `unixSeconds`: the newest secret. */
export function newestSlot(unixSeconds: number, rotationDays: number): 0 | 1 {
  const start0 = slotPeriodStartDay(slotPeriod(unixSeconds, 0, rotationDays), 0, rotationDays);
  const start1 = slotPeriodStartDay(slotPeriod(unixSeconds, 1, rotationDays), 1, rotationDays);
  return start0 > start1 ? 0 : 1;
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
