import { Annotations, DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { isList, readDate, readList, readRecord } from "../read-once";
import { fail } from "../errors";
import { ApiModel, MachineClientModel } from "../model";
import {
  DEFAULT_ORG_POLICY,
  evaluateApi,
  evaluateClient,
  formatFinding,
  OrgPolicyOptions,
  PolicyFinding,
  resolveOrgPolicy,
  ResolvedOrgPolicy,
} from "../policy";
import { Suppressions } from "./suppressions";

/** A construct the org policy checks: it declares a {@link MachineClientModel}. */
export interface IPolicySubject extends IConstruct {
  /** The construct as declared. */
  toModel(): MachineClientModel;
}

/** An API whose declared roles the org policy compares grants against. */
export interface IPolicyApi extends IConstruct {
  /** The API as declared. */
  toApiModel(): ApiModel;
}

const POLICIES = new WeakMap<IConstruct, OrgPolicy>();
const SUBJECTS = new WeakSet<IConstruct>();
/** APIs checked by the API rules, with their declared model (fixed at construction). */
const API_SUBJECTS = new WeakMap<IConstruct, ApiModel>();
/** The APIs of each app (by root construct), registered as they are constructed. */
const APIS_BY_ROOT = new WeakMap<IConstruct, Set<IPolicyApi>>();
const ANNOTATED = new WeakMap<IConstruct, Set<string>>();

/**
 * The org's rules for machine clients, applied to an app, a stack or any other scope. Every
 * `MachineClient` at or under the scope is checked when the stack is synthesized (cdktf node
 * validations): each broken rule is listed with its rule id, the client's construct path, what is
 * wrong, why the rule exists and the fix, and `cdktf synth` fails with all of them at once.
 *
 * Policies at several levels merge, option by option, the nearest scope winning: an app-wide
 * policy with a stricter or looser stack policy on top. Unset options keep their defaults.
 *
 * The API rules (identifier URIs: `MC-IDENTIFIER-URI-*`) check every `ProtectedApi` and
 * `ExistingApi` even where no policy was applied, under the defaults: they report at synth what
 * Entra would refuse at apply. Their warnings (what could not be checked) never fail synth.
 *
 * @example
 * OrgPolicy.of(app).apply({ maxSecretValidityDays: 60, requireExplicitOwners: true });
 */
export class OrgPolicy {
  /**
   * The policy of `scope` (created on first use; it checks nothing until {@link OrgPolicy.apply} is called).
   * @throws MachineClientsError when `scope` is not a construct
   */
  public static of(scope: IConstruct): OrgPolicy {
    if (!Construct.isConstruct(scope)) {
      fail(
        "POLICY_SCOPE_INVALID",
        "OrgPolicy.of",
        "an org policy applies to a construct (an app, a stack, …)",
        scope,
        "Pass the App or a TerraformStack.",
      );
    }
    let policy = POLICIES.get(scope);
    if (!policy) {
      policy = new OrgPolicy(scope);
      POLICIES.set(scope, policy);
    }
    return policy;
  }

  /**
   * The policy in force on `construct`: the defaults, overridden by the options applied on each
   * of its scopes from the root down; `undefined` when no policy was applied above it.
   */
  public static effectiveFor(construct: IConstruct): ResolvedOrgPolicy | undefined {
    let resolved: ResolvedOrgPolicy | undefined;
    for (const scope of construct.node.scopes) {
      const options = POLICIES.get(scope)?.applied;
      if (options)
        resolved = resolveOrgPolicy("OrgPolicy", options, resolved ?? DEFAULT_ORG_POLICY);
    }
    return resolved;
  }

  /** The scope the policy applies to. */
  public readonly scope: IConstruct;
  private applied?: OrgPolicyOptions;

  private constructor(scope: IConstruct) {
    this.scope = scope;
  }

  /**
   * Applies (or extends) the policy with `options`; options not given keep their defaults (or
   * the values of an earlier `apply` on the same scope).
   * @throws MachineClientsError for unknown options or invalid values
   */
  public apply(options: OrgPolicyOptions = {}): this {
    const where = `OrgPolicy.of(${this.scope.node.path || "app"}).apply`;
    // Options are read once, lists copied, and the copy is what is checked and kept: changing
    // the caller's array (or a getter answering differently) afterwards changes nothing.
    // A getter or Proxy trap that throws is reported as a MachineClientsError naming the option.
    const copy = copyOptions(where, options);
    resolveOrgPolicy(where, copy);
    this.applied = Object.freeze({ ...(this.applied ?? {}), ...copy });
    return this;
  }

  /**
   * Evaluates every machine client at or under the scope now, each under its own effective policy.
   * @returns every finding, suppressed ones included (with their reason), by construct path
   */
  public findings(): PolicyFinding[] {
    return this.scope.node.findAll().flatMap((c) => findingsOf(c));
  }

  /**
   * The findings as text, one block per finding with its construct path, suppressed ones marked:
   * for pipelines that want the full list across all stacks before synth.
   */
  public report(): string {
    const findings = this.findings();
    if (findings.length === 0) return "No org policy findings.";
    const open = findings.filter((f) => !f.suppressed).length;
    return [
      `${findings.length} org policy finding(s), ${open} not suppressed:`,
      ...findings.map((f) => formatFinding(f, true)),
    ].join("\n");
  }
}

/** `options` read once: each own option once, lists copied by index, a `Date` copied. */
function copyOptions(where: string, options: unknown): OrgPolicyOptions {
  if (typeof options !== "object" || options === null || isList(where, "options", options)) {
    return options as OrgPolicyOptions;
  }
  const record = readRecord(where, "options", options) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [
      k,
      readDate(where, `options.${k}`, readList(where, `options.${k}`, v)),
    ]),
  );
}

