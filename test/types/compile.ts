import * as path from "node:path";
import ts from "typescript";

const configPath = path.join(__dirname, "..", "..", "tsconfig.json");

/**
 * Compiles `source` as if it were a file in test/types/ (so `../../src` resolves) and returns the
 * compiler's error messages for that file, flattened to one string each.
 */
export function compileErrors(sources: Record<string, string>): Record<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  // Files are numbered, not named after the case, so names never differ only in letter case.
  const names = Object.keys(sources);
  const fileOf = (name: string) => path.join(__dirname, `__virtual_${names.indexOf(name)}.ts`);
  const files = new Map(names.map((name) => [fileOf(name), sources[name]]));
  const options = { ...config.options, noEmit: true, noUnusedLocals: false };
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
  const result: Record<string, string[]> = {};
  for (const name of names) {
    const file = program.getSourceFile(fileOf(name))!;
    result[name] = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }
  return result;
}
