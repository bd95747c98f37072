/**
 * Error factories. Every message says where (a construct path or API call), what is wrong,
 * the value received, and the fix — in that order — so that a failing `cdktf synth` can be
 * acted on without reading the library's source.
 *
 * Every value a message shows goes through {@link describeValue}: bounded, escaped, and safe on
 * any input (Proxies, throwing getters, cycles), so that a hostile value cannot flood, forge or
 * break an error message.
 *
 * This module is pure TypeScript (no cdktf import) so that `vocabulary/` and `policy/` can use it.
 */

/**
 * The value of an error that has nothing to show (a syntax error, a missing field): its message
 * leaves out `(got …)`.
 */
export const NO_VALUE: unique symbol = Symbol("cdktf-machine-clients: no value");

/** The longest text {@link describeValue} returns. */
export const DESCRIBE_VALUE_MAX_LENGTH = 240;

/** The characters of a value shown before it is cut (the rest is summarized by its length). */
const SHOWN_CHARACTERS = 200;

/** The longest part (where, problem, fix) of a message: a guard for text built from values. */
const MAX_PART_LENGTH = 4000;

/** The error type thrown for every invalid input this library detects. */
export class MachineClientsError extends Error {
  /** A stable, machine-readable code for the rule that was broken (e.g. `DELEGATED_SCOPE`). */
  public readonly code: string;
  /** Where the problem is: a construct path, or the API call for inputs not yet bound to a construct. */
  public readonly where: string;

  constructor(code: string, where: string, problem: string, value: unknown, fix: string) {
    super(errorMessage(where, problem, value, fix));
    this.name = "MachineClientsError";
    this.code = String(code);
    this.where = escapeText(where);
  }
}

/**
 * The message of a {@link MachineClientsError}: `where: problem (got value). fix`, each part
 * escaped and bounded, `(got …)` left out for {@link NO_VALUE}.
 */
export function errorMessage(where: string, problem: string, value: unknown, fix: string): string {
  const got = value === NO_VALUE ? "" : ` (got ${describeValue(value)})`;
  return `${escapeText(where)}: ${escapeText(problem)}${got}. ${escapeText(fix)}`;
}

/**
 * Renders a received value for an error message, in at most {@link DESCRIBE_VALUE_MAX_LENGTH}
 * characters: strings quoted as JSON (control, bidi and invisible characters escaped; cut after
 * 200 characters with the full length shown), numbers as JavaScript writes them (`NaN`, `-0`,
 * `10n`), arrays and plain objects as JSON-like text (getters shown, never run), class instances
 * by class. It never throws and never runs user code (no getters, `toJSON` or `toString`).
 */
export function describeValue(value: unknown): string {
  let out: string;
  try {
    out = render(value, SHOWN_CHARACTERS, 0, new Set());
  } catch {
    out = "a value that cannot be shown";
  }
  return out.length <= DESCRIBE_VALUE_MAX_LENGTH
    ? out
    : cut(out, DESCRIBE_VALUE_MAX_LENGTH - 1) + "…";
}

/**
 * Escapes the characters of a text that must not reach a terminal or log raw (control, bidi,
 * line-separator and invisible format characters, as `\n`, `\u202e`...) and bounds its length.
 * For message text built by the library; values are rendered with {@link describeValue}.
 */
export function escapeText(text: string, max = MAX_PART_LENGTH): string {
  const s = String(text);
  if (s.length <= max && !UNSAFE.test(s)) return s;
  let out = "";
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const esc = UNSAFE_CHAR.test(ch) ? escapeCodePoint(cp) : ch;
    if (out.length + esc.length > max) return `${out}… (${s.length} characters)`;
    out += esc;
    i += ch.length;
  }
  return out;
}

/**
 * A value shown without quotes inside message text (an API key, a path): a string escaped and
 * cut like {@link escapeText}, anything else rendered by {@link describeValue}.
 */
export function plainText(value: unknown, max = SHOWN_CHARACTERS): string {
  return typeof value === "string" ? escapeText(value, max) : describeValue(value);
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

// Characters escaped in values and message text: controls (C0, DEL, C1), format characters
// (bidi overrides and isolates, zero-width characters, BOM, tags), line and paragraph separators,
// lone surrogates, private-use and unassigned code points. Values also escape non-ASCII spaces.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
const UNSAFE_CHAR = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]$/u;
const UNSAFE_IN_VALUE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

function escapeCodePoint(cp: number): string {
  const short = SHORT_ESCAPES[String.fromCodePoint(cp)];
  if (short !== undefined && cp !== 0x22 && cp !== 0x5c) return short;
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
}

/** `s` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** A string as a JSON string literal, escaped, cut to `budget` characters with its length. */
function quote(s: string, budget: number): string {
  const limit = Math.max(budget, 8);
  let out = "";
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const short = cp === 0x22 || cp === 0x5c ? SHORT_ESCAPES[ch] : undefined;
    const esc = short ?? (UNSAFE_IN_VALUE.test(ch) && cp !== 0x20 ? escapeCodePoint(cp) : ch);
    if (out.length + esc.length > limit) return `"${out}…" (${s.length} characters)`;
    out += esc;
    i += ch.length;
  }
  return `"${out}"`;
}

