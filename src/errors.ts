/**
 * Error factories. Every message says where (a construct path or API call), what is wrong,
 * the value received, and the fix — in that order — so that a failing `cdktf synth` can be
 * acted on without reading the library's source.
 *
 * This module is pure TypeScript (no cdktf import) so that `vocabulary/` and `policy/` can use it.
 */

/** The error type thrown for every invalid input this library detects. */
export class MachineClientsError extends Error {
  /** A stable, machine-readable code for the rule that was broken (e.g. `DELEGATED_SCOPE`). */
  public readonly code: string;
  /** Where the problem is: a construct path, or the API call for inputs not yet bound to a construct. */
  public readonly where: string;

  constructor(code: string, where: string, problem: string, value: unknown, fix: string) {
    super(`${where}: ${problem} (got ${describeValue(value)}). ${fix}`);
    this.name = "MachineClientsError";
    this.code = code;
    this.where = where;
  }
}

/** Renders a received value for an error message: strings quoted, the rest as JSON where possible. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "undefined";
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (
    typeof value === "object" &&
    value !== null &&
    value.constructor &&
    value.constructor !== Object &&
    !Array.isArray(value)
  ) {
    return `an instance of ${value.constructor.name}`;
  }
  try {
    const json = JSON.stringify(value);
    return json.length > 200 ? `${json.slice(0, 197)}...` : json;
  } catch {
    return String(value);
  }
}

/** Raises a {@link MachineClientsError}; a named factory per rule keeps the wording in one place. */
export function fail(
  code: string,
  where: string,
  problem: string,
  value: unknown,
  fix: string,
): never {
  throw new MachineClientsError(code, where, problem, value, fix);
}
