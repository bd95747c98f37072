import * as fs from "node:fs";
import * as path from "node:path";
import { MANIFEST_FILE_NAME, MachineClientManifest, serializeManifest } from "../../src";
import { main } from "../../src/cli/main";
import { loadManifests, reportMarkdown } from "../../src/inventory/report";
import { removeTempDirs, tempDir } from "../check/check-util";

// Attacks on `report` (issue 10, item 8): display names, stack names and every other
// user-controlled string are escaped in Markdown tables and Mermaid graphs, and a bad manifest
// is reported with its file name and what is wrong (exit code 2), never a TypeError.

afterAll(removeTempDirs);

type Client = MachineClientManifest["clients"][number];

const client = (patch: Partial<Client> = {}): Client => ({
  displayName: "billing-sync",
  path: "orders/BillingSync",
  owners: [],
  ownersDefaultToDeployer: true,
  flow: "client_credentials",
  grants: [
    {
      api: "api://contoso.example/orders",
      identifierUri: "api://contoso.example/orders",
      scope: "orders.read",
      roleId: "25871f89-27fe-5f2b-8146-341119d3cff0",
      privileged: false,
    },
  ],
  credentials: [{ kind: "secret", rotationDays: 30, validityDays: 60, slots: 2 }],
  delivery: [],
  suppressions: [],
  ...patch,
});

const manifest = (stack: string, clients: Client[]): MachineClientManifest => ({
  schemaVersion: 1,
  stack,
  clients,
});

const markdown = (m: MachineClientManifest) =>
  reportMarkdown([{ file: "machine-clients.json", manifest: m }]);

/** The table rows of a report (lines starting with "| " after the header separator). */
const rows = (md: string) =>
  md
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| Client") && !l.startsWith("| ---"));

/** The number of cells of a table row, as GitHub Flavored Markdown splits it (unescaped `|`). */
const cells = (row: string) => row.replace(/\\\|/g, "").split("|").length - 2;

