import { ApiModel, MachineClientModel } from "../model";

/**
 * The organisation's rules for machine clients. Every property is optional; leave one out to get
 * its documented default. Applied with `OrgPolicy.of(appOrStack).apply(options)`.
 */
export interface OrgPolicyOptions {
  /**
   * The longest a client secret may stay valid, in days (rule `MC-SECRET-VALIDITY`).
   * @default 90
   */
  readonly maxSecretValidityDays?: number;
  /**
   * The longest a client certificate may stay valid, in days (rule `MC-CERT-VALIDITY`).
   * @default 365
   */
  readonly maxCertificateValidityDays?: number;
  /**
   * Whether clients may hold client secrets at all; `false` allows only federated and certificate
   * credentials (rule `MC-SECRETS-NOT-ALLOWED`).
   * @default true
   */
  readonly allowSecrets?: boolean;
  /**
   * Whether every client must name its owners instead of defaulting to the deploying principal
   * (rule `MC-EXPLICIT-OWNERS`).
   * @default false
   */
  readonly requireExplicitOwners?: boolean;
  /**
   * The longest a secret of a client holding a privileged grant may stay valid, in days
   * (rule `MC-PRIVILEGED-SECRET-VALIDITY`).
   * @default 30
   */
  readonly privilegedMaxSecretValidityDays?: number;
  /**
   * Whether a client holding a privileged grant may also hold non-privileged grants on other APIs
   * (rule `MC-PRIVILEGED-ISOLATION`).
   * @default false
   */
  readonly allowPrivilegedWithOtherApis?: boolean;
  /**
   * The most grants one client may hold (rule `MC-MAX-GRANTS`).
   * @default no limit
   */
  readonly maxGrantsPerClient?: number;
  /**
   * Permission values no client may be granted, on any API, compared ignoring case
   * (rule `MC-FORBIDDEN-SCOPE`).
   * @default none
   */
  readonly forbiddenScopes?: readonly string[];
  /**
   * The tenant's verified domains (custom domains and the initial `<tenant>.onmicrosoft.com`
   * domain), compared ignoring case. An `https://` or domain-based `api://` identifier URI must be
   * on one of them or a subdomain (rule `MC-IDENTIFIER-URI-DOMAIN`): Entra refuses others at apply.
   * A nearer policy's list replaces an outer one.
   * @default not declared: such URIs get a warning that their domain could not be checked
   */
  readonly verifiedDomains?: readonly string[];
  /**
   * The tenant's id (a GUID). A literal `api://{tenantId}/…` identifier URI must carry it (rule
   * `MC-IDENTIFIER-URI-TENANT`).
   * @default not declared: such URIs get a warning that their tenant id could not be checked
   */
  readonly tenantId?: string;
  /**
   * The date against which certificate end dates are measured. For tests; leave it out.
   * @default the time of the check
   */
  readonly now?: Date;
}

/** {@link OrgPolicyOptions} with every default filled in. */
export interface ResolvedOrgPolicy {
  /** See {@link OrgPolicyOptions.maxSecretValidityDays}. */
  readonly maxSecretValidityDays: number;
  /** See {@link OrgPolicyOptions.maxCertificateValidityDays}. */
  readonly maxCertificateValidityDays: number;
  /** See {@link OrgPolicyOptions.allowSecrets}. */
  readonly allowSecrets: boolean;
  /** See {@link OrgPolicyOptions.requireExplicitOwners}. */
  readonly requireExplicitOwners: boolean;
  /** See {@link OrgPolicyOptions.privilegedMaxSecretValidityDays}. */
  readonly privilegedMaxSecretValidityDays: number;
  /** See {@link OrgPolicyOptions.allowPrivilegedWithOtherApis}. */
  readonly allowPrivilegedWithOtherApis: boolean;
  /** See {@link OrgPolicyOptions.maxGrantsPerClient}; `Infinity` when there is no limit. */
  readonly maxGrantsPerClient: number;
  /** See {@link OrgPolicyOptions.forbiddenScopes}. */
  readonly forbiddenScopes: readonly string[];
  /** See {@link OrgPolicyOptions.verifiedDomains}: lower case; `undefined` when not declared. */
  readonly verifiedDomains?: readonly string[];
  /** See {@link OrgPolicyOptions.tenantId}: lower case; `undefined` when not declared. */
  readonly tenantId?: string;
  /** See {@link OrgPolicyOptions.now}; `undefined` means the time of the check. */
  readonly now?: Date;
}

