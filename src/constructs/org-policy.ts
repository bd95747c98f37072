import { Annotations } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { fail } from "../errors";
import { ApiModel, MachineClientModel } from "../model";
import {
  DEFAULT_ORG_POLICY,
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
 * @example
 * OrgPolicy.of(app).apply({ maxSecretValidityDays: 60, requireExplicitOwners: true });
 */
export class OrgPolicy {
  /**
   * The policy of `scope` (created on first use; it checks nothing until {@link apply} is called).
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
    resolveOrgPolicy(where, options);
    this.applied = Object.freeze({ ...(this.applied ?? {}), ...options });
    return this;
  }

  /**
   * Evaluates every machine client at or under the scope now, each under its own effective policy.
   * @returns every finding, suppressed ones included (with their reason), by construct path
   */
  public findings(): PolicyFinding[] {
    return this.scope.node
      .findAll()
      .filter((c): c is IPolicySubject => SUBJECTS.has(c))
      .flatMap((c) => findingsOf(c));
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

function findingsOf(subject: IPolicySubject): PolicyFinding[] {
  const policy = OrgPolicy.effectiveFor(subject);
  if (!policy) return [];
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
 * Registers a construct to be checked by the org policy in force above it: called by
 * `MachineClient`'s constructor. Adds one node validation that returns the unsuppressed findings
 * and reports suppressed ones as warnings.
 */
export function registerPolicySubject(subject: IPolicySubject): void {
  SUBJECTS.add(subject);
  subject.node.addValidation({
    validate: () => {
      const findings = findingsOf(subject);
      const done = ANNOTATED.get(subject) ?? new Set<string>();
      ANNOTATED.set(subject, done);
      for (const f of findings.filter((x) => x.suppressed)) {
        const message = `[suppressed] ${formatFinding(f)}`;
        if (!done.has(message)) {
          done.add(message);
          Annotations.of(subject).addWarning(message);
        }
      }
      return findings.filter((f) => !f.suppressed).map((f) => formatFinding(f));
    },
  });
}
