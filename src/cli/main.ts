#!/usr/bin/env node
/**
 * The `cdktf-machine-clients` command: `report` renders the machine-client manifests of a synth,
 * `check` lints Terraform configurations (synthesized JSON and plain HCL) for machine-client
 * mistakes. Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or parse error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  CheckResult,
  DEFAULT_MAX_CERTIFICATE_DAYS,
  DEFAULT_MAX_SECRET_DAYS,
  RULES,
  checkPaths,
} from "../check";
import { SEVERITIES, formatJson, formatSarif, formatText } from "../check/format";
import { loadManifests, reportJson, reportMarkdown } from "../inventory/report";
import { isGuid, verifiedDomainProblem } from "../identifier-uri";

/** Where the command writes; injectable for tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The working directory that relative paths and output paths are relative to. */
  readonly cwd: string;
  /** "Now", for literal end dates. @default the current time */
  readonly now?: Date;
}

/** Exit code: no finding at or above `--fail-on` (or `report` succeeded). */
export const EXIT_CLEAN = 0;
/** Exit code: a finding at or above `--fail-on`. */
export const EXIT_FINDINGS = 1;
/** Exit code: a usage error, a missing path, or a file that cannot be parsed. */
export const EXIT_USAGE = 2;

const HELP = `cdktf-machine-clients — inventory and checks for OAuth 2.0 machine clients on Entra ID

Usage:
  cdktf-machine-clients report <cdktf.out | stack dir> [--format markdown|json]
  cdktf-machine-clients check <path>... [--format text|json|sarif] [--fail-on error|warning|note|none]
                                        [--max-secret-days N] [--max-certificate-days N]
                                        [--verified-domain DOMAIN]... [--tenant-id GUID]
  cdktf-machine-clients --help | --version

report   Reads the machine-clients.json that every \`cdktf synth\` writes next to each stack's
         cdk.tf.json, and prints a Markdown table per stack with a Mermaid graph of
         clients → APIs → permissions (or, with --format json, all stacks as one document).

check    Lints Terraform: cdk.tf.json, *.tf.json and plain HCL *.tf files, whether or not this
         library wrote them. A directory is searched recursively; the files of one directory
         are read together, as Terraform does. Variables are evaluated from their defaults;
         values that cannot be known statically give a note.

Options:
  --format                 report: markdown (default) or json; check: text (default), json or sarif
  --fail-on                check exits 1 when a finding is at or above this severity (default error;
                           none never fails on findings)
  --max-secret-days        policy maximum for password validity (default ${DEFAULT_MAX_SECRET_DAYS})
  --max-certificate-days   policy maximum for certificate validity (default ${DEFAULT_MAX_CERTIFICATE_DAYS})
  --verified-domain        a verified domain of the tenant, for identifier URIs (repeatable; without
                           it, domain-based identifier URIs give a note)
  --tenant-id              the tenant's id, for literal api://{tenantId}/… identifier URIs
  -h, --help               this help
  -v, --version            the version

Rules (check):
${RULES.map((r) => `  ${r.id} ${r.severity.padEnd(7)} ${r.name}`).join("\n")}

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error, missing path or a file that
cannot be parsed.

Examples:
  npx cdktf synth && npx cdktf-machine-clients report cdktf.out > MACHINE-CLIENTS.md
  npx cdktf-machine-clients report cdktf.out/stacks/orders --format json
  npx cdktf-machine-clients check cdktf.out
  npx cdktf-machine-clients check infra/ --fail-on warning
  npx cdktf-machine-clients check infra/ --format sarif > machine-clients.sarif
`;

