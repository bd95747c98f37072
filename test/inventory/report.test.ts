import * as fs from "node:fs";
import * as path from "node:path";
import { MANIFEST_FILE_NAME, MachineClientManifest, serializeManifest } from "../../src";
import { main } from "../../src/cli/main";
import {
  describeCredential,
  formatOffset,
  loadManifests,
  reportMarkdown,
} from "../../src/inventory/report";
import { removeTempDirs, tempDir } from "../check/check-util";

afterAll(removeTempDirs);

const manifest = (
  stack: string,
  clients: MachineClientManifest["clients"],
): MachineClientManifest => ({
  schemaVersion: 1,
  stack,
  clients,
});

const billing: MachineClientManifest["clients"][number] = {
  displayName: "billing-sync",
  path: "orders/BillingSync",
  owners: [],
  ownersDefaultToDeployer: true,
  flow: "client_credentials",
  grants: [
    {
      api: "api://contoso.example/orders",
      identifierUri: "api://contoso.example/orders",
      scope: "orders.read",
      roleId: "25871f89-27fe-5f2b-8146-341119d3cff0",
      privileged: false,
    },
    {
      api: "api://contoso.example/orders",
      identifierUri: "api://contoso.example/orders",
      scope: "orders.admin",
      roleId: "35871f89-27fe-5f2b-8146-341119d3cff0",
      privileged: true,
      justification: "Corrects | totals",
    },
  ],
  credentials: [
    { kind: "secret", rotationDays: 30, validityDays: 60, slots: 2, rotationOffsetMinutes: 17554 },
  ],
  delivery: ["key-vault:billing"],
  suppressions: [{ id: "MC-ADMIN", reason: "Approved by the owners" }],
};

/** A synth output tree with the given manifests under stacks/<name>/. */
function synthTree(...manifests: MachineClientManifest[]): string {
  const dir = tempDir("mcc-report-");
  for (const m of manifests) {
    fs.mkdirSync(path.join(dir, "stacks", m.stack), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", m.stack, MANIFEST_FILE_NAME), serializeManifest(m));
  }
  return dir;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: "/" });
  return { code, out, err };
}

describe("report", () => {
  test("names an API with the default identifier URI api://{appId} by its construct path", () => {
    const uri =
      "${azuread_application_identifier_uri.OrdersApi_IdentifierUri_682C27A2.identifier_uri}";
    const onDefault = {
      ...billing,
      grants: [{ ...billing.grants[0], api: "orders/OrdersApi", identifierUri: uri }],
    };
    const md = reportMarkdown([{ file: "m.json", manifest: manifest("orders", [onDefault]) }]);
    expect(md).toContain(
      "| deploying principal | api://{appId} of orders/OrdersApi | `orders.read` |",
    );
    // Mermaid labels write braces as entity codes; Mermaid renders them as { and }.
    expect(md).toContain('  subgraph a0["api://#123;appId#125; of orders/OrdersApi"]');
    expect(md).not.toContain("azuread_application_identifier_uri");
  });

  test("Markdown: a table per stack and a Mermaid graph of clients → APIs → permissions", async () => {
    const dir = synthTree(manifest("zeta", []), manifest("orders", [billing]));
    const r = await run("report", dir);
    expect(r.code).toBe(0);
    expect(r.out.indexOf("## Stack `orders`")).toBeLessThan(r.out.indexOf("## Stack `zeta`"));
    expect(r.out).toContain("1 machine client in 2 stacks.");
    expect(r.out).toContain(
      "| billing-sync | `orders/BillingSync` | deploying principal | api://contoso.example/orders | `orders.read`, `orders.admin` **privileged** (Corrects \\| totals) | secret, rotates every 30 d, valid 60 d, 2 slots, offset 12 d 04:34 | key-vault:billing | MC-ADMIN: Approved by the owners |",
    );
    expect(r.out).toContain(
      [
        "```mermaid",
        "flowchart LR",
        '  c0["billing-sync"]',
        '  subgraph a0["api://contoso.example/orders"]',
        '    a0s0["orders.read"]',
        '    a0s1["orders.admin"]',
        "  end",
        "  c0 --> a0s0",
        "  c0 --> a0s1",
        "```",
      ].join("\n"),
    );
    expect(r.out).toContain("## Stack `zeta`\n\nNo machine clients.");
  });

  test("JSON: every stack's manifest in one document", async () => {
    const dir = synthTree(manifest("orders", [billing]));
    const r = await run("report", path.join(dir, "stacks", "orders"), "--format", "json");
    expect(JSON.parse(r.out)).toEqual({
      schemaVersion: 1,
      stacks: [manifest("orders", [billing])],
    });
  });

  test("rejects a directory without manifests, naming the fix", async () => {
    const dir = tempDir("mcc-report-");
    const r = await run("report", dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `no ${MANIFEST_FILE_NAME} found under ${dir}. Run \`cdktf synth\` first`,
    );
  });

  test("rejects a manifest of another schema version", () => {
    const dir = synthTree(manifest("orders", []));
    const file = path.join(dir, "stacks", "orders", MANIFEST_FILE_NAME);
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 2, stack: "orders", clients: [] }));
    expect(() => loadManifests(dir)).toThrow(`${file}: schemaVersion 2 is not supported`);
  });

  test("rejects a bad --format and a missing path", async () => {
    const bad = await run("report", "/", "--format", "html");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--format for report must be markdown or json (got "html")');
    const missing = await run("report", "/does/not/exist");
    expect(missing.err).toContain("path not found: /does/not/exist");
  });

  test("describes federated and certificate credentials", () => {
    expect(
      describeCredential({
        kind: "federated",
        issuer: "https://token.actions.githubusercontent.com",
        subject: "repo:contoso/app:ref:refs/heads/main",
      }),
    ).toBe(
      "federated, issuer https://token.actions.githubusercontent.com, subject repo:contoso/app:ref:refs/heads/main",
    );
    expect(describeCredential({ kind: "certificate", endDate: "2027-01-01T00:00:00Z" })).toBe(
      "certificate, ends 2027-01-01T00:00:00Z",
    );
    expect(reportMarkdown([])).toContain("0 machine clients in 0 stacks");
  });
});

