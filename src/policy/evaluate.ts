import { reasonProblem } from "../vocabulary/visible-text";
import { readGuarded, readList } from "../read-once";
import { describeValue, escapeText, fail } from "../errors";
import { isGuid, verifiedDomainProblem } from "../identifier-uri";
import { ApiModel, MachineClientModel } from "../model";
import { API_POLICY_RULES, POLICY_RULE_IDS, POLICY_RULES } from "./rules";
import {
  DEFAULT_ORG_POLICY,
  OrgPolicyOptions,
  PolicyContext,
  PolicyFinding,
  PolicyRuleId,
  ResolvedOrgPolicy,
  RuleViolation,
  Suppression,
} from "./types";

const OPTION_KEYS = new Set<string>([
  ...Object.keys(DEFAULT_ORG_POLICY),
  "verifiedDomains",
  "tenantId",
  "now",
]);
const DAY_OPTIONS = [
  "maxSecretValidityDays",
  "maxCertificateValidityDays",
  "privilegedMaxSecretValidityDays",
  "maxGrantsPerClient",
] as const;
const BOOLEAN_OPTIONS = [
  "allowSecrets",
  "requireExplicitOwners",
  "allowPrivilegedWithOtherApis",
] as const;

/**
 * Checks policy options and fills in the defaults over `base`.
 * @param where the caller, for error messages (e.g. `OrgPolicy.of(stack).apply`)
 * @throws MachineClientsError naming the bad option
 */
export function resolveOrgPolicy(
  where: string,
  options: OrgPolicyOptions,
  base: ResolvedOrgPolicy = DEFAULT_ORG_POLICY,
): ResolvedOrgPolicy {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    fail(
      "POLICY_OPTIONS_INVALID",
      where,
      "policy options must be an object",
      options,
      "Pass e.g. { maxSecretValidityDays: 60 }.",
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      fail(
        "POLICY_OPTION_UNKNOWN",
        where,
        `unknown policy option ${describeValue(key)}`,
        key,
        `Use one of: ${[...OPTION_KEYS].join(", ")}.`,
      );
    }
  }
  for (const key of DAY_OPTIONS) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      fail(
        "POLICY_OPTION_INVALID",
        where,
        `${key} must be a whole number, at least 1`,
        v,
        `Use e.g. ${key}: ${DEFAULT_ORG_POLICY[key] === Infinity ? 10 : DEFAULT_ORG_POLICY[key]}.`,
      );
    }
  }
  for (const key of BOOLEAN_OPTIONS) {
    const v = options[key];
    if (v !== undefined && typeof v !== "boolean") {
      fail(
        "POLICY_OPTION_INVALID",
        where,
        `${key} must be true or false`,
        v,
        `Write ${key}: true.`,
      );
    }
  }
  const forbidden: unknown = options.forbiddenScopes;
  if (
    forbidden !== undefined &&
    (!Array.isArray(forbidden) || forbidden.some((s) => typeof s !== "string" || s.length === 0))
  ) {
    fail(
      "POLICY_OPTION_INVALID",
      where,
      "forbiddenScopes must be a list of permission values",
      forbidden,
      'Write e.g. forbiddenScopes: ["orders.admin"].',
    );
  }
  const domains: unknown = options.verifiedDomains;
  if (domains !== undefined) {
    if (!Array.isArray(domains) || domains.length === 0) {
      fail(
        "POLICY_OPTION_INVALID",
        where,
        "verifiedDomains must be a non-empty list of the tenant's verified domains",
        domains,
        'Write e.g. verifiedDomains: ["contoso.com", "contoso.onmicrosoft.com"], or leave it out.',
      );
    }
    for (const d of domains) {
      const problem = verifiedDomainProblem(d);
      if (problem) {
        fail(
          "POLICY_OPTION_INVALID",
          where,
          `verifiedDomains: ${problem}`,
          d,
          'Write e.g. verifiedDomains: ["contoso.com", "contoso.onmicrosoft.com"].',
        );
      }
    }
  }
  if (options.tenantId !== undefined && !isGuid(options.tenantId)) {
    fail(
      "POLICY_OPTION_INVALID",
      where,
      "tenantId must be the tenant's id, a GUID",
      options.tenantId,
      "Copy the Tenant ID from the Entra admin center (Overview), or leave it out.",
    );
  }
  if (
    options.now !== undefined &&
    !(options.now instanceof Date && !isNaN(options.now.getTime()))
  ) {
    fail("POLICY_OPTION_INVALID", where, "now must be a valid Date", options.now, "Leave it out.");
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return Object.freeze({
    ...base,
    ...defined,
    forbiddenScopes: Object.freeze([...(options.forbiddenScopes ?? base.forbiddenScopes)]),
    ...(domains !== undefined
      ? { verifiedDomains: Object.freeze((domains as string[]).map((d) => d.toLowerCase())) }
      : {}),
    ...(options.tenantId !== undefined ? { tenantId: options.tenantId.toLowerCase() } : {}),
  });
}

/** The fewest visible characters a suppression's reason may have (white space and invisible characters do not count). */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;

/**
 * Checks suppressions: known rule ids, reasons of at least {@link MIN_SUPPRESSION_REASON_LENGTH}
 * characters, each rule once.
 * @throws MachineClientsError naming the bad suppression and the fix
 */