/** The defaults of {@link OrgPolicyOptions}. */
export const DEFAULT_ORG_POLICY: ResolvedOrgPolicy = Object.freeze({
  maxSecretValidityDays: 90,
  maxCertificateValidityDays: 365,
  allowSecrets: true,
  requireExplicitOwners: false,
  privilegedMaxSecretValidityDays: 30,
  allowPrivilegedWithOtherApis: false,
  maxGrantsPerClient: Infinity,
  forbiddenScopes: Object.freeze([]) as readonly string[],
});

/** One way a client breaks a rule: what is wrong, the value found and how to fix it. */
export interface RuleViolation {
  /** What is wrong, in one sentence. */
  readonly problem: string;
  /** The value found. */
  readonly value: unknown;
  /** How to fix it. */
  readonly fix: string;
  /**
   * `warning` for what could not be checked (it does not fail synth).
   * @default "error"
   */
  readonly severity?: PolicySeverity;
}

/** How serious a finding is: an `error` fails synth, a `warning` is reported. */
export type PolicySeverity = "error" | "warning";

/** The stable ids of the org policy's rules; a suppression naming another id does not compile. */
export type PolicyRuleId =
  | "MC-SECRETS-NOT-ALLOWED"
  | "MC-SECRET-VALIDITY"
  | "MC-CERT-VALIDITY"
  | "MC-PRIVILEGED-JUSTIFICATION"
  | "MC-PRIVILEGED-SECRET-VALIDITY"
  | "MC-PRIVILEGED-ISOLATION"
  | "MC-FORBIDDEN-SCOPE"
  | "MC-MAX-GRANTS"
  | "MC-EXPLICIT-OWNERS"
  | "MC-IDENTIFIER-URI-PATTERN"
  | "MC-IDENTIFIER-URI-DOMAIN"
  | "MC-IDENTIFIER-URI-TENANT"
  | "MC-RETIRED-PERMISSION";

/** What a rule may know beyond the client: the APIs declared in the same program. */
export interface PolicyContext {
  /** Every API of the app (its `ProtectedApi`s), as declared. */
  readonly apis: readonly ApiModel[];
}

/** A rule of the org policy (cdk-nag style: a stable id, an info line and an explanation). */
export interface PolicyRule {
  /** The stable rule id, e.g. `MC-SECRET-VALIDITY`; suppressions name it. */
  readonly id: PolicyRuleId;
  /** What the rule requires, in a few words. */
  readonly info: string;
  /** Why the rule exists, in one sentence. */
  readonly explanation: string;
  /** The usual fix, in a sentence or two (the rule catalogue's help; a finding's own fix is more precise). */
  readonly fix: string;
  /**
   * Checks one client; returns one violation per problem found (empty when compliant).
   * @param context the APIs declared in the same program, for rules that compare against them
   */
  check(
    client: MachineClientModel,
    policy: ResolvedOrgPolicy,
    context?: PolicyContext,
  ): readonly RuleViolation[];
}

/**
 * A rule of the org policy about an API (`ProtectedApi`, `ExistingApi`) rather than a client. API
 * rules run under the defaults too, where no policy was applied: they report what Entra would
 * refuse at apply.
 */
export interface ApiPolicyRule {
  /** The stable rule id; suppressions name it. */
  readonly id: PolicyRuleId;
  /** What the rule requires, in a few words. */
  readonly info: string;
  /** Why the rule exists, in one sentence. */
  readonly explanation: string;
  /** The usual fix, in a sentence or two (the rule catalogue's help; a finding's own fix is more precise). */
  readonly fix: string;
  /** Checks one API; returns one violation per problem found (empty when compliant). */
  checkApi(api: ApiModel, policy: ResolvedOrgPolicy): readonly RuleViolation[];
}

/** A suppression of one rule on a construct and everything under it. */
export interface Suppression {
  /** The rule id, e.g. `MC-SECRET-VALIDITY`. */
  readonly id: PolicyRuleId;
  /** Why breaking the rule is acceptable here: at least 10 characters, reported with the finding. */
  readonly reason: string;
}

/** One rule broken by one client, as reported by the org policy. */
export interface PolicyFinding {
  /** The rule id. */
  readonly ruleId: PolicyRuleId;
  /**
   * `warning` for what could not be checked: reported, never fails synth.
   * @default "error" (absent)
   */
  readonly severity?: "warning";
  /** The construct path of the client (or, for API rules, the API). */
  readonly path: string;
  /** What is wrong. */
  readonly problem: string;
  /** The value found. */
  readonly value: unknown;
  /** Why the rule exists. */
  readonly why: string;
  /** How to fix it. */
  readonly fix: string;
  /** Present when the finding is suppressed: the suppression's reason and where it was declared. */
  readonly suppressed?: { readonly reason: string; readonly declaredAt: string };
}