test("formats a rotation offset as days and UTC time, and leaves out one that is not a number", () => {
  expect(formatOffset(0)).toBe("0 d 00:00");
  expect(formatOffset(17554)).toBe("12 d 04:34");
  expect(formatOffset(29 * 1440 + 23 * 60 + 59)).toBe("29 d 23:59");
  expect(describeCredential({ kind: "secret", rotationOffsetMinutes: Number.NaN })).toBe("secret");
  expect(
    describeCredential({ kind: "secret", rotationOffsetMinutes: "x" as unknown as number }),
  ).toBe("secret");
});

describe("report: vocabularies that evolve", () => {
  const ordersApi: NonNullable<MachineClientManifest["apis"]>[number] = {
    path: "orders/OrdersApi",
    kind: "protected",
    identifierUri: "api://contoso.example/orders",
    roles: [
      {
        scope: "orders.admin",
        roleId: "0fda7f49-0b7d-5249-aee9-68982d133464",
        enabled: false,
        status: "retired",
        privileged: true,
        replacedBy: "orders.write",
        reason: "split into narrower roles",
      },
      {
        scope: "orders.read",
        roleId: "25871f89-27fe-5f2b-8146-341119d3cff0",
        enabled: true,
        status: "renamed",
        privileged: false,
        replacedBy: "orders.view",
      },
      {
        scope: "orders.view",
        roleId: "9a1b2c3d-27fe-5f2b-8146-341119d3cff0",
        enabled: true,
        status: "active",
        privileged: false,
      },
    ],
  };
  const viewer: MachineClientManifest["clients"][number] = {
    ...billing,
    grants: [
      {
        api: "api://contoso.example/orders",
        identifierUri: "api://contoso.example/orders",
        scope: "orders.view",
        roleId: "9a1b2c3d-27fe-5f2b-8146-341119d3cff0",
        privileged: false,
        renamedFrom: { scope: "orders.read", roleId: "25871f89-27fe-5f2b-8146-341119d3cff0" },
      },
    ],
  };

  test("lists retired and renamed permissions with what is left to do", async () => {
    const dir = synthTree({ ...manifest("orders", [viewer]), apis: [ordersApi] });
    const r = await run("report", dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain("`orders.view` (and its old name `orders.read` until retired)");
    expect(r.out).toContain(
      [
        "### Retired and renamed permissions",
        "",
        "| API | Permission | Role id | Status |",
        "| --- | --- | --- | --- |",
        "| api://contoso.example/orders (`orders/OrdersApi`) | `orders.admin` | 0fda7f49-0b7d-5249-aee9-68982d133464 | retired, replaced by `orders.write`: split into narrower roles; disabled, remove it once no stack grants it |",
        "| api://contoso.example/orders (`orders/OrdersApi`) | `orders.read` | 25871f89-27fe-5f2b-8146-341119d3cff0 | renamed to `orders.view`: still enabled, and assigned with every grant of `orders.view` until retired |",
      ].join("\n"),
    );
  });

  test("lists them for a stack that declares an API and no client, marking copies", async () => {
    const copy = { ...ordersApi, path: "billing/Orders", kind: "existing" as const };
    const dir = synthTree({ ...manifest("billing", []), apis: [copy] });
    const r = await run("report", dir);
    expect(r.out).toContain("No machine clients.\n\n### Retired and renamed permissions");
    expect(r.out).toContain(
      "| api://contoso.example/orders (copy in `billing/Orders`) | `orders.admin` |",
    );
  });

  test("escapes hostile text in the lifecycle table (reasons, paths, values)", async () => {
    const hostile = {
      ...ordersApi,
      path: "orders/Api|x",
      roles: [
        {
          ...ordersApi.roles[0],
          scope: "orders.`admin`",
          reason: "split | <b>bold</b>\nnext line",
        },
      ],
    };
    const dir = synthTree({ ...manifest("orders", []), apis: [hostile] });
    const r = await run("report", dir);
    const line = r.out.split("\n").find((l) => l.includes("orders.") && l.includes("retired"))!;
    expect(line.split(" | ")).toHaveLength(4);
    expect(line).toContain("split \\| &lt;b&gt;bold&lt;/b&gt; next line");
    expect(line).toContain("`` orders.`admin` ``");
    expect(line).toContain("`orders/Api\\|x`");
  });

  test("reads manifests written before APIs were listed", async () => {
    const dir = synthTree(manifest("orders", [billing]));
    const r = await run("report", dir);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("Retired and renamed");
  });

  test("JSON: the APIs with their roles", async () => {
    const dir = synthTree({ ...manifest("orders", [viewer]), apis: [ordersApi] });
    const r = await run("report", dir, "--format", "json");
    expect(JSON.parse(r.out).stacks[0].apis).toEqual([ordersApi]);
  });
});
