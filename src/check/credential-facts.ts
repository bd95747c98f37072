/**
 * Time and rotation facts of passwords and certificates, for the credential rules (MCC004–MCC008):
 * end dates (literal, relative, from `time_rotating` / `time_offset` / TLS resources, or computed
 * from the plan time at simulated plans), arguments that change on every run, and whether a
 * password is ever replaced before it expires.
 */
import { Node, Unknown, durationHours, isUnknown, parseRfc3339, walk } from "./expr";
import { Bindings, ModuleContext, Ref, asList, toNode } from "./module";
import type { CheckModel, Instance } from "./model";
import { PASSWORD_TYPES } from "./model";

/** Functions whose value changes on every run. */
export const EVERY_RUN = ["timestamp", "plantimestamp", "uuid"];
/** Functions that return the plan (or apply) time, which the checker simulates. */
const PLAN_TIME = ["timestamp", "plantimestamp"];
const DAY_MS = 86_400_000;
/**
 * Simulated plans: one every other day over the next two years from `now` (each change between
 * two of them is then located to the second).
 */
const SAMPLE_STEP_MS = 2 * DAY_MS;
const SAMPLES = 366;
/** Two plans this close together should give the same value, or the argument changes every apply. */
const CLOSE_MS = 60_000;
/** The pairs of close plans: one at every this many-th simulated plan (weekly). */
const CLOSE_EVERY = 4;
const CLOSE_PAIRS = Math.ceil(SAMPLES / CLOSE_EVERY);
/** Functions whose result changes whenever an argument does. */
const KEEPS_CHANGES = new Set([
  "timeadd",
  "tostring",
  "format",
  "sensitive",
  "nonsensitive",
  "md5",
  "sha1",
  "sha256",
  "sha512",
  "base64encode",
  "base64sha256",
  "jsonencode",
  "upper",
  "lower",
  "coalesce",
  "try",
]);
/** Arguments of a password that link it or steer Terraform, and so are no rotation trigger. */
const NOT_TRIGGERS = new Set([
  "application_id",
  "application_object_id",
  "service_principal_id",
  "rotate_when_changed",
  "count",
  "for_each",
  "depends_on",
  "lifecycle",
  "provider",
]);

/** An argument's values at simulated plan times. */
export interface PlanTimeSeries {
  /** The plan times (ms), one every other day from `now`. */
  readonly times: readonly number[];
  /** The values at those times. */
  readonly values: readonly unknown[];
  /** The values as JSON, for comparison. */
  readonly keys: readonly string[];
  /** Whether the value differs between two plans a minute apart at most of the pairs tried (about weekly). */
  readonly everyRun: boolean;
  /** Whether the value changes at all over the two years. */
  readonly changes: boolean;
}

/**
 * How long a credential is valid: days from creation, at the worst simulated plan where one was
 * needed; or an end date that is the creation time of a time resource (already expired).
 */
export type Validity =
  | number
  | { readonly days: number; readonly planTime: number }
  | { readonly createdAt: string }
  | Unknown;

/** Whether and how a password is replaced before it expires. */
export type Rotation =
  /** An argument, or `replace_triggered_by`, follows something that changes. */
  | { readonly kind: "rotates" }
  /** `rotate_when_changed` is listed in `ignore_changes`. */
  | { readonly kind: "trigger-ignored" }
  /** No trigger at all. */
  | { readonly kind: "no-trigger" }
  /** Only `rotate_when_changed` can rotate it: MCC008 judges it. */
  | { readonly kind: "trigger"; readonly trigger: unknown }
  /** Replaced, but its secret text (`value`, azuread v1) is pinned: the same secret again. */
  | { readonly kind: "pinned"; readonly by: string }
  /** Whether its secret text (`value`), or the password itself, ever changes cannot be known. */
  | { readonly kind: "value-unknown"; readonly why: Unknown };

/** A credential's facts, shared by the credential rules. */
export interface Credential {
  /** The credential. */
  readonly at: Instance;
  /** A password (else a certificate). */
  readonly isPassword: boolean;
  /** "password" or "certificate", for messages. */
  readonly noun: string;
  /** The policy maximum for its kind, in days. */
  readonly max: number;
  /** The arguments `lifecycle { ignore_changes }` lists, or "all". */
  readonly ignored: ReadonlySet<string> | "all";
}

