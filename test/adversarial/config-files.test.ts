import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import {
  ConfigFileError,
  DELEGATED_SCOPES,
  MachineClients,
  MachineClientsError,
  manifestOf,
} from "../../src";
import { configApis } from "../config/fixtures";
import { errorOf, newStack } from "../util";

// Attacks on config files (issue 10, item 7): each hostile file gives one ConfigFileError that
// lists every problem with file:line, reads nothing unbounded, and creates nothing — neither in
// the construct tree nor in machine-clients.json.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mc-adversarial-"));
  dirs.push(dir);
  return dir;
}

const PEM = readFileSync(join(__dirname, "../fixtures/client-cert.pem"), "utf8");
const END_DATE = new Date(Date.now() + 180 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");

/** Loads `text` as `file` into a fresh stack; returns the error (nothing may have been created). */
function rejected(text: string, file = "integrations.yaml"): ConfigFileError {
  const stack = newStack();
  const apis = configApis(stack);
  const before = stack.node.findAll().length;
  const e = errorOf(() => MachineClients.fromText(stack, file, text, { apis }));
  expect(e).toBeInstanceOf(ConfigFileError);
  expect(stack.node.findAll().length).toBe(before);
  expect(manifestOf(stack).clients).toEqual([]);
  return e as ConfigFileError;
}

/** Reads `name` (written into a fresh directory with `files`) with fromFile. */
function rejectedFile(
  name: string,
  text: string | Buffer,
  files: Record<string, string> = {},
): ConfigFileError {
  const dir = tempDir();
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), content);
  }
  writeFileSync(join(dir, name), text);
  const stack = newStack();
  const apis = configApis(stack);
  const before = stack.node.findAll().length;
  const e = errorOf(() => MachineClients.fromFile(stack, join(dir, name), { apis }));
  expect(e).toBeInstanceOf(ConfigFileError);
  expect(stack.node.findAll().length).toBe(before);
  return e as ConfigFileError;
}

/** Every problem has a line, and the message names it as file:line. */
function expectLines(e: ConfigFileError): void {
  for (const p of e.problems) {
    expect(p.line).toEqual(expect.any(Number));
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(e.message).toContain(`${e.file}:${p.line} ${p.message}`);
  }
}

const codesAndLines = (e: ConfigFileError) => e.problems.map((p) => [p.line, p.code]);

/** A certificate client whose PEM file is `pemFile`. */
const certificateClient = (pemFile: string) =>
  [
    "clients:",
    "  - name: cert",
    "    access: [{ api: orders, scope: orders.read }]",
    "    credential:",
    "      type: certificate",
    `      pemFile: ${JSON.stringify(pemFile)}`,
    `      endDate: "${END_DATE}"`,
  ].join("\n");

describe("config files: every problem in one pass", () => {
  it("rejects schema and semantic problems of one entry together", () => {
    const e = rejected(
      [
        "clients:",
        "  - name: job",
        "    access:",
        "      - { api: orders, scope: offline_access }",
        "      - { api: nope, scope: orders.read }",
        "      - { api: orders, scope: orders.delete }",
        "    credential: { type: password }",
      ].join("\n"),
    );
    expect(codesAndLines(e)).toEqual([
      [4, "DELEGATED_SCOPE"],
      [5, "CONFIG_UNKNOWN_API"],
      [6, "SCOPE_NOT_IN_VOCABULARY"],
      [7, "CONFIG_SCHEMA"],
    ]);
    expectLines(e);
  });

  it("rejects a delegated scope in an entry whose name and credential are malformed", () => {
    const e = rejected(
      JSON.stringify(
        {
          clients: [
            {
              name: "bad name!",
              access: [{ api: "orders", scope: "OpenID", justification: 7 }],
              credential: { type: "secret", validityDays: "60" },
              extra: true,
            },
          ],
        },
        null,
        2,
      ),
      "integrations.json",
    );
    expect(codesAndLines(e)).toEqual([
      [4, "CONFIG_SCHEMA"],
      [8, "DELEGATED_SCOPE"],
      [9, "CONFIG_SCHEMA"],
      [14, "CONFIG_SCHEMA"],
      [16, "CONFIG_UNKNOWN_KEY"],
    ]);
    expectLines(e);
  });

  it("rejects a privileged grant without justification in an entry with an unknown top-level key", () => {
    const e = rejected(
      [
        "version: 2",
        "clients:",
        "  - name: repair",
        "    access: [{ api: orders, scope: orders.admin }]",
        "    credential: { type: secret, validityDays: 365 }",
      ].join("\n"),
    );
    expect(codesAndLines(e)).toEqual([
      [1, "CONFIG_UNKNOWN_KEY"],
      [4, "PRIVILEGED_JUSTIFICATION"],
      [5, "SECRET_VALIDITY_TOO_LONG"],
    ]);
  });

  it("gives a line to problems about the whole file", () => {
    expectLines(rejected(""));
    expectLines(rejected("[]", "integrations.json"));
    expectLines(rejected("clients: []\n"));
    expectLines(rejected("clients: x", "integrations.txt"));
    expect(rejected("").problems[0].line).toBe(1);
  });

  it("rejects YAML syntax errors without '(got undefined)'", () => {
    const e = rejected("clients:\n  - name: [unclosed\n");
    expect(e.problems[0]).toMatchObject({ code: "CONFIG_SYNTAX", line: 3 });
    expect(e.message).not.toContain("(got");
    const j = rejected('{\n  "clients": [\n    { "name": "a", }\n  ]\n}\n', "integrations.json");
    expect(j.problems[0]).toMatchObject({ code: "CONFIG_SYNTAX", line: 3 });
    expect(j.message).not.toContain("(got");
  });
});

