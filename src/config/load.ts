import { parse as parseJsonTree } from "@humanwhocodes/momoa";
import type { DocumentNode, ValueNode } from "@humanwhocodes/momoa";
import {
  Composer,
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
} from "yaml";
import type { CST, Node as YamlNode } from "yaml";
import { z } from "zod";
import { describeValue, escapeText, NO_VALUE } from "../errors";
import { formatSize } from "../files";
import {
  clientEntrySchema,
  configFileSchema,
  CredentialEntry,
  credentialEntrySchema,
  FIELD_FIXES,
} from "./schema";
import {
  ConfigFileError,
  ConfigProblem,
  MAX_CONFIG_PROBLEMS,
  MAX_CONFIG_SIZE,
  ParsedConfig,
  entryPath,
  problem,
} from "./problems";

export { ConfigFileError, entryPath, problem } from "./problems";
export type { ConfigProblem, ParsedConfig } from "./problems";

/** The deepest nesting of lists and maps a config file may have (the schema needs 5). */
export const MAX_CONFIG_NESTING = 64;

/** YAML aliases (`*name`) expanded at most, against "billion laughs" alias bombs. */
const MAX_ALIAS_COUNT = 100;

/** The format of a config file, by its extension. */
export function formatOf(file: string): "yaml" | "json" | undefined {
  if (/\.ya?ml$/i.test(file)) return "yaml";
  if (/\.json$/i.test(file)) return "json";
  return undefined;
}

/** A problem about the file as a whole (line 1), with no value to show unless given. */
function fileProblem(code: string, what: string, fix: string, value: unknown = NO_VALUE) {
  return problem(code, 1, "(file)", what, value, fix);
}

/** The 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * Parses YAML or JSON text, with bounded cost and a line for every problem. YAML is read with the
 * core schema (no custom tags, no merge keys, YAML 1.2 whatever the `%YAML` directive says), one
 * document, at most 100 aliases; JSON strictly (`JSON.parse`), with positions from a JSON parser.
 * A leading byte order mark is ignored. Duplicate keys (in both formats) and keys that are not
 * text are problems of the file, returned with the data (a parser keeps the last value), so that
 * they are reported together with the file's other problems.
 * @throws ConfigFileError when the text cannot be read at all: unsupported extension, not text,
 *   larger than 4 MiB, nested deeper than 64 levels, a syntax error, too many aliases
 */
export function parseConfig(file: string, text: string): ParsedConfig {
  const format = formatOf(String(file));
  if (format === undefined) {
    throw new ConfigFileError(file, [
      fileProblem(
        "CONFIG_FORMAT",
        "the file name must end in .yaml, .yml or .json",
        "Rename the file.",
        file,
      ),
    ]);
  }
  if (typeof text !== "string") {
    throw new ConfigFileError(file, [
      fileProblem(
        "CONFIG_NOT_TEXT",
        "the file's content must be text",
        "Pass the file's text.",
        text,
      ),
    ]);
  }
  if (text.length > MAX_CONFIG_SIZE) {
    throw new ConfigFileError(file, [
      fileProblem(
        "CONFIG_TOO_LARGE",
        `the file is ${text.length} characters; config files are read up to ${formatSize(MAX_CONFIG_SIZE)}`,
        "Split the clients across several files.",
      ),
    ]);
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return format === "json" ? parseJson(file, source) : parseYaml(file, source);
}

function tooDeep(file: string, line: number): ConfigFileError {
  return new ConfigFileError(file, [
    problem(
      "CONFIG_TOO_DEEP",
      line,
      "(file)",
      `lists and maps are nested more than ${MAX_CONFIG_NESTING} levels deep`,
      NO_VALUE,
      "A config file needs a few levels (clients › entry › access › grant); remove the extra nesting.",
    ),
  ]);
}

function syntaxError(line: number, format: "YAML" | "JSON", message: string) {
  return problem(
    "CONFIG_SYNTAX",
    line,
    "(file)",
    `the file is not valid ${format}: ${escapeText(message.split("\n")[0], 300)}`,
    NO_VALUE,
    format === "YAML"
      ? "Fix the YAML syntax (plain values only: no tags, one document)."
      : "Fix the JSON syntax.",
  );
}

// ---------------------------------------------------------------------------------------------
// JSON

/** The first place JSON text nests deeper than the limit, by a scan that skips strings. */
function jsonTooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_CONFIG_NESTING) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