/** Credential facts of one module, computed on demand and kept. */
export class CredentialFacts {
  private readonly seriesCache = new Map<unknown, Map<Bindings, PlanTimeSeries | null>>();
  private list?: readonly Credential[];

  constructor(private readonly model: CheckModel) {}

  private get mod(): ModuleContext {
    return this.model.mod;
  }

  /** Every password and certificate instance of the module. */
  public all(): readonly Credential[] {
    this.list ??= this.model.instances
      .filter((i) => PASSWORD_TYPES.includes(i.block.type) || isCertificate(i.block.type))
      .map((at) => {
        const isPassword = PASSWORD_TYPES.includes(at.block.type);
        return {
          at,
          isPassword,
          noun: isPassword ? "password" : "certificate",
          max: isPassword
            ? this.model.options.maxSecretDays
            : this.model.options.maxCertificateDays,
          ignored: ignoredChanges(at.block.body),
        };
      });
    return this.list;
  }

  /** Every password instance of the module. */
  public passwords(): readonly Credential[] {
    return this.all().filter((c) => c.isPassword);
  }

  /**
   * The arguments that change on every run (MCC006), with the function they are built from.
   * Arguments that `lifecycle { ignore_changes }` keeps are left out.
   */
  public everyRunArguments(c: Credential): { attr: string; fn: string; undecided?: Unknown }[] {
    const b = c.at.block.body;
    const out: { attr: string; fn: string; undecided?: Unknown }[] = [];
    for (const attr of ["end_date", "start_date", "rotate_when_changed", "end_date_relative"]) {
      if (b[attr] === undefined || c.ignored === "all" || c.ignored.has(attr)) continue;
      const fn = EVERY_RUN.find((f) => this.mod.calls(b[attr]).has(f));
      if (!fn) continue;
      const series = this.planTimeSeries(b[attr], c.at.bindings);
      // A value keyed on a calendar period of the plan time (floor(unix / period)) stays the same
      // between plans close together: a rotation trigger, not a replacement on every apply.
      if (series) {
        if (series.everyRun) out.push({ attr, fn });
      } else if (fn === "uuid" || this.followsRunTime(toNode(b[attr]), new Set())) {
        // Not evaluable at simulated plans, but the run's time (or a uuid) reaches the value
        // through functions that keep every change of it.
        out.push({ attr, fn });
      } else {
        const why = findUnknown(
          this.mod.eval(b[attr], c.at.bindings, this.model.options.now.getTime()),
        );
        out.push({
          attr,
          fn,
          undecided: new Unknown(
            `it is built from ${fn}() through ${why ? why.why : "an expression the checker does not evaluate"}`,
          ),
        });
      }
    }
    return out;
  }

  /**
   * Whether the run's time reaches a value through functions that keep every change of it
   * (timeadd, format, templates, hashes…), so that the value changes on every run.
   */
  private followsRunTime(node: Node, seen: Set<string>): boolean {
    switch (node.t) {
      case "call":
        if (EVERY_RUN.includes(node.name)) return true;
        return KEEPS_CHANGES.has(node.name) && node.args.some((a) => this.followsRunTime(a, seen));
      case "tmpl":
        return node.parts.some((n) => this.followsRunTime(n, seen));
      case "list":
        return node.items.some((n) => this.followsRunTime(n, seen));
      case "obj":
        return node.entries.some(([, v]) => this.followsRunTime(v, seen));
      case "cond":
        return this.followsRunTime(node.a, seen) || this.followsRunTime(node.b, seen);
      case "trav": {
        const name = node.path[0];
        if (node.root !== "local" || typeof name !== "string" || seen.has(name)) return false;
        seen.add(name);
        return this.followsRunTime(toNode(this.mod.local(name)), seen);
      }
      default:
        return false;
    }
  }

  /** Whether a credential argument is unset: absent, or null (written, or a variable's default). */
  public isUnset(c: Credential, attr: string): boolean {
    const raw = c.at.block.body[attr];
    return raw === undefined || raw === null || this.mod.eval(raw, c.at.bindings) === null;
  }

