/**
 * A small parser and evaluator for the Terraform expressions that `hcl2json` and Terraform JSON
 * leave in string values (`"${var.days * 24}h"`, `"${azuread_application.app.id}"`). It covers the
 * subset the checker reasons about — literals, templates, references, function calls, arithmetic,
 * comparisons, conditionals, lists and objects — and marks everything else as unknown, so that a
 * rule can say "cannot be known statically" instead of guessing.
 */

import { createHash } from "node:crypto";
import { skipBraces, skipString } from "./hcl-text";

/** A reference traversal: `var.x`, `azuread_application.app.id`, `data.x.y.app_role_ids["A"]`. */
export interface TraversalNode {
  /** The node kind. */
  readonly t: "trav";
  /** The first name: `var`, `local`, `data`, a resource type, an iterator. */
  readonly root: string;
  /** Attribute names (strings), index expressions (nodes) and splats (`"*"`). */
  readonly path: readonly (string | Node)[];
}

/** A parsed expression. */
export type Node =
  | { readonly t: "lit"; readonly v: unknown }
  | { readonly t: "tmpl"; readonly parts: readonly Node[] }
  | TraversalNode
  | { readonly t: "call"; readonly name: string; readonly args: readonly Node[] }
  | { readonly t: "bin"; readonly op: string; readonly l: Node; readonly r: Node }
  | { readonly t: "un"; readonly op: string; readonly e: Node }
  | { readonly t: "cond"; readonly c: Node; readonly a: Node; readonly b: Node }
  | { readonly t: "list"; readonly items: readonly Node[] }
  | { readonly t: "obj"; readonly entries: readonly (readonly [Node, Node])[] }
  | { readonly t: "idx"; readonly e: Node; readonly path: readonly (string | Node)[] }
  | ForNode
  /** Something the evaluator does not model (for expressions, directives); children kept for references. */
  | { readonly t: "opaque"; readonly what: string; readonly children: readonly Node[] };

/** A `for` expression: `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if cond}`. */
export interface ForNode {
  /** The node kind. */
  readonly t: "for";
  /** A list (`[…]`) or an object (`{…}`) result. */
  readonly kind: "list" | "obj";
  /** The key (or index) variable, when two are named. */
  readonly keyVar?: string;
  /** The value variable. */
  readonly valVar: string;
  /** The collection iterated. */
  readonly coll: Node;
  /** The result key (objects only). */
  readonly key?: Node;
  /** The result value. */
  readonly value: Node;
  /** Grouping mode (`...`): values of equal keys are gathered in lists. */
  readonly group: boolean;
  /** The `if` filter. */
  readonly cond?: Node;
}

/**
 * Where an unknown value comes from, when it is an attribute of a resource or data source: the
 * checker still recognises `data.azuread_service_principal.g.app_role_ids["Name"]` or
 * `random_uuid.r.result` after the value went through locals, for expressions and iterators.
 */
export interface Origin {
  /** A resource or a data source. */
  readonly kind: "resource" | "data";
  /** Its type. */
  readonly type: string;
  /** Its name. */
  readonly name: string;
  /** Attribute names and evaluated keys after the name (instance keys skipped); `"*"` for a splat. */
  readonly path: readonly unknown[];
}

/** A value that cannot be known statically, with the reason. */
export class Unknown {
  /**
   * @param why why the value cannot be known, for messages
   * @param failed true when evaluation failed (a missing key or index) rather than depending on
   * something unknown: `try()` moves on to its next argument only then
   * @param origin the resource attribute the value is, where it is one
   * @param element for a collection whose elements are unknown in number but known in shape (a
   * `for` expression over an unknown collection): a representative key and element
   */
  constructor(
    public readonly why: string,
    public readonly failed = false,
    public readonly origin?: Origin,
    public readonly element?: { readonly key: unknown; readonly value: unknown },
  ) {}
}

/** True when a value (or anything inside it) is unknown. */
export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

interface Token {
  readonly k: "id" | "num" | "str" | "op" | "heredoc";
  readonly v: string;
  /** For strings: the template parts. */
  readonly parts?: Node[];
}

/** Parses a Terraform JSON / hcl2json string value: a template with `${…}` interpolations. */
export function parseTemplate(s: string): Node {
  const parts: Node[] = [];
  let lit = "";
  let i = 0;
  while (i < s.length) {
    if ((s.startsWith("$${", i) || s.startsWith("%%{", i)) && true) {
      lit += s.slice(i + 1, i + 3);
      i += 3;
      continue;
    }
    if (s.startsWith("${", i) || s.startsWith("%{", i)) {
      const directive = s[i] === "%";
      const end = skipBraces(s, i + 1);
      if (end < 0) return { t: "lit", v: s }; // not a template after all: keep the text
      if (lit) parts.push({ t: "lit", v: lit });
      lit = "";
      const inner = s.slice(i + 2, end).replace(/^~|~$/g, "");
      if (directive) {
        parts.push({
          t: "opaque",
          what: `a template directive (%{${inner.trim().slice(0, 40)}})`,
          children: [],
        });
      } else {
        parts.push(parseExpression(inner));
      }
      i = end + 1;
      continue;
    }
    // Up to the next $ or %, at once.
    let next = i + 1;
    while (next < s.length && s[next] !== "$" && s[next] !== "%") next++;
    lit += s.slice(i, next);
    i = next;
  }
  if (lit) parts.push({ t: "lit", v: lit });
  if (parts.length === 0) return { t: "lit", v: "" };
  if (parts.length === 1) return parts[0];
  return { t: "tmpl", parts };
}

