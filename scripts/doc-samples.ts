import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { main } from "../src/cli/main";
import { cadenceTable, changeTable } from "../src/credentials/rotation-table";
import { PolicyViolationsStack } from "../examples/policy-violations";
import { GeneratedBlock, ROOT } from "./doc-blocks";

/** The rotation model's tables in docs/credentials.md. */
export function rotationTables(): GeneratedBlock[] {
  return [
    { file: "docs/credentials.md", marker: "rotation-table:cadences", content: cadenceTable() },
    { file: "docs/credentials.md", marker: "rotation-table:changes", content: changeTable() },
  ];
}

/** Runs the `cdktf-machine-clients` command in-process in `cwd`; returns its standard output. */
async function cli(argv: string[], cwd: string): Promise<string> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd });
  if (code === 2) throw new Error(`cdktf-machine-clients ${argv.join(" ")} failed:\n${err}`);
  return out;
}

/** A fenced block, with a fence longer than any backtick run in the text. */
function fenced(lang: string, text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${text.trimEnd()}\n${fence}`;
}

/** `cdktf synth` of examples/main.ts (the command cdktf.json runs) into a temporary directory. */
function synthExample(outdir: string): void {
  const r = spawnSync(
    process.execPath,
    [
      "-r",
      require.resolve("ts-node/register/transpile-only"),
      path.join(ROOT, "examples", "main.ts"),
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        CDKTF_OUTDIR: outdir,
        TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"),
      },
    },
  );
  if (r.status !== 0) throw new Error(`synthesizing examples/main.ts failed:\n${r.stderr}`);
}

/** The input of the `check` note sample: an end date from a variable without default. */
const NOTE_INPUT = `variable "end_date" {
  type = string
}

resource "time_rotating" "ci" {
  rotation_days = 30
}

resource "azuread_application" "ci" {
  display_name = "ci"
}

resource "azuread_application_password" "ci" {
  application_id = azuread_application.ci.id
  end_date       = var.end_date
  rotate_when_changed = {
    rotation = time_rotating.ci.id
  }
}
`;

/** The sample outputs of the documentation, each from a real run of the library or its command. */
export async function docSamples(): Promise<GeneratedBlock[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "mc-doc-samples-"));
  try {
    // `report` of the example app's orders stack.
    const out = path.join(work, "cdktf.out");
    synthExample(out);
    const report = await cli(["report", path.join(out, "stacks", "orders")], work);

    // `check` of a daemon that requests delegated permissions (a test fixture).
    fs.cpSync(
      path.join(ROOT, "test", "fixtures", "check", "delegated-client"),
      path.join(work, "infra"),
      {
        recursive: true,
      },
    );
    const check = await cli(["check", "infra/"], work);

    // A note where `check` cannot decide.
    fs.mkdirSync(path.join(work, "ci"));
    fs.writeFileSync(path.join(work, "ci", "main.tf"), NOTE_INPUT);
    const note = await cli(["check", "ci/"], work);

    // The org policy's violations, as `cdktf synth` prints them.
    let violations = "";
    try {
      Testing.synth(new PolicyViolationsStack(Testing.app(), "violations"), true);
    } catch (e) {
      violations = (e as Error).message;
    }
    if (!violations.startsWith("Validation failed")) {
      throw new Error(
        `examples/policy-violations.ts synthesized without violations: ${violations}`,
      );
    }

    return [
      {
        file: "docs/inventory-and-cli.md",
        marker: "sample:report",
        content: fenced("markdown", report),
      },
      {
        file: "docs/check.md",
        marker: "sample:check",
        content: fenced("console", `$ npx cdktf-machine-clients check infra/\n${check}`),
      },
      {
        file: "docs/check.md",
        marker: "sample:check-note",
        content: `${fenced("hcl", `# ci/main.tf\n${NOTE_INPUT}`)}\n\n${fenced(
          "console",
          `$ npx cdktf-machine-clients check ci/\n${note}`,
        )}`,
      },
      {
        file: "docs/policy-and-suppressions.md",
        marker: "sample:policy-violations",
        content: fenced("text", violations),
      },
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
