/**
 * The rule catalogue (docs/rules.md): the synth-time policy rules and the `check` rules, rendered
 * from their definitions by `npm run generate:rules`. SARIF's `helpUri` points at each rule's
 * anchor here. test/docs/rules.test.ts fails while the page and the definitions disagree.
 */
import { API_POLICY_RULES, POLICY_RULES } from "../policy/rules";
import { CHECK_RULES } from "./rules";

/** The project's repository (package.json's `repository`). */
export const REPOSITORY_URL = "https://github.com/cdktf-machine-clients/cdktf-machine-clients";

/** The rule catalogue's address in the repository. */
export const RULE_CATALOGUE_URL = `${REPOSITORY_URL}/blob/main/docs/rules.md`;

/** A rule's anchor in the catalogue: its id in lower case (`mcc001`, `mc-secret-validity`). */
export function ruleAnchor(id: string): string {
  return id.toLowerCase();
}

/** The address of a rule's entry in the catalogue. */
export function ruleHelpUri(id: string): string {
  return `${RULE_CATALOGUE_URL}#${ruleAnchor(id)}`;
}

/** One rule as the catalogue shows it. */
interface Entry {
  readonly id: string;
  readonly kind: string;
  readonly severity: string;
  readonly title: string;
  readonly description: string;
  readonly explanation: string;
  readonly fix: string;
  readonly undecidable?: string;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

function policyEntries(): Entry[] {
  return [
    ...POLICY_RULES.map((r) => ({ ...r, kind: "policy (clients)" })),
    ...API_POLICY_RULES.map((r) => ({ ...r, kind: "policy (APIs)" })),
  ].map((r) => ({
    id: r.id,
    kind: r.kind,
    severity: "error",
    title: r.id,
    description: r.info,
    explanation: r.explanation,
    fix: r.fix,
  }));
}

function checkEntries(): Entry[] {
  return CHECK_RULES.map((r) => ({
    id: r.id,
    kind: "check",
    severity: r.severity,
    title: `${r.id} ${r.name}`,
    description: r.description,
    explanation: r.explanation,
    fix: r.fix,
    undecidable: r.undecidable,
  }));
}

function section(e: Entry): string[] {
  return [
    `### <a id="${ruleAnchor(e.id)}"></a>${e.title}`,
    "",
    `**Severity:** ${e.severity}. ${e.description}`,
    "",
    e.explanation,
    "",
    `**Fix:** ${e.fix}`,
    ...(e.undecidable !== undefined ? ["", `**When it cannot decide:** ${e.undecidable}`] : []),
    "",
  ];
}

/** docs/rules.md, as the rule definitions give it. */
export function renderRuleCatalogue(): string {
  const policy = policyEntries();
  const check = checkEntries();
  const row = (e: Entry) =>
    `| [${e.id}](#${ruleAnchor(e.id)}) | ${e.kind} | ${e.severity} | ${cell(e.description)} |`;
  return [
    "# Rule catalogue",
    "",
    "<!-- Generated from the rule definitions by `npm run generate:rules`; do not edit by hand. -->",
    "",
    "Two sets of rules guard machine clients:",
    "",
    "- **Policy rules** (`MC-…`) run at synth on the clients and APIs your program declares, once an",
    "  `OrgPolicy` is applied (the identifier URI rules run always). A finding fails `cdktf synth`;",
    "  what cannot be checked at synth is a warning. Suppress a finding with `Suppressions` and a reason.",
    "- **`check` rules** (`MCC…`) run on any Terraform configuration that uses the azuread provider",
    "  (`cdktf-machine-clients check`), written by this library or not. What a rule cannot decide",
    "  from the configuration is reported as a note naming the expression.",
    "",
    "| Rule | Kind | Severity | What it finds |",
    "| --- | --- | --- | --- |",
    ...policy.map(row),
    ...check.map(row),
    "",
    "## Policy rules",
    "",
    ...policy.flatMap(section),
    "## `check` rules",
    "",
    ...check.flatMap(section),
  ]
    .join("\n")
    .replace(/\n+$/, "\n");
}
