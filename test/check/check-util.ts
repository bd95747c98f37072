import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CheckOptions, CheckResult, checkPaths } from "../../src/check";

/** A fixed "now" so that literal end dates give stable results. */
export const NOW = new Date("2026-11-26T00:00:00Z");

/** The fixtures of `check`. */
export const FIXTURES = path.join(__dirname, "..", "fixtures", "check");

const created: string[] = [];

/** A fresh temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(prefix = "mcc-check-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes the temporary directories made so far (call from afterAll). */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes files (name → text) into a fresh temporary directory and returns it. */
export function tempTree(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

/** Checks files written to a temporary directory. */
export function checkFiles(
  files: Record<string, string>,
  options: CheckOptions = {},
): Promise<CheckResult> {
  return checkPaths([tempTree(files)], { now: NOW, ...options });
}

/** Findings as `RULE:severity:address` strings, for compact assertions. */
export function summary(r: CheckResult): string[] {
  return r.findings.map((f) => `${f.ruleId}:${f.severity}:${f.address}`);
}

/** A machine client with a correct rotating password, to which tests add what they check. */
export function machineClient(extra = "", name = "client"): string {
  return `
resource "azuread_application" "${name}" {
  display_name = "${name}"
  ${extra}
}

resource "time_rotating" "${name}" {
  rotation_days = 30
}

resource "azuread_application_password" "${name}" {
  application_id      = azuread_application.${name}.id
  end_date            = timeadd(time_rotating.${name}.id, "1440h")
  rotate_when_changed = { rotation = time_rotating.${name}.id }
}
`;
}
