import * as fs from "node:fs";
import * as path from "node:path";
import { documentationFiles } from "./code-blocks";

// Prose can name API that code blocks do not compile: `manifestOf(stack)`, `ROLE_ID_NAMESPACE`. Every such name
// that the sources define must be reachable by a user, from one of the package's entry points.
const ROOT = path.join(__dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

/** Names of functions and constants that some file under src/ exports. */
function definedInSources(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, "src"))) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/^export (?:async )?(?:function|const) ([A-Za-z_$][\w$]*)/gm)) {
      names.add(m[1]);
    }
  }
  return names;
}

/** `name(` calls and `UPPER_CASE` constants written in inline code in the prose of `text`. */
export function namesInProse(text: string): Set<string> {
  const prose = text.replace(/^(\s*)(`{3,})[\s\S]*?^\1\2\s*$/gm, "");
  const names = new Set<string>();
  for (const span of prose.matchAll(/`([^`\n]+)`/g)) {
    const code = span[1];
    const call = /^([a-z][A-Za-z0-9]*)\(/.exec(code);
    if (call) names.add(call[1]);
    const constant = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$/.exec(code);
    if (constant) names.add(constant[1]);
  }
  return names;
}

describe("names of the API written in the documentation's prose", () => {
  it("are exported from an entry point of the package when the sources define them", () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const exported = new Set([
      ...Object.keys(require("../../src")),
      ...Object.keys(require("../../src/verify")),
      ...Object.keys(require("../../src/azurerm")),
    ]);
    /* eslint-enable @typescript-eslint/no-require-imports */
    const defined = definedInSources();
    const unreachable = documentationFiles().flatMap((file) =>
      [...namesInProse(fs.readFileSync(path.join(ROOT, file), "utf8"))]
        .filter((name) => defined.has(name) && !exported.has(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(unreachable).toEqual([]);
  });

  it("finds calls and constants in inline code, not in code blocks", () => {
    const text = [
      "Use `manifestOf(stack)` and `ROLE_ID_NAMESPACE`; `app.synth()` is a method; `orders.read` a scope.",
      "```ts",
      "internalHelper();",
      "```",
    ].join("\n");
    expect([...namesInProse(text)].sort()).toEqual(["ROLE_ID_NAMESPACE", "manifestOf"]);
  });
});