  /**
   * Why an argument that cannot be evaluated may be null (unset): a conditional with a null
   * branch whose condition is unknown, directly or through locals. Undefined when it cannot be
   * null, or is known.
   */
  public mayBeNull(c: Credential, attr: string): Unknown | undefined {
    const raw = c.at.block.body[attr];
    if (raw === undefined || !isUnknown(this.mod.eval(raw, c.at.bindings))) return undefined;
    const seen = new Set<string>();
    const visit = (node: Node): Unknown | undefined => {
      if (node.t === "lit") return undefined;
      if (node.t === "trav" && node.root === "local" && node.path.length === 1) {
        const name = node.path[0];
        if (typeof name !== "string" || seen.has(name)) return undefined;
        seen.add(name);
        return visit(toNode(this.mod.local(name)));
      }
      if (node.t === "cond") {
        const cond = this.mod.evalNode(node.c, c.at.bindings);
        if (!isUnknown(cond)) return visit(cond ? node.a : node.b);
        const nullBranch = [node.a, node.b].some((n) => n.t === "lit" && n.v === null);
        if (nullBranch)
          return new Unknown(`${attr} is null when ${cond.why.replace(/;.*/, "")} says so`);
        return visit(node.a) ?? visit(node.b);
      }
      if (node.t === "call" && (node.name === "try" || node.name === "coalesce")) {
        const last = node.args[node.args.length - 1];
        if (node.name === "try" && last?.t === "lit" && last.v === null) {
          return new Unknown(`${attr} falls back to null when its first expression fails`);
        }
      }
      return undefined;
    };
    return visit(toNode(raw));
  }

  /** Whether MCC006 reports the end date as changing on every run (so MCC005 need not note it). */
  public endDateChangesEveryRun(c: Credential): boolean {
    return this.everyRunArguments(c).some((a) => a.attr === "end_date" && !a.undecided);
  }

  /**
   * What pins a password's secret text (`value`, which azuread v1 required): a literal, or a
   * random_* whose keepers never change; or why that cannot be known. Undefined when the
   * provider generates the secret (no value) or the value follows something that changes.
   */
  private valuePin(c: Credential): { by: string } | Unknown | undefined {
    const raw = c.at.block.body.value;
    if (raw === undefined || raw === null) return undefined;
    const refs = this.mod.refs(raw, c.at.bindings).filter((r) => r.kind === "resource");
    const changing = refs.filter((r) => !this.isConstantRef(r));
    if (changing.some((r) => r.type.startsWith("random_"))) return undefined;
    if (changing.length > 0) {
      const r = changing[0];
      return new Unknown(`value comes from ${r.type}.${r.name}, which may or may not change`);
    }
    if (refs.length > 0) return { by: `${refs[0].type}.${refs[0].name}.${refs[0].path.join(".")}` };
    const usesVar = usesVariables(this.mod, raw);
    if (usesVar) {
      return new Unknown(`value comes from ${usesVar}, which changes only when someone sets it`);
    }
    const v = this.mod.eval(raw, c.at.bindings);
    if (v === null) return undefined;
    if (isUnknown(v)) return v;
    return { by: "a literal" };
  }

  /** Whether and how a password is replaced before it expires. */
  public rotation(c: Credential): Rotation {
    const found = this.replacement(c);
    if (found.kind !== "rotates") return found;
    // Replaced on schedule, but a pinned value registers the same secret again each time.
    const pin = this.valuePin(c);
    if (pin === undefined) return found;
    if (isUnknown(pin)) return { kind: "value-unknown", why: pin };
    return { kind: "pinned", by: pin.by };
  }

