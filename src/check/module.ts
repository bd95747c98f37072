/**
 * Terraform configurations as the checker sees them: the files of one directory form a module
 * (Terraform reads every `.tf` and `.tf.json` of a directory together), with its resources, data
 * sources, variables (and their defaults) and locals. Values stay as Terraform JSON values whose
 * strings may hold `${…}` expressions; {@link ModuleContext} evaluates them.
 */
import {
  Node,
  Origin,
  Scope,
  applyPath,
  TraversalNode,
  Unknown,
  evaluate,
  parseTemplate,
  traversalName,
  walk,
} from "./expr";

/** A resource or data source block. */
export interface TfBlock {
  /** A `resource` or a `data` source. */
  readonly kind: "resource" | "data";
  /** The resource type, e.g. `azuread_application`. */
  readonly type: string;
  /** The block's name label. */
  readonly name: string;
  /** The block's arguments and nested blocks, as Terraform JSON. */
  readonly body: Record<string, unknown>;
  /** The file it was read from, as given on the command line (relative where the input was). */
  readonly file: string;
  /** The 1-based line of the block's header, where it could be located. */
  readonly line?: number;
}

/** One parsed file's top-level content, normalized from HCL (via hcl2json) or Terraform JSON. */
export interface ParsedFile {
  /** The file's path. */
  readonly file: string;
  /** The top-level configuration, as Terraform JSON (hcl2json's output for HCL). */
  readonly config: Record<string, unknown>;
  /** Locates a block's header line in the file's text, where it can. */
  readonly lines: (kind: string, type: string, name: string) => number | undefined;
}

/** Blocks come as an object or a list of objects; this returns the list. */
export function asList(x: unknown): Record<string, unknown>[] {
  if (x === undefined || x === null) return [];
  return (Array.isArray(x) ? x : [x]).filter(
    (b): b is Record<string, unknown> => typeof b === "object" && b !== null,
  );
}

/** A variable's declaration: whether it has a default, and the default. */
interface VariableDecl {
  readonly hasDefault: boolean;
  readonly value: unknown;
}

/** A reference found in an expression. */
export interface Ref {
  /** `resource`, `data`, or the special roots (`var`, `local`, …) that the checker does not follow. */
  /** Whether the reference is to a resource or a data source. */
  readonly kind: "resource" | "data";
  /** The referenced type. */
  readonly type: string;
  /** The referenced name. */
  readonly name: string;
  /** Attribute names and literal keys after the resource name (indexes on the resource itself skipped). */
  readonly path: readonly (string | Node)[];
}

const SPECIAL_ROOTS = new Set([
  "var",
  "local",
  "each",
  "count",
  "path",
  "terraform",
  "module",
  "self",
]);

/** Bindings of `each`, `count` and dynamic-block iterators. */
export type Bindings = ReadonlyMap<string, unknown>;
const NO_BINDINGS: Bindings = new Map();

const templateCache = new Map<string, Node>();

/** An already parsed expression, passed where a Terraform JSON value is expected. */
export class ParsedExpression {
  constructor(public readonly node: Node) {}
}

/** The expression tree of a Terraform JSON value. */
export function toNode(raw: unknown): Node {
  if (raw instanceof ParsedExpression) return raw.node;
  if (typeof raw === "string") {
    if (!raw.includes("{")) return { t: "lit", v: raw };
    let n = templateCache.get(raw);
    if (!n) {
      n = parseTemplate(raw);
      if (templateCache.size > 500_000) templateCache.clear();
      templateCache.set(raw, n);
    }
    return n;
  }
  if (Array.isArray(raw)) return { t: "list", items: raw.map(toNode) };
  if (typeof raw === "object" && raw !== null) {
    return {
      t: "obj",
      entries: Object.entries(raw).map(([k, v]) => [{ t: "lit", v: k }, toNode(v)] as const),
    };
  }
  return { t: "lit", v: raw };
}

/** One module (directory) of a configuration. */
export class ModuleContext {
  public readonly resources: TfBlock[] = [];
  public readonly data: TfBlock[] = [];
  private readonly variables = new Map<string, VariableDecl>();
  private readonly locals = new Map<string, unknown>();
  private readonly localStack = new Set<string>();
  private readonly byAddress = new Map<string, TfBlock>();