const OPS = ["==", "!=", "<=", ">=", "&&", "||", "=>", "...", "[*]", ".*"];

function isNamePart(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45
  );
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const code = src.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      i++;
      continue;
    }
    if (c === "#" || (c === "/" && src[i + 1] === "/")) {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 2;
      continue;
    }
    if (c === '"') {
      const end = skipString(src, i);
      if (end < 0) throw new SyntaxError("unterminated string");
      const raw = src.slice(i + 1, end);
      const node = parseTemplate(unescape(raw));
      out.push({ k: "str", v: raw, parts: [node] });
      i = end + 1;
      continue;
    }
    if (code >= 48 && code <= 57) {
      let j = i;
      while (j < src.length && /[0-9.eE]/.test(src[j])) {
        if ((src[j] === "e" || src[j] === "E") && /[+-]/.test(src[j + 1] ?? "")) j++;
        j++;
      }
      out.push({ k: "num", v: src.slice(i, j) });
      i = j;
      continue;
    }
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95) {
      let j = i;
      for (;;) {
        while (j < src.length && isNamePart(src.charCodeAt(j))) j++;
        // Namespaced function names: provider::time::rfc3339_parse, core::floor.
        if (src.startsWith("::", j) && /[A-Za-z_]/.test(src[j + 2] ?? "")) j += 2;
        else break;
      }
      out.push({ k: "id", v: src.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ k: "op", v: op });
      i += op.length;
      continue;
    }
    out.push({ k: "op", v: c });
    i++;
  }
  return out;
}