  /** Whether and how a password is replaced, its value aside. */
  private replacement(c: Credential): Rotation {
    const b = c.at.block.body;
    const ignored = c.ignored;
    // Every argument forces a new password, so one that follows a changing resource (end_date =
    // timeadd(time_rotating.x.id, …), value = random_password.x.result) rotates it as well.
    // An argument in lifecycle { ignore_changes } keeps its first value, so it rotates nothing.
    const follows = Object.keys(b).some(
      (attr) =>
        !NOT_TRIGGERS.has(attr) &&
        ignored !== "all" &&
        !ignored.has(attr) &&
        (this.mod
          .refs(b[attr])
          .some(
            (r) =>
              r.kind === "resource" && !r.type.startsWith("azuread_") && !this.isConstantRef(r),
          ) ||
          this.isPeriodic(b[attr], c.at.bindings) ||
          this.changesEveryRun(b[attr], c.at.bindings)),
    );
    if (follows) return { kind: "rotates" };
    // lifecycle { replace_triggered_by = [time_rotating.x.id] } replaces it like a trigger does.
    const replacedBy = asList(b.lifecycle).some((lc) =>
      this.mod
        .refs(lc.replace_triggered_by)
        .some(
          (r) => r.kind === "resource" && !r.type.startsWith("azuread_") && !this.isConstantRef(r),
        ),
    );
    if (replacedBy) return { kind: "rotates" };
    const trigger = b.rotate_when_changed;
    if (trigger !== undefined && (ignored === "all" || ignored.has("rotate_when_changed"))) {
      return { kind: "trigger-ignored" };
    }
    if (trigger === undefined) {
      // An end or start date given from outside may be moved on every deployment (a caller's
      // timeadd of a time_rotating): whether the password is ever replaced is the caller's.
      for (const attr of ["end_date", "start_date", "end_date_relative"]) {
        if (b[attr] === undefined || ignored === "all" || ignored.has(attr)) continue;
        const from = usesVariables(this.mod, b[attr]);
        const unknown = findUnknown(this.mod.eval(b[attr], c.at.bindings));
        if (from && unknown) {
          return {
            kind: "value-unknown",
            why: new Unknown(`${attr} comes from ${from}, and ${unknown.why}`),
          };
        }
      }
      return { kind: "no-trigger" };
    }
    return { kind: "trigger", trigger };
  }

  /**
   * A time_static or random_* whose triggers / keepers are absent, or refer only to Entra objects
   * (whose ids never change) and constants, never changes.
   */
  public isConstantRef(ref: Ref): boolean {
    const b = this.mod.target(ref);
    if (!b) return false;
    const keys =
      ref.type === "time_static"
        ? b.body.triggers
        : ref.type.startsWith("random_")
          ? b.body.keepers
          : false;
    if (keys === false) return false;
    if (keys === undefined) return true;
    if (usesVariables(this.mod, keys) !== undefined) return false;
    if (EVERY_RUN.some((f) => this.mod.calls(keys).has(f))) return false;
    return this.mod
      .refs(keys)
      .every(
        (r) =>
          r.kind === "resource" &&
          r.type.startsWith("azuread_") &&
          ["id", "object_id", "client_id", "application_id"].includes(String(r.path[0])),
      );
  }

  /**
   * An argument's values at simulated plan times (see {@link PlanTimeSeries}); undefined when it
   * does not use the plan time or cannot be evaluated at every one.
   */
  public planTimeSeries(raw: unknown, bindings: Bindings): PlanTimeSeries | undefined {
    const calls = this.mod.calls(raw);
    if (!PLAN_TIME.some((f) => calls.has(f))) return undefined;
    const cached = this.seriesCache.get(raw)?.get(bindings);
    if (cached !== undefined) return cached ?? undefined;
    const series = this.simulate(raw, bindings);
    let byBindings = this.seriesCache.get(raw);
    if (!byBindings) this.seriesCache.set(raw, (byBindings = new Map()));
    byBindings.set(bindings, series ?? null);
    return series;
  }