function parseJson(file: string, text: string): ParsedConfig {
  const deep = jsonTooDeep(text);
  if (deep !== undefined) throw tooDeep(file, lineAt(text, deep));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const line = at ? lineAt(text, Number(at[1])) : lineAt(text, text.length);
    const what = message.replace(/ in JSON at position \d+.*$/, "");
    throw new ConfigFileError(file, [syntaxError(line, "JSON", what)]);
  }
  let tree: DocumentNode;
  try {
    tree = parseJsonTree(text, { mode: "json", ranges: false, tokens: false });
  } catch (e) {
    const line = (e as { line?: unknown }).line;
    throw new ConfigFileError(file, [
      syntaxError(typeof line === "number" ? line : 1, "JSON", (e as Error).message),
    ]);
  }
  const problems: ConfigProblem[] = [];
  // Duplicate keys: JSON.parse keeps the last value silently; report both lines.
  const stack: { node: ValueNode; path: PropertyKey[] }[] = [{ node: tree.body, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (node.type === "Object") {
      const first = new Map<string, number>();
      for (const member of node.members) {
        const key = member.name.type === "String" ? member.name.value : member.name.name;
        const line = member.name.loc.start.line;
        const before = first.get(key);
        if (before !== undefined) {
          if (problems.length < MAX_CONFIG_PROBLEMS) {
            problems.push(duplicateKey(data, path, key, before, line));
          }
        } else first.set(key, line);
        stack.push({ node: member.value, path: [...path, key] });
      }
    } else if (node.type === "Array") {
      node.elements.forEach((el, i) => stack.push({ node: el.value, path: [...path, i] }));
    }
  }
  return {
    file,
    data,
    problems,
    lineOf(path) {
      let node: ValueNode = tree.body;
      let line = node.loc.start.line;
      for (const key of path) {
        let next: ValueNode | undefined;
        if (node.type === "Object") {
          // The last member of that name: the one JSON.parse keeps.
          for (const m of node.members) {
            const name = m.name.type === "String" ? m.name.value : m.name.name;
            if (name === key) next = m.value;
          }
        } else if (node.type === "Array" && typeof key === "number") {
          next = node.elements[key]?.value;
        }
        if (next === undefined) break;
        node = next;
        line = node.loc.start.line;
      }
      return line;
    },
  };
}