function unescape(raw: string): string {
  return raw.replace(/\\(["\\nrt])/g, (_, e: string) =>
    e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e,
  );
}

const BINARY: Record<string, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  ">": 4,
  "<=": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
};

/** Parses one expression (the inside of `${…}`); an unparsable one becomes an opaque node. */
export function parseExpression(src: string): Node {
  let tokens: Token[];
  try {
    tokens = tokenize(src);
  } catch {
    return {
      t: "opaque",
      what: `an unparsable expression (${src.trim().slice(0, 60)})`,
      children: [],
    };
  }
  let p = 0;
  const peek = (): Token | undefined => tokens[p];
  const isOp = (v: string): boolean => peek()?.k === "op" && peek()!.v === v;
  const expect = (v: string): void => {
    if (!isOp(v)) throw new SyntaxError(`expected ${v}`);
    p++;
  };

  function expr(): Node {
    const c = binary(0);
    if (isOp("?")) {
      p++;
      const a = expr();
      expect(":");
      const b = expr();
      return { t: "cond", c, a, b };
    }
    return c;
  }
  function binary(min: number): Node {
    let l = unary();
    for (;;) {
      const t = peek();
      const prec = t?.k === "op" ? BINARY[t.v] : undefined;
      if (prec === undefined || prec <= min) return l;
      p++;
      const r = binary(prec);
      l = { t: "bin", op: t!.v, l, r };
    }
  }
  function unary(): Node {
    if (isOp("!") || isOp("-")) {
      const op = tokens[p++].v;
      return { t: "un", op, e: unary() };
    }
    return postfix(primary());
  }
  function postfix(base: Node): Node {
    const path: (string | Node)[] = [];
    for (;;) {
      if (isOp(".")) {
        p++;
        const t = tokens[p++];
        if (!t || (t.k !== "id" && t.k !== "num")) throw new SyntaxError("expected attribute");
        path.push(t.k === "num" ? { t: "lit", v: Number(t.v) } : t.v);
      } else if (isOp("[*]") || isOp(".*")) {
        p++;
        path.push("*");
      } else if (isOp("[")) {
        p++;
        path.push(expr());
        expect("]");
      } else break;
    }
    if (path.length === 0) return base;
    if (base.t === "trav") return { t: "trav", root: base.root, path: [...base.path, ...path] };
    return { t: "idx", e: base, path };
  }
  function primary(): Node {
    const t = tokens[p++];
    if (!t) throw new SyntaxError("unexpected end");
    if (t.k === "num") return { t: "lit", v: Number(t.v) };
    if (t.k === "str") return t.parts![0];
    if (t.k === "id") {
      if (t.v === "true" || t.v === "false") return { t: "lit", v: t.v === "true" };
      if (t.v === "null") return { t: "lit", v: null };
      if (isOp("(")) {
        p++;
        const args: Node[] = [];
        while (!isOp(")")) {
          args.push(expr());
          if (isOp("...")) p++;
          if (isOp(",")) p++;
          else if (!isOp(")")) throw new SyntaxError("expected , or )");
        }
        p++;
        return { t: "call", name: t.v, args };
      }
      return { t: "trav", root: t.v, path: [] };
    }
    if (t.v === "(") {
      const e = expr();
      expect(")");
      return e;
    }
    if (t.v === "[") {
      if (peek()?.k === "id" && peek()!.v === "for") return forExpr("]");
      const items: Node[] = [];
      while (!isOp("]")) {
        items.push(expr());
        if (isOp(",")) p++;
        else if (!isOp("]")) throw new SyntaxError("expected , or ]");
      }
      p++;
      return { t: "list", items };
    }
    if (t.v === "{") {
      if (peek()?.k === "id" && peek()!.v === "for") return forExpr("}");
      const entries: [Node, Node][] = [];
      while (!isOp("}")) {
        const kt = peek();
        let key: Node;
        if (kt?.k === "id" && (tokens[p + 1]?.v === "=" || tokens[p + 1]?.v === ":")) {
          p++;
          key = { t: "lit", v: kt.v };
        } else key = expr();
        if (isOp("=") || isOp(":")) p++;
        else throw new SyntaxError("expected = or :");
        entries.push([key, expr()]);
        if (isOp(",")) p++;
      }
      p++;
      return { t: "obj", entries };
    }
    throw new SyntaxError(`unexpected ${t.v}`);
  }
  /** A for expression, after its opening bracket: `for k, v in coll : … if cond` and the closing one. */
  function forExpr(close: string): Node {
    p++; // for
    const ident = (): string => {
      const t = tokens[p++];
      if (!t || t.k !== "id") throw new SyntaxError("expected a name");
      return t.v;
    };
    let keyVar: string | undefined;
    let valVar = ident();
    if (isOp(",")) {
      p++;
      keyVar = valVar;
      valVar = ident();
    }
    if (ident() !== "in") throw new SyntaxError("expected in");
    const coll = expr();
    expect(":");
    let key: Node | undefined;
    let value = expr();
    let group = false;
    if (close === "}") {
      expect("=>");
      key = value;
      value = expr();
      if (isOp("...")) {
        p++;
        group = true;
      }
    }
    let cond: Node | undefined;
    if (peek()?.k === "id" && peek()!.v === "if") {
      p++;
      cond = expr();
    }
    expect(close);
    return {
      t: "for",
      kind: close === "]" ? "list" : "obj",
      ...(keyVar !== undefined ? { keyVar } : {}),
      valVar,
      coll,
      ...(key ? { key } : {}),
      value,
      group,
      ...(cond ? { cond } : {}),
    };
  }

  try {
    const node = expr();
    if (p !== tokens.length) throw new SyntaxError("trailing tokens");
    return node;
  } catch {
    return {
      t: "opaque",
      what: `an unparsable expression (${src.trim().slice(0, 60)})`,
      children: [],
    };
  }
}

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * Calls `visit` on every node of an expression tree, with the names a `for` expression binds
 * around it (so that `r` in `[for r in x : r.id]` is not taken for a resource).
 */
export function walk(
  node: Node,
  visit: (n: Node, bound: ReadonlySet<string>) => void,
  bound: ReadonlySet<string> = NO_NAMES,
): void {
  visit(node, bound);
  const sub = (x: string | Node): void => {
    if (typeof x !== "string") walk(x, visit, bound);
  };
  switch (node.t) {
    case "tmpl":
      node.parts.forEach((n) => walk(n, visit, bound));
      break;
    case "trav":
      node.path.forEach(sub);
      break;
    case "call":
      node.args.forEach((n) => walk(n, visit, bound));
      break;
    case "bin":
      walk(node.l, visit, bound);
      walk(node.r, visit, bound);
      break;
    case "un":
      walk(node.e, visit, bound);
      break;
    case "cond":
      walk(node.c, visit, bound);
      walk(node.a, visit, bound);
      walk(node.b, visit, bound);
      break;
    case "list":
      node.items.forEach((n) => walk(n, visit, bound));
      break;
    case "obj":
      node.entries.forEach(([k, v]) => {
        walk(k, visit, bound);
        walk(v, visit, bound);
      });
      break;
    case "idx":
      walk(node.e, visit, bound);
      node.path.forEach(sub);
      break;
    case "for": {
      walk(node.coll, visit, bound);
      const inner = new Set(bound);
      inner.add(node.valVar);
      if (node.keyVar !== undefined) inner.add(node.keyVar);
      for (const n of [node.key, node.value, node.cond]) if (n) walk(n, visit, inner);
      break;
    }
    case "opaque":
      node.children.forEach((n) => walk(n, visit, bound));
      break;
    default:
      break;
  }
}

/** Names a traversal for messages: `var.days`, `azuread_application.app.id`. */
export function traversalName(n: TraversalNode): string {
  let out = n.root;
  for (const x of n.path) {
    if (typeof x === "string") out += x === "*" ? "[*]" : `.${x}`;
    else out += x.t === "lit" ? `[${JSON.stringify(x.v)}]` : "[…]";
  }
  return out;
}

/** How references resolve during evaluation. */
export interface Scope {
  /** The value of a traversal's root and path, or an Unknown. */
  resolve(n: TraversalNode, evalNode: (n: Node) => unknown): unknown;
  /**
   * A simulated plan time (milliseconds since the epoch): `plantimestamp()` and `timestamp()`
   * return it. Without one they are unknown, as they change on every run.
   */
  readonly planTime?: number;
}

/** Values of the names a `for` expression binds, by name. */
export type Env = ReadonlyMap<string, unknown>;
const NO_ENV: Env = new Map();

/** Evaluates an expression to a plain value, or an {@link Unknown} explaining why it cannot. */
export function evaluate(node: Node, scope: Scope, env: Env = NO_ENV): unknown {
  const ev = (n: Node): unknown => evaluate(n, scope, env);
  switch (node.t) {
    case "lit":
      return node.v;
    case "tmpl": {
      let s = "";
      for (const part of node.parts) {
        const v = ev(part);
        if (isUnknown(v)) return v;
        if (typeof v === "object" && v !== null) return new Unknown("a template of a collection");
        s += v === null ? "" : String(v);
      }
      return s;
    }
    case "trav":
      if (env.has(node.root)) return applyPath(env.get(node.root), node.path, ev);
      return scope.resolve(node, ev);
    case "idx":
      return applyPath(ev(node.e), node.path, ev);
    case "call":
      return call(node.name, node.args.map(ev), scope.planTime);
    case "bin": {
      const l = ev(node.l);
      const r = ev(node.r);
      if (node.op === "&&" && (l === false || r === false)) return false;
      if (node.op === "||" && (l === true || r === true)) return true;
      if (isUnknown(l)) return l;
      if (isUnknown(r)) return r;
      return binary(node.op, l, r);
    }
    case "un": {
      const v = ev(node.e);
      if (isUnknown(v)) return v;
      return node.op === "!" ? !v : -Number(v);
    }
    case "cond": {
      const c = ev(node.c);
      if (isUnknown(c)) return c;
      return c ? ev(node.a) : ev(node.b);
    }
    case "list":
      return node.items.map(ev);
    case "obj": {
      const o: Record<string, unknown> = {};
      for (const [k, v] of node.entries) {
        const key = ev(k);
        if (isUnknown(key)) return key;
        o[String(key)] = ev(v);
      }
      return o;
    }
    case "for":
      return evaluateFor(node, scope, env);
    case "opaque":
      return new Unknown(node.what);
    default:
      return new Unknown("an unsupported expression");
  }
}

/**
 * Evaluates a `for` expression: over a known list, map or object (maps and objects in key order,
 * as Terraform iterates them), with its `if` filter and grouping; over an unknown collection, an
 * Unknown whose representative element is the body evaluated with unknown iterators, so that what
 * every element holds (a literal, a `random_uuid` id) is still seen.
 */
function evaluateFor(node: ForNode, scope: Scope, env: Env): unknown {
  const coll = evaluate(node.coll, scope, env);
  const bind = (k: unknown, v: unknown): Env => {
    const e = new Map(env);
    e.set(node.valVar, v);
    if (node.keyVar !== undefined) e.set(node.keyVar, k);
    return e;
  };
  const element = (e: Env): { key: unknown; value: unknown } => {
    const value = evaluate(node.value, scope, e);
    const key = node.key ? evaluate(node.key, scope, e) : undefined;
    return { key, value: node.group ? [value] : value };
  };
  if (isUnknown(coll)) {
    const k = coll.element ? coll.element.key : new Unknown(coll.why);
    const v = coll.element ? coll.element.value : index(coll, "*");
    const el = element(bind(k, v));
    return new Unknown(`a for expression over ${coll.why}`, coll.failed, undefined, {
      key: node.kind === "obj" ? el.key : new Unknown(coll.why),
      value: el.value,
    });
  }
  let entries: [unknown, unknown][];
  if (Array.isArray(coll)) entries = coll.map((v, i) => [i, v]);
  else if (typeof coll === "object" && coll !== null) {
    entries = Object.keys(coll)
      .sort()
      .map((k) => [k, (coll as Record<string, unknown>)[k]]);
  } else {
    return new Unknown(`a for expression over ${JSON.stringify(coll)}`, true);
  }
  const list: unknown[] = [];
  const obj: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const e = bind(k, v);
    const c = node.cond ? evaluate(node.cond, scope, e) : true;
    if (isUnknown(c)) {
      // Whether this element is kept is unknown: the result's size is unknown.
      return new Unknown(`a for expression whose if filter depends on ${c.why}`, false, undefined, {
        key: element(e).key,
        value: element(e).value,
      });
    }
    if (!c) continue;
    const value = evaluate(node.value, scope, e);
    if (node.kind === "list") {
      list.push(value);
      continue;
    }
    const key = evaluate(node.key!, scope, e);
    if (isUnknown(key)) {
      return new Unknown(`a for expression whose keys depend on ${key.why}`, false, undefined, {
        key,
        value: node.group ? [value] : value,
      });
    }
    const name = String(key);
    if (node.group) {
      const group = (obj[name] as unknown[] | undefined) ?? [];
      group.push(value);
      obj[name] = group;
    } else {
      obj[name] = value;
    }
  }
  return node.kind === "list" ? list : obj;
}