  private simulate(raw: unknown, bindings: Bindings): PlanTimeSeries | undefined {
    const node = toNode(raw);
    const base = this.model.options.now.getTime();
    const times: number[] = [];
    const values: unknown[] = [];
    const keys: string[] = [];
    let changedSoon = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const t = base + i * SAMPLE_STEP_MS;
      const v = this.mod.evalNode(node, bindings, t);
      if (findUnknown(v)) return undefined;
      const key = JSON.stringify(v);
      if (i % CLOSE_EVERY === 0) {
        const soon = this.mod.evalNode(node, bindings, t + CLOSE_MS);
        if (findUnknown(soon)) return undefined;
        if (JSON.stringify(soon) !== key) changedSoon++;
      }
      times.push(t);
      values.push(v);
      keys.push(key);
    }
    return {
      times,
      values,
      keys,
      everyRun: changedSoon * 2 > CLOSE_PAIRS,
      changes: changedSoon > 0 || keys.some((k) => k !== keys[0]),
    };
  }

  /**
   * Whether a value changes on every run (MCC006 reports it): it replaces the password on every
   * apply, so "never replaced" (MCC007) would contradict it.
   */
  private changesEveryRun(raw: unknown, bindings: Bindings): boolean {
    if (!EVERY_RUN.some((f) => this.mod.calls(raw).has(f))) return false;
    return this.planTimeSeries(raw, bindings)?.everyRun !== false;
  }

  /** Whether an argument follows a calendar period of the plan time (changes, but not every apply). */
  private isPeriodic(raw: unknown, bindings: Bindings): boolean {
    const series = this.planTimeSeries(raw, bindings);
    return series !== undefined && !series.everyRun && series.changes;
  }

  /**
   * The worst-case validity of an end date computed from the plan time: the largest end date −
   * plan time over the simulated plans, each jump of the end date located to the second (the
   * validity is largest just after one).
   */
  private planTimeValidity(
    raw: unknown,
    bindings: Bindings,
  ): { days: number; planTime: number } | Unknown | undefined {
    const series = this.planTimeSeries(raw, bindings);
    if (!series) return undefined;
    const node = toNode(raw);
    const endAt = (i: number): number | Unknown => {
      const end = parseRfc3339(series.values[i]);
      return end ?? new Unknown(`end_date ${JSON.stringify(series.values[i])} is not a date`);
    };
    let worst = { days: -Infinity, planTime: series.times[0] };
    const consider = (end: number, t: number): void => {
      const days = (end - t) / DAY_MS;
      if (days > worst.days) worst = { days, planTime: t };
    };
    for (let i = 0; i < series.times.length; i++) {
      const end = endAt(i);
      if (isUnknown(end)) return end;
      consider(end, series.times[i]);
      if (i === 0 || series.keys[i] === series.keys[i - 1]) continue;
      // The end date jumped between the previous plan and this one: find the first second of it.
      let lo = series.times[i - 1];
      let hi = series.times[i];
      while (hi - lo > 1000) {
        const mid = Math.floor((lo + hi) / 2);
        const v = this.mod.evalNode(node, bindings, mid);
        if (JSON.stringify(v) === series.keys[i - 1]) lo = mid;
        else hi = mid;
      }
      const first = parseRfc3339(this.mod.evalNode(node, bindings, hi));
      if (first !== undefined) consider(first, hi);
    }
    return worst;
  }

  /** How many days from creation the credential's end date lies, or why that cannot be known. */
  public validity(c: Credential): Validity {
    const b = c.at.block.body;
    const bindings = c.at.bindings;
    if (b.end_date_relative !== undefined && b.end_date_relative !== null) {
      const rel = this.mod.eval(b.end_date_relative, bindings);
      if (isUnknown(rel)) return rel;
      const h = durationHours(String(rel));
      return h === undefined
        ? new Unknown(`end_date_relative ${JSON.stringify(rel)} is not a duration`)
        : h / 24;
    }
    const v = this.mod.eval(b.end_date, bindings);
    if (typeof v === "string") {
      const t = Date.parse(v);
      if (Number.isNaN(t)) return new Unknown(`end_date ${JSON.stringify(v)} is not a date`);
      return (t - this.model.options.now.getTime()) / DAY_MS;
    }
    // Computed from the plan time: simulate plans and take the worst case.
    const simulated = this.planTimeValidity(b.end_date, bindings);
    if (simulated !== undefined) return simulated;
    const node = toNode(b.end_date);
    // timeadd(<base>, "<duration>"): the validity is the duration from the base.
    if (node.t === "call" && node.name === "timeadd" && node.args.length === 2) {
      const dur = this.mod.evalNode(node.args[1], bindings);
      if (isUnknown(dur)) return dur;
      const h = durationHours(String(dur));
      if (h === undefined)
        return new Unknown(`timeadd's duration ${JSON.stringify(dur)} is not a duration`);
      const base = this.timeOf(this.mod.evalNode(node.args[0], bindings));
      if (isUnknown(base)) return base;
      return h / 24 + base.days;
    }
    // time_rotating.x.rotation_rfc3339 / time_offset.x.rfc3339: the rotation period or offset;
    // time_rotating.x.id / time_static.x.rfc3339: their creation time, so already expired.
    const at = this.timeOf(v);
    if (isUnknown(at)) return at;
    return at.createdAt !== undefined ? { createdAt: at.createdAt } : at.days;
  }

  /**
   * Where a time attribute of a time resource lies, in days after the credential's creation:
   * the creation time of a time_rotating / time_static (0, and `createdAt` names it), the next
   * rotation of a time_rotating, a time_offset's offset, a TLS certificate's validity end.
   */
  private timeOf(value: unknown): { days: number; createdAt?: string } | Unknown {
    if (!isUnknown(value)) return new Unknown(`end_date is ${JSON.stringify(value)}`);
    const o = value.origin;
    if (!o || o.kind !== "resource") return value;
    const attr = o.path[0];
    const r = this.mod.block(`${o.type}.${o.name}`);
    const what = `${o.type}.${o.name}.${String(attr)}`;
    const sum = (parts: [string, number][]): number | Unknown => {
      if (!r) return new Unknown(`${o.type}.${o.name} is not declared in this module`);
      let total = 0;
      for (const [k, per] of parts) {
        if (r.body[k] === undefined) continue;
        const n = this.mod.eval(r.body[k]);
        if (isUnknown(n)) return new Unknown(`${o.type}.${o.name}'s ${k}: ${n.why}`);
        if (typeof n !== "number") {
          return new Unknown(`${o.type}.${o.name}'s ${k} is ${JSON.stringify(n)}`);
        }
        total += n * per;
      }
      return total;
    };
    const created = (): { days: number; createdAt: string } => ({ days: 0, createdAt: what });
    if (o.type === "time_rotating") {
      if (attr === "id" || attr === "rfc3339" || attr === "unix") return created();
      if (attr === "rotation_rfc3339") {
        const d = sum([
          ["rotation_days", 1],
          ["rotation_months", 31],
          ["rotation_years", 366],
          ["rotation_hours", 1 / 24],
          ["rotation_minutes", 1 / 1440],
        ]);
        return isUnknown(d) ? d : { days: d };
      }
    }
    if (o.type === "time_static" && (attr === "id" || attr === "rfc3339" || attr === "unix")) {
      return created();
    }
    if (o.type === "time_offset" && (attr === "rfc3339" || attr === "id")) {
      const d = sum([
        ["offset_days", 1],
        ["offset_months", 31],
        ["offset_years", 366],
        ["offset_hours", 1 / 24],
        ["offset_minutes", 1 / 1440],
        ["offset_seconds", 1 / 86400],
      ]);
      return isUnknown(d) ? d : { days: d };
    }
    if (
      (o.type === "tls_self_signed_cert" || o.type === "tls_locally_signed_cert") &&
      attr === "validity_end_time"
    ) {
      const d = sum([["validity_period_hours", 1 / 24]]);
      return isUnknown(d) ? d : { days: d };
    }
    return new Unknown(`${what} is known only at apply time`);
  }
}