function duplicateKey(
  data: unknown,
  path: readonly PropertyKey[],
  key: string,
  first: number,
  second: number,
): ConfigProblem {
  return problem(
    "CONFIG_DUPLICATE_KEY",
    second,
    entryPath(data, path),
    `key ${describeValue(key)} is given twice, at lines ${first} and ${second}; a parser keeps only one of them`,
    NO_VALUE,
    `Keep one ${describeValue(key)}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// YAML

const FLOW_OPEN = new Set(["[", "{"]);
const FLOW_CLOSE = new Set(["]", "}"]);

/** The line where YAML flow collections (`[`, `{`) nest too deep, found by the lexer alone. */
function yamlFlowTooDeep(text: string): number | undefined {
  let depth = 0;
  let line = 1;
  for (const token of new Lexer().lex(text)) {
    if (FLOW_OPEN.has(token)) {
      if (++depth > MAX_CONFIG_NESTING) return line;
    } else if (FLOW_CLOSE.has(token)) depth = Math.max(0, depth - 1);
    for (let i = token.indexOf("\n"); i >= 0; i = token.indexOf("\n", i + 1)) line++;
  }
  return undefined;
}

/** The offset of the first collection of the syntax tree nested too deep (walked without recursion). */
function yamlTreeTooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: { token: CST.Token | undefined; depth: number }[] = tokens.map((token) => ({
    token,
    depth: 0,
  }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if ("items" in token && Array.isArray(token.items)) {
      const inner = depth + 1;
      if (inner > MAX_CONFIG_NESTING) return token.offset;
      for (const item of token.items as CST.CollectionItem[]) {
        stack.push({ token: item.key ?? undefined, depth: inner });
        stack.push({ token: item.value ?? undefined, depth: inner });
      }
    } else if ("value" in token && typeof token.value === "object" && token.value !== null) {
      stack.push({ token: token.value as CST.Token, depth });
    }
  }
  return undefined;
}

const YAML_OPTIONS = {
  schema: "core",
  merge: false,
  version: "1.2",
  uniqueKeys: false, // duplicates are found below, with both lines
  prettyErrors: false,
  strict: true,
} as const;

function parseYaml(file: string, text: string): ParsedConfig {
  const flow = yamlFlowTooDeep(text);
  if (flow !== undefined) throw tooDeep(file, flow);
  const lineCounter = new LineCounter();
  const line = (offset: number) => lineCounter.linePos(offset).line;
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const deep = yamlTreeTooDeep(tokens);
  if (deep !== undefined) throw tooDeep(file, line(deep));
  const documents = [...new Composer(YAML_OPTIONS).compose(tokens, true, text.length)];
  const doc = documents[0] ?? new Document(null, YAML_OPTIONS);
  const issues = [
    ...documents.slice(1, 2).map((d) => ({
      pos: d.range[0],
      message: "the file holds more than one document (---)",
    })),
    ...doc.errors.map((e) => ({ pos: e.pos[0], message: e.message })),
    ...doc.warnings.map((e) => ({ pos: e.pos[0], message: e.message })),
  ];
  if (issues.length > 0) {
    throw new ConfigFileError(
      file,
      issues.slice(0, MAX_CONFIG_PROBLEMS).map((i) => syntaxError(line(i.pos), "YAML", i.message)),
    );
  }

  // Keys: duplicates (also those equal only as JavaScript keys, e.g. 1 and "1") and keys that are
  // not text. Walked without recursion; aliases are not followed (their anchors are walked).
  const problems: ConfigProblem[] = [];
  let firstAlias: number | undefined;
  const pending: { node: unknown; path: PropertyKey[] }[] = [{ node: doc.contents, path: [] }];
  const keyProblems: { line: number; path: PropertyKey[]; key?: string; first?: number }[] = [];
  while (pending.length > 0) {
    const { node, path } = pending.pop()!;
    if (isAlias(node)) {
      const at = line(node.range?.[0] ?? 0);
      firstAlias = firstAlias === undefined ? at : Math.min(firstAlias, at);
    } else if (isMap(node)) {
      const first = new Map<string, number>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const at = line(keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
        if (keyNode !== null && !isScalar(keyNode)) {
          if (keyProblems.length < MAX_CONFIG_PROBLEMS) keyProblems.push({ line: at, path });
          if (isAlias(keyNode))
            firstAlias = firstAlias === undefined ? at : Math.min(firstAlias, at);
          continue;
        }
        const key = keyNode === null ? "" : String(keyNode.value);
        const before = first.get(key);
        if (before !== undefined) {
          if (keyProblems.length < MAX_CONFIG_PROBLEMS) {
            keyProblems.push({ line: at, path, key, first: before });
          }
        } else first.set(key, at);
        pending.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => pending.push({ node: item, path: [...path, i] }));
    } else if (isPair(node)) {
      pending.push({ node: node.value, path });
    }
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new ConfigFileError(file, [
      problem(
        "CONFIG_ALIASES",
        firstAlias ?? 1,
        "(file)",
        `the file's aliases (*name) expand too much: ${escapeText((e as Error).message, 200)}`,
        NO_VALUE,
        "Write the values out instead of repeating anchors (&name) with aliases (*name).",
      ),
    ]);
  }
  if (firstAlias !== undefined && dataTooDeep(data)) throw tooDeep(file, firstAlias);
  for (const k of keyProblems) {
    problems.push(
      k.key === undefined
        ? problem(
            "CONFIG_KEY_NOT_TEXT",
            k.line,
            entryPath(data, k.path),
            "a key must be plain text, not a list, a map or an alias",
            NO_VALUE,
            "Write the key as text, e.g. name:.",
          )
        : duplicateKey(data, k.path, k.key, k.first!, k.line),
    );
  }
  return {
    file,
    data,
    problems,
    lineOf(path) {
      let node: unknown = doc.contents;
      let at = line((node as YamlNode | null)?.range?.[0] ?? 0);
      for (const key of path) {
        let next: unknown;
        if (isMap(node)) {
          // The last pair of that key: the one toJS keeps.
          for (const pair of node.items) {
            const k = pair.key as YamlNode | null;
            if (isScalar(k) && String(k.value) === String(key)) next = pair.value ?? pair.key;
          }
        } else if (isSeq(node) && typeof key === "number") {
          next = node.items[key];
        }
        const range = (next as YamlNode | null | undefined)?.range;
        if (!range) break;
        node = next;
        at = line(range[0]);
      }
      return at;
    },
  };
}

