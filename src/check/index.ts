/**
 * `check`: reads Terraform configurations — synthesized JSON (`cdk.tf.json`, `*.tf.json`) and
 * plain HCL (`*.tf`, parsed with `@cdktf/hcl2json`) — groups the files of each directory into a
 * module as Terraform does, and runs the rules of `./rules` over each module.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ModuleContext, ParsedFile } from "./module";
import { Finding, JustifiedGrant, RuleOptions, checkModule } from "./rules";
import { ManifestClient } from "../inventory/manifest-schema";
import { manifestIn, retiredRoleFindings } from "./retired-roles";

export { RULES } from "./rules";
export type { Finding, RuleInfo, Severity } from "./rules";

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
}

const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform"]);

/** True for the file names `check` reads. */
export function isTerraformFile(name: string): boolean {
  return name.endsWith(".tf") || name.endsWith(".tf.json");
}

/**
 * The Terraform files under a path: the file itself, or every `*.tf` / `*.tf.json` below a
 * directory (skipping `.terraform`, `.git` and `node_modules`), sorted.
 * @throws Error when the path does not exist
 */
export function findTerraformFiles(p: string): string[] {
  const stat = fs.statSync(p);
  if (stat.isFile()) return [p];
  const out: string[] = [];
  const visit = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) visit(full);
      } else if (e.isFile() && isTerraformFile(e.name)) out.push(full);
    }
  };
  visit(p);
  return out;
}

type Hcl2Json = (filename: string, contents: string) => Promise<Record<string, unknown>>;
let hclParser: Hcl2Json | undefined;

/** Loads hcl2json's WebAssembly parser on first use (JSON-only runs never pay for it). */
function hcl(): Hcl2Json {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  hclParser ??= (require("@cdktf/hcl2json") as { parse: Hcl2Json }).parse;
  return hclParser;
}

/** Reads and parses one file: HCL through hcl2json, JSON with JSON.parse. */
export async function parseFile(file: string): Promise<ParsedFile> {
  const text = fs.readFileSync(file, "utf8");
  if (file.endsWith(".json")) {
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (e) {
      throw new Error(`not valid JSON: ${(e as Error).message}`);
    }
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
      throw new Error("not a Terraform JSON configuration (the top level must be an object)");
    }
    return { file, config: config as Record<string, unknown>, lines: jsonLocator(text) };
  }
  let config: Record<string, unknown>;
  try {
    config = await hcl()(path.basename(file), text);
  } catch (e) {
    throw new Error(`not valid HCL: ${(e as Error).message.replace(/^parse config: /, "")}`);
  }
  return { file, config, lines: hclLocator(text) };
}

/**
 * Finds the line of a block in HCL source, after a successful parse: the first line whose
 * words are `resource "type" "name"` (labels quoted or bare), outside block comments.
 */
function hclLocator(text: string): ParsedFile["lines"] {
  let index: Map<string, number> | undefined;
  return (kind, type, name) => {
    if (!index) {
      index = new Map();
      let inComment = false;
      text.split(/\r?\n/).forEach((raw, i) => {
        let line = raw.trim();
        if (inComment) {
          const end = line.indexOf("*/");
          if (end < 0) return;
          inComment = false;
          line = line.slice(end + 2).trim();
        }
        if (line.startsWith("/*") && !line.includes("*/")) {
          inComment = true;
          return;
        }
        const words = labels(line);
        if (words.length >= 3 && (words[0] === "resource" || words[0] === "data")) {
          const key = `${words[0]} ${words[1]} ${words[2]}`;
          if (!index!.has(key)) index!.set(key, i + 1);
        }
      });
    }
    return index.get(`${kind} ${type} ${name}`);
  };
}

/** The leading words of a line: identifiers and quoted labels, up to `{`. */
function labels(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length && out.length < 3) {
    const c = line[i];
    if (c === " " || c === "\t") i++;
    else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) break;
      out.push(line.slice(i + 1, end));
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < line.length && /[A-Za-z0-9_-]/.test(line[j])) j++;
      out.push(line.slice(i, j));
      i = j;
    } else break;
  }
  return out;
}

/** Finds the line of a block in Terraform JSON: the `"name"` key after the `"type"` key. */
function jsonLocator(text: string): ParsedFile["lines"] {
  return (kind, type, name) => {
    const top = key(text, kind, 0);
    if (top < 0) return undefined;
    const t = key(text, type, top);
    if (t < 0) return undefined;
    const n = key(text, name, t + type.length + 2);
    if (n < 0) return undefined;
    let line = 1;
    for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
  };
}

/** The offset of `"k"` used as an object key (followed by a colon) at or after `from`, or -1. */
function key(text: string, k: string, from: number): number {
  const quoted = JSON.stringify(k);
  for (let i = text.indexOf(quoted, from); i >= 0; i = text.indexOf(quoted, i + 1)) {
    let j = i + quoted.length;
    while (j < text.length && /\s/.test(text[j])) j++;
    if (text[j] === ":") return i;
  }
  return -1;
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
      findings.push(
        ...checkModule(new ModuleContext(dir, parsed), { ...ruleOptions, justifiedGrants }),
      );
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