function isCertificate(type: string): boolean {
  return (
    type === "azuread_application_certificate" || type === "azuread_service_principal_certificate"
  );
}

/** The attributes a resource's `lifecycle { ignore_changes }` lists, or "all". */
export function ignoredChanges(body: Record<string, unknown>): Set<string> | "all" {
  const out = new Set<string>();
  for (const lc of asList(body.lifecycle)) {
    const ic = lc.ignore_changes;
    const names = (Array.isArray(ic) ? ic : [ic]).map((x) =>
      typeof x === "string" ? x.replace(/^\$\{\s*|\s*\}$/g, "") : "",
    );
    if (names.includes("all")) return "all";
    names.forEach((n) => out.add(n));
  }
  return out;
}

/** The first variable an expression uses (following locals), for messages. */
export function usesVariables(
  mod: ModuleContext,
  raw: unknown,
  seen: Set<string> = new Set(),
): string | undefined {
  let found: string | undefined;
  walk(toNode(raw), (n) => {
    if (found || n.t !== "trav") return;
    if (n.root === "var" && typeof n.path[0] === "string") found = `var.${n.path[0]}`;
    const name = n.path[0];
    if (n.root === "local" && typeof name === "string" && !seen.has(name)) {
      seen.add(name);
      found = usesVariables(mod, mod.local(name), seen);
    }
  });
  return found;
}

/** The first unknown inside a value (itself, or an element or member), if any. */
export function findUnknown(v: unknown): Unknown | undefined {
  if (isUnknown(v)) return v;
  if (Array.isArray(v)) return v.map(findUnknown).find((u) => u !== undefined);
  if (typeof v === "object" && v !== null) {
    return Object.values(v)
      .map(findUnknown)
      .find((u) => u !== undefined);
  }
  return undefined;
}