  /** Problems of override files (an override of a block no other file declares), by file. */
  public readonly problems: { readonly file: string; readonly message: string }[] = [];

  constructor(
    /** The module's directory. */
    public readonly dir: string,
    files: readonly ParsedFile[],
  ) {
    // As Terraform does: the primary files first, then each override file, in name order,
    // merged into what they override.
    const overrides = files.filter((f) => isOverrideFile(f.file));
    for (const f of files) if (!isOverrideFile(f.file)) this.add(f);
    overrides.sort((a, b) => (baseName(a.file) < baseName(b.file) ? -1 : 1));
    for (const f of overrides) this.override(f);
  }

  /**
   * Merges an override file as Terraform does: a resource or data block's arguments replace the
   * original's, a nested block type replaces all the original's blocks of that type (static or
   * dynamic), `lifecycle` merges argument by argument; variables merge by argument; locals
   * replace by name. An override of something no other file declares is an error.
   */
  private override(f: ParsedFile): void {
    const c = f.config;
    for (const kind of ["resource", "data"] as const) {
      for (const group of asList(c[kind])) {
        for (const [type, byName] of Object.entries(group)) {
          for (const named of asList(byName)) {
            for (const [name, bodies] of Object.entries(named)) {
              const addr = address({ kind, type, name });
              for (const body of asList(bodies)) {
                const original = this.byAddress.get(addr);
                if (!original) {
                  this.problems.push({
                    file: f.file,
                    message: `override file declares ${addr}, which no other file of the module declares (Terraform refuses it)`,
                  });
                  continue;
                }
                const merged: TfBlock = { ...original, body: mergeBody(original.body, body) };
                const list = kind === "resource" ? this.resources : this.data;
                list[list.indexOf(original)] = merged;
                this.byAddress.set(addr, merged);
              }
            }
          }
        }
      }
    }
    for (const group of asList(c.variable)) {
      for (const [name, decls] of Object.entries(group)) {
        const decl = asList(decls)[0] ?? {};
        const original = this.variables.get(name);
        if (!original) {
          this.problems.push({
            file: f.file,
            message: `override file declares variable "${name}", which no other file of the module declares (Terraform refuses it)`,
          });
          continue;
        }
        if (Object.prototype.hasOwnProperty.call(decl, "default")) {
          this.variables.set(name, { hasDefault: true, value: decl.default });
        }
      }
    }
    for (const group of asList(c.locals)) {
      for (const [name, value] of Object.entries(group)) this.locals.set(name, value);
    }
  }

  private add(f: ParsedFile): void {
    const c = f.config;
    for (const kind of ["resource", "data"] as const) {
      for (const group of asList(c[kind])) {
        for (const [type, byName] of Object.entries(group)) {
          for (const named of asList(byName)) {
            for (const [name, bodies] of Object.entries(named)) {
              for (const body of asList(bodies)) {
                const block: TfBlock = {
                  kind,
                  type,
                  name,
                  body,
                  file: f.file,
                  line: f.lines(kind, type, name),
                };
                (kind === "resource" ? this.resources : this.data).push(block);
                this.byAddress.set(address(block), block);
              }
            }
          }
        }
      }
    }
    for (const group of asList(c.variable)) {
      for (const [name, decls] of Object.entries(group)) {
        const decl = asList(decls)[0] ?? {};
        this.variables.set(name, {
          hasDefault: Object.prototype.hasOwnProperty.call(decl, "default"),
          value: decl.default,
        });
      }
    }
    for (const group of asList(c.locals)) {
      for (const [name, value] of Object.entries(group)) this.locals.set(name, value);
    }
  }

  /** The block at a `type.name` (resources) or `data.type.name` address. */
  public block(addr: string): TfBlock | undefined {
    return this.byAddress.get(addr);
  }

  /** A local value's raw Terraform JSON value, if defined. */
  public local(name: string): unknown {
    return this.locals.get(name);
  }

