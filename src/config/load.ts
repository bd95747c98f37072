import { Document, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { clientEntrySchema, ClientEntry, configFileSchema, FIELD_FIXES } from "./schema";
import { ConfigFileError, ConfigProblem, ParsedConfig, entryPath, problem } from "./problems";

export { ConfigFileError, entryPath, problem } from "./problems";
export type { ConfigProblem, ParsedConfig } from "./problems";

/** The format of a config file, by its extension. */
export function formatOf(file: string): "yaml" | "json" | undefined {
  if (/\.ya?ml$/i.test(file)) return "yaml";
  if (/\.json$/i.test(file)) return "json";
  return undefined;
}

/**
 * Parses YAML or JSON text. YAML is read with the core schema (no custom tags, no code), unique
 * keys and at most 100 aliases; JSON strictly with `JSON.parse`.
 * @throws ConfigFileError for unreadable text, with the line of each syntax error
 */
export function parseConfig(file: string, text: string): ParsedConfig {
  const format = formatOf(file);
  if (format === undefined) {
    throw new ConfigFileError(file, [
      problem(
        "CONFIG_FORMAT",
        undefined,
        "(file)",
        "the file name must end in .yaml, .yml or .json",
        file,
        "Rename the file.",
      ),
    ]);
  }
  if (typeof text !== "string") {
    throw new ConfigFileError(file, [
      problem(
        "CONFIG_NOT_TEXT",
        undefined,
        "(file)",
        "the file's content must be text",
        text,
        "Pass the file's text.",
      ),
    ]);
  }
  const lineCounter = new LineCounter();
  let doc: Document.Parsed | undefined;
  let data: unknown;
  if (format === "json") {
    try {
      data = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const line = m ? text.slice(0, Number(m[1])).split("\n").length : undefined;
      throw new ConfigFileError(file, [
        problem(
          "CONFIG_SYNTAX",
          line,
          "(file)",
          `the file is not valid JSON: ${(e as Error).message}`,
          undefined,
          "Fix the JSON syntax.",
        ),
      ]);
    }
    try {
      doc = parseDocument(text, {
        lineCounter,
        prettyErrors: false,
        uniqueKeys: true,
      });
    } catch {
      doc = undefined; // lines are a courtesy for JSON: the data came from JSON.parse
    }
  } else {
    try {
      doc = parseDocument(text, {
        lineCounter,
        prettyErrors: false,
        uniqueKeys: true,
      });
    } catch (e) {
      throw new ConfigFileError(file, [
        problem(
          "CONFIG_SYNTAX",
          undefined,
          "(file)",
          `the file is not valid YAML: ${(e as Error).message}`,
          undefined,
          "Fix the YAML syntax.",
        ),
      ]);
    }
    const issues = [...doc.errors, ...doc.warnings];
    if (issues.length > 0) {
      throw new ConfigFileError(
        file,
        issues.map((err) =>
          problem(
            "CONFIG_SYNTAX",
            lineCounter.linePos(err.pos[0]).line,
            "(file)",
            `the file is not valid YAML: ${err.message.split("\n")[0]}`,
            undefined,
            "Fix the YAML syntax (plain values only: no tags, one document).",
          ),
        ),
      );
    }
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new ConfigFileError(file, [
        problem(
          "CONFIG_SYNTAX",
          undefined,
          "(file)",
          `the file cannot be read: ${(e as Error).message}`,
          undefined,
          "Remove aliases (*name) and anchors (&name).",
        ),
      ]);
    }
  }
  const parsedDoc = doc;
  return {
    file,
    data,
    lineOf(path) {
      if (!parsedDoc || parsedDoc.errors.length > 0) return undefined;
      for (let n = path.length; n >= 0; n--) {
        const node = parsedDoc.getIn(path.slice(0, n) as unknown[], true) as
          { range?: [number, number, number] } | undefined;
        if (node && typeof node === "object" && node.range) {
          return lineCounter.linePos(node.range[0]).line;
        }
      }
      return undefined;
    },
  };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key as string];
  }
  return v;
}

/**
 * Replaces each failed union (a credential or a list of them; `output` or an object) by the issues
 * of the branch whose shape the value has, so that the problem names the field at fault. When the
 * value has the shape of no branch, the issue stays, with a message naming what was expected.
 */
