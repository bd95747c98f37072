/**
 * A fast reader of HCL native syntax into the Terraform JSON shape that `@cdktf/hcl2json` gives
 * (blocks as nested objects and arrays, literals as JSON values, lists and objects element by
 * element, every other expression as a `${…}` string of its source), for the files `check` reads.
 * hcl2json's WebAssembly parser takes about a second per megabyte; this takes milliseconds.
 *
 * It is strict: whatever it does not recognise throws {@link HclSyntaxError}, and the caller then
 * parses the file with hcl2json, which reports real syntax errors with their position. A test
 * holds both to the same output on every fixture.
 */

import { skipBraces, skipString } from "./hcl-text";
import { toNode } from "./module";

/** Raised for input this reader does not handle; hcl2json decides then. */
export class HclSyntaxError extends Error {}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Parses an HCL file into Terraform JSON, as hcl2json does. */
export function parseHcl(text: string): Record<string, unknown> {
  return parseHclWithLines(text).config;
}

/** Parses an HCL file, and gives the header line of each `resource` / `data` block. */
export function parseHclWithLines(text: string): {
  config: Record<string, unknown>;
  lines: ReadonlyMap<string, number>;
} {
  const reader = new Reader(text);
  const config = reader.body(false);
  return { config, lines: reader.blockLines };
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  private fail(what: string): never {
    throw new HclSyntaxError(`${what} at offset ${this.pos}`);
  }

  /** Skips spaces, tabs, comments and (with `newlines`) line ends. */
  private trivia(newlines: boolean): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) this.pos++;
      else if (c === "#" || (c === "/" && t[this.pos + 1] === "/")) {
        if (!newlines) return; // a comment ends the line: the caller sees the newline next
        const end = t.indexOf("\n", this.pos);
        this.pos = end < 0 ? t.length : end;
      } else if (c === "/" && t[this.pos + 1] === "*") {
        const end = t.indexOf("*/", this.pos + 2);
        if (end < 0) this.fail("unterminated comment");
        this.pos = end + 2;
      } else return;
    }
  }

  /** Skips a line comment, if one is here. */
  private lineComment(): void {
    const t = this.text;
    if (t[this.pos] === "#" || (t[this.pos] === "/" && t[this.pos + 1] === "/")) {
      const end = t.indexOf("\n", this.pos);
      this.pos = end < 0 ? t.length : end;
    }
  }

  private ident(): string {
    const t = this.text;
    const start = this.pos;
    if (!isIdentStart(t.charCodeAt(this.pos))) this.fail("expected a name");
    while (this.pos < t.length && isIdentPart(t.charCodeAt(this.pos))) this.pos++;
    return t.slice(start, this.pos);
  }

  /** The 1-based line of an offset; offsets asked for only grow, so this is linear overall. */
  public lineOf(offset: number): number {
    const t = this.text;
    for (let i = this.lineCursor; i < offset; i++) if (t.charCodeAt(i) === 10) this.line++;
    this.lineCursor = Math.max(this.lineCursor, offset);
    return this.line;
  }

  private line = 1;
  private lineCursor = 0;
  /** The header line of each top-level `resource` / `data` block, by `kind type name`. */
  public readonly blockLines = new Map<string, number>();

  /** A body: attributes and blocks, up to `}` (nested) or the end of the text. */
  public body(nested: boolean): Record<string, unknown> {
    const t = this.text;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.trivia(true);
      if (this.pos >= t.length) {
        if (nested) this.fail("unclosed block");
        return out;
      }
      if (t[this.pos] === "}") {
        if (!nested) this.fail("unexpected }");
        this.pos++;
        return out;
      }
      const itemStart = this.pos;
      const name = this.ident();
      this.trivia(false);
      if (t[this.pos] === "=" && t[this.pos + 1] !== "=") {
        this.pos++;
        this.trivia(false);
        const start = this.pos;
        const end = scanExpression(t, start, "attr");
        if (end === start) this.fail("expected an expression");
        if (Object.prototype.hasOwnProperty.call(out, name)) this.fail(`${name} defined twice`);
        out[name] = convert(t.slice(start, end));
        this.pos = end;
        this.endOfItem(nested);
        continue;
      }
      const labels: string[] = [];
      while (t[this.pos] !== "{") {
        if (t[this.pos] === '"') {
          const end = skipString(t, this.pos);
          if (end < 0) this.fail("unterminated label");
          const raw = t.slice(this.pos + 1, end);
          if (/[$%]\{/.test(raw) || raw.includes("\\")) this.fail("a label with escapes");
          labels.push(raw);
          this.pos = end + 1;
        } else if (isIdentStart(t.charCodeAt(this.pos))) {
          labels.push(this.ident());
        } else this.fail("expected a label or {");
        this.trivia(false);
      }
      if (!nested && labels.length === 2 && (name === "resource" || name === "data")) {
        const key = `${name} ${labels[0]} ${labels[1]}`;
        const line = this.lineOf(itemStart);
        if (!this.blockLines.has(key)) this.blockLines.set(key, line);
      }
      this.pos++;
      const block = this.body(true);
      let target = out;
      let key = name;
      for (const label of labels) {
        const next = (target[key] ??= {}) as Record<string, unknown>;
        if (typeof next !== "object" || Array.isArray(next)) this.fail(`${name} mixes shapes`);
        target = next;
        key = label;
      }
      const list = (target[key] ??= []) as unknown[];
      if (!Array.isArray(list)) this.fail(`${name} mixes shapes`);
      list.push(block);
      this.endOfItem(nested);
    }
  }

  /** After an attribute or a block: a line end, a comment, or the closing brace of a one-line block. */
  private endOfItem(nested: boolean): void {
    this.trivia(false);
    this.lineComment();
    const c = this.text[this.pos];
    if (c === "\n" || c === undefined) return;
    if (c === "}" && nested) return;
    this.fail("expected a new line");
  }
}