/** True when data (after alias expansion) nests deeper than the limit; walked without recursion. */
function dataTooDeep(data: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: data, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (depth + 1 > MAX_CONFIG_NESTING) return true;
    for (const v of Object.values(value)) stack.push({ value: v, depth: depth + 1 });
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Schema

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, key)) return undefined;
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
  const own = (k: string) =>
    Object.prototype.hasOwnProperty.call(FIELD_FIXES, k) ? FIELD_FIXES[k] : undefined;
  const nested = keys.length > 1 ? own(`${keys[keys.length - 2]}.${field}`) : undefined;
  return nested ?? own(field);
}

/** Converts zod issues to problems, with the field's fix and the line of the value. */
export function schemaProblems(
  parsed: ParsedConfig,
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ConfigProblem[] {
  return expandUnions(issues, prefix).flatMap(({ issue, path }) => {
    const field = [...path].reverse().find((k): k is string => typeof k === "string");
    if (issue.code === "unrecognized_keys") {
      // One problem per key, at the key's own line.
      return issue.keys.map((key) =>
        problem(
          "CONFIG_UNKNOWN_KEY",
          parsed.lineOf([...path, key]),
          entryPath(parsed.data, path),
          `unknown key ${describeValue(key)}`,
          key,
          "Remove it or correct its spelling (keys are case-sensitive).",
        ),
      );
    }
    const value = valueAt(parsed.data, path);
    const missing =
      value === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union");
    const what = missing
      ? `${describeValue(String(field))} is required`
      : issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
    return [
      problem(
        "CONFIG_SCHEMA",
        parsed.lineOf(path),
        entryPath(parsed.data, path),
        what,
        value === undefined ? NO_VALUE : value, // absent from the file: nothing to show
        fixOf(path) ?? "See the config file format in docs/config-files.md.",
      ),
    ];
  });
}

/** The top level of a checked file: its problems, and the raw client entries to check further. */
export function checkTopLevel(parsed: ParsedConfig): {
  clients: readonly unknown[];
  problems: ConfigProblem[];
} {
  const value = parsed.data;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      clients: [],
      problems: [
        problem(
          "CONFIG_SCHEMA",
          parsed.lineOf([]),
          "(top level)",
          "the file must hold an object with a `clients` list",
          value === undefined ? NO_VALUE : value,
          FIELD_FIXES.clients,
        ),
      ],
    };
  }
  const top = configFileSchema.safeParse(value);
  const problems = top.success ? [] : schemaProblems(parsed, top.error.issues);
  const clients = (value as { clients?: unknown }).clients;
  return { clients: Array.isArray(clients) ? clients : [], problems };
}

/** The schema problems of one client entry, and the entry when it has none. */
export function checkEntrySchema(
  parsed: ParsedConfig,
  raw: unknown,
  index: number,
): { entry?: z.infer<typeof clientEntrySchema>; problems: ConfigProblem[] } {
  const r = clientEntrySchema.safeParse(raw);
  if (r.success) return { entry: r.data, problems: [] };
  return { problems: schemaProblems(parsed, r.error.issues, ["clients", index]) };
}

/**
 * `raw` parsed with `schema` when its only problems are unknown keys (reported separately):
 * unknown keys alone do not hide a part's other problems.
 */
export function parseIgnoringUnknownKeys<T>(schema: z.ZodType<T>, raw: unknown): T | undefined {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const expanded = expandUnions(r.error.issues, []);
  if (!expanded.every(({ issue }) => issue.code === "unrecognized_keys")) return undefined;
  const again = schema.safeParse(withoutKeys(raw, expanded));
  return again.success ? again.data : undefined;
}

/** A copy of `raw` without the keys that zod reported as unrecognized. */
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

/** The zod schemas of a client entry's fields, to check each field on its own. */
export function clientEntryFields() {
  return clientEntrySchema.shape;
}

/** A credential entry when its only schema problems are unknown keys, else undefined. */
export function parseCredentialEntry(raw: unknown): CredentialEntry | undefined {
  return parseIgnoringUnknownKeys(credentialEntrySchema, raw);
}