/** A name (of a class, function or symbol) for a message: escaped and short. */
function nameText(name: unknown): string {
  return typeof name === "string" ? escapeText(name, 80) : "";
}

/** An own data property's value, without running getters or Proxy traps that throw. */
function ownData(target: object, key: PropertyKey): unknown {
  const d = Object.getOwnPropertyDescriptor(target, key);
  return d && "value" in d ? d.value : undefined;
}

function functionText(f: (...args: never[]) => unknown): string {
  const name = nameText(ownData(f, "name")) || "(anonymous)";
  let source = "";
  try {
    source = Function.prototype.toString.call(f).slice(0, 6);
  } catch {
    // a Proxy of a function: no source
  }
  return source.startsWith("class")
    ? `class ${name === "(anonymous)" ? "" : name}`.trim()
    : `function ${name}`;
}

/** The name of the class whose prototype is `proto`: "" when unnamed, undefined when none. */
function className(proto: object | null): string | undefined {
  if (proto === null) return undefined;
  const ctor = ownData(proto, "constructor");
  return typeof ctor === "function" ? nameText(ownData(ctor, "name")) : undefined;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Renders `value` in about `budget` characters; `seen` holds the containers being rendered. */
function render(value: unknown, budget: number, depth: number, seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return quote(value, budget);
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint": {
      const digits = value.toString();
      return digits.length <= budget
        ? `${digits}n`
        : `${digits.slice(0, budget)}…n (${digits.length} digits)`;
    }
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol": {
      const description = value.description;
      return `Symbol(${description === undefined ? "" : escapeText(description, 80)})`;
    }
    case "function":
      return functionText(value as (...args: never[]) => unknown);
  }
  if (value === null) return "null";
  const object = value as object;
  try {
    const proto: object | null = Object.getPrototypeOf(object);
    if (Array.isArray(object)) {
      return list(object, budget, depth, seen);
    }
    if (proto === Object.prototype || proto === null) {
      return record(object, budget, depth, seen);
    }
    if (object instanceof Date) {
      const time = Date.prototype.getTime.call(object);
      return Number.isNaN(time) ? "Date (invalid)" : `Date ${new Date(time).toISOString()}`;
    }
    if (object instanceof RegExp) {
      return escapeText(RegExp.prototype.toString.call(object), budget);
    }
    const name = className(proto);
    if (object instanceof Error) {
      const message = ownData(object, "message");
      return `${name || "Error"}${typeof message === "string" ? ` ${quote(message, budget / 2)}` : ""}`;
    }
    const instance = `an instance of ${name || "an unnamed class"}`;
    if (name === undefined) return "an object";
    if (object instanceof Map) {
      const size = Object.getOwnPropertyDescriptor(Map.prototype, "size")!.get!.call(object);
      return `${instance} (${plural(size, "entry", "entries")})`;
    }
    if (object instanceof Set) {
      const size = Object.getOwnPropertyDescriptor(Set.prototype, "size")!.get!.call(object);
      return `${instance} (${plural(size, "entry", "entries")})`;
    }
    return instance;
  } catch {
    return "an object that cannot be inspected";
  }
}

function list(items: readonly unknown[], budget: number, depth: number, seen: Set<object>): string {
  if (seen.has(items)) return "[Circular]";
  if (depth >= 3) return items.length === 0 ? "[]" : "[…]";
  seen.add(items);
  try {
    const length = items.length;
    let body = "";
    for (let i = 0; i < length; i++) {
      const d = Object.getOwnPropertyDescriptor(items, i);
      const item =
        d === undefined
          ? "<empty>"
          : "value" in d
            ? render(d.value, Math.max(budget - body.length - 4, 8), depth + 1, seen)
            : "[getter]";
      const next = `${body}${i > 0 ? "," : ""}${item}`;
      if (next.length > budget)
        return `[${body}${i > 0 ? "," : ""}…] (${plural(length, "item", "items")})`;
      body = next;
    }
    return `[${body}]`;
  } finally {
    seen.delete(items);
  }
}

function record(object: object, budget: number, depth: number, seen: Set<object>): string {
  if (seen.has(object)) return "[Circular]";
  const keys = Object.keys(object);
  if (depth >= 3) return keys.length === 0 ? "{}" : "{…}";
  seen.add(object);
  try {
    let body = "";
    for (const key of keys) {
      const d = Object.getOwnPropertyDescriptor(object, key);
      // Like JSON: a property holding undefined is left out ({ ref: undefined } shows as {}).
      if (d === undefined || ("value" in d && d.value === undefined)) continue;
      const label = quote(key, Math.min(40, budget));
      const item =
        "value" in d
          ? render(d.value, Math.max(budget - body.length - label.length - 4, 8), depth + 1, seen)
          : "[getter]";
      const next = `${body}${body ? "," : ""}${label}:${item}`;
      if (next.length > budget)
        return `{${body}${body ? "," : ""}…} (${plural(keys.length, "key", "keys")})`;
      body = next;
    }
    return `{${body}}`;
  } finally {
    seen.delete(object);
  }
}

// Its statics cannot be replaced.
Object.freeze(MachineClientsError);
