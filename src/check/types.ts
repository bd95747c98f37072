/**
 * The shapes `check` shares between its model, its rules and its formats. A rule is a small
 * object in the style of `src/policy/` (and cdk-nag): a stable id, a name, a severity, what it
 * finds and why, the usual fix, and a function over the module model.
 */
import type { CheckModel, Instance } from "./model";

/** How serious a finding is; SARIF's levels. */
export type Severity = "error" | "warning" | "note";

/** One finding of `check`. */
export interface Finding {
  /** The rule's stable id, e.g. `MCC001`. */
  readonly ruleId: string;
  /** `error` and `warning` for definite findings; `note` where a value cannot be known statically. */
  readonly severity: Severity;
  /** The file, as given (relative to the working directory where the input was relative). */
  readonly file: string;
  /** The 1-based line of the resource block, where it could be located. */
  readonly line?: number;
  /** The resource's Terraform address, e.g. `azuread_application_password.ci`. */
  readonly address: string;
  /** What is wrong, with the values involved. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A rule's description, for `--help`, SARIF's `tool.driver.rules` and docs/check.md. */
export interface RuleInfo {
  /** The stable id, e.g. `MCC001`. Ids never change and are never reused. */
  readonly id: string;
  /** A short PascalCase name. */
  readonly name: string;
  /** The severity of a definite finding (values that cannot be known give `note`). */
  readonly severity: Severity;
  /** What the rule finds, in one sentence (SARIF's `shortDescription`). */
  readonly description: string;
  /** Why it matters and what counts, in a few sentences (SARIF's `fullDescription`). */
  readonly explanation: string;
  /** The usual fix (SARIF's `help`; a finding's own fix may be more precise). */
  readonly fix: string;
  /** What the rule cannot always decide, and how it says so (a note naming the expression). */
  readonly undecidable: string;
}

/** One result of a rule on one resource instance; the runner adds the rule id, file and line. */
export interface RuleResult {
  /** The resource instance the result is about. */
  readonly at: Instance;
  /** The severity of this result. */
  readonly severity: Severity;
  /** What is wrong, with the values involved. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A rule of `check`: a {@link RuleInfo} and a function over one module's model. */
export interface CheckRule extends RuleInfo {
  /** Every result of the rule on one module (empty when it finds nothing and can decide everything). */
  check(model: CheckModel): readonly RuleResult[];
}

/** Options of the rules. */
export interface RuleOptions {
  /** Policy maximum for passwords, in days. */
  readonly maxSecretDays: number;
  /** Policy maximum for certificates, in days. */
  readonly maxCertificateDays: number;
  /** "Now", for literal end dates and as the first simulated plan time. */
  readonly now: Date;
  /**
   * Justified privileged grants declared beside the module (this library's machine-clients.json):
   * a Graph tier-0 permission granted with a recorded justification is reported as a warning that
   * quotes it, not as an error.
   * @default none
   */
  readonly justifiedGrants?: readonly JustifiedGrant[];
  /**
   * The tenant's verified domains, for identifier URIs (MCC013).
   * @default not known: a domain-based identifier URI gives a note
   */
  readonly verifiedDomains?: readonly string[];
  /**
   * The tenant's id, for literal `api://{tenantId}/…` identifier URIs (MCC013).
   * @default not known: a literal tenant id gives a note
   */
  readonly tenantId?: string;
}

/** A privileged grant with its justification, as the library's manifest records it. */
export interface JustifiedGrant {
  /** The client's construct path (resources under it carry it in their `//` metadata). */
  readonly clientPath: string;
  /** The API's identifier URI. */
  readonly identifierUri: string;
  /** The permission. */
  readonly scope: string;
  /** Why the client holds it. */
  readonly justification: string;
}
