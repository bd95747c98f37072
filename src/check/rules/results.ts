/** Helpers the rules share to phrase their results. */
import { Unknown } from "../expr";
import type { Instance } from "../model";
import type { RuleResult, Severity } from "../types";

/** A definite finding. */
export function result(at: Instance, severity: Severity, message: string, fix: string): RuleResult {
  return { at, severity, message, fix };
}

/**
 * A note: what the rule could not decide, the expression it could not evaluate and why, so that
 * nothing passes silently.
 */
export function note(ruleId: string, at: Instance, what: string, why: Unknown): RuleResult {
  return {
    at,
    severity: "note",
    message: `${what} cannot be known statically (${why.why}), so ${ruleId} was not checked here.`,
    fix: "Review it by hand; where the value comes from a variable, a default lets the check evaluate it.",
  };
}

/** A value for messages, as JSON where it can be. */
export function describe(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A number of days for messages: whole above 10, one decimal below. */
export function formatDays(d: number): string {
  return d >= 10 ? String(Math.round(d)) : String(Math.round(d * 10) / 10);
}
