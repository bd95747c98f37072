import { CodeBlock, codeBlocks, compileBlocks, documentationFiles } from "./code-blocks";

// Every TypeScript block in README.md and docs/ is a complete module that compiles against the
// library's sources, as a user would paste it: documented API that does not exist fails here.
// A block shows code that must not compile with a `// @ts-expect-error` line, which the compiler
// checks like any other.
describe("TypeScript blocks in the documentation", () => {
  const blocks: CodeBlock[] = documentationFiles().flatMap(codeBlocks);
  let results: Map<CodeBlock, string[]>;
  beforeAll(() => {
    results = compileBlocks(blocks);
  });

  it("finds the blocks of the Markdown files, README.md's included", () => {
    expect(blocks.every((b) => b.code.trim().length > 0)).toBe(true);
    expect(blocks.filter((b) => b.file === "README.md").length).toBeGreaterThanOrEqual(2);
  });

  it("compiles every block without errors", () => {
    const errors = [...results.values()].flat();
    expect(errors).toEqual([]);
  });
});

describe("the documentation harness", () => {
  it("reports a block that uses API that does not exist, with its Markdown line", () => {
    const block: CodeBlock = {
      file: "docs/example.md",
      line: 10,
      code: 'import { ScopeVocabulary } from "cdktf-machine-clients";\n\nScopeVocabulary.nonexistent();',
    };
    const [errors] = [...compileBlocks([block]).values()];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^docs\/example\.md:13: Property 'nonexistent' does not exist/);
  });

  it("compiles a complete block that imports the package by name", () => {
    const block: CodeBlock = {
      file: "docs/example.md",
      line: 1,
      code: [
        'import { ScopeVocabulary } from "cdktf-machine-clients";',
        'export const v = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });',
        "// @ts-expect-error offline_access is a delegated scope",
        'ScopeVocabulary.define({ offline_access: { description: "x" } });',
      ].join("\n"),
    };
    expect([...compileBlocks([block]).values()]).toEqual([[]]);
  });
});
