/**
 * Config-file problems and their error, without the parsers: loading `yaml` and `zod` costs
 * about 100 ms, so `load.ts` is required only when a config file is actually read.
 */
import { MachineClientsError } from "../errors";

/** One problem found in a config file. */
export interface ConfigProblem {
  /** A stable code, e.g. `CONFIG_SCHEMA`, `SCOPE_NOT_IN_VOCABULARY`. */
  readonly code: string;
  /** The 1-based line of the entry or value at fault, where the parser gives it. */
  readonly line?: number;
  /** The path of the value in the file, e.g. `clients[2] "billing-sync" › access[0].scope`. */
  readonly entry: string;
  /** The problem in full: where, what, the value and the fix. */
  readonly message: string;
}

/**
 * The error thrown for an invalid config file: it lists every problem of the file (each with its
 * line, entry and fix), and nothing from the file has been created.
 */
export class ConfigFileError extends MachineClientsError {
  /** The file name as given. */
  public readonly file: string;
  /** Every problem found, in file order. */
  public readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    super(
      "CONFIG_INVALID",
      file,
      `${problems.length} problem(s)`,
      problems.length,
      "Fix the entries listed.",
    );
    this.name = "ConfigFileError";
    this.file = file;
    this.problems = Object.freeze([...problems]);
    this.message = [
      `${file}: ${problems.length} problem(s); nothing from this file was synthesized.`,
      ...problems.map((p) => `  ${file}${p.line !== undefined ? `:${p.line}` : ""} ${p.message}`),
    ].join("\n");
  }
}

/** A parsed config file: its data, and a way to find the line of a value by its path. */
export interface ParsedConfig {
  /** The file name as given. */
  readonly file: string;
  /** The raw data (plain JSON values). */
  readonly data: unknown;
  /** The 1-based line of the value at `path` (or its nearest ancestor), where known. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Builds a {@link ConfigProblem} with the library's wording: where, what, the value, the fix. */
export function problem(
  code: string,
  line: number | undefined,
  entry: string,
  what: string,
  value: unknown,
  fix: string,
): ConfigProblem {
  const message = new MachineClientsError(code, entry, what, value, fix).message;
  return { code, ...(line !== undefined ? { line } : {}), entry, message };
}

/** Renders a path for messages: `clients[2] "billing-sync" › access[0].scope`. */
export function entryPath(data: unknown, path: readonly PropertyKey[]): string {
  let out = "";
  for (const [i, key] of path.entries()) {
    if (typeof key === "number") out += `[${key}]`;
    else out += `${i === 0 ? "" : "."}${String(key)}`;
    if (i === 1 && path[0] === "clients" && typeof key === "number") {
      const name = (data as { clients?: { name?: unknown }[] })?.clients?.[key]?.name;
      if (typeof name === "string") out += ` ${JSON.stringify(name)} ›`;
    }
  }
  return (out.replace(/ ›\./, " › ").replace(/ ›$/, "") || "(top level)").trim();
}
