import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GRAPH_APPLICATION_PERMISSION_IDS, GRAPH_PERMISSIONS_SOURCE } from "../../src";
import { GRAPH_DELEGATED_ONLY_PERMISSIONS } from "../../src/graph/permissions.generated";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const gen = require("../../scripts/generate-graph.js") as {
  APPLICATION_FILE: string;
  DELEGATED_FILE: string;
  DEFAULT_DATA_DIR: string;
  OUTPUT: string;
  parseCsv(text: string, file: string): string[][];
  readPermissions(text: string, file: string): Map<string, string>;
  generate(input: { applicationCsv: string; delegatedCsv: string; snapshotDate?: string }): string;
  generateFromDir(dir?: string, date?: string): string;
  readSnapshotDate(dir: string): string | undefined;
};

const dataDir = process.env.GRAPH_DATA_DIR ?? gen.DEFAULT_DATA_DIR;
function readCsv(file: string): string {
  const p = path.join(dataDir, file);
  if (!fs.existsSync(p)) {
    throw new Error(
      `${p} not found: the Graph permission exports belong in the repository's data/ folder (or set GRAPH_DATA_DIR)`,
    );
  }
  return fs.readFileSync(p, "utf8");
}
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("the committed Graph table against the CSV export", () => {
  const application = gen.readPermissions(readCsv(gen.APPLICATION_FILE), gen.APPLICATION_FILE);
  const delegated = gen.readPermissions(readCsv(gen.DELEGATED_FILE), gen.DELEGATED_FILE);

  it("is exactly what the generator makes of the CSV (re-run in memory)", () => {
    const committed = fs.readFileSync(gen.OUTPUT, "utf8");
    expect(gen.generateFromDir(dataDir)).toBe(committed);
  });

  it("records the source files and the snapshot date of the data README", () => {
    expect(GRAPH_PERMISSIONS_SOURCE.applicationFile).toBe("graph-application-permissions.csv");
    expect(GRAPH_PERMISSIONS_SOURCE.delegatedFile).toBe("graph-delegated-permissions.csv");
    expect(GRAPH_PERMISSIONS_SOURCE.snapshotDate).toBe(gen.readSnapshotDate(dataDir));
    expect(GRAPH_PERMISSIONS_SOURCE.snapshotDate).toBe("2026-08-20");
  });

  it("holds every application permission of the CSV with its id, and nothing else", () => {
    const table = GRAPH_APPLICATION_PERMISSION_IDS as Record<string, string>;
    expect(Object.keys(table)).toHaveLength(716);
    expect(Object.keys(table)).toHaveLength(application.size);
    expect(GRAPH_PERMISSIONS_SOURCE.applicationCount).toBe(716);
    for (const [name, id] of application) expect(table[name]).toBe(id);
    expect(table["User.Read.All"]).toBe("df021288-bdef-4463-88db-98f22de89214");
    expect(Object.values(table).every((id) => uuid.test(id))).toBe(true);
    expect(new Set(Object.values(table)).size).toBe(716);
  });

  it("holds no delegated-only name as an application permission", () => {
    const delegatedOnly = [...delegated.keys()].filter((n) => !application.has(n));
    expect(delegatedOnly.length).toBeGreaterThan(0);
    expect(delegatedOnly).toContain("User.Read");
    expect(delegatedOnly).toContain("offline_access");
    for (const name of delegatedOnly) {
      expect(Object.prototype.hasOwnProperty.call(GRAPH_APPLICATION_PERMISSION_IDS, name)).toBe(
        false,
      );
    }
    expect(Object.keys(GRAPH_DELEGATED_ONLY_PERMISSIONS).sort()).toEqual(delegatedOnly.sort());
    expect(GRAPH_PERMISSIONS_SOURCE.delegatedCount).toBe(807);
    expect(delegated.size).toBe(807);
  });

  it("never uses the id of another delegated permission as an application role id", () => {
    // Microsoft reuses an id across the lists only for the same name (User.Export.All).
    const delegatedById = new Map([...delegated].map(([name, id]) => [id, name]));
    const clash = Object.entries(GRAPH_APPLICATION_PERMISSION_IDS).filter(
      ([name, id]) => delegatedById.has(id) && delegatedById.get(id) !== name,
    );
    expect(clash).toEqual([]);
  });

  it("suggests application permissions for delegated-only names that have one", () => {
    const only = GRAPH_DELEGATED_ONLY_PERMISSIONS as Record<string, string | null>;
    expect(only["User.Read"]).toBe("User.Read.All");
    expect(only["Mail.Send.Shared"]).toBe("Mail.Send");
    expect(only["offline_access"]).toBeNull();
    expect(only["openid"]).toBeNull();
    for (const suggestion of Object.values(only)) {
      if (suggestion !== null) expect(application.has(suggestion)).toBe(true);
    }
  });
});