describe("report: Markdown escaping", () => {
  it("keeps a hostile display name in its cell: pipes, newlines, backticks, HTML, emphasis", () => {
    const md = markdown(
      manifest("orders", [
        client({ displayName: "a | b\n| x | y |\r\n`code` <img src=x> *bold* _it_ [l](u)" }),
      ]),
    );
    const [row] = rows(md);
    expect(rows(md)).toHaveLength(1);
    expect(cells(row)).toBe(8);
    expect(
      row.startsWith(
        "| a \\| b \\| x \\| y \\| \\`code\\` &lt;img src=x&gt; \\*bold\\* \\_it\\_ \\[l\\](u) |",
      ),
    ).toBe(true);
  });

  it("keeps a hostile construct path, scope and justification inside their code spans", () => {
    const md = markdown(
      manifest("orders", [
        client({
          path: "orders/`rm -rf`|x",
          grants: [
            {
              api: "api://x",
              identifierUri: "api://x",
              scope: "a`b",
              roleId: "25871f89-27fe-5f2b-8146-341119d3cff0",
              privileged: true,
              justification: "because\n## Heading",
            },
          ],
        }),
      ]),
    );
    const [row] = rows(md);
    expect(cells(row)).toBe(8);
    expect(row).toContain("| ``orders/`rm -rf`\\|x`` |");
    expect(row).toContain("``a`b`` **privileged** (because ## Heading)");
    expect(md).not.toMatch(/^## Heading/m);
  });

  it("escapes a hostile stack name in its heading", () => {
    const md = markdown(manifest("evil`\n# Injected\u202e", []));
    expect(md).toContain("## Stack ``evil` # Injected\\u202e``");
    expect(md).not.toMatch(/^# Injected/m);
  });

  it("escapes Mermaid labels: quotes, brackets, newlines and entity starts", () => {
    const md = markdown(
      manifest("orders", [
        client({
          displayName: 'x"] --> evil["pwned\nclick c0 "javascript:alert(1)"#amp;',
          grants: [
            {
              api: "api://x",
              identifierUri: 'api://x"]\nend',
              scope: "orders.read",
              roleId: "25871f89-27fe-5f2b-8146-341119d3cff0",
              privileged: false,
            },
          ],
        }),
      ]),
    );
    const graph = md.slice(md.indexOf("```mermaid"), md.lastIndexOf("```"));
    const lines = graph.split("\n");
    expect(lines).toContain(
      '  c0["x#quot;#93; --#62; evil#91;#quot;pwned click c0 #quot;javascript:alert#40;1#41;#quot;#35;amp;"]',
    );
    expect(lines).toContain('  subgraph a0["api://x#quot;#93; end"]');
    expect(lines.filter((l) => l.trim() === "end")).toHaveLength(1);
    expect(lines.filter((l) => /^\s*click\b/.test(l))).toEqual([]);
  });
});

describe("report: bad manifests", () => {
  /** Writes `content` as a stack's manifest and runs `report` on the output directory. */
  async function report(content: string) {
    const dir = tempDir("mcc-report-");
    fs.mkdirSync(path.join(dir, "stacks", "orders"), { recursive: true });
    const file = path.join(dir, "stacks", "orders", MANIFEST_FILE_NAME);
    fs.writeFileSync(file, content);
    let out = "";
    let err = "";
    const code = await main(["report", dir], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      cwd: "/",
    });
    return { code, out, err, file };
  }

  const valid = JSON.parse(serializeManifest(manifest("orders", [client()]))) as Record<
    string,
    unknown
  >;
  const withClient = (patch: Record<string, unknown>) =>
    JSON.stringify({ ...valid, clients: [{ ...client(), ...patch }] });

  it.each([
    ["not JSON", "{ nope", "is not valid JSON"],
    ["null", "null", "holds null, not a machine-client manifest object"],
    ["an array", "[]", "holds an array, not a machine-client manifest object"],
    [
      "another schemaVersion",
      JSON.stringify({ ...valid, schemaVersion: 2 }),
      "schemaVersion 2 is not supported",
    ],
    [
      "no schemaVersion",
      JSON.stringify({ stack: "s", clients: [] }),
      "has no schemaVersion (this version reads 1)",
    ],
    ["clients not a list", JSON.stringify({ ...valid, clients: {} }), "clients: expected array"],
    [
      "a null client",
      JSON.stringify({ ...valid, clients: [null] }),
      "clients[0]: expected object, received null",
    ],
    [
      "grants not a list",
      withClient({ grants: null }),
      "clients[0].grants: expected array, received null",
    ],
    [
      "a number as display name",
      withClient({ displayName: 7 }),
      "clients[0].displayName: expected string, received number",
    ],
    [
      "a stack that is not text",
      JSON.stringify({ ...valid, stack: ["x"] }),
      "stack: expected string, received array",
    ],
    [
      "a grant without scope",
      withClient({ grants: [{ api: "a", identifierUri: "a", roleId: "r", privileged: false }] }),
      "clients[0].grants[0].scope: expected string, received undefined",
    ],
  ])(
    "rejects a manifest that is %s, naming the file (exit 2)",
    async (_what, content, expected) => {
      const r = await report(content);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toContain(`${r.file}: `);
      expect(r.err).toContain(expected);
      expect(r.err).not.toMatch(/Cannot read properties|TypeError|undefined is not/);
    },
  );

  it("renders the value in a bad manifest with the one renderer (bounded)", async () => {
    const r = await report(JSON.stringify({ ...valid, schemaVersion: "x".repeat(1_000_000) }));
    expect(r.code).toBe(2);
    expect(r.err.length).toBeLessThan(2_000);
    expect(r.err).toContain("(1000000 characters)");
  });

  it("rejects a manifest file that is not a regular file or is over the size cap", async () => {
    const dir = tempDir("mcc-report-");
    const big = path.join(dir, MANIFEST_FILE_NAME);
    fs.writeFileSync(big, "");
    fs.truncateSync(big, 65 * 1024 * 1024); // sparse: no 65 MiB written
    expect(() => loadManifests(big)).toThrow(/is larger than 64 MiB/);
    fs.rmSync(big);
    fs.mkdirSync(path.join(dir, "stacks", "s"), { recursive: true });
    fs.symlinkSync("/dev/zero", path.join(dir, "stacks", "s", MANIFEST_FILE_NAME));
    expect(() => loadManifests(dir)).toThrow(/is not a regular file/);
  });
});
