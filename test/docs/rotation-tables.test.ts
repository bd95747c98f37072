import * as fs from "node:fs";
import * as path from "node:path";
import { cadenceTable, changeTable, replaceGenerated } from "../../src/credentials/rotation-table";

// docs/credentials.md shows the rotation model's tables; they are generated, never hand-edited.
const PAGE = path.join(__dirname, "..", "..", "docs", "credentials.md");

describe("docs/credentials.md", () => {
  const page = fs.readFileSync(PAGE, "utf8");

  it.each([
    ["cadences", cadenceTable],
    ["changes", changeTable],
  ])("shows the rotation model's %s table as the model computes it", (name, table) => {
    // Fails while the page is stale: run `npm run generate:rotation-tables`.
    expect(replaceGenerated(page, name, table())).toBe(page);
  });

  it("states the Terraform version that rotation needs", () => {
    expect(page).toContain("**Terraform ≥ 1.8**");
  });
});

describe("replaceGenerated", () => {
  it("replaces only the named block", () => {
    const page = ["a", "<!-- rotation-table:x -->", "old", "<!-- /rotation-table:x -->", "b"].join(
      "\n",
    );
    expect(replaceGenerated(page, "x", "| new |")).toBe(
      ["a", "<!-- rotation-table:x -->", "", "| new |", "", "<!-- /rotation-table:x -->", "b"].join(
        "\n",
      ),
    );
  });

  it("rejects a page without the block", () => {
    expect(() => replaceGenerated("no block", "x", "t")).toThrow(
      "no <!-- rotation-table:x --> … <!-- /rotation-table:x --> block in the page",
    );
  });
});