function version(): string {
  try {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
    ) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

class UsageError extends Error {}

/** Runs the command with the given arguments (without `node` and the script); returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string" },
        "fail-on": { type: "string" },
        "max-secret-days": { type: "string" },
        "max-certificate-days": { type: "string" },
        "verified-domain": { type: "string", multiple: true },
        "tenant-id": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n\nRun cdktf-machine-clients --help for usage.\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === "help") {
    io.stdout(HELP);
    return EXIT_CLEAN;
  }
  if (values.version) {
    io.stdout(`${version()}\n`);
    return EXIT_CLEAN;
  }
  const [command, ...paths] = positionals;
  try {
    if (command === "report") return report(paths, values, io);
    if (command === "check") return await check(paths, values, io);
    throw new UsageError(
      command === undefined
        ? "missing command: use report or check"
        : `unknown command ${JSON.stringify(command)}: use report or check`,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\nRun cdktf-machine-clients --help for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr(`error: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
}

type Values = Record<string, string | string[] | boolean | undefined>;

function existing(paths: readonly string[], io: CliIo, what: string): string[] {
  if (paths.length === 0) throw new UsageError(`missing path: give ${what}`);
  return paths.map((p) => {
    const full = path.resolve(io.cwd, p);
    if (!fs.existsSync(full)) throw new UsageError(`path not found: ${p}`);
    return full;
  });
}

function report(paths: readonly string[], values: Values, io: CliIo): number {
  const format = (values.format as string | undefined) ?? "markdown";
  if (format !== "markdown" && format !== "json") {
    throw new UsageError(
      `--format for report must be markdown or json (got ${JSON.stringify(format)})`,
    );
  }
  if (paths.length > 1) throw new UsageError("report takes one path");
  const [dir] = existing(paths, io, "a synth output (cdktf.out) or a stack directory");
  const manifests = loadManifests(dir);
  io.stdout(format === "json" ? reportJson(manifests) : reportMarkdown(manifests));
  return EXIT_CLEAN;
}

function positiveInt(values: Values, name: string, dflt: number): number {
  const raw = values[name];
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(
      `--${name} must be a whole number of days, at least 1 (got ${JSON.stringify(raw)})`,
    );
  }
  return n;
}

async function check(paths: readonly string[], values: Values, io: CliIo): Promise<number> {
  const format = (values.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "json" && format !== "sarif") {
    throw new UsageError(
      `--format for check must be text, json or sarif (got ${JSON.stringify(format)})`,
    );
  }
  const failOn = (values["fail-on"] as string | undefined) ?? "error";
  if (failOn !== "none" && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(
      `--fail-on must be error, warning, note or none (got ${JSON.stringify(failOn)})`,
    );
  }
  const maxSecretDays = positiveInt(values, "max-secret-days", DEFAULT_MAX_SECRET_DAYS);
  const maxCertificateDays = positiveInt(
    values,
    "max-certificate-days",
    DEFAULT_MAX_CERTIFICATE_DAYS,
  );
  const verifiedDomains = values["verified-domain"] as string[] | undefined;
  for (const d of verifiedDomains ?? []) {
    const problem = verifiedDomainProblem(d);
    if (problem) throw new UsageError(`--verified-domain: ${problem} (got ${JSON.stringify(d)})`);
  }
  const tenantId = values["tenant-id"] as string | undefined;
  if (tenantId !== undefined && !isGuid(tenantId)) {
    throw new UsageError(
      `--tenant-id must be the tenant's id, a GUID (got ${JSON.stringify(tenantId)})`,
    );
  }
  const full = existing(paths, io, "a file or directory of Terraform (.tf, .tf.json)");
  const result: CheckResult = await checkPaths(full, {
    maxSecretDays,
    maxCertificateDays,
    ...(verifiedDomains ? { verifiedDomains } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(io.now ? { now: io.now } : {}),
  });
  if (result.files.length === 0) {
    io.stderr(`warning: no .tf or .tf.json files under ${paths.join(", ")}\n`);
  }
  io.stdout(
    format === "json"
      ? formatJson(result, io.cwd)
      : format === "sarif"
        ? formatSarif(result, io.cwd, version())
        : formatText(result, io.cwd),
  );
  if (result.errors.length > 0) {
    if (format !== "text") {
      for (const e of result.errors) {
        io.stderr(`error: cannot parse ${path.relative(io.cwd, e.file) || e.file}: ${e.message}\n`);
      }
    }
    return EXIT_USAGE;
  }
  if (failOn === "none") return EXIT_CLEAN;
  const threshold = SEVERITIES.indexOf(failOn as (typeof SEVERITIES)[number]);
  return result.findings.some((f) => SEVERITIES.indexOf(f.severity) <= threshold)
    ? EXIT_FINDINGS
    : EXIT_CLEAN;
}

/* istanbul ignore next: the process entry point */
if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
