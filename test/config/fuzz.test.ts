import fc from "fast-check";
import { stringify } from "yaml";
import { ConfigFileError, DELEGATED_SCOPES, MachineClients, MachineClientsError } from "../../src";
import { newStack } from "../util";
import { configApis } from "./fixtures";

// Property tests: malformed config files always yield a MachineClientsError (never another
// exception) and never a partial synth (the construct tree is unchanged).

const stack = newStack("fuzz");
const apis = configApis(stack);
const treeSize = () => stack.node.findAll().length;
const baseSize = treeSize();

type Json = Record<string, unknown>;
const validConfig = (): { clients: Json[] } => ({
  clients: [
    {
      name: "billing-sync",
      access: [
        { api: "orders", scope: "orders.read" },
        { api: "billing", scope: "billing.read" },
      ],
      credential: [
        { type: "secret", rotationDays: 30, validityDays: 60 },
        {
          type: "githubActions",
          organization: "contoso",
          repository: "billing",
          ref: "refs/heads/main",
        },
      ],
    },
    {
      name: "order-repair",
      owners: ["11111111-1111-4111-8111-111111111111"],
      access: [
        {
          api: "orders",
          scope: "orders.admin",
          justification: "nightly job repairs stuck orders (OPS-17)",
        },
      ],
      credential: { type: "secret", rotationDays: 10, validityDays: 30 },
      suppressions: [{ id: "MC-MAX-GRANTS", reason: "reviewed in OPS-18 with the platform team" }],
    },
  ],
});

/** Loads `text`; returns the error, or undefined (and removes what was created) on success. */
function attempt(file: string, text: string): unknown {
  try {
    MachineClients.fromText(stack, file, text, { apis });
  } catch (e) {
    return e;
  }
  stack.node.tryRemoveChild(file.replace(/\.(ya?ml|json)$/, ""));
  return undefined;
}

function expectRejected(file: string, text: string): void {
  const e = attempt(file, text);
  if (!(e instanceof MachineClientsError)) {
    throw new Error(`expected a MachineClientsError for\n${text}\ngot ${String(e)}`);
  }
  expect(e).toBeInstanceOf(ConfigFileError);
  expect(e.message).toMatch(
    /^integrations\.(yaml|json): \d+ problem\(s\); nothing from this file was synthesized\.\n/,
  );
  expect(treeSize()).toBe(baseSize);
}

const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer()),
  fc.object(),
);
const randomCase = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(""));
const KNOWN_KEYS = [
  "name",
  "displayName",
  "owners",
  "access",
  "credential",
  "suppressions",
  "api",
  "scope",
  "justification",
  "type",
  "rotationDays",
  "validityDays",
  "id",
  "reason",
  "clients",
];

/** The first grant of client `i`, or a throwaway object when an earlier corruption removed it. */
function grant0(c: { clients: Json[] }, i: number): Json {
  const access = c.clients[i]?.access;
  const first = Array.isArray(access) ? access[0] : undefined;
  return typeof first === "object" && first !== null ? (first as Json) : {};
}

/** The credential of client `i`, or a throwaway object when an earlier corruption removed it. */
function credential(c: { clients: Json[] }, i: number): Json {
  const declared = c.clients[i]?.credential;
  const cred = Array.isArray(declared) ? declared[0] : declared;
  return typeof cred === "object" && cred !== null && !Array.isArray(cred) ? (cred as Json) : {};
}

const GH = { type: "githubActions", organization: "contoso", repository: "billing" };
/** Credentials each invalid by a rule of its kind (structure or the credential's validate()). */
const BAD_CREDENTIALS: unknown[] = [
  GH,
  { ...GH, environment: "production", ref: "refs/heads/main" },
  { ...GH, ref: "main" },
  { type: "kubernetes", issuer: "http://k.example", namespace: "ns", serviceAccount: "sa" },
  { type: "kubernetes", issuer: "https://k.example", namespace: "NS", serviceAccount: "sa" },
  { type: "federated", issuer: "https://i.example", subject: "job:*" },
  { type: "federated", issuer: "https://i.example", subject: "job", audiences: [] },
  { type: "secret", slots: 3 },
  { type: "secret", rotationDays: 30, validityDays: 45 },
  { type: "secret", delivery: "keyVault" },
  { type: "secret", delivery: { type: "output", outputName: "1st" } },
  { type: "certificate", pemFile: "no/such.pem", endDate: "2030-01-01T00:00:00Z" },
  { type: "certificate", pem: "-----BEGIN CERTIFICATE-----", endDate: "2030-01-01T00:00:00Z" },
  [],
  [{ type: "secret" }, { type: "secret" }],
  [
    { ...GH, environment: "prod" },
    { ...GH, environment: "prod" },
  ],
  Array.from({ length: 21 }, (_, n) => ({ ...GH, environment: `env${n}` })),
];