export function checkSuppressions(where: string, given: unknown): readonly Suppression[] {
  // Read once: the list copied by index, each suppression's properties copied once.
  const suppressions = readList(where, "suppressions", given);
  if (!Array.isArray(suppressions) || suppressions.length === 0) {
    fail(
      "SUPPRESSIONS_INVALID",
      where,
      "suppressions must be a non-empty list of { id, reason }",
      suppressions,
      'Write e.g. [{ id: "MC-MAX-GRANTS", reason: "legacy batch job, split tracked in OPS-42" }].',
    );
  }
  const seen = new Set<string>();
  return suppressions.map((s: unknown, i) => {
    const at = `${where} › suppressions[${i}]`;
    if (typeof s !== "object" || s === null) {
      fail(
        "SUPPRESSION_INVALID",
        at,
        "a suppression must be { id, reason }",
        s,
        "Write { id, reason }.",
      );
    }
    const { id, reason, ...rest } = readGuarded(at, "the suppression", () => ({
      ...(s as Record<string, unknown>),
    }));
    const extra = Object.keys(rest);
    if (extra.length > 0) {
      fail(
        "SUPPRESSION_INVALID",
        at,
        `unknown property ${describeValue(extra[0])}`,
        extra[0],
        "Write { id, reason }.",
      );
    }
    if (typeof id !== "string" || !(POLICY_RULE_IDS as readonly string[]).includes(id)) {
      fail(
        "SUPPRESSION_UNKNOWN_RULE",
        at,
        "the suppression names no rule of the org policy",
        id,
        `Use one of: ${POLICY_RULE_IDS.join(", ")}.`,
      );
    }
    if (seen.has(id)) {
      fail(
        "SUPPRESSION_DUPLICATE",
        at,
        `rule ${id} is suppressed twice`,
        id,
        "Suppress each rule once.",
      );
    }
    seen.add(id);
    const problem =
      typeof reason !== "string"
        ? `the reason for suppressing ${id} must be text of at least ${MIN_SUPPRESSION_REASON_LENGTH} visible characters`
        : reasonProblem(`the reason for suppressing ${id}`, reason, MIN_SUPPRESSION_REASON_LENGTH);
    if (problem !== undefined) {
      fail(
        "SUPPRESSION_REASON_TOO_SHORT",
        at,
        problem,
        reason,
        "Say why breaking the rule is acceptable here, e.g. with a ticket reference.",
      );
    }
    return Object.freeze({ id: id as PolicyRuleId, reason: (reason as string).trim() });
  });
}

/** A suppression in force on a client, with the path of the construct that declared it. */
export interface EffectiveSuppression extends Suppression {
  /** The construct path the suppression was added on (the client or one of its scopes). */
  readonly declaredAt: string;
}

/**
 * Runs every rule against one client.
 * @param suppressions the suppressions in force on the client (nearest scope first)
 * @param context the APIs declared in the same program
 * @returns every finding, suppressed ones marked with their reason, in rule order
 */
export function evaluateClient(
  client: MachineClientModel,
  policy: ResolvedOrgPolicy,
  suppressions: readonly EffectiveSuppression[] = [],
  context: PolicyContext = { apis: [] },
): PolicyFinding[] {
  return POLICY_RULES.flatMap((rule) =>
    findingsOf(rule, client.path, rule.check(client, policy, context), suppressions),
  );
}

/**
 * Runs every API rule ({@link API_POLICY_RULES}) against one API.
 * @param suppressions the suppressions in force on the API (nearest scope first)
 * @returns every finding, suppressed ones marked with their reason, in rule order
 */
export function evaluateApi(
  api: ApiModel,
  policy: ResolvedOrgPolicy,
  suppressions: readonly EffectiveSuppression[] = [],
): PolicyFinding[] {
  return API_POLICY_RULES.flatMap((rule) =>
    findingsOf(rule, api.path, rule.checkApi(api, policy), suppressions),
  );
}

function findingsOf(
  rule: { readonly id: PolicyRuleId; readonly explanation: string },
  path: string,
  violations: readonly RuleViolation[],
  suppressions: readonly EffectiveSuppression[],
): PolicyFinding[] {
  const suppression = suppressions.find((s) => s.id === rule.id);
  return violations.map((v) => ({
    ruleId: rule.id,
    ...(v.severity === "warning" ? { severity: "warning" as const } : {}),
    path,
    problem: v.problem,
    value: v.value,
    why: rule.explanation,
    fix: v.fix,
    ...(suppression
      ? { suppressed: { reason: suppression.reason, declaredAt: suppression.declaredAt } }
      : {}),
  }));
}

/**
 * Renders a finding as the lines of a synth error: rule id, what (with the value), why, fix.
 * The construct path is left out (cdktf prefixes validation messages with it) unless `withPath`.
 */
export function formatFinding(finding: PolicyFinding, withPath = false): string {
  const head = `${withPath ? `[${escapeText(finding.path)}] ` : ""}${finding.ruleId}${finding.severity === "warning" ? " (warning)" : ""}: ${escapeText(finding.problem)} (got ${describeValue(finding.value)}).`;
  const lines = [
    head,
    `    Why: ${escapeText(finding.why)}`,
    `    Fix: ${escapeText(finding.fix)}`,
  ];
  if (finding.suppressed) {
    lines.push(
      `    Suppressed at ${escapeText(finding.suppressed.declaredAt || "(app)")}: ${escapeText(finding.suppressed.reason)}`,
    );
  }
  return lines.join("\n");
}
