import * as fs from "node:fs";
import * as path from "node:path";
import { HclSyntaxError, parseHcl, parseHclWithLines } from "../../src/check/hcl";
import { FIXTURES } from "./check-util";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: hcl2json } = require("@cdktf/hcl2json") as {
  parse: (file: string, text: string) => Promise<Record<string, unknown>>;
};

const ROOT = path.join(__dirname, "..", "..");

function tfFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tfFiles(full);
    return e.isFile() && e.name.endsWith(".tf") ? [full] : [];
  });
}

/** JSON with object keys sorted (hcl2json sorts them, as Go does). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

describe("check's HCL reader agrees with hcl2json", () => {
  const files = [...tfFiles(FIXTURES), ...tfFiles(path.join(ROOT, "examples"))].filter(
    (f) => !f.includes(`${path.sep}unparsable${path.sep}`),
  );

  test("on every fixture and example, including a file of unusual syntax", async () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files).toContain(path.join(FIXTURES, "hcl-syntax", "syntax.tf"));
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      const mine = canonical(parseHcl(text));
      const theirs = canonical(await hcl2json(path.basename(file), text));
      expect({ file, config: mine }).toEqual({ file, config: theirs });
    }
  });

  test("on CRLF line ends, one-line blocks, heredocs and escapes", async () => {
    const text =
      'resource "a" "b" { x = "y" }\r\nlocals {\r\n  h = <<-EOT\r\n    one\r\n      two\r\n    EOT\r\n' +
      '  s = "tab\\t \\u00e9 $${x} %%{y} ${var.z}"\r\n  l = [1,\r\n 2]\r\n}\r\n';
    expect(canonical(parseHcl(text))).toEqual(canonical(await hcl2json("x.tf", text)));
  });

  test("hands what it does not read to hcl2json: directives, and errors", () => {
    expect(() => parseHcl('locals {\n  a = "%{ if true }x%{ endif }"\n}\n')).toThrow(
      HclSyntaxError,
    );
    expect(() => parseHcl('resource "a" "b" {\n  x = 1\n')).toThrow(HclSyntaxError);
    expect(() => parseHcl("x = 1 y = 2\n")).toThrow(HclSyntaxError);
    expect(() => parseHcl("x = 1\nx = 2\n")).toThrow(HclSyntaxError);
    expect(() => parseHcl('x = "unterminated\n')).toThrow(HclSyntaxError);
  });

  test("gives the header line of each resource and data block", () => {
    const { lines } = parseHclWithLines(
      '# c\nresource "a" "b" {\n  x = 1\n}\n\n/* resource "a" "c" { */\ndata "d" "e" {}\n',
    );
    expect([...lines]).toEqual([
      ["resource a b", 2],
      ["data d e", 7],
    ]);
  });
});
