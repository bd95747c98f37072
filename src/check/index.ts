/**
 * `check`: reads Terraform configurations — synthesized JSON (`cdk.tf.json`, `*.tf.json`) and
 * plain HCL (`*.tf`, parsed with `@cdktf/hcl2json`) — groups the files of each directory into a
 * module as Terraform does (override files merged), builds each module's model once, and runs
 * the rules of `./rules` over it: parse (files.ts) → module (module.ts, model.ts) → rules/ →
 * formats (format.ts).
 */
import * as path from "node:path";
import { findTerraformFiles, parseFile } from "./files";
import { ModuleContext, ParsedFile } from "./module";
import { checkModule } from "./run";
import { CHECK_RULES } from "./rules";
import { Finding, JustifiedGrant, RuleInfo, RuleOptions } from "./types";
import { ManifestClient } from "../inventory/manifest-schema";
import { manifestIn, retiredRoleFindings } from "./retired-roles";

export { CHECK_RULES } from "./rules";
export { findTerraformFiles, isIgnoredFile, isTerraformFile, parseFile } from "./files";
export type { CheckRule, Finding, RuleInfo, RuleResult, Severity } from "./types";

/** Every rule's description, in id order (the rules themselves: {@link CHECK_RULES}). */
export const RULES: readonly RuleInfo[] = CHECK_RULES;

/** The policy maximum for a client secret, in days (the library's own limit). */
export const DEFAULT_MAX_SECRET_DAYS = 90;
/** The policy maximum for a certificate, in days. */
export const DEFAULT_MAX_CERTIFICATE_DAYS = 365;

/** A file that could not be read, parsed or checked. */
export interface ParseError {
  /** The file that could not be parsed. */
  readonly file: string;
  /** The parser's message, with the position where it has one. */
  readonly message: string;
}

/** What `check` found. */
export interface CheckResult {
  /** The files read, in order. */
  readonly files: readonly string[];
  /** Findings, sorted by file, line, rule and address. */
  readonly findings: readonly Finding[];
  /** Files that could not be parsed; they are reported, not checked. */
  readonly errors: readonly ParseError[];
}

/** Options of {@link checkPaths}. */
export interface CheckOptions {
  /** @default {@link DEFAULT_MAX_SECRET_DAYS} */
  readonly maxSecretDays?: number;
  /** @default {@link DEFAULT_MAX_CERTIFICATE_DAYS} */
  readonly maxCertificateDays?: number;
  /**
   * "Now", for literal end dates, and the first of the simulated plans (one every other day over
   * the next two years) at which arguments built from `plantimestamp()` / `timestamp()` are evaluated.
   * @default the current time
   */
  readonly now?: Date;
  /**
   * The tenant's verified domains: an identifier URI on another domain is an MCC013 error.
   * @default not known: a domain-based identifier URI gives an MCC013 note
   */
  readonly verifiedDomains?: readonly string[];
  /**
   * The tenant's id: a literal `api://{tenantId}/…` identifier URI of another tenant is an MCC013 error.
   * @default not known: a literal tenant id gives an MCC013 note
   */
  readonly tenantId?: string;
}

/**
 * Checks every Terraform file under the given paths (files or directories).
 * @throws Error when a path does not exist
 */
export async function checkPaths(
  paths: readonly string[],
  options: CheckOptions = {},
): Promise<CheckResult> {
  const files = [...new Set(paths.flatMap(findTerraformFiles))];
  const ruleOptions: RuleOptions = {
    maxSecretDays: options.maxSecretDays ?? DEFAULT_MAX_SECRET_DAYS,
    maxCertificateDays: options.maxCertificateDays ?? DEFAULT_MAX_CERTIFICATE_DAYS,
    now: options.now ?? new Date(),
    ...(options.verifiedDomains ? { verifiedDomains: options.verifiedDomains } : {}),
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
  };
  const byDir = new Map<string, ParsedFile[]>();
  const errors: ParseError[] = [];
  for (const file of files) {
    try {
      const parsed = await parseFile(file);
      const dir = path.dirname(file);
      byDir.set(dir, [...(byDir.get(dir) ?? []), parsed]);
    } catch (e) {
      errors.push({ file, message: (e as Error).message });
    }
  }
  const findings: Finding[] = [];
  for (const [dir, parsed] of byDir) {
    try {
      const justifiedGrants = justifiedGrantsIn(dir);
      const mod = new ModuleContext(dir, parsed);
      errors.push(...mod.problems);
      findings.push(...checkModule(mod, { ...ruleOptions, justifiedGrants }));
    } catch (e) {
      // A defect of the checker must not hide the other modules' findings: report it like a
      // file that cannot be read, so that the run still exits 2.
      for (const p of parsed) {
        errors.push({
          file: p.file,
          message: `internal error while checking this module: ${(e as Error).message}`,
        });
      }
    }
  }
  // MCC012 across stacks: grants recorded in one stack's manifest of roles another retired.
  try {
    findings.push(
      ...retiredRoleFindings(
        [...byDir].map(([dir, files]) => ({ dir, files })),
        findings,
      ),
    );
  } catch (e) {
    errors.push({
      file: paths.join(", "),
      message: `internal error while comparing the stacks' machine-clients.json: ${(e as Error).message}`,
    });
  }
  findings.sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      cmp(a.address, b.address) ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.message, b.message),
  );
  return { files, findings, errors };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The justified privileged grants this library recorded beside a synthesized stack
 * (machine-clients.json), so that `check` and the program agree on what was deliberately granted.
 * A missing or unreadable manifest gives none: the findings then stand as they are.
 */
function justifiedGrantsIn(dir: string): JustifiedGrant[] {
  const manifest = manifestIn(dir);
  if (!manifest) return [];
  return (manifest.clients as readonly ManifestClient[]).flatMap((c) =>
    (c.grants ?? [])
      .filter((g) => g.privileged && typeof g.justification === "string")
      .map((g) => ({
        clientPath: c.path,
        identifierUri: g.identifierUri,
        scope: g.scope,
        justification: g.justification!,
      })),
  );
}
