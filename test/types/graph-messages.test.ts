import * as path from "node:path";
import * as ts from "typescript";

// Compiles an in-memory snippet against the library with the TypeScript compiler API and returns
// the error messages per line: the @ts-expect-error lines of test/types/graph.ts prove that the
// calls fail, this proves what the compiler tells the user.
const ROOT = path.resolve(__dirname, "..", "..");
const VIRTUAL = path.join(ROOT, "test", "types", "__graph_snippet__.ts");

function compile(lines: string[]): string[][] {
  const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const options = { ...parsed.options, noEmit: true, types: [] };
  const source = ['import { MicrosoftGraph } from "../../src";', ...lines].join("\n");
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) =>
    path.resolve(file) === VIRTUAL
      ? ts.createSourceFile(file, source, lang)
      : getSourceFile(file, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => path.resolve(file) === VIRTUAL || fileExists(file);
  const program = ts.createProgram([VIRTUAL], options, host);
  const sf = program.getSourceFile(VIRTUAL)!;
  const byLine: string[][] = lines.map(() => []);
  for (const d of ts.getPreEmitDiagnostics(program, sf)) {
    const line = sf.getLineAndCharacterOfPosition(d.start ?? 0).line - 1;
    // The compiler prints the message type as a quoted literal: unescape its inner quotes.
    byLine[line].push(ts.flattenDiagnosticMessageText(d.messageText, "\n").replace(/\\"/g, '"'));
  }
  return byLine;
}

describe("compile-time messages of MicrosoftGraph.grant", () => {
  const messages = compile([
    'MicrosoftGraph.grant("User.Read.All");',
    'MicrosoftGraph.grant("User.Read");',
    'MicrosoftGraph.grant("offline_access");',
    'MicrosoftGraph.grant("openid");',
    'MicrosoftGraph.grant("Orders.Read.All");',
    'MicrosoftGraph.grant("Mail.Send");',
    'MicrosoftGraph.grant("Mail.Send", { justification: "sends the monthly invoice mails" });',
    'MicrosoftGraph.grant("user.read.all");',
    'MicrosoftGraph.grant("USER.READ.ALL");',
    'MicrosoftGraph.grant("Mail.Send", {});',
    'MicrosoftGraph.grant("mail.send", { justification: "sends the monthly invoice mails" });',
  ]);

  it("accepts application permissions, justified tier-0 ones included", () => {
    expect(messages[0]).toEqual([]);
    expect(messages[6]).toEqual([]);
  });

  it("rejects the delegated User.Read, naming the application permission User.Read.All", () => {
    expect(messages[1]).toHaveLength(1);
    expect(messages[1][0]).toContain(
      '"User.Read" is a delegated Microsoft Graph permission (user sign-in only)',
    );
    expect(messages[1][0]).toContain('Use the application permission "User.Read.All" instead.');
  });

  it.each([
    ["offline_access", 2],
    ["openid", 3],
  ])("rejects the delegated %s, saying to remove it", (name, line) => {
    expect(messages[line as number]).toHaveLength(1);
    expect(messages[line as number][0]).toContain(
      `"${name}" is a delegated Microsoft Graph permission (user sign-in only) and never applies to the client credentials flow. Remove it`,
    );
  });

  it("rejects an unknown name, saying it is not a Graph application permission", () => {
    expect(messages[4][0]).toContain(
      '"Orders.Read.All" is not a Microsoft Graph application permission (snapshot 2026-08-20)',
    );
  });

  it("rejects a tier-0 permission without a justification, asking for one", () => {
    expect(messages[5][0]).toContain(
      '"Mail.Send" is a privileged (tier-0) Microsoft Graph permission and needs a justification',
    );
  });

  it.each([
    ["user.read.all", 7],
    ["USER.READ.ALL", 8],
  ])("rejects %s in the wrong letter case, suggesting User.Read.All", (name, line) => {
    // The compile helper unescapes the quotes inside the message type.
    const message = `"${name}" is not a Microsoft Graph application permission (snapshot 2026-08-20). Did you mean "User.Read.All"? Permission names are matched exactly.`;
    expect(messages[line as number]).toEqual([
      `Argument of type '"${name}"' is not assignable to parameter of type '"${message}"'.`,
    ]);
  });

  it("suggests the right letter case of a tier-0 permission too, as the run-time error does", () => {
    expect(messages[10]).toHaveLength(1);
    expect(messages[10][0]).toContain(
      '"mail.send" is not a Microsoft Graph application permission',
    );
    expect(messages[10][0]).toContain('Did you mean "Mail.Send"?');
  });

  it("rejects a tier-0 permission with options but no justification, naming the justification", () => {
    expect(messages[9]).toHaveLength(1);
    expect(messages[9][0]).toContain(
      '"Mail.Send" is a privileged (tier-0) Microsoft Graph permission and needs a justification',
    );
  });

  it("says the same as the run-time error for a letter-case twin", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkGraphPermission } = require("../../src/graph/permissions");
    const problem = checkGraphPermission("user.read.all");
    expect(messages[7][0]).toContain(problem.problem);
    expect(messages[7][0]).toContain(problem.fix);
  });
});
