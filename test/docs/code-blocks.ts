import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.join(__dirname, "..", "..");

/** A fenced TypeScript block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  /** The block's code. */
  readonly code: string;
}

/** The Markdown files whose code must compile: README.md and docs/ (the generated API reference excluded). */
export function documentationFiles(): string[] {
  const files = ["README.md"];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path.relative(ROOT, full) !== path.join("docs", "api")) walk(full);
      } else if (entry.name.endsWith(".md")) {
        files.push(path.relative(ROOT, full));
      }
    }
  };
  walk(path.join(ROOT, "docs"));
  return files.sort();
}

/** Every ```ts / ```typescript block of `file` (fences of three or more backticks). */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(ts|typescript)\s*$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j].trim() !== fence; j++) body.push(lines[j]);
    blocks.push({ file, line: i + 1, code: body.join("\n") });
    i = j;
  }
  return blocks;
}

/**
 * Compiles each block as its own module, with `cdktf-machine-clients` (and its subpath entries)
 * resolved to `src/`, and returns the compiler's messages per block, each with the Markdown line.
 */
export function compileBlocks(blocks: readonly CodeBlock[]): Map<CodeBlock, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  const dir = path.join(ROOT, ".gen", "doc-blocks");
  const fileOf = (i: number) => path.join(dir, `block_${i}.ts`);
  const files = new Map(blocks.map((b, i) => [fileOf(i), b.code]));
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    noUnusedLocals: false,
    baseUrl: ROOT,
    paths: {
      "cdktf-machine-clients": ["src/index.ts"],
      "cdktf-machine-clients/*": ["src/*.ts", "src/*/index.ts"],
    },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = files.get(path.resolve(fileName));
    return text !== undefined
      ? ts.createSourceFile(fileName, text, languageVersion, true)
      : getSourceFile(fileName, languageVersion, ...rest);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => files.has(path.resolve(fileName)) || fileExists(fileName);
  const program = ts.createProgram([...files.keys()], options, host);
  const result = new Map<CodeBlock, string[]>();
  blocks.forEach((block, i) => {
    const source = program.getSourceFile(fileOf(i))!;
    result.set(
      block,
      [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
        (d) => {
          const at =
            d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).line : -1;
          const where = at >= 0 ? `${block.file}:${block.line + 1 + at}` : block.file;
          return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
        },
      ),
    );
  });
  return result;
}