describe("generate-graph.js on other exports", () => {
  const app = "id,value\n";
  const del = "id,value\n";
  const a1 = "d07a8cc0-3d51-4b77-b3b0-32704d1f69fa";
  const a2 = "df021288-bdef-4463-88db-98f22de89214";
  const d1 = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

  it("reads CRLF line ends, a byte order mark, quoted fields and reordered columns", () => {
    const text = `\uFEFFvalue,"id"\r\n"User.Read.All",${a2.toUpperCase()}\r\n"Say ""hi""",${a1}\r\n\r\n`;
    expect(gen.parseCsv(text, "x.csv")).toEqual([
      ["value", "id"],
      ["User.Read.All", a2.toUpperCase()],
      ['Say "hi"', a1],
    ]);
    const out = gen.generate({
      applicationCsv: `\uFEFFvalue,id\r\nUser.Read.All,${a2.toUpperCase()}\r\n`,
      delegatedCsv: `id,value\r\n${d1},User.Read\r\n`,
      snapshotDate: "2027-01-31",
    });
    expect(out).toContain(`"User.Read.All": "${a2}",`);
    expect(out).toContain(`"User.Read": "User.Read.All",`);
    expect(out).toContain('snapshotDate: "2027-01-31",');
  });

  it("is deterministic: the same rows in another order give the same module", () => {
    const x = gen.generate({
      applicationCsv: `${app}${a1},B.Read.All\n${a2},A.Read.All\n`,
      delegatedCsv: `${del}${d1},openid\n`,
      snapshotDate: "2027-01-31",
    });
    const y = gen.generate({
      applicationCsv: `${app}${a2},A.Read.All\n${a1},B.Read.All\n`,
      delegatedCsv: `${del}${d1},openid\n`,
      snapshotDate: "2027-01-31",
    });
    expect(x).toBe(y);
    expect(x.indexOf('"A.Read.All"')).toBeLessThan(x.indexOf('"B.Read.All"'));
  });

  it("rejects an export without the id and value columns", () => {
    expect(() =>
      gen.generate({
        applicationCsv: "name,guid\n",
        delegatedCsv: del,
        snapshotDate: "2027-01-31",
      }),
    ).toThrow(/graph-application-permissions.csv: expected the columns "id" and "value"/);
  });

  it("rejects an id that is not a UUID, naming the file and line", () => {
    expect(() =>
      gen.generate({
        applicationCsv: `${app}${a1},A.Read.All\nnot-a-uuid,B.Read.All\n`,
        delegatedCsv: del,
        snapshotDate: "2027-01-31",
      }),
    ).toThrow('graph-application-permissions.csv:3: id "not-a-uuid" is not a UUID');
  });

  it("rejects a name listed twice", () => {
    expect(() =>
      gen.generate({
        applicationCsv: `${app}${a1},A.Read.All\n${a2},A.Read.All\n`,
        delegatedCsv: del,
        snapshotDate: "2027-01-31",
      }),
    ).toThrow("graph-application-permissions.csv:3: A.Read.All is listed twice");
  });

  it("rejects an unterminated quoted field", () => {
    expect(() => gen.parseCsv('id,value\n"abc,def\n', "x.csv")).toThrow(
      "x.csv: unterminated quoted field",
    );
  });

  it("rejects a missing snapshot date", () => {
    expect(() =>
      gen.generate({ applicationCsv: app, delegatedCsv: del, snapshotDate: undefined }),
    ).toThrow("snapshot date must be YYYY-MM-DD, got undefined");
  });
});

describe("npm run generate:graph", () => {
  const script = path.join(__dirname, "..", "..", "scripts", "generate-graph.js");
  const run = (args: string[]) =>
    spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });

  it("writes the module for a data directory, with the date given", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-"));
    fs.writeFileSync(
      path.join(dir, gen.APPLICATION_FILE),
      "id,value\r\ndf021288-bdef-4463-88db-98f22de89214,User.Read.All\r\n",
    );
    fs.writeFileSync(
      path.join(dir, gen.DELEGATED_FILE),
      "id,value\r\ne1fe6dd8-ba31-4d61-89e7-88639da4683d,User.Read\r\n",
    );
    const out = path.join(dir, "out.ts");
    const r = run([dir, "--date", "2027-02-01", "--out", out]);
    expect(r.status).toBe(0);
    const text = fs.readFileSync(out, "utf8");
    expect(text).toContain('snapshotDate: "2027-02-01",');
    expect(text).toContain('"User.Read": "User.Read.All",');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("rejects a data directory without the exports, exiting non-zero", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-"));
    const r = run([dir, "--date", "2027-02-01", "--out", path.join(dir, "out.ts")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("generate-graph: ENOENT");
    expect(r.stderr).toContain(gen.APPLICATION_FILE);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
