import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

// A user's clone holds only the repository: nothing in it may read a folder beside it.
describe("the repository stands on its own", () => {
  const outside = ["..", "shared"].join("/"); // spelt in two parts so this file does not match
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f !== "" && f !== "package-lock.json" && fs.existsSync(path.join(ROOT, f)));

  it("lists the tracked files", () => {
    expect(tracked).toEqual(expect.arrayContaining(["package.json", "data/README.md"]));
  });

  it("has no file that refers to a shared folder outside the repository", () => {
    const offenders = tracked.filter((f) =>
      fs.readFileSync(path.join(ROOT, f), "latin1").includes(outside),
    );
    expect(offenders).toEqual([]);
  });

  it("keeps the Graph permission exports it generates from, with their provenance", () => {
    for (const f of ["graph-application-permissions.csv", "graph-delegated-permissions.csv"]) {
      expect(tracked).toContain(`data/${f}`);
    }
    expect(fs.readFileSync(path.join(ROOT, "data", "README.md"), "utf8")).toMatch(
      /merill\/microsoft-info[\s\S]*MIT licence[\s\S]*snapshot of \d{4}-\d{2}-\d{2}/,
    );
  });
});

describe("licence and packaging", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

  it("ships the Apache-2.0 text that package.json names, with the copyright line", () => {
    expect(pkg.license).toBe("Apache-2.0");
    expect(pkg.files).toContain("LICENSE");
    const text = fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8");
    expect(text.split("\n")[0]).toBe("Copyright 2026 The cdktf-machine-clients authors");
    expect(text).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004$/m);
    expect(text).toContain("END OF TERMS AND CONDITIONS");
  });

  it("builds lib/ when packed, not on install (no install script for consumers)", () => {
    expect(pkg.scripts.prepack).toBe("npm run build");
    expect(pkg.scripts).not.toHaveProperty("prepare");
    expect(pkg.scripts).not.toHaveProperty("install");
    expect(pkg.scripts).not.toHaveProperty("postinstall");
  });
});