describe("config files: duplicate keys", () => {
  it("rejects a JSON key given twice, naming both lines", () => {
    const text = [
      "{",
      '  "clients": [',
      "    {",
      '      "name": "job",',
      '      "access": [{ "api": "orders",',
      '        "scope": "offline_access",',
      '        "scope": "orders.read" }],',
      '      "credential": { "type": "secret" }',
      "    }",
      "  ]",
      "}",
    ].join("\n");
    const e = rejected(text, "integrations.json");
    // The file is rejected for the duplicate; the other checks see the value a parser keeps.
    expect(codesAndLines(e)).toEqual([[7, "CONFIG_DUPLICATE_KEY"]]);
    expect(e.problems[0].message).toBe(
      'clients[0] "job" › access[0]: key "scope" is given twice, at lines 6 and 7; a parser keeps only one of them. Keep one "scope".',
    );
  });

  it('rejects the one-line JSON attack \'"scope":"offline_access","scope":"orders.read"\'', () => {
    const e = rejected(
      '{"clients":[{"name":"job","access":[{"api":"orders","scope":"offline_access","scope":"orders.read"}],"credential":{"type":"secret"}}]}',
      "integrations.json",
    );
    expect(e.problems.map((p) => p.code)).toEqual(["CONFIG_DUPLICATE_KEY"]);
    expect(e.problems[0].message).toMatch(/key "scope" is given twice, at lines 1 and 1/);
  });

  it("rejects JSON keys that are equal once unescaped", () => {
    const e = rejected(
      '{"clients":[{"name":"job","access":[{"api":"orders","scope":"openid","\\u0073cope":"orders.read"}],"credential":{"type":"secret"}}]}',
      "integrations.json",
    );
    expect(e.problems.map((p) => p.code)).toContain("CONFIG_DUPLICATE_KEY");
  });

  it("rejects a YAML key given twice, naming both lines, with the file's other problems", () => {
    const e = rejected(
      [
        "clients:",
        "  - name: job",
        "    access:",
        "      - api: orders",
        "        scope: offline_access",
        "        scope: orders.read",
        "    credential: { type: secret, validityDays: 365 }",
      ].join("\n"),
    );
    expect(codesAndLines(e)).toEqual([
      [6, "CONFIG_DUPLICATE_KEY"],
      [7, "SECRET_VALIDITY_TOO_LONG"],
    ]);
    expect(e.problems[0].message).toMatch(/key "scope" is given twice, at lines 5 and 6/);
  });

  it("rejects YAML keys that become the same JavaScript key (1 and '1')", () => {
    const e = rejected('clients:\n  - name: job\n    1: a\n    "1": b\n');
    expect(e.problems.map((p) => [p.line, p.code])).toContainEqual([4, "CONFIG_DUPLICATE_KEY"]);
  });

  it("rejects YAML keys that are not plain text", () => {
    const e = rejected("clients:\n  - ? [name, x]\n    : job\n");
    expect(e.problems[0]).toMatchObject({ code: "CONFIG_KEY_NOT_TEXT", line: 2 });
  });
});

