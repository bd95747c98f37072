/**
 * Config-file problems and their error, without the parsers: loading `yaml` and `zod` costs
 * about 100 ms, so `load.ts` is required only when a config file is actually read.
 */
import { describeValue, errorMessage, escapeText, MachineClientsError, NO_VALUE } from "../errors";

/** One problem found in a config file. */
export interface ConfigProblem {
  /** A stable code, e.g. `CONFIG_SCHEMA`, `SCOPE_NOT_IN_VOCABULARY`. */
  readonly code: string;
  /**
   * The 1-based line of the entry or value at fault; 1 for problems about the whole file (it
   * cannot be read, its name has no supported extension).
   */
  readonly line: number;
  /** The path of the value in the file, e.g. `clients[2] "billing-sync" › access[0].scope`. */
  readonly entry: string;
  /** The problem in full: where, what, the value and the fix. */
  readonly message: string;
}

/** The largest config file read, in bytes (UTF-8) or, for `fromText`, characters: 4 MiB. */
export const MAX_CONFIG_SIZE = 4 * 1024 * 1024;

/** The most problems listed in an error's message; `problems` holds them all. */
const MAX_LISTED_PROBLEMS = 100;

/**
 * The most problems collected from one file: the checks stop there, so that a file of a million
 * broken entries costs no more than a thousand problems.
 */
export const MAX_CONFIG_PROBLEMS = 1000;

/**
 * The error thrown for an invalid config file: it lists every problem of the file (each with its
 * line, entry and fix), and nothing from the file has been created.
 */
export class ConfigFileError extends MachineClientsError {
  /** The file name as given. */
  public readonly file: string;
  /** Every problem found, in line order. */
  public readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    const name = escapeText(String(file), 500);
    super(
      "CONFIG_INVALID",
      name,
      `${problems.length} problem(s)`,
      NO_VALUE,
      "Fix the entries listed.",
    );
    this.name = "ConfigFileError";
    this.file = name;
    this.problems = Object.freeze(problems.map((p) => Object.freeze({ ...p })));
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    this.message = [
      `${name}: ${problems.length} problem(s); nothing from this file was synthesized.`,
      ...listed.map((p) => `  ${name}:${p.line} ${p.message}`),
      ...(problems.length > listed.length
        ? [`  … and ${problems.length - listed.length} more (see the error's problems)`]
        : []),
    ].join("\n");
  }
}

/** A parsed config file: its data, and a way to find the line of a value by its path. */
export interface ParsedConfig {
  /** The file name as given. */
  readonly file: string;
  /** The raw data (plain JSON values; for a key given twice, the last value). */
  readonly data: unknown;
  /** Problems found while parsing that do not stop the checks (keys given twice). */
  readonly problems: readonly ConfigProblem[];
  /** The 1-based line of the value at `path`, or of its nearest ancestor in the file. */
  lineOf(path: readonly PropertyKey[]): number;
}

/** Builds a {@link ConfigProblem} with the library's wording: where, what, the value, the fix. */
export function problem(
  code: string,
  line: number,
  entry: string,
  what: string,
  value: unknown,
  fix: string,
): ConfigProblem {
  return { code, line, entry, message: errorMessage(entry, what, value, fix) };
}

/** Renders a path for messages: `clients[2] "billing-sync" › access[0].scope`. */
export function entryPath(data: unknown, path: readonly PropertyKey[]): string {
  let out = "";
  for (const [i, key] of path.entries()) {
    if (typeof key === "number") out += `[${key}]`;
    else out += `${i === 0 ? "" : "."}${escapeText(String(key), 100)}`;
    if (i === 1 && path[0] === "clients" && typeof key === "number") {
      const clients = ownValue(data, "clients");
      const entry = Array.isArray(clients) ? clients[key] : undefined;
      const name = ownValue(entry, "name");
      if (typeof name === "string") out += ` ${describeValue(name)} ›`;
    }
  }
  return (out.replace(/ ›\./, " › ").replace(/ ›$/, "") || "(top level)").trim();
}

function ownValue(object: unknown, key: string): unknown {
  return typeof object === "object" &&
    object !== null &&
    Object.prototype.hasOwnProperty.call(object, key)
    ? (object as Record<string, unknown>)[key]
    : undefined;
}

// Its statics cannot be replaced.
Object.freeze(ConfigFileError);