const VOCABULARY = ["orders.read", "orders.write", "orders.admin", "billing.read", "stock.read"];

/**
 * One corruption that makes any config invalid, applied to client `i`. Corruptions only add
 * problems: one applied after another never repairs it (a throwaway object stands in for a part
 * an earlier corruption removed).
 */
type Corruption = (config: { clients: Json[] }, i: number) => void;
const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.constantFrom("name", "access", "credential").map(
    (k): Corruption =>
      (c, i) =>
        void delete c.clients[i][k],
  ),
  fc.tuple(fc.constantFrom("name", "access", "credential", "owners", "displayName"), notString).map(
    ([k, v]): Corruption =>
      (c, i) =>
        void (c.clients[i][k] = v),
  ),
  fc.tuple(fc.constantFrom("api", "scope"), notString).map(
    ([k, v]): Corruption =>
      (c, i) =>
        void (grant0(c, i)[k] = v),
  ),
  fc
    .constantFrom(...DELEGATED_SCOPES)
    .chain(randomCase)
    .map(
      (scope): Corruption =>
        (c, i) =>
          void (grant0(c, i).scope = scope),
    ),
  fc
    .string({ minLength: 1 })
    .filter((s) => !VOCABULARY.includes(s) && !s.includes("\u0000"))
    .map(
      (scope): Corruption =>
        (c, i) =>
          void (grant0(c, i).scope = scope),
    ),
  fc
    .string()
    .filter((s) => !["orders", "billing", "stock"].includes(s))
    .map(
      (api): Corruption =>
        (c, i) =>
          void (grant0(c, i).api = api),
    ),
  fc.string({ maxLength: 19 }).map(
    (j): Corruption =>
      (c) =>
        void (grant0(c, 1).justification = j),
  ),
  fc
    .oneof(
      fc.integer({ min: 91, max: 100000 }),
      fc.integer({ max: 0 }),
      fc.double({ noInteger: true }),
    )
    .map(
      (d): Corruption =>
        (c, i) =>
          void (credential(c, i).validityDays = d),
    ),
  fc
    .string({ minLength: 1 })
    .filter((k) => !KNOWN_KEYS.includes(k) && k !== "__proto__")
    .map(
      (k): Corruption =>
        (c, i) =>
          void (c.clients[i][k] = 1),
    ),
  fc.constantFrom<unknown>(...BAD_CREDENTIALS).map(
    (bad): Corruption =>
      (c, i) =>
        void (c.clients[i].credential = structuredClone(bad)),
  ),
  fc.constant<Corruption>((c, i) => void c.clients.push({ ...c.clients[i] })),
  fc
    .string()
    .filter((s) => s.trim().length < 10)
    .map(
      (reason): Corruption =>
        (c) =>
          void (c.clients[1].suppressions = [{ id: "MC-MAX-GRANTS", reason }]),
    ),
);

describe("config files under fuzzing", () => {
  it("accepts the uncorrupted config in both formats (so that each rejection is the corruption's)", () => {
    expect(attempt("integrations.yaml", stringify(validConfig()))).toBeUndefined();
    expect(attempt("integrations.json", JSON.stringify(validConfig()))).toBeUndefined();
    expect(treeSize()).toBe(baseSize);
  });

  it("rejects every corrupted config with a MachineClientsError and creates nothing", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(corruption, fc.nat(1)), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("yaml", "json"),
        (corruptions, format) => {
          const config = validConfig();
          for (const [corrupt, i] of corruptions) corrupt(config, i);
          const text = format === "yaml" ? stringify(config) : JSON.stringify(config, null, 2);
          expectRejected(`integrations.${format}`, text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects arbitrary values and text with a MachineClientsError and creates nothing", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.anything()),
        fc.constantFrom("yaml", "json"),
        (value, format) => {
          let text: string;
          try {
            text = format === "yaml" ? stringify(value) : (JSON.stringify(value) ?? "");
          } catch {
            return; // not serializable: nothing to feed
          }
          expectRejected(`integrations.${format}`, text);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.constantFrom("yaml", "json"),
        (text, format) => {
          expectRejected(`integrations.${format}`, text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never crashes or half-builds on edited valid files", () => {
    const text = stringify(validConfig());
    fc.assert(
      fc.property(
        fc.nat(text.length),
        fc.nat(text.length),
        fc.string({ maxLength: 8 }),
        (at, cut, insert) => {
          const edited = text.slice(0, Math.min(at, cut)) + insert + text.slice(Math.max(at, cut));
          const e = attempt("integrations.yaml", edited);
          if (e !== undefined && !(e instanceof MachineClientsError)) {
            throw new Error(`crash on\n${edited}\n${String(e)}`);
          }
          expect(treeSize()).toBe(baseSize);
        },
      ),
      { numRuns: 300 },
    );
  });
});
