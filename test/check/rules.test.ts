import * as fs from "node:fs";
import * as path from "node:path";
import { CHECK_RULES, RULES } from "../../src/check";

const RULES_DIR = path.join(__dirname, "..", "..", "src", "check", "rules");

describe("check's rules: one file a rule, each describing itself", () => {
  test("ids are unique, in order, and stable", () => {
    expect(CHECK_RULES.map((r) => r.id)).toEqual([
      "MCC001",
      "MCC002",
      "MCC003",
      "MCC004",
      "MCC005",
      "MCC006",
      "MCC007",
      "MCC008",
      "MCC009",
      "MCC010",
      "MCC011",
      "MCC012",
      "MCC013",
    ]);
    expect(RULES).toBe(CHECK_RULES);
  });

  test("every rule has a name, severity, description, explanation, fix and what it cannot decide", () => {
    for (const r of CHECK_RULES) {
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(["error", "warning", "note"]).toContain(r.severity);
      expect(r.description.length).toBeGreaterThan(20);
      expect(r.explanation.length).toBeGreaterThan(r.description.length);
      expect(r.fix.length).toBeGreaterThan(20);
      expect(r.undecidable.length).toBeGreaterThan(20);
      expect(typeof r.check).toBe("function");
    }
    expect(new Set(CHECK_RULES.map((r) => r.name)).size).toBe(CHECK_RULES.length);
  });

  test("each rule lives in its own file, named after its id", () => {
    const files = fs.readdirSync(RULES_DIR).filter((f) => /^mcc\d{3}-.*\.ts$/.test(f));
    expect(files.map((f) => f.slice(0, 6).toUpperCase()).sort()).toEqual(
      CHECK_RULES.map((r) => r.id),
    );
    for (const r of CHECK_RULES) {
      const file = files.find((f) => f.toUpperCase().startsWith(r.id))!;
      const text = fs.readFileSync(path.join(RULES_DIR, file), "utf8");
      expect(text).toContain(`name: "${r.name}"`);
    }
  });

  test("docs/check.md lists every rule with its name and severity", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "check.md"), "utf8");
    for (const r of CHECK_RULES) {
      const row = doc.split("\n").find((l) => l.startsWith(`| ${r.id} `));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${r.name} `);
      expect(row).toContain(r.severity);
    }
  });

  test("the rule list and each rule are frozen", () => {
    expect(Object.isFrozen(CHECK_RULES)).toBe(true);
    for (const r of CHECK_RULES) expect(Object.isFrozen(r)).toBe(true);
  });
});
