import * as fs from "node:fs";
import * as path from "node:path";

// docs/performance.md explains the columns of the benchmark tables without showing figures (they vary by
// machine): the column names it explains must be the ones the benchmarks print, in their order.
const ROOT = path.join(__dirname, "..", "..");
const page = fs.readFileSync(path.join(ROOT, "docs", "performance.md"), "utf8");
const source = (file: string) => fs.readFileSync(path.join(ROOT, "bench", file), "utf8");

/** The backticked names in the first column of the page's "Column | Meaning" table. */
function documentedColumns(): string[] {
  const table = page.slice(page.indexOf("| Column"));
  const rows = table
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .slice(2);
  return rows.flatMap((r) => [...r.split("|")[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

describe("docs/performance.md", () => {
  it("explains the synth benchmark's columns as bench/synth.bench.js prints them", () => {
    const header = /table\(\s*\[([^\]]*)\],\s*rows/.exec(source("synth.bench.js"));
    expect(header).not.toBeNull();
    const printed = [...header![1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(printed.length).toBeGreaterThan(0);
    expect(documentedColumns()).toEqual(printed);
  });

  it("names the check benchmark's columns as bench/check.bench.js prints them", () => {
    const header = /"\| (benchmark[^"]*) \|"/.exec(source("check.bench.js"));
    expect(header).not.toBeNull();
    const columns = header![1].split(" | ").map((c) => `\`${c}\``);
    expect(page.replace(/\s+/g, " ")).toContain(`Columns: ${columns.join(", ")}.`);
  });

  it("shows no measured figures: no table holds a number, no figure is tied to a machine", () => {
    expect(page.split("\n").filter((l) => l.startsWith("|") && /\d/.test(l))).toEqual([]);
    expect(page).not.toMatch(/this machine|Figures from|measured on/i);
  });
});
