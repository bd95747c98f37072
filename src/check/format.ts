/**
 * Output formats of `check`: `text` for people, `json` for scripts, `sarif` (SARIF 2.1.0) for
 * code-scanning upload.
 */
import * as path from "node:path";
import { CheckResult } from "./index";
import { CHECK_RULES as RULES } from "./rules";
import { REPOSITORY_URL, ruleHelpUri } from "./rule-catalogue";
import { Finding, RuleInfo, Severity } from "./types";

/** The formats `check` writes. */
export type CheckFormat = "text" | "json" | "sarif";

/** Severities from most to least serious. */
export const SEVERITIES: readonly Severity[] = ["error", "warning", "note"];

/** Counts of findings by severity. */
export function summarize(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Renders a result for people: one block per finding, then a summary line. */
export function formatText(result: CheckResult, cwd: string): string {
  const lines: string[] = [];
  for (const e of result.errors) {
    lines.push(`${display(e.file, cwd)}: error: cannot parse this file: ${e.message}`, "");
  }
  for (const f of result.findings) {
    const where = `${display(f.file, cwd)}${f.line !== undefined ? `:${f.line}` : ""}`;
    lines.push(`${where}: ${f.severity} ${f.ruleId} ${f.address}`);
    lines.push(`  ${f.message}`);
    lines.push(`  fix: ${f.fix}`);
    lines.push("");
  }
  const s = summarize(result.findings);
  const parts = [plural(s.error, "error"), plural(s.warning, "warning"), plural(s.note, "note")];
  let summary = `${parts.join(", ")} in ${plural(result.files.length, "file")}`;
  if (result.errors.length > 0) {
    summary += `; ${plural(result.errors.length, "file")} could not be parsed`;
  }
  lines.push(summary);
  return lines.join("\n") + "\n";
}

/** Renders a result as JSON: findings, parse errors and counts. */
export function formatJson(result: CheckResult, cwd: string): string {
  return (
    JSON.stringify(
      {
        files: result.files.length,
        summary: summarize(result.findings),
        findings: result.findings.map((f) => ({ ...f, file: display(f.file, cwd) })),
        errors: result.errors.map((e) => ({ ...e, file: display(e.file, cwd) })),
      },
      null,
      2,
    ) + "\n"
  );
}

/** The SARIF 2.1.0 schema's address. */
export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** Renders a result as a SARIF 2.1.0 log with one run. */
export function formatSarif(result: CheckResult, cwd: string, version: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const location = (file: string, line: number | undefined): object => ({
    physicalLocation: {
      artifactLocation: { uri: toUri(file, cwd) },
      // SARIF consumers need a start line; where the block could not be located, line 1.
      region: { startLine: line ?? 1 },
    },
  });
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "cdktf-machine-clients",
            version,
            informationUri: `${REPOSITORY_URL}/blob/main/README.md`,
            rules: RULES.map(sarifRule),
          },
        },
        invocations: [
          {
            executionSuccessful: result.errors.length === 0,
            toolExecutionNotifications: result.errors.map((e) => ({
              level: "error",
              message: { text: `Cannot parse this file: ${e.message}` },
              locations: [location(e.file, undefined)],
            })),
          },
        ],
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: ruleIndex.get(f.ruleId),
          level: f.severity,
          message: { text: `${f.message} Fix: ${f.fix}` },
          locations: [
            {
              ...location(f.file, f.line),
              logicalLocations: [{ fullyQualifiedName: f.address, kind: "resource" }],
            },
          ],
          partialFingerprints: { "address/v1": `${f.ruleId}:${f.address}` },
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/**
 * A rule's SARIF `reportingDescriptor`: its descriptions and help come from its rule file, and
 * `helpUri` points at its entry in the rule catalogue (docs/rules.md).
 */
export function sarifRule(r: RuleInfo): object {
  return {
    id: r.id,
    name: r.name,
    shortDescription: { text: r.description },
    fullDescription: { text: r.explanation },
    defaultConfiguration: { level: r.severity },
    help: {
      text: `${r.description}\n\n${r.explanation}\n\nFix: ${r.fix}\n\nWhen it cannot decide: ${r.undecidable}`,
      markdown: [
        `**${r.id} ${r.name}** (${r.severity}): ${r.description}`,
        "",
        r.explanation,
        "",
        `**Fix:** ${r.fix}`,
        "",
        `**When it cannot decide:** ${r.undecidable}`,
      ].join("\n"),
    },
    helpUri: ruleHelpUri(r.id),
    properties: { tags: ["security", "azuread", "machine-client"] },
  };
}

/** A path for output: relative to the working directory where it lies below it. */
function display(file: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(cwd, file) : rel;
}

/** A SARIF artifact URI: relative with forward slashes, or a file:// URI outside the cwd. */
function toUri(file: string, cwd: string): string {
  const d = display(file, cwd);
  if (path.isAbsolute(d)) return `file://${d.split(path.sep).map(encodeURIComponent).join("/")}`;
  return d.split(path.sep).map(encodeURIComponent).join("/");
}