/**
 * Follows attribute names, index expressions and splats from a value. An unknown value keeps
 * its origin, extended by the path; an unknown collection with a representative element gives
 * that element.
 */
export function applyPath(
  start: unknown,
  steps: readonly (string | Node)[],
  ev: (n: Node) => unknown,
): unknown {
  let v = start;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step === "*") {
      if (isUnknown(v)) {
        v = index(v, "*");
        continue;
      }
      const rest = steps.slice(i + 1);
      const items = Array.isArray(v) ? v : v === null || v === undefined ? [] : [v];
      return items.map((x) => applyPath(x, rest, ev));
    }
    v = index(v, typeof step === "string" ? step : ev(step));
  }
  return v;
}

/** Indexes a value by an attribute name or key. */
export function index(v: unknown, key: unknown): unknown {
  if (isUnknown(v)) {
    // One element of a collection known only in shape.
    if (v.element) return v.element.value;
    if (v.origin) {
      return new Unknown(v.why, v.failed, { ...v.origin, path: [...v.origin.path, key] });
    }
    return v;
  }
  if (isUnknown(key)) return key;
  if (Array.isArray(v)) {
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < v.length
      ? v[i]
      : new Unknown(`index ${String(key)} out of range`, true);
  }
  if (typeof v === "object" && v !== null) {
    const k = String(key);
    return Object.prototype.hasOwnProperty.call(v, k)
      ? (v as Record<string, unknown>)[k]
      : new Unknown(`no key ${JSON.stringify(k)}`, true);
  }
  return new Unknown(`cannot index ${JSON.stringify(v)}`, true);
}