describe("config files: pemFile", () => {
  it("rejects a character device (/dev/zero) without reading it", () => {
    const e = rejectedFile("integrations.yaml", certificateClient("/dev/zero"));
    expect(codesAndLines(e)).toEqual([[6, "CONFIG_PEM_FILE_NOT_REGULAR"]]);
    expect(e.problems[0].message).toMatch(
      /credential.pemFile: the certificate's PEM file is not a regular file \(a character device: \/dev\/zero\) \(got "\/dev\/zero"\)/,
    );
  });

  it("rejects a FIFO without waiting for a writer", () => {
    const dir = tempDir();
    execFileSync("mkfifo", [join(dir, "cert.pem")]);
    const file = join(dir, "integrations.yaml");
    writeFileSync(file, certificateClient("cert.pem"));
    const stack = newStack();
    const e = errorOf(() =>
      MachineClients.fromFile(stack, file, { apis: configApis(stack) }),
    ) as ConfigFileError;
    expect(codesAndLines(e)).toEqual([[6, "CONFIG_PEM_FILE_NOT_REGULAR"]]);
    expect(e.problems[0].message).toMatch(/is not a regular file \(a FIFO/);
  });

  it("rejects a directory", () => {
    const e = rejectedFile("integrations.yaml", certificateClient("certs"), {
      "certs/client.pem": PEM,
    });
    expect(e.problems[0].code).toBe("CONFIG_PEM_FILE_NOT_REGULAR");
    expect(e.problems[0].message).toMatch(/not a regular file \(a directory/);
  });

  it("follows a symlink and checks its target", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "real.pem"), PEM);
    symlinkSync(join(dir, "real.pem"), join(dir, "good.pem"));
    symlinkSync("/dev/zero", join(dir, "zero.pem"));
    const good = join(dir, "good.yaml");
    writeFileSync(good, certificateClient("good.pem"));
    const stack = newStack();
    const apis = configApis(stack);
    expect(MachineClients.fromFile(stack, good, { apis }).clients.size).toBe(1);
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, certificateClient("zero.pem"));
    const e = errorOf(() => MachineClients.fromFile(stack, bad, { apis })) as ConfigFileError;
    expect(e.problems[0].code).toBe("CONFIG_PEM_FILE_NOT_REGULAR");
  });

  it("rejects a PEM file over 64 KiB", () => {
    const e = rejectedFile("integrations.yaml", certificateClient("big.pem"), {
      "big.pem": PEM + "#".repeat(64 * 1024),
    });
    expect(codesAndLines(e)).toEqual([[6, "CONFIG_PEM_FILE_TOO_LARGE"]]);
    expect(e.problems[0].message).toMatch(/is larger than 64 KiB/);
  });

  it("reports a bad PEM file together with the file's other problems", () => {
    const text = certificateClient("/dev/zero").replace("orders.read", "offline_access");
    const e = rejectedFile("integrations.yaml", text);
    expect(e.problems.map((p) => p.code)).toEqual([
      "DELEGATED_SCOPE",
      "CONFIG_PEM_FILE_NOT_REGULAR",
    ]);
  });
});

