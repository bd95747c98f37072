import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// A new user, following README.md and nothing else: install the packed library with the README's install lines
// into an empty directory, write the README's cdktf.json, tsconfig.json and main.ts, synthesize with the README's
// command and run its `check` and `report` commands. Everything is read from the README's code blocks, so the
// README cannot drift from what works. Run by `npm run test:e2e` (jest.e2e.config.js), after `npm ci`: packages
// come from npm's cache where it has them (--prefer-offline), from the registry otherwise.
const ROOT = path.join(__dirname, "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

interface Block {
  readonly lang: string;
  readonly code: string;
  /** The heading of the section the block is in. */
  readonly section: string;
}

/** The fenced code blocks of a Markdown text, with the `##` section each is in. */
function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let section = "";
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.*)$/.exec(lines[i]);
    if (heading) section = heading[1];
    const open = /^(`{3,})(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== open[1]; i++) body.push(lines[i]);
    blocks.push({ lang: open[2], code: body.join("\n"), section });
  }
  return blocks;
}

/** The one block of `blocks` that satisfies `test`; fails naming `what` otherwise. */
function single(blocks: Block[], what: string, test: (b: Block) => boolean): Block {
  const found = blocks.filter(test);
  if (found.length !== 1)
    throw new Error(`README.md: expected one ${what} block, found ${found.length}`);
  return found[0];
}

/** The shell commands of a block, with backslash continuations joined. */
function commandsOf(block: Block): string[] {
  return block.code
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** An `npm install` line of the README, installing the packed tarball for the package and reading the cache first. */
function withTarball(command: string, tarball: string): string {
  if (!/^npm install\b/.test(command)) return command;
  const words = command.split(/\s+/).map((w) => (w === "cdktf-machine-clients" ? tarball : w));
  return [...words, "--prefer-offline", "--no-audit", "--no-fund"].join(" ");
}

describe("a new user following README.md", () => {
  const blocks = blocksOf(README);
  const userBlocks = blocks.filter((b) =>
    ["Install", "A minimal app", "Check the result"].includes(b.section),
  );
  let work: string;
  let app: string;
  let tarball: string;
  const log: string[] = [];

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "mc-new-user-"));
    app = path.join(work, "my-app");
    fs.mkdirSync(app);
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", work], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }).replace(/^[^[]*/s, ""),
    ) as { filename: string }[];
    tarball = path.join(work, packed[0].filename);
  });
  afterAll(() => {
    console.log(log.join("\n"));
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** Runs a README command in the app directory as a user's shell would; returns its output. */
  function run(command: string): { status: number | null; stdout: string; stderr: string } {
    const started = Date.now();
    const r = spawnSync("bash", ["-c", command], {
      cwd: app,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" },
    });
    log.push(`${((Date.now() - started) / 1000).toFixed(1)} s  ${command}`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it("finds the README's install lines, project files, synth and check commands", () => {
    const install = commandsOf(
      single(userBlocks, "install (sh)", (b) => /npm install/.test(b.code)),
    );
    expect(install).toEqual([
      "npm init -y",
      expect.stringMatching(
        /^npm install cdktf-machine-clients cdktf@0\.21\.0 constructs@\S+ @cdktf\/provider-azuread@/,
      ),
      expect.stringMatching(
        /^npm install --save-dev cdktf-cli@0\.21\.0 typescript@~5\.9\.\d+ ts-node@/,
      ),
    ]);
    expect(userBlocks.filter((b) => b.lang === "json")).toHaveLength(2);
    expect(
      userBlocks.filter((b) => b.lang === "ts" && b.code.includes("app.synth()")),
    ).toHaveLength(1);
  });

  it("installs, synthesizes the app and checks it with the README's commands", () => {
    const files: [string, Block][] = [
      [
        "cdktf.json",
        single(userBlocks, "cdktf.json", (b) => b.lang === "json" && b.code.includes('"app"')),
      ],
      [
        "tsconfig.json",
        single(userBlocks, "tsconfig.json", (b) => b.code.includes('"compilerOptions"')),
      ],
      [
        "main.ts",
        single(userBlocks, "main.ts", (b) => b.lang === "ts" && b.code.includes("app.synth()")),
      ],
    ];
    // The commands in README order; the project files are written where the README shows them, before the synth.
    const commands = userBlocks.filter((b) => b.lang === "sh").flatMap(commandsOf);
    const synth = commands.findIndex((c) => /npx cdktf synth/.test(c));
    expect(synth).toBeGreaterThan(0);
    for (const [i, command] of commands.entries()) {
      if (i === synth) {
        for (const [name, block] of files)
          fs.writeFileSync(path.join(app, name), `${block.code}\n`);
      }
      const r = run(withTarball(command, tarball));
      if (r.status !== 0) {
        throw new Error(
          `README command failed (${r.status}): ${command}\n${r.stdout}\n${r.stderr}`,
        );
      }
      if (/cdktf-machine-clients check/.test(command)) {
        expect(r.stdout).toMatch(/^0 errors, 0 warnings, 0 notes in 1 file$/m);
      }
    }

    const out = path.join(app, "cdktf.out", "stacks", "orders");
    const json = JSON.parse(fs.readFileSync(path.join(out, "cdk.tf.json"), "utf8"));
    const apps = Object.values(json.resource.azuread_application) as {
      display_name: string;
      app_role?: { value: string; allowed_member_types: string[] }[];
      required_resource_access?: { resource_access: { type: string }[] }[];
    }[];
    expect(apps.map((a) => a.display_name).sort()).toEqual(["billing-sync", "orders-api"]);
    const api = apps.find((a) => a.display_name === "orders-api")!;
    expect(api.app_role!.map((r) => r.value).sort()).toEqual([
      "orders.admin",
      "orders.read",
      "orders.write",
    ]);
    const client = apps.find((a) => a.display_name === "billing-sync")!;
    expect(
      client.required_resource_access!.flatMap((r) => r.resource_access.map((a) => a.type)),
    ).toEqual(["Role"]);
    expect(Object.keys(json.resource.azuread_app_role_assignment)).toHaveLength(1);
    expect(Object.keys(json.resource.azuread_application_password)).toHaveLength(2);
    expect(Object.values(json.output as Record<string, { sensitive?: boolean }>)).toEqual([
      expect.objectContaining({ sensitive: true }),
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "machine-clients.json"), "utf8"));
    expect(manifest.clients.map((c: { displayName: string }) => c.displayName)).toEqual([
      "billing-sync",
    ]);
    // The README's report command wrote the inventory.
    expect(fs.readFileSync(path.join(app, "MACHINE-CLIENTS.md"), "utf8")).toContain(
      "1 machine client in 1 stack",
    );
  });
});