  /** Resources of the given types. */
  public resourcesOf(...types: string[]): TfBlock[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /**
   * Evaluates a Terraform JSON value under the given bindings; with a `planTime` (milliseconds
   * since the epoch), `plantimestamp()` and `timestamp()` return that time.
   */
  public eval(raw: unknown, bindings: Bindings = NO_BINDINGS, planTime?: number): unknown {
    // The same argument is read by several rules: without bindings or a plan time its value
    // is the same each time (values are never changed by their readers).
    if (typeof raw === "string" && bindings.size === 0 && planTime === undefined) {
      if (this.evalCache.has(raw)) return this.evalCache.get(raw);
      const v = this.evalNode(toNode(raw), bindings, planTime);
      if (this.localStack.size === 0) this.evalCache.set(raw, v);
      return v;
    }
    return this.evalNode(toNode(raw), bindings, planTime);
  }

  private readonly evalCache = new Map<string, unknown>();

  /** Evaluates an expression tree under the given bindings (and simulated plan time). */
  public evalNode(node: Node, bindings: Bindings = new Map(), planTime?: number): unknown {
    const scope: Scope = {
      resolve: (n: TraversalNode, ev: (n: Node) => unknown) =>
        this.resolve(n, ev, bindings, planTime),
      planTime,
    };
    return evaluate(node, scope);
  }

  private resolve(
    n: TraversalNode,
    ev: (n: Node) => unknown,
    bindings: Bindings,
    planTime: number | undefined,
  ): unknown {
    const rest = (v: unknown, from: number): unknown => applyPath(v, n.path.slice(from), ev);
    const first = typeof n.path[0] === "string" ? n.path[0] : undefined;
    if (bindings.has(n.root)) return rest(bindings.get(n.root), 0);
    switch (n.root) {
      case "var": {
        const decl = first === undefined ? undefined : this.variables.get(first);
        if (!decl) return new Unknown(`var.${first} is not declared in this module`);
        if (!decl.hasDefault) {
          return new Unknown(`var.${first} has no default; its value comes from outside`);
        }
        return rest(decl.value, 1);
      }
      case "local": {
        if (first === undefined || !this.locals.has(first)) {
          return new Unknown(`local.${first} is not defined in this module`);
        }
        if (this.localStack.has(first)) return new Unknown(`local.${first} refers to itself`);
        this.localStack.add(first);
        try {
          return rest(this.eval(this.locals.get(first), bindings, planTime), 1);
        } finally {
          this.localStack.delete(first);
        }
      }
      case "each":
      case "count":
        return new Unknown(`${traversalName(n)} depends on the resource's for_each or count`);
      default: {
        if (SPECIAL_ROOTS.has(n.root)) return new Unknown(`${traversalName(n)}`);
        const why = `${traversalName(n)} is known only at plan or apply time`;
        const origin = originOf(n, ev);
        return origin ? new Unknown(why, false, origin) : new Unknown(why);
      }
    }
  }

  /**
   * The resources and data sources an expression refers to, following locals (variables hold
   * literal defaults, so they refer to nothing). Names bound by `for` expressions, and by the
   * given bindings (dynamic-block iterators), are not references.
   */
  public refs(raw: unknown, bindings?: Bindings): Ref[] {
    const cacheable = typeof raw === "string" && (!bindings || bindings.size === 0);
    if (cacheable) {
      const hit = this.refsCache.get(raw);
      if (hit) return hit;
    }
    const out: Ref[] = [];
    this.collectRefs(toNode(raw), out, new Set(), bindings);
    if (cacheable) this.refsCache.set(raw, out);
    return out;
  }

  private readonly refsCache = new Map<string, Ref[]>();
  private readonly callsCache = new Map<string, Set<string>>();

  private collectRefs(node: Node, out: Ref[], seen: Set<string>, outer?: Bindings): void {
    walk(node, (n, bound) => {
      if (n.t !== "trav" || bound.has(n.root) || outer?.has(n.root)) return;
      if (n.root === "local") {
        const name = n.path[0];
        if (typeof name === "string" && this.locals.has(name) && !seen.has(name)) {
          seen.add(name);
          this.collectRefs(toNode(this.locals.get(name)), out, seen);
        }
        return;
      }
      if (SPECIAL_ROOTS.has(n.root)) return;
      // `resource.<type>.<name>` is the explicit form of `<type>.<name>`.
      if (n.root === "resource") {
        const [type, name] = n.path;
        if (typeof type === "string" && typeof name === "string") {
          out.push({ kind: "resource", type, name, path: skipIndex(n.path.slice(2)) });
        }
        return;
      }
      if (n.root === "data") {
        const [type, name] = n.path;
        if (typeof type === "string" && typeof name === "string") {
          out.push({ kind: "data", type, name, path: skipIndex(n.path.slice(2)) });
        }
        return;
      }
      const name = n.path[0];
      if (typeof name === "string") {
        out.push({ kind: "resource", type: n.root, name, path: skipIndex(n.path.slice(1)) });
      }
    });
  }

  /** Names of the functions an expression calls, following locals. */
  public calls(raw: unknown): Set<string> {
    if (typeof raw === "string") {
      let hit = this.callsCache.get(raw);
      if (!hit) this.callsCache.set(raw, (hit = this.computeCalls(raw)));
      return hit;
    }
    return this.computeCalls(raw);
  }

  private computeCalls(raw: unknown): Set<string> {
    const out = new Set<string>();
    const seen = new Set<string>();
    const visit = (node: Node): void =>
      walk(node, (n) => {
        if (n.t === "call") out.add(n.name);
        if (n.t === "trav" && n.root === "local") {
          const name = n.path[0];
          if (typeof name === "string" && this.locals.has(name) && !seen.has(name)) {
            seen.add(name);
            visit(toNode(this.locals.get(name)));
          }
        }
      });
    visit(toNode(raw));
    return out;
  }

  /** The block a reference points at, if it is in this module. */
  public target(ref: Ref): TfBlock | undefined {
    return this.block(
      ref.kind === "data" ? `data.${ref.type}.${ref.name}` : `${ref.type}.${ref.name}`,
    );
  }
}

/** Drops a leading instance index (`app["k"].id` → `id`). */
function skipIndex(path: readonly (string | Node)[]): (string | Node)[] {
  const out = [...path];
  while (out.length > 0 && typeof out[0] !== "string") out.shift();
  return out;
}

/** A block's Terraform address: `type.name`, or `data.type.name`. */
export function address(b: Pick<TfBlock, "kind" | "type" | "name">): string {
  return b.kind === "data" ? `data.${b.type}.${b.name}` : `${b.type}.${b.name}`;
}

/** The resource attribute a traversal reads, with its keys evaluated (instance keys skipped). */
function originOf(n: TraversalNode, ev: (n: Node) => unknown): Origin | undefined {
  let kind: Origin["kind"] = "resource";
  let type = n.root;
  let at = 0;
  if (n.root === "data" || n.root === "resource") {
    kind = n.root === "data" ? "data" : "resource";
    if (typeof n.path[0] !== "string") return undefined;
    type = n.path[0];
    at = 1;
  }
  const name = n.path[at];
  if (typeof name !== "string") return undefined;
  const path = skipIndex(n.path.slice(at + 1)).map((step) =>
    typeof step === "string" ? step : ev(step),
  );
  return { kind, type, name, path };
}

/** True for Terraform's override files: `override.tf(.json)` and `*_override.tf(.json)`. */
export function isOverrideFile(file: string): boolean {
  const name = baseName(file).replace(/\.tf(\.json)?$/, "");
  return name === "override" || name.endsWith("_override");
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}

/** A nested block type written statically or as `dynamic "<type>"`. */
function dynamicTypes(body: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const d of asList(body.dynamic)) for (const k of Object.keys(d)) out.add(k);
  return out;
}

/** Merges an override block's body into the original's, as Terraform does. */
function mergeBody(
  original: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...original };
  const overriddenDynamic = dynamicTypes(override);
  // A nested block type in the override, static or dynamic, replaces the original's blocks of
  // that type, static and dynamic.
  const replaced = new Set([...Object.keys(override), ...overriddenDynamic]);
  const keptDynamic = asList(original.dynamic)
    .map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !replaced.has(k))))
    .filter((d) => Object.keys(d).length > 0);
  for (const [k, v] of Object.entries(override)) {
    if (k === "dynamic") continue;
    if (k === "lifecycle") {
      const base = asList(original.lifecycle)[0] ?? {};
      const extra = asList(v)[0] ?? {};
      out.lifecycle = [{ ...base, ...extra }];
      continue;
    }
    out[k] = v;
  }
  for (const k of overriddenDynamic) delete out[k];
  const dynamic = [...keptDynamic, ...asList(override.dynamic)];
  if (dynamic.length > 0) out.dynamic = dynamic;
  else delete out.dynamic;
  return out;
}