describe("config files: hostile content", () => {
  it("rejects a config file that is not a regular file", () => {
    const stack = newStack();
    const apis = configApis(stack);
    const dir = tempDir();
    symlinkSync("/dev/zero", join(dir, "zero.yaml"));
    const e = errorOf(() =>
      MachineClients.fromFile(stack, join(dir, "zero.yaml"), { apis }),
    ) as ConfigFileError;
    expect(e.problems[0]).toMatchObject({ code: "CONFIG_FILE_NOT_REGULAR", line: 1 });
    expect(e.problems[0].message).toMatch(/the file is not a regular file \(a character device\)/);
    execFileSync("mkfifo", [join(dir, "fifo.yaml")]);
    const f = errorOf(() =>
      MachineClients.fromFile(stack, join(dir, "fifo.yaml"), { apis }),
    ) as ConfigFileError;
    expect(f.problems[0]).toMatchObject({ code: "CONFIG_FILE_NOT_REGULAR", line: 1 });
  });

  it("rejects a file over 4 MiB without parsing it", () => {
    const big = "clients:\n" + "#".repeat(4 * 1024 * 1024) + "\n";
    const e = rejectedFile("integrations.yaml", big);
    expect(codesAndLines(e)).toEqual([[1, "CONFIG_TOO_LARGE"]]);
    expect(rejected(big).problems[0].code).toBe("CONFIG_TOO_LARGE");
  });

  it("rejects deeply nested YAML and JSON with the line, without exhausting the stack", () => {
    const flow = rejected(`clients:\n  - name: ${"[".repeat(100_000)}`);
    expect(codesAndLines(flow)).toEqual([[2, "CONFIG_TOO_DEEP"]]);
    const block = rejected(
      "clients:\n" +
        Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(i + 2)}- `).join("\n") +
        "x\n",
    );
    expect(block.problems[0].code).toBe("CONFIG_TOO_DEEP");
    const compact = rejected(`clients:\n  - ${"- ".repeat(50_000)}x\n`);
    expect(compact.problems[0].code).toBe("CONFIG_TOO_DEEP");
    const json = rejected(
      `{"clients":\n${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      "integrations.json",
    );
    expect(codesAndLines(json)).toEqual([[2, "CONFIG_TOO_DEEP"]]);
  });

  it("rejects a hostile file name or id without building anything", () => {
    const stack = newStack();
    const apis = configApis(stack);
    const before = stack.node.findAll().length;
    const text =
      "clients:\n  - name: a\n    access: [{ api: orders, scope: orders.read }]\n    credential: { type: secret }\n";
    const id = errorOf(() =>
      MachineClients.fromText(stack, "a.yaml", text, { apis, id: {} as never }),
    );
    expect(id).toBeInstanceOf(MachineClientsError);
    expect(id.message).toMatch(/options.id must be a non-empty string without "\/" \(got \{\}\)/);
    const name = errorOf(() =>
      MachineClients.fromText(stack, `${"x".repeat(1_000_000)}\u202e.yaml`, "clients: 1", { apis }),
    ) as ConfigFileError;
    expect(name.message.length).toBeLessThan(3_000);
    expect(name.message).not.toContain("\u202e"); // escaped as the text \\u202e
    expect(stack.node.findAll().length).toBe(before);
  });

  it("stops after 1,000 problems on a file of 2,000 broken entries", () => {
    const e = rejected(`clients:\n${"  - {}\n".repeat(2_000)}`);
    // 334 entries of 3 problems each (name, access, credential missing), then the checks stop.
    expect(e.problems).toHaveLength(1003);
    expect(e.problems[1]).toMatchObject({ line: 2, entry: "clients[0].access" });
    expect(e.problems[2].message).toBe(
      'clients[0].credential: "credential" is required. Write credential: { type: secret, rotationDays: 30, validityDays: 60 } (or githubActions, kubernetes, federated, certificate), or a list of them for a migration.',
    );
    expect(e.problems[1002]).toMatchObject({
      code: "CONFIG_TOO_MANY_PROBLEMS",
      line: 336,
      entry: "clients[334]",
    });
    expect(e.message.split("\n")).toHaveLength(102); // the summary, 100 problems, "… and 903 more"
  });

  it("rejects a YAML alias bomb ('billion laughs') with the line of an alias", () => {
    const lol = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
      "clients: [*f]",
    ].join("\n");
    const e = rejected(lol);
    expect(codesAndLines(e)).toEqual([[2, "CONFIG_ALIASES"]]);
    expect(e.message).not.toContain("(got");
  });

  it("rejects __proto__ and constructor keys as unknown keys, without polluting prototypes", () => {
    const e = rejected(
      [
        "clients:",
        "  - name: job",
        "    __proto__: { polluted: true }",
        "    constructor: x",
        "    access: [{ api: __proto__, scope: constructor }, { api: orders, scope: toString }]",
        "    credential: { type: secret, __proto__: 1 }",
      ].join("\n"),
    );
    expect(codesAndLines(e)).toEqual([
      [3, "CONFIG_UNKNOWN_KEY"],
      [4, "CONFIG_UNKNOWN_KEY"],
      [5, "CONFIG_UNKNOWN_API"],
      [5, "SCOPE_NOT_IN_VOCABULARY"],
      [6, "CONFIG_UNKNOWN_KEY"],
    ]);
    expect(e.message).not.toContain("[object Object]");
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const j = rejected(
      '{"clients":[{"name":"job","__proto__":{"x":1},"access":[{"api":"orders","scope":"orders.read"}],"credential":{"type":"secret"}}]}',
      "integrations.json",
    );
    expect(j.problems.map((p) => p.code)).toEqual(["CONFIG_UNKNOWN_KEY"]);
  });

  it("reads YAML and JSON that start with a UTF-8 byte order mark", () => {
    const yaml =
      "\uFEFFclients:\n  - name: job\n    access: [{ api: orders, scope: orders.read }]\n    credential: { type: secret }\n";
    const json =
      '\uFEFF{"clients":[{"name":"job","access":[{"api":"orders","scope":"orders.read"}],"credential":{"type":"secret"}}]}';
    for (const [file, text] of [
      ["integrations.yaml", yaml],
      ["integrations.json", json],
    ]) {
      const stack = newStack();
      expect(
        MachineClients.fromText(stack, file, text, { apis: configApis(stack) }).clients.size,
      ).toBe(1);
    }
  });

  it("rejects bytes that are not UTF-8, with the line", () => {
    const text = Buffer.concat([
      Buffer.from("clients:\n  - name: job\n    displayName: caf"),
      Buffer.from([0xe9]), // Latin-1 "é"
      Buffer.from("\n    access: [{ api: orders, scope: orders.read }]\n"),
    ]);
    const e = rejectedFile("integrations.yaml", text);
    expect(codesAndLines(e)).toEqual([[3, "CONFIG_ENCODING"]]);
    const utf16 = rejectedFile(
      "integrations.yaml",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("clients: []", "utf16le")]),
    );
    expect(utf16.problems[0].message).toMatch(/UTF-16/);
  });

  it("renders a 1 MB value on a very long line in a bounded message", () => {
    const scope = "x".repeat(1_000_000);
    const e = rejected(
      `clients:\n  - name: job\n    access: [{ api: orders, scope: ${scope} }]\n    credential: { type: secret }\n`,
    );
    expect(e.problems[0]).toMatchObject({ line: 3 });
    expect(e.message.length).toBeLessThan(2_000);
    expect(e.message).toContain("(1000000 characters)");
  });

  it("escapes NUL, control and bidi characters of values in messages", () => {
    const e = rejected(
      JSON.stringify({
        clients: [
          {
            name: "job",
            access: [
              { api: "orders\n", scope: "orders.read" },
              { api: "orders", scope: "orders.read\u0000\u001b[2J\u202egnp.exe" },
            ],
            credential: { type: "secret" },
          },
        ],
      }),
      "integrations.json",
    );
    // eslint-disable-next-line no-control-regex
    expect(e.message.replace(/\n {2}/g, " ")).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(e.message).toContain("\\u0000\\u001b[2J\\u202egnp.exe");
  });

  it("lists no client in machine-clients.json when building the file's clients fails", () => {
    const stack = newStack();
    const apis = configApis(stack);
    let calls = 0;
    // An API whose grant() works once, then throws: the first client is built, the second fails.
    const flaky = Object.create(apis.orders, {
      grant: {
        value: (...args: unknown[]) => {
          if (++calls > 1) throw new Error("boom");
          return (apis.orders.grant as (...a: unknown[]) => unknown)(...args);
        },
      },
    });
    const text = stringify({
      clients: ["a", "b"].map((name) => ({
        name,
        access: [{ api: "orders", scope: "orders.read" }],
        credential: { type: "secret" },
      })),
    });
    const e = errorOf(() =>
      MachineClients.fromText(stack, "integrations.yaml", text, {
        apis: { ...apis, orders: flaky },
      }),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(stack.node.tryFindChild("integrations")).toBeUndefined();
    expect(manifestOf(stack).clients).toEqual([]);
  });
});

