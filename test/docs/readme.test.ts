import * as fs from "node:fs";
import * as path from "node:path";
import { documentationFiles } from "./code-blocks";
import { anchorsOf, brokenLinks, linksOf } from "./links";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

// The README is what a new user reads first: short, readable in a terminal, no dead links.
describe("README.md", () => {
  const lines = read("README.md").split(/\r?\n/);

  it("has at most 250 lines", () => {
    expect(lines.length).toBeLessThanOrEqual(250);
  });

  it("has no line longer than 120 characters", () => {
    const long = lines
      .map((line, i) => ({ line: i + 1, length: [...line].length }))
      .filter((l) => l.length > 120);
    expect(long).toEqual([]);
  });

  it("states the requirements before the install line", () => {
    const text = lines.join("\n");
    const install = text.indexOf("npm install cdktf-machine-clients");
    for (const requirement of [
      "Node.js ≥ 20",
      "Terraform ≥ 1.8",
      "cdktf 0.21",
      "`@cdktf/provider-azuread` ^14.3.1",
      "`@cdktf/provider-time` ^11.0.1",
    ]) {
      expect(text.indexOf(requirement)).toBeGreaterThan(-1);
      expect(text.indexOf(requirement)).toBeLessThan(install);
    }
  });

  it("links every page of docs/", () => {
    const linked = new Set(linksOf("README.md", read("README.md")).map((l) => l.target));
    const pages = fs
      .readdirSync(path.join(ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`);
    // docs/README.md, the index, links the pages that the README's list leaves out.
    const index = new Set(linksOf("docs/README.md", read("docs/README.md")).map((l) => l.target));
    expect(pages.filter((p) => !linked.has(p) && !index.has(p))).toEqual([]);
    expect(linked.has("docs/README.md")).toBe(true);
  });
});

describe("relative links in README.md and docs/", () => {
  it("point at files and headings that exist", () => {
    const broken = documentationFiles().flatMap((file) => brokenLinks(file, read(file)));
    expect(broken).toEqual([]);
  });
});

describe("the link checker", () => {
  it("reports a missing file and a missing heading, with the Markdown line", () => {
    const text = [
      "# Title",
      "",
      "See [a](missing.md), [b](#title), [c](#nowhere) and [d](../README.md#requirements).",
      "[e](https://example.com/x.md) and `[f](inside-code.md)`",
      "```ts",
      "const x = [g](missing-in-code.md);",
      "```",
    ].join("\n");
    expect(brokenLinks("docs/example.md", text)).toEqual([
      "docs/example.md:3: missing.md (no such file)",
      "docs/example.md:3: #nowhere (no such heading in docs/example.md)",
    ]);
  });

  it("derives heading anchors as GitHub does", () => {
    expect(
      anchorsOf(
        [
          "# Inventory: `machine-clients.json`",
          "## Token verification: `npm run bench -- verify`",
          "## Entra's limits, checked at synth",
          "## Rules",
          "## Rules",
          '### <a id="mcc001"></a>MCC001 DelegatedPermissionOnMachineClient',
        ].join("\n"),
      ),
    ).toEqual(
      new Set([
        "inventory-machine-clientsjson",
        "token-verification-npm-run-bench----verify",
        "entras-limits-checked-at-synth",
        "rules",
        "rules-1",
        "mcc001-delegatedpermissiononmachineclient",
        "mcc001",
      ]),
    );
  });
});