function expandUnions(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
): { issue: z.core.$ZodIssue; path: PropertyKey[] }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [{ issue, path }];
    const atRoot = (i: z.core.$ZodIssue) =>
      i.path.length === 0 && (i.code === "invalid_type" || i.code === "invalid_value");
    const branch = issue.errors.find((errors) => !errors.every(atRoot));
    if (branch) return expandUnions(branch, path);
    const expected = [
      ...new Set(issue.errors.flat().map((i) => i.message.replace(/^Invalid input: /, ""))),
    ];
    return [{ issue: { ...issue, message: `Invalid input: ${expected.join(", or ")}` }, path }];
  });
}

/** The fix for the field at `path`: by `<parent>.<field>` (e.g. `delivery.type`), else by field. */
function fixOf(path: readonly PropertyKey[]): string | undefined {
  const keys = path.filter((k): k is string => typeof k === "string");
  const field = keys[keys.length - 1];
  if (field === undefined) return undefined;
  const nested = keys.length > 1 ? FIELD_FIXES[`${keys[keys.length - 2]}.${field}`] : undefined;
  return nested ?? FIELD_FIXES[field];
}

/** Converts zod issues to problems, with the field's fix and the line of the value. */
export function schemaProblems(
  parsed: ParsedConfig,
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ConfigProblem[] {
  return expandUnions(issues, prefix).map(({ issue, path }) => {
    const field = [...path].reverse().find((k): k is string => typeof k === "string");
    if (issue.code === "unrecognized_keys") {
      return problem(
        "CONFIG_UNKNOWN_KEY",
        parsed.lineOf([...path, issue.keys[0]]),
        entryPath(parsed.data, path),
        `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`,
        issue.keys.length === 1 ? issue.keys[0] : issue.keys,
        "Remove it or correct its spelling (keys are case-sensitive).",
      );
    }
    const value = valueAt(parsed.data, path);
    const what =
      value === undefined && issue.code === "invalid_type"
        ? `"${String(field)}" is required`
        : issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
    return problem(
      "CONFIG_SCHEMA",
      parsed.lineOf(path),
      entryPath(parsed.data, path),
      what,
      value,
      fixOf(path) ?? "See the config file format in the README.",
    );
  });
}

/**
 * Checks the structure of a parsed config file with the zod schema.
 * @returns the entries that passed (by index) and the problems of the others
 */
export function checkStructure(parsed: ParsedConfig): {
  entries: { index: number; entry: ClientEntry }[];
  problems: ConfigProblem[];
} {
  const top = configFileSchema.safeParse(parsed.data);
  if (!top.success) {
    const value = parsed.data;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return {
        entries: [],
        problems: [
          problem(
            "CONFIG_SCHEMA",
            parsed.lineOf([]),
            "(top level)",
            "the file must hold an object with a `clients` list",
            value,
            FIELD_FIXES.clients,
          ),
        ],
      };
    }
    return { entries: [], problems: schemaProblems(parsed, top.error.issues) };
  }
  const entries: { index: number; entry: ClientEntry }[] = [];
  const problems: ConfigProblem[] = [];
  top.data.clients.forEach((raw, index) => {
    const r = clientEntrySchema.safeParse(raw);
    if (r.success) {
      entries.push({ index, entry: r.data });
      return;
    }
    problems.push(...schemaProblems(parsed, r.error.issues, ["clients", index]));
    // Unknown keys alone do not hide the entry's other problems: check it again without them.
    const expanded = expandUnions(r.error.issues, []);
    if (expanded.every(({ issue }) => issue.code === "unrecognized_keys")) {
      const again = clientEntrySchema.safeParse(withoutKeys(raw, expanded));
      if (again.success) entries.push({ index, entry: again.data });
    }
  });
  return { entries, problems };
}

/** A deep copy of `raw` without the keys that zod reported as unrecognized. */
function withoutKeys(
  raw: unknown,
  issues: readonly { issue: z.core.$ZodIssue; path: readonly PropertyKey[] }[],
): unknown {
  const copy = JSON.parse(JSON.stringify(raw)) as unknown;
  for (const { issue, path } of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    let target: unknown = copy;
    for (const key of path) target = (target as Record<PropertyKey, unknown>)?.[key as string];
    if (typeof target === "object" && target !== null) {
      for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
    }
  }
  return copy;
}