describe("config files under hostile generation", () => {
  const stack = newStack("hostile");
  const apis = configApis(stack);
  const base = stack.node.findAll().length;

  /** Loads `text`; asserts a ConfigFileError with lines and an unchanged tree and manifest. */
  function expectRejected(file: string, text: string): ConfigFileError {
    let error: unknown;
    try {
      MachineClients.fromText(stack, file, text, { apis });
    } catch (e) {
      error = e;
    }
    if (!(error instanceof ConfigFileError)) {
      stack.node.tryRemoveChild(file.replace(/\.(ya?ml|json)$/, ""));
      throw new Error(`expected a ConfigFileError for\n${text}\ngot ${String(error)}`);
    }
    expect(error.problems.length).toBeGreaterThan(0);
    expectLines(error);
    expect(stack.node.findAll().length).toBe(base);
    expect(manifestOf(stack).clients).toEqual([]);
    return error;
  }

  /** Look-alikes of a delegated scope: letter case, Cyrillic and Greek letters, dotless i. */
  const LOOK_ALIKES: Record<string, string> = { o: "о", e: "е", a: "а", i: "ı", p: "р" };
  const lookAlike = (scope: string) =>
    fc
      .array(fc.nat(2), { minLength: scope.length, maxLength: scope.length })
      .map((how) =>
        [...scope]
          .map((c, i) =>
            how[i] === 1 ? c.toUpperCase() : how[i] === 2 ? (LOOK_ALIKES[c] ?? c) : c,
          )
          .join(""),
      );

  const client = (scope: string) => ({
    name: "job",
    access: [{ api: "orders", scope }],
    credential: { type: "secret" },
  });

  it("rejects delegated scopes in any letter case or with look-alike letters", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DELEGATED_SCOPES).chain(lookAlike),
        fc.constantFrom("yaml", "json"),
        (scope, format) => {
          const config = { clients: [client(scope)] };
          const text = format === "yaml" ? stringify(config) : JSON.stringify(config, null, 2);
          const e = expectRejected(`integrations.${format}`, text);
          expect(e.problems[0].line).toBe(format === "yaml" ? 5 : 8);
        },
      ),
      { numRuns: 200 },
    );
  });

  /** Where each key is given a second time: [index to insert at, line] for YAML, then JSON. */
  const SECOND_KEY: Record<string, [number, string, number, string]> = {
    name: [2, "    name: job2", 3, '    "name": "job2",'],
    access: [
      5,
      "    access: [{ api: orders, scope: {second} }]",
      7,
      '    "access": [{ "api": "orders", "scope": "{second}" }],',
    ],
    credential: [
      7,
      "    credential: { type: secret }",
      7,
      '    "credential": { "type": "secret" },',
    ],
    api: [4, "        api: billing", 5, '      "api": "billing",'],
    scope: [5, "        scope: {second}", 5, '      "scope": "{second}",'],
    type: [7, "      type: secret", 8, '      "type": "secret",'],
  };
  /** The 1-based lines of each key's first occurrence, for YAML then JSON (before insertion). */
  const FIRST_LINE: Record<string, [number, number]> = {
    name: [2, 3],
    access: [3, 4],
    credential: [6, 8],
    api: [4, 5],
    scope: [5, 6],
    type: [7, 9],
  };

  it("rejects a key given twice anywhere, naming both lines", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(SECOND_KEY)),
        fc.constantFrom("yaml", "json"),
        fc.boolean(),
        (key, format, delegatedFirst) => {
          const [first, second] = delegatedFirst
            ? ["offline_access", "orders.read"]
            : ["orders.read", "offline_access"];
          const lines =
            format === "yaml"
              ? [
                  "clients:",
                  "  - name: job",
                  "    access:",
                  "      - api: orders",
                  `        scope: ${first}`,
                  "    credential:",
                  "      type: secret",
                ]
              : [
                  "{",
                  '  "clients": [{',
                  '    "name": "job",',
                  '    "access": [{',
                  '      "api": "orders",',
                  `      "scope": "${first}"`,
                  "    }],",
                  '    "credential": {',
                  '      "type": "secret"',
                  "    }",
                  "  }]",
                  "}",
                ];
          const [yamlAt, yamlLine, jsonAt, jsonLine] = SECOND_KEY[key];
          const at = format === "yaml" ? yamlAt : jsonAt;
          lines.splice(
            at,
            0,
            (format === "yaml" ? yamlLine : jsonLine).replace("{second}", second),
          );
          const original = FIRST_LINE[key][format === "yaml" ? 0 : 1];
          const inserted = at + 1;
          const [a, b] = [original >= inserted ? original + 1 : original, inserted].sort(
            (x, y) => x - y,
          );
          const e = expectRejected(`integrations.${format}`, lines.join("\n"));
          const dup = e.problems.find((p) => p.code === "CONFIG_DUPLICATE_KEY");
          expect(dup).toMatchObject({ line: b });
          expect(dup?.message).toContain(`key "${key}" is given twice, at lines ${a} and ${b}`);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("rejects random bytes with lines and creates nothing", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom("yaml", "json"),
        (bytes, format) => {
          const dir = tempDir();
          const file = join(dir, `integrations.${format}`);
          writeFileSync(file, bytes);
          let error: unknown;
          try {
            MachineClients.fromFile(stack, file, { apis });
          } catch (e) {
            error = e;
          }
          rmSync(dir, { recursive: true, force: true });
          expect(error).toBeInstanceOf(ConfigFileError);
          expectLines(error as ConfigFileError);
          expect(stack.node.findAll().length).toBe(base);
        },
      ),
      { numRuns: 100 },
    );
  });
});