function binary(op: string, l: unknown, r: unknown): unknown {
  switch (op) {
    case "+":
      return Number(l) + Number(r);
    case "-":
      return Number(l) - Number(r);
    case "*":
      return Number(l) * Number(r);
    case "/":
      return Number(l) / Number(r);
    case "%":
      return Number(l) % Number(r);
    case "==":
      return JSON.stringify(l) === JSON.stringify(r);
    case "!=":
      return JSON.stringify(l) !== JSON.stringify(r);
    case "<":
      return Number(l) < Number(r);
    case ">":
      return Number(l) > Number(r);
    case "<=":
      return Number(l) <= Number(r);
    case ">=":
      return Number(l) >= Number(r);
    case "&&":
      return Boolean(l) && Boolean(r);
    case "||":
      return Boolean(l) || Boolean(r);
    default:
      return new Unknown(`operator ${op}`);
  }
}

/** The few functions whose result matters to the rules and is computable from known arguments. */
function call(qualified: string, args: unknown[], planTime: number | undefined): unknown {
  const unknown = args.find(isUnknown);
  const name = qualified.startsWith("core::") ? qualified.slice(6) : qualified;
  switch (name) {
    case "timestamp":
    case "plantimestamp":
      return planTime === undefined
        ? new Unknown(`${name}() changes on every run`)
        : rfc3339(planTime);
    case "uuid":
      return new Unknown(`${name}() changes on every run`);
    case "floor":
    case "ceil":
    case "abs":
    case "signum": {
      if (unknown) return unknown;
      const n = Number(args[0]);
      if (Number.isNaN(n)) return new Unknown(`${name}(${JSON.stringify(args[0])})`, true);
      return name === "floor"
        ? Math.floor(n)
        : name === "ceil"
          ? Math.ceil(n)
          : name === "abs"
            ? Math.abs(n)
            : Math.sign(n);
    }
    case "min":
    case "max": {
      if (unknown) return unknown;
      const ns = args.map(Number);
      if (ns.length === 0 || ns.some(Number.isNaN)) return new Unknown(`${name}()`, true);
      return name === "min" ? Math.min(...ns) : Math.max(...ns);
    }
    case "timeadd": {
      if (unknown) return unknown;
      const t = parseRfc3339(args[0]);
      const h = durationHours(String(args[1]));
      if (t === undefined) return new Unknown(`timeadd of ${JSON.stringify(args[0])}`, true);
      if (h === undefined) return new Unknown(`timeadd by ${JSON.stringify(args[1])}`, true);
      return rfc3339(t + Math.round(h * 3_600_000));
    }
    case "timecmp": {
      if (unknown) return unknown;
      const a = parseRfc3339(args[0]);
      const b = parseRfc3339(args[1]);
      if (a === undefined || b === undefined) return new Unknown("timecmp of a non-time", true);
      return Math.sign(a - b);
    }
    case "provider::time::rfc3339_parse": {
      if (unknown) return unknown;
      const t = parseRfc3339(args[0]);
      if (t === undefined) return new Unknown(`rfc3339_parse(${JSON.stringify(args[0])})`, true);
      return timeObject(t);
    }
    case "provider::time::unix_timestamp_parse": {
      if (unknown) return unknown;
      const n = Number(args[0]);
      if (!Number.isFinite(n)) return new Unknown(`unix_timestamp_parse(${String(args[0])})`, true);
      return timeObject(n * 1000);
    }
    case "tolist":
    case "toset":
    case "tomap":
    case "tostring":
    case "tonumber":
    case "tobool":
    case "sensitive":
    case "nonsensitive":
      // An unknown argument passes through whole: its origin and element shape are kept.
      if (unknown) return unknown;
      return name === "toset" && Array.isArray(args[0]) ? [...new Set(args[0])] : args[0];
    case "concat":
      if (unknown) return unknown;
      return args.every(Array.isArray) ? (args as unknown[][]).flat() : new Unknown("concat");
    case "merge":
      if (unknown) return unknown;
      return Object.assign({}, ...args);
    case "lower":
    case "upper":
      if (unknown) return unknown;
      return name === "lower" ? String(args[0]).toLowerCase() : String(args[0]).toUpperCase();
    case "lookup": {
      if (isUnknown(args[0])) return index(args[0], args[1]);
      if (isUnknown(args[1])) return args[1];
      const v = index(args[0], args[1]);
      return isUnknown(v) && v.failed && args.length > 2 ? args[2] : v;
    }
    case "element": {
      if (isUnknown(args[0])) return index(args[0], args[1]);
      if (unknown) return unknown;
      if (!Array.isArray(args[0]) || args[0].length === 0) return new Unknown("element()", true);
      const i = Number(args[1]);
      return args[0][((i % args[0].length) + args[0].length) % args[0].length];
    }
    case "keys":
    case "values": {
      const m = args[0];
      if (isUnknown(m)) {
        return m.element
          ? new Unknown(m.why, m.failed, undefined, {
              key: new Unknown(m.why),
              value: name === "keys" ? m.element.key : m.element.value,
            })
          : m;
      }
      if (typeof m !== "object" || m === null) return new Unknown(`${name}()`, true);
      const ks = Object.keys(m).sort();
      return name === "keys" ? ks : ks.map((k) => (m as Record<string, unknown>)[k]);
    }
    case "contains":
      if (unknown) return unknown;
      return Array.isArray(args[0])
        ? args[0].some((x) => JSON.stringify(x) === JSON.stringify(args[1]))
        : new Unknown("contains()", true);
    case "distinct":
    case "compact":
    case "flatten":
    case "reverse":
    case "sort": {
      if (unknown) return unknown;
      const l = args[0];
      if (!Array.isArray(l)) return new Unknown(`${name}()`, true);
      if (name === "distinct") {
        const seen = new Set<string>();
        return l.filter((x) => !seen.has(JSON.stringify(x)) && !!seen.add(JSON.stringify(x)));
      }
      if (name === "compact") return l.filter((x) => x !== null && x !== "");
      if (name === "flatten") return flattenDeep(l);
      if (name === "reverse") return [...l].reverse();
      return [...l].map(String).sort();
    }
    case "zipmap": {
      if (unknown) return unknown;
      const [ks, vs] = args;
      if (!Array.isArray(ks) || !Array.isArray(vs)) return new Unknown("zipmap()", true);
      return Object.fromEntries(ks.map((k, i) => [String(k), vs[i]]));
    }
    case "join":
      if (unknown) return unknown;
      return Array.isArray(args[1])
        ? args[1].map(String).join(String(args[0]))
        : new Unknown("join()", true);
    case "split":
      if (unknown) return unknown;
      return String(args[1]).split(String(args[0]));
    case "replace":
      if (unknown) return unknown;
      // A /regex/ pattern is not modelled; a plain substring is.
      if (/^\/.*\/$/.test(String(args[1]))) return new Unknown("replace() with a pattern");
      return String(args[0]).split(String(args[1])).join(String(args[2]));
    case "trimspace":
      if (unknown) return unknown;
      return String(args[0]).trim();
    case "startswith":
    case "endswith":
      if (unknown) return unknown;
      return name === "startswith"
        ? String(args[0]).startsWith(String(args[1]))
        : String(args[0]).endsWith(String(args[1]));
    case "substr": {
      if (unknown) return unknown;
      const str = String(args[0]);
      const off = Number(args[1]);
      const len = Number(args[2]);
      return str.substr(off < 0 ? str.length + off : off, len < 0 ? undefined : len);
    }
    case "one":
      if (unknown) return unknown;
      return Array.isArray(args[0])
        ? args[0].length === 0
          ? null
          : args[0].length === 1
            ? args[0][0]
            : new Unknown("one() of several elements", true)
        : new Unknown("one()", true);
    case "range": {
      if (unknown) return unknown;
      const ns = args.map(Number);
      const [from, to, step] =
        ns.length === 1 ? [0, ns[0], 1] : [ns[0], ns[1], ns[2] ?? (ns[1] >= ns[0] ? 1 : -1)];
      const out: number[] = [];
      for (let i = from; step > 0 ? i < to : i > to; i += step) {
        out.push(i);
        if (out.length > 1024) return new Unknown("range() too long", true);
      }
      return out;
    }
    case "coalescelist":
      for (const a of args) {
        if (isUnknown(a)) return a;
        if (Array.isArray(a) && a.length > 0) return a;
      }
      return [];
    case "slice":
      if (unknown) return unknown;
      return Array.isArray(args[0])
        ? args[0].slice(Number(args[1]), Number(args[2]))
        : new Unknown("slice()", true);
    case "can": {
      const a = args[0];
      if (isUnknown(a)) return a.failed ? false : a;
      return true;
    }
    case "jsonencode":
      if (unknown) return unknown;
      return JSON.stringify(args[0]);
    case "jsondecode": {
      if (unknown) return unknown;
      try {
        return JSON.parse(String(args[0]));
      } catch {
        return new Unknown("jsondecode() of something that is not JSON", true);
      }
    }
    case "uuidv5": {
      if (unknown) return unknown;
      return uuidv5(String(args[0]), String(args[1])) ?? new Unknown("uuidv5() namespace", true);
    }
    case "formatdate": {
      if (unknown) return unknown;
      const t = parseRfc3339(args[1]);
      if (t === undefined) return new Unknown(`formatdate of ${JSON.stringify(args[1])}`, true);
      return formatDate(String(args[0]), String(args[1]), t);
    }
    case "try": {
      // The first argument that evaluates; one that is merely unknown may well evaluate.
      for (const a of args) {
        if (!isUnknown(a) || !a.failed) return a;
      }
      return unknown ?? null;
    }
    case "coalesce": {
      for (const a of args) {
        if (isUnknown(a)) return a;
        if (a !== null && a !== "") return a;
      }
      return null;
    }
    case "format": {
      if (unknown) return unknown;
      let i = 1;
      let bad: Unknown | undefined;
      const out = String(args[0]).replace(
        /%(%|[-+ #0-9.]*[sdvqft])/g,
        (_m: string, spec: string) => {
          if (spec === "%") return "%";
          const v = args[i++];
          if (spec.endsWith("d")) {
            // %d takes whole numbers only (Terraform fails otherwise); flags: zero padding, width.
            const n = Number(v);
            if (!Number.isInteger(n)) {
              bad ??= new Unknown(`format %d of ${JSON.stringify(v)}`, true);
              return "";
            }
            const width = Number(/\d+/.exec(spec.replace(/^[-+ #]*0/, ""))?.[0] ?? 0);
            const pad = /^[-+ #]*0/.test(spec) ? "0" : " ";
            const digits = String(Math.abs(n)).padStart(width - (n < 0 ? 1 : 0), pad);
            return n < 0 ? `-${digits}` : digits;
          }
          return spec.endsWith("q")
            ? JSON.stringify(v)
            : typeof v === "object"
              ? JSON.stringify(v)
              : String(v);
        },
      );
      return bad ?? out;
    }
    case "length":
      if (unknown) return unknown;
      return Array.isArray(args[0])
        ? args[0].length
        : typeof args[0] === "object" && args[0] !== null
          ? Object.keys(args[0]).length
          : String(args[0]).length;
    default:
      return new Unknown(`the result of ${name}()`);
  }
}

/** Parses a Go duration (`"1440h"`, `"90h30m"`) into hours; undefined when it is not one. */
export function durationHours(s: string): number | undefined {
  if (/^\d+h$/.test(s)) return Number(s.slice(0, -1)); // the common case, fast
  const m = /^(-?)((?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+)$/.exec(s.trim());
  if (!m) return undefined;
  const unit: Record<string, number> = {
    h: 1,
    m: 1 / 60,
    s: 1 / 3600,
    ms: 1 / 3.6e6,
    us: 1 / 3.6e9,
    µs: 1 / 3.6e9,
    ns: 1 / 3.6e12,
  };
  let hours = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g)) {
    hours += Number(part[1]) * unit[part[2]];
  }
  return m[1] ? -hours : hours;
}

/** Formats a time as Terraform does (RFC 3339, UTC, fractional seconds only when present). */
export function rfc3339(ms: number): string {
  const cached = formatted.get(ms);
  if (cached !== undefined) return cached;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return d.toISOString();
  const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
  const frac = d.getUTCMilliseconds();
  const s =
    `${String(year).padStart(4, "0")}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}` +
    `T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}` +
    `${frac ? `.${String(frac).padStart(3, "0")}` : ""}Z`;
  if (formatted.size >= 64) {
    formatted.clear();
    parsed.clear();
  }
  formatted.set(ms, s);
  parsed.set(s, ms);
  return s;
}

/** Times formatted lately, both ways: a simulated plan formats and parses the same times often. */
const formatted = new Map<number, string>();
const parsed = new Map<string, number>();

/** Parses an RFC 3339 time (`2026-11-26T00:00:00Z`, with an offset or fraction); undefined if not one. */
export function parseRfc3339(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const known = parsed.get(v);
  if (known !== undefined) return known;
  if (!/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v)) {
    return undefined;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** The ISO 8601 week-numbering year and week of a UTC date. */
function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day); // the Thursday of the week decides its year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return { year: t.getUTCFullYear(), week: Math.ceil(((t.getTime() - yearStart) / DAY + 1) / 7) };
}

const DAY = 86_400_000;

/** The object the time provider's parse functions return (UTC). */
function timeObject(ms: number): Record<string, unknown> {
  const d = new Date(ms);
  const iso = isoWeek(d);
  return {
    year: d.getUTCFullYear(),
    year_day: Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1,
    iso_year: iso.year,
    iso_week: iso.week,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    unix: Math.floor(ms / 1000),
    weekday: d.getUTCDay(),
    weekday_name: WEEKDAYS[d.getUTCDay()],
    month_name: MONTHS[d.getUTCMonth()],
  };
}

const UUID_NAMESPACES: Record<string, string> = {
  dns: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  url: "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
  oid: "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
  x500: "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
};

/** Terraform's `uuidv5(namespace, name)` (RFC 4122 §4.3, SHA-1): deterministic, so a stable id. */
function uuidv5(namespace: string, name: string): string | undefined {
  const ns = UUID_NAMESPACES[namespace] ?? namespace;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ns)) return undefined;
  const hash = createHash("sha1")
    .update(Buffer.from(ns.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function flattenDeep(l: readonly unknown[]): unknown[] {
  return l.flatMap((x) => (Array.isArray(x) ? flattenDeep(x) : [x]));
}

/**
 * Terraform's `formatdate(spec, time)`: the time in its own offset, with the spec's
 * sequences (YYYY, MM, DD, hh, mm, ss, EEE, MMM, ZZZZZ, …) and quoted literals.
 */
function formatDate(spec: string, text: string, ms: number): string | Unknown {
  const m = /([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  const offsetText = m && m[1].toUpperCase() !== "Z" ? m[1] : "Z";
  const offsetMin =
    offsetText === "Z"
      ? 0
      : (offsetText[0] === "-" ? -1 : 1) *
        (Number(offsetText.slice(1, 3)) * 60 + Number(offsetText.slice(4, 6)));
  const d = new Date(ms + offsetMin * 60_000);
  const two = (n: number): string => String(n).padStart(2, "0");
  const h12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const seq: Record<string, () => string> = {
    YYYY: () => String(d.getUTCFullYear()).padStart(4, "0"),
    YY: () => two(d.getUTCFullYear() % 100),
    MMMM: () => MONTHS[d.getUTCMonth()],
    MMM: () => MONTHS[d.getUTCMonth()].slice(0, 3),
    MM: () => two(d.getUTCMonth() + 1),
    M: () => String(d.getUTCMonth() + 1),
    DD: () => two(d.getUTCDate()),
    D: () => String(d.getUTCDate()),
    EEEE: () => WEEKDAYS[d.getUTCDay()],
    EEE: () => WEEKDAYS[d.getUTCDay()].slice(0, 3),
    hh: () => two(d.getUTCHours()),
    h: () => String(d.getUTCHours()),
    HH: () => two(h12),
    H: () => String(h12),
    AA: () => (d.getUTCHours() < 12 ? "AM" : "PM"),
    aa: () => (d.getUTCHours() < 12 ? "am" : "pm"),
    mm: () => two(d.getUTCMinutes()),
    m: () => String(d.getUTCMinutes()),
    ss: () => two(d.getUTCSeconds()),
    s: () => String(d.getUTCSeconds()),
    ZZZZZ: () => (offsetText === "Z" ? "+00:00" : offsetText),
    ZZZZ: () => (offsetText === "Z" ? "+0000" : offsetText.replace(":", "")),
    ZZZ: () => (offsetText === "Z" ? "UTC" : offsetText.replace(":", "")),
    Z: () => offsetText,
  };
  const keys = Object.keys(seq).sort((a, b) => b.length - a.length);
  let out = "";
  let i = 0;
  while (i < spec.length) {
    if (spec[i] === "'") {
      const end = spec.indexOf("'", i + 1);
      if (end < 0) return new Unknown("formatdate() with an unterminated quote", true);
      out += end === i + 1 ? "'" : spec.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    const k = keys.find((key) => spec.startsWith(key, i));
    if (k) {
      out += seq[k]();
      i += k.length;
    } else if (/[A-Za-z]/.test(spec[i])) {
      return new Unknown(`formatdate() sequence at ${JSON.stringify(spec.slice(i))}`, true);
    } else {
      out += spec[i++];
    }
  }
  return out;
}