function findingsOf(construct: IConstruct): PolicyFinding[] {
  const api = API_SUBJECTS.get(construct);
  if (api) {
    const policy = OrgPolicy.effectiveFor(construct) ?? DEFAULT_ORG_POLICY;
    return evaluateApi(resolvedUri(construct, api), policy, Suppressions.applyingTo(construct));
  }
  if (!SUBJECTS.has(construct)) return [];
  const policy = OrgPolicy.effectiveFor(construct);
  if (!policy) return [];
  const subject = construct as IPolicySubject;
  const apis = [...(APIS_BY_ROOT.get(subject.node.root) ?? [])].map((a) => a.toApiModel());
  return evaluateClient(subject.toModel(), policy, Suppressions.applyingTo(subject), { apis });
}

/**
 * Registers an API whose roles the org policy compares grants against (rule
 * MC-RETIRED-PERMISSION): called by `ProtectedApi`'s constructor.
 */
export function registerPolicyApi(api: IPolicyApi): void {
  const root = api.node.root;
  let apis = APIS_BY_ROOT.get(root);
  if (!apis) {
    apis = new Set();
    APIS_BY_ROOT.set(root, apis);
  }
  apis.add(api);
}

/**
 * An API model whose identifier URI was a token that resolves to a plain string (e.g.
 * `Token.asString("api://orders")`, a `Lazy` value): the string, checked like a literal. A URI
 * that stays a Terraform reference (the default, `tenantScopedUri`) is left as it is.
 */
function resolvedUri(construct: IConstruct, api: ApiModel): ApiModel {
  if (api.identifierUriSource !== "token") return api;
  let value: unknown;
  try {
    value = Tokenization.resolve(api.identifierUri, {
      scope: construct,
      resolver: new DefaultTokenResolver(new StringConcat()),
      preparing: false,
    });
  } catch {
    return api;
  }
  if (typeof value !== "string" || value.includes("${")) return api;
  return { ...api, identifierUri: value, identifierUriSource: "literal" };
}

/**
 * Registers a construct to be checked by the org policy in force above it: called by
 * `MachineClient`'s constructor. Adds one node validation that returns the unsuppressed findings
 * and reports suppressed ones as warnings.
 */
export function registerPolicySubject(subject: IPolicySubject): void {
  SUBJECTS.add(subject);
  addPolicyValidation(subject);
}

/**
 * Registers an API (`ProtectedApi`, `ExistingApi`) for the API rules, with its declared model.
 * Adds one node validation: errors fail synth, warnings and suppressed errors are reported as
 * warnings, suppressed warnings are silent (they stay in `OrgPolicy.findings()`).
 */
export function registerApiPolicySubject(api: IConstruct, model: ApiModel): void {
  API_SUBJECTS.set(api, Object.freeze({ ...model }));
  addPolicyValidation(api);
}

function addPolicyValidation(subject: IConstruct): void {
  subject.node.addValidation({
    validate: () => {
      const findings = findingsOf(subject);
      const done = ANNOTATED.get(subject) ?? new Set<string>();
      ANNOTATED.set(subject, done);
      const warn = (message: string) => {
        if (done.has(message)) return;
        done.add(message);
        Annotations.of(subject).addWarning(message);
      };
      for (const f of findings) {
        if (f.suppressed && f.severity !== "warning") warn(`[suppressed] ${formatFinding(f)}`);
        else if (!f.suppressed && f.severity === "warning") warn(formatFinding(f));
      }
      return findings
        .filter((f) => !f.suppressed && f.severity !== "warning")
        .map((f) => formatFinding(f));
    },
  });
}

// Its statics cannot be replaced (e.g. to skip a check for the whole process).
Object.freeze(OrgPolicy);
Object.freeze(OrgPolicy.prototype);
