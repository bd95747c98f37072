import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, main } from "../../src/cli/main";
import { RULES } from "../../src/check";
import { SARIF_SCHEMA } from "../../src/check/format";
import { FIXTURES, NOW, tempTree, removeTempDirs } from "../check/check-util";

afterAll(removeTempDirs);

const ROOT = path.join(__dirname, "..", "..");

/** Runs the CLI with captured output, from the repository root. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd: ROOT,
    now: NOW,
  });
  return { code, out, err };
}

const fx = (name: string) => path.join("test", "fixtures", "check", name);

describe("cdktf-machine-clients: usage", () => {
  test("--help prints usage, the rules and examples, and exits 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(EXIT_CLEAN);
    expect(r.out).toContain("cdktf-machine-clients check <path>...");
    expect(r.out).toContain("Examples:");
    for (const rule of RULES) expect(r.out).toContain(rule.id);
  });

  test("--version prints the package version", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const r = await run("--version");
    expect(r.out.trim()).toBe(pkg.version);
  });

  test("rejects a missing command, an unknown command and an unknown option with exit 2", async () => {
    const none = await run();
    expect(none.code).toBe(EXIT_USAGE);
    expect(none.err).toContain("missing command: use report or check");
    const unknown = await run("lint", ".");
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.err).toContain('unknown command "lint"');
    const option = await run("check", ".", "--colour");
    expect(option.code).toBe(EXIT_USAGE);
    expect(option.err).toContain("--colour");
  });

  test("rejects a missing path clearly with exit 2", async () => {
    const r = await run("check", "does/not/exist");
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain("path not found: does/not/exist");
    const none = await run("check");
    expect(none.code).toBe(EXIT_USAGE);
    expect(none.err).toContain("missing path");
  });

  test("rejects a bad --format, --fail-on or --max-secret-days with exit 2", async () => {
    expect((await run("check", fx("crlf"), "--format", "xml")).err).toContain(
      '--format for check must be text, json or sarif (got "xml")',
    );
    expect((await run("check", fx("crlf"), "--fail-on", "fatal")).err).toContain(
      '--fail-on must be error, warning, note or none (got "fatal")',
    );
    const days = await run("check", fx("crlf"), "--max-secret-days", "0");
    expect(days.code).toBe(EXIT_USAGE);
    expect(days.err).toContain("--max-secret-days must be a whole number of days");
  });

  test("the bin entry point is lib/cli/main.js and the source starts with a shebang", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.bin).toEqual({ "cdktf-machine-clients": "lib/cli/main.js" });
    const src = fs.readFileSync(path.join(ROOT, "src", "cli", "main.ts"), "utf8");
    expect(src.startsWith("#!/usr/bin/env node\n")).toBe(true);
  });
});

describe("cdktf-machine-clients check: exit codes", () => {
  test("0 on a clean configuration", async () => {
    const r = await run("check", fx("clean-client"), fx("clean-webapp"));
    expect(r.code).toBe(EXIT_CLEAN);
    expect(r.out).toBe("0 errors, 0 warnings, 0 notes in 2 files\n");
  });

  test("1 on an error finding (default --fail-on error)", async () => {
    expect((await run("check", fx("tier0"))).code).toBe(EXIT_FINDINGS);
  });

  test("warnings fail only with --fail-on warning; notes only with --fail-on note", async () => {
    const dir = tempTree({
      "main.tf": `resource "azuread_application_password" "p" {
  application_id = "/applications/x"
  end_date       = "2026-12-20T00:00:00Z"
}`,
    });
    expect((await run("check", dir)).code).toBe(EXIT_CLEAN);
    expect((await run("check", dir, "--fail-on", "warning")).code).toBe(EXIT_FINDINGS);
    const noteOnly = tempTree({
      "main.tf": `variable "end" { type = string }
resource "azuread_application_password" "p" {
  application_id      = "/applications/x"
  end_date            = var.end
  rotate_when_changed = { r = time_rotating.r.id }
}`,
    });
    expect((await run("check", noteOnly, "--fail-on", "warning")).code).toBe(EXIT_CLEAN);
    expect((await run("check", noteOnly, "--fail-on", "note")).code).toBe(EXIT_FINDINGS);
    expect((await run("check", fx("tier0"), "--fail-on", "none")).code).toBe(EXIT_CLEAN);
  });

  test("2 on a file that cannot be parsed, which is named in the output", async () => {
    const r = await run("check", fx("unparsable"));
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.out).toContain(
      `${path.join(fx("unparsable"), "broken.tf")}: error: cannot parse this file: not valid HCL`,
    );
    expect(r.out).toContain("1 file could not be parsed");
  });

  test("--max-secret-days changes the policy maximum", async () => {
    const r = await run("check", fx("clean-client"), "--max-secret-days", "30");
    expect(r.code).toBe(EXIT_FINDINGS);
    expect(r.out).toContain("beyond the policy maximum of 30 days");
  });

  test("--verified-domain (repeatable) and --tenant-id check identifier URIs", async () => {
    const noted = await run("check", fx("identifier-uris"), "--fail-on", "none");
    expect(noted.out).toContain("could not be checked without --verified-domain");
    const r = await run(
      "check",
      fx("identifier-uris"),
      "--verified-domain",
      "fabrikam.example",
      "--verified-domain",
      "contoso.onmicrosoft.com",
      "--tenant-id",
      "aaaabbbb-0000-cccc-1111-dddd2222eeee",
    );
    expect(r.code).toBe(EXIT_FINDINGS);
    expect(r.out).toContain(
      'identifier_uris[0]\'s host "orders.contoso.example" is not under a verified domain of the tenant (declared: "fabrikam.example", "contoso.onmicrosoft.com")',
    );
    const ok = await run("check", fx("identifier-uris"), "--verified-domain", "contoso.example");
    expect(ok.out).not.toContain('orders.contoso.example"');
  });

  test("rejects a bad --verified-domain or --tenant-id with exit 2", async () => {
    const domain = await run("check", fx("crlf"), "--verified-domain", "https://contoso.example");
    expect(domain.code).toBe(EXIT_USAGE);
    expect(domain.err).toContain(
      '--verified-domain: each verified domain must be a DNS name such as contoso.com (no scheme, path or wildcard) (got "https://contoso.example")',
    );
    const tenant = await run("check", fx("crlf"), "--tenant-id", "contoso");
    expect(tenant.code).toBe(EXIT_USAGE);
    expect(tenant.err).toContain(`--tenant-id must be the tenant's id, a GUID (got "contoso")`);
  });
});

describe("cdktf-machine-clients check: formats", () => {
  test("text: location, severity, rule, address, message and fix per finding", async () => {
    const r = await run("check", fx("crlf"));
    expect(r.out).toBe(
      [
        `${fx("crlf")}/main.tf:6: error MCC005 azuread_application_password.win`,
        "  The password is valid for 26334 days, beyond the policy maximum of 90 days.",
        "  fix: Use an end date at most 90 days away (and rotate before then).",
        "",
        `${fx("crlf")}/main.tf:6: warning MCC007 azuread_application_password.win`,
        "  The password has no rotate_when_changed trigger, so it is never replaced before it expires.",
        "  fix: Add rotate_when_changed = { rotation = time_rotating.x.id } with a time_rotating resource shorter than the validity.",
        "",
        "1 error, 1 warning, 0 notes in 1 file",
        "",
      ].join("\n"),
    );
  });

  test("json: findings with all fields, counts and parse errors", async () => {
    const r = await run("check", fx("crlf"), fx("unparsable"), "--format", "json");
    const doc = JSON.parse(r.out);
    expect(doc.summary).toEqual({ error: 1, warning: 1, note: 0 });
    expect(doc.files).toBe(2);
    expect(doc.findings[0]).toEqual({
      ruleId: "MCC005",
      severity: "error",
      file: path.join(fx("crlf"), "main.tf"),
      line: 6,
      address: "azuread_application_password.win",
      message: "The password is valid for 26334 days, beyond the policy maximum of 90 days.",
      fix: "Use an end date at most 90 days away (and rotate before then).",
    });
    expect(doc.errors).toEqual([
      {
        file: path.join(fx("unparsable"), "broken.tf"),
        message: expect.stringMatching(/^not valid HCL/),
      },
    ]);
    expect(r.err).toContain("cannot parse");
  });

  test("sarif: a SARIF 2.1.0 log with the required fields", async () => {
    const r = await run("check", fx("credentials"), fx("unparsable"), "--format", "sarif");
    const log = JSON.parse(r.out);
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.runs).toHaveLength(1);
    const run0 = log.runs[0];
    expect(run0.tool.driver.name).toBe("cdktf-machine-clients");
    expect(run0.tool.driver.informationUri).toBe(
      "https://github.com/cdktf-machine-clients/cdktf-machine-clients/blob/main/README.md",
    );
    expect(run0.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(RULES.map((x) => x.id));
    for (const [i, rule] of run0.tool.driver.rules.entries()) {
      // Descriptions and help come from the rule's own file.
      expect(rule.shortDescription.text).toBe(RULES[i].description);
      expect(rule.fullDescription.text).toBe(RULES[i].explanation);
      expect(rule.help.text).toContain(`Fix: ${RULES[i].fix}`);
      expect(rule.help.text).toContain(RULES[i].undecidable);
      expect(rule.help.markdown).toContain(`**${RULES[i].id} ${RULES[i].name}**`);
      expect(rule.help.markdown).toContain(`**Fix:** ${RULES[i].fix}`);
      expect(rule.helpUri).toBe(
        `https://github.com/cdktf-machine-clients/cdktf-machine-clients/blob/main/docs/rules.md#${RULES[i].id.toLowerCase()}`,
      );
      expect(rule.defaultConfiguration.level).toBe(RULES[i].severity);
    }
    expect(run0.results.length).toBe(8);
    for (const res of run0.results) {
      expect(RULES.map((x) => x.id)).toContain(res.ruleId);
      expect(run0.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(["error", "warning", "note"]).toContain(res.level);
      expect(typeof res.message.text).toBe("string");
      expect(res.message.text).toContain("Fix: ");
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toBe("test/fixtures/check/credentials/main.tf");
      expect(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1).toBe(true);
      expect(res.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^azuread_/);
    }
    expect(run0.invocations[0].executionSuccessful).toBe(false);
    expect(run0.invocations[0].toolExecutionNotifications[0].message.text).toContain(
      "Cannot parse this file",
    );
  });

  test("sarif: a clean run has an empty results list and a successful invocation", async () => {
    const log = JSON.parse((await run("check", fx("clean-client"), "--format", "sarif")).out);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
  });

  test("paths outside the working directory are absolute in text and file:// URIs in SARIF", async () => {
    const dir = tempTree({
      "main.tf":
        'resource "azuread_application_password" "p" {\n  application_id = "/applications/x"\n}\n',
    });
    const text = await run("check", dir);
    expect(text.out).toContain(`${path.join(dir, "main.tf")}:1: error MCC004`);
    const log = JSON.parse((await run("check", dir, "--format", "sarif")).out);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      `file://${path.join(dir, "main.tf")}`,
    );
  });
});

test("check reads the whole fixtures tree (HCL) and reports each rule at least once", async () => {
  const r = await run("check", path.relative(ROOT, FIXTURES), "--format", "json");
  const doc = JSON.parse(r.out);
  const seen = new Set(doc.findings.map((f: { ruleId: string }) => f.ruleId));
  expect([...seen].sort()).toEqual(RULES.map((x) => x.id));
});

describe("cdktf-machine-clients as a process", () => {
  // Runs src/cli/main.ts through ts-node, as `node lib/cli/main.js` runs after the build.
  const spawnCli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(ROOT, "src", "cli", "main.ts"), ...args],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
      },
    );

  test("sets the exit code and writes to stdout and stderr", () => {
    const findings = spawnCli("check", fx("tier0"));
    expect(findings.status).toBe(EXIT_FINDINGS);
    expect(findings.stdout).toContain("MCC011");
    const missing = spawnCli("check", "nowhere");
    expect(missing.status).toBe(EXIT_USAGE);
    expect(missing.stderr).toContain("path not found: nowhere");
  });
});
