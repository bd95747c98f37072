import * as fs from "node:fs";
import * as path from "node:path";
import { GeneratedBlock, ROOT, replaceGenerated, withGenerated } from "../../scripts/doc-blocks";
import { docSamples, rotationTables } from "../../scripts/doc-samples";

// Sample outputs and tables in the documentation are written by `npm run generate:doc-samples` from real
// runs (a synth of the example app, `check` on fixtures, the rotation model). Here they are regenerated in
// memory and compared with the pages: a page that drifted from what the code does fails.
const STALE = "the page differs from a real run: run npm run generate:doc-samples";

function expectUpToDate(blocks: GeneratedBlock[]): void {
  for (const [file, expected] of withGenerated(blocks)) {
    const actual = fs.readFileSync(path.join(ROOT, file), "utf8");
    if (actual !== expected) throw new Error(`${file}: ${STALE}`);
  }
}

describe("generated blocks of the documentation", () => {
  let samples: GeneratedBlock[];
  beforeAll(async () => {
    samples = await docSamples();
  });

  it("shows the rotation model's tables as the model computes them", () => {
    expect(() => expectUpToDate(rotationTables())).not.toThrow();
  });

  it("shows the report, check and policy outputs as the library prints them", () => {
    expect(samples.map((s) => s.marker).sort()).toEqual([
      "sample:check",
      "sample:check-note",
      "sample:policy-violations",
      "sample:report",
    ]);
    expect(() => expectUpToDate(samples)).not.toThrow();
  });

  it("produces samples with the facts the pages describe", () => {
    const content = (marker: string) => samples.find((s) => s.marker === marker)!.content;
    expect(content("sample:report")).toContain("1 machine client in 1 stack");
    expect(content("sample:report")).toContain("secret, rotates every 30 d, valid 60 d, 2 slots");
    expect(content("sample:check")).toMatch(/^infra\/main\.tf:\d+: error MCC001 /m);
    expect(content("sample:check-note")).toMatch(/note MCC005 [\s\S]*var\.end_date has no default/);
    expect(content("sample:policy-violations")).toMatch(
      /^Validation failed with the following errors:/m,
    );
  });

  it("fails, naming the command, when a page is stale", () => {
    const [block] = rotationTables();
    expect(() => expectUpToDate([{ ...block, content: "| stale |" }])).toThrow(
      `docs/credentials.md: ${STALE}`,
    );
  });

  it("states the Terraform version that rotation needs", () => {
    expect(fs.readFileSync(path.join(ROOT, "docs", "credentials.md"), "utf8")).toContain(
      "**Terraform ≥ 1.8**",
    );
  });
});

describe("replaceGenerated", () => {
  it("replaces only the named block", () => {
    const page = ["a", "<!-- sample:x -->", "old", "<!-- /sample:x -->", "b"].join("\n");
    expect(replaceGenerated(page, "sample:x", "| new |")).toBe(
      ["a", "<!-- sample:x -->", "", "| new |", "", "<!-- /sample:x -->", "b"].join("\n"),
    );
  });

  it("rejects a page without the block", () => {
    expect(() => replaceGenerated("no block", "sample:x", "t")).toThrow(
      "no <!-- sample:x --> … <!-- /sample:x --> block in the page",
    );
  });
});