/** The end of a heredoc opening at `open` (`<<EOT` / `<<-EOT`), or -1 if none opens there. */
function skipHeredoc(s: string, open: number): number {
  const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(s.slice(open, open + 80));
  if (!m) return -1;
  let i = open + m[0].length;
  for (;;) {
    const end = s.indexOf("\n", i);
    const line = s.slice(i, end < 0 ? s.length : end).trim();
    if (line === m[1]) return end < 0 ? s.length : end;
    if (end < 0) throw new HclSyntaxError("unterminated heredoc");
    i = end + 1;
  }
}

/**
 * The end of an expression starting at `start`: in an attribute, at the line end (or a comment,
 * or the `}` of a one-line block); in a list, at `,` or `]`; in an object, at `,`, the line end
 * or `}` — each at bracket depth 0.
 */
function scanExpression(s: string, start: number, mode: "attr" | "tuple" | "object"): number {
  let depth = 0;
  let i = start;
  let last = start; // end of the last non-blank, non-comment character
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      const end = skipString(s, i);
      if (end < 0) throw new HclSyntaxError("unterminated string");
      i = end + 1;
      last = i;
      continue;
    }
    if (c === "<" && s[i + 1] === "<") {
      const end = skipHeredoc(s, i);
      if (end >= 0) {
        i = end;
        last = i;
        continue;
      }
    }
    if (c === "#" || (c === "/" && s[i + 1] === "/")) {
      if (depth === 0 && mode !== "tuple") return last;
      const end = s.indexOf("\n", i);
      i = end < 0 ? s.length : end;
      continue;
    }
    if (c === "/" && s[i + 1] === "*") {
      const end = s.indexOf("*/", i + 2);
      if (end < 0) throw new HclSyntaxError("unterminated comment");
      i = end + 2;
      continue;
    }
    if (depth === 0) {
      if (c === "\n" && mode !== "tuple") return last;
      if (c === "," && mode !== "attr") return last;
      if (c === "}" && mode !== "tuple") return last;
      if (c === "]" && mode === "tuple") return last;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth < 0) throw new HclSyntaxError("unbalanced brackets");
    }
    i++;
    if (c !== " " && c !== "\t" && c !== "\r" && c !== "\n") last = i;
  }
  if (depth !== 0) throw new HclSyntaxError("unbalanced brackets");
  return last;
}

/** Converts an expression's source to Terraform JSON, as hcl2json does. */
function convert(src: string): unknown {
  const e = src.trim();
  if (e === "") throw new HclSyntaxError("an empty expression");
  if (NUMBER.test(e)) return Number(e);
  if (e === "true" || e === "false") return e === "true";
  if (e === "null") return null;
  if (e[0] === '"' && skipString(e, 0) === e.length - 1) return template(e.slice(1, -1));
  if (e.startsWith("<<")) {
    const end = skipHeredoc(e, 0);
    if (end >= e.length - 1) return heredoc(e);
  }
  if (e[0] === "[" && nested(e, 0) === e.length - 1 && !/^\[\s*for\s/.test(e)) {
    return elements(e.slice(1, -1), "tuple").map(convert);
  }
  if (e[0] === "{" && nested(e, 0) === e.length - 1 && !/^\{\s*for\s/.test(e)) {
    const out: Record<string, unknown> = {};
    for (const entry of elements(e.slice(1, -1), "object")) {
      const m = /^("(?:[^"\\$%]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*)\s*(=|:)(?![=>])\s*([\s\S]*)$/.exec(
        entry,
      );
      if (!m) return `\${${e}}`; // a computed key: kept as an expression
      const key = m[1][0] === '"' ? (template(m[1].slice(1, -1)) as string) : m[1];
      out[key] = convert(m[3]);
    }
    return out;
  }
  // Any other expression: kept as `${…}`, once the evaluator's parser accepts it (what it does
  // not, hcl2json judges).
  const node = toNode(`\${${e}}`);
  if (node.t === "opaque" && node.what.startsWith("an unparsable expression")) {
    throw new HclSyntaxError(node.what);
  }
  return `\${${e}}`;
}

/** Index of the bracket closing the one at `open`, skipping strings, heredocs and comments. */
function nested(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = skipString(s, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === "<" && s[i + 1] === "<") {
      const end = skipHeredoc(s, i);
      if (end >= 0) {
        i = end;
        continue;
      }
    }
    if (c === "#" || (c === "/" && s[i + 1] === "/")) {
      const end = s.indexOf("\n", i);
      i = end < 0 ? s.length : end;
      continue;
    }
    if (c === "/" && s[i + 1] === "*") {
      const end = s.indexOf("*/", i + 2);
      if (end < 0) return -1;
      i = end + 1;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function skipBlank(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
}

/** The elements of a list's or object's inside, each as its source. */
function elements(inner: string, mode: "tuple" | "object"): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    // Blanks, line ends and comments between elements.
    for (;;) {
      i = skipBlank(inner, i);
      if (inner[i] === "#" || (inner[i] === "/" && inner[i + 1] === "/")) {
        const end = inner.indexOf("\n", i);
        i = end < 0 ? inner.length : end;
      } else if (inner[i] === "/" && inner[i + 1] === "*") {
        const end = inner.indexOf("*/", i + 2);
        if (end < 0) throw new HclSyntaxError("unterminated comment");
        i = end + 2;
      } else break;
    }
    if (i >= inner.length) return out;
    const end = scanExpression(inner, i, mode);
    if (end === i) throw new HclSyntaxError("an empty element");
    out.push(inner.slice(i, end));
    i = end;
    i = skipBlank(inner, i);
    if (inner[i] === "#" || (inner[i] === "/" && inner[i + 1] === "/")) {
      const e = inner.indexOf("\n", i);
      i = e < 0 ? inner.length : e;
      i = skipBlank(inner, i);
    }
    if (inner[i] === ",") i++;
    else if (i < inner.length && mode === "tuple") throw new HclSyntaxError("expected ,");
  }
}

/** A quoted template's content: escapes resolved outside interpolations, `${…}` kept. */
function template(raw: string): unknown {
  // Most strings hold no escape and no template sequence: they are their own value.
  if (!raw.includes("\\") && !raw.includes("{")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\") {
      const n = raw[++i];
      if (n === "n") out += "\n";
      else if (n === "r") out += "\r";
      else if (n === "t") out += "\t";
      else if (n === '"' || n === "\\") out += n;
      else if (n === "u" || n === "U") {
        const len = n === "u" ? 4 : 8;
        const hex = raw.slice(i + 1, i + 1 + len);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) {
          throw new HclSyntaxError("a bad unicode escape");
        }
        out += String.fromCodePoint(parseInt(hex, 16));
        i += len;
      } else throw new HclSyntaxError(`an unknown escape \\${n}`);
    } else if ((c === "$" || c === "%") && raw[i + 1] === "{") {
      if (raw[i + 2] === undefined) throw new HclSyntaxError("a bad template");
      const end = skipBraces(raw, i + 1);
      if (end < 0) throw new HclSyntaxError("an unterminated interpolation");
      if (c === "%") throw new HclSyntaxError("a template directive"); // hcl2json rewrites them
      out += raw.slice(i, end + 1);
      i = end;
    } else if ((c === "$" || c === "%") && raw[i + 1] === c && raw[i + 2] === "{") {
      out += raw.slice(i, i + 3);
      i += 2;
    } else out += c;
  }
  return out;
}

/** A heredoc's content (`<<-` strips the common indentation), interpolations kept. */
function heredoc(e: string): unknown {
  const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(e)!;
  const body = e.slice(m[0].length);
  const lines = body.split("\n");
  lines.pop(); // the closing marker
  let text = lines;
  if (m[1] === "-") {
    const indents = text.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
    const strip = indents.length ? Math.min(...indents) : 0;
    text = text.map((l) => l.slice(strip));
  }
  const content = text.map((l) => `${l}\n`).join("");
  if (/(^|[^%])%\{/.test(content)) throw new HclSyntaxError("a template directive");
  return content;
}
