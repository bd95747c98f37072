import fc from "fast-check";
import {
  ClientSecret,
  ExistingApi,
  FederatedCredential,
  MachineClient,
  MachineClientsError,
  MicrosoftGraph,
  OrgPolicy,
  ProtectedApi,
  ScopeVocabulary,
  Suppressions,
} from "../../src";
import { DESCRIBE_VALUE_MAX_LENGTH, describeValue, NO_VALUE } from "../../src/errors";
import { ordersApi, ordersVocabulary } from "../constructs/fixtures";
import { errorOf, newStack } from "../util";

// Attacks on error messages (issue 10, item 8): one renderer for every value in every error,
// bounded, escaped, meaningful for every kind of value, and never throwing.

const FIVE_MB = "s".repeat(5 * 1024 * 1024);
/** Characters that must never reach a message raw: C0/C1 controls, NUL, bidi and line separators. */
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe("describeValue", () => {
  it("truncates a 5 MB string to the bound and shows its full length", () => {
    const s = describeValue(FIVE_MB);
    expect(s.length).toBeLessThanOrEqual(DESCRIBE_VALUE_MAX_LENGTH);
    expect(s).toBe(`"${"s".repeat(200)}…" (5242880 characters)`);
  });

  it("keeps short strings as JSON strings", () => {
    expect(describeValue("orders.read")).toBe('"orders.read"');
    expect(describeValue('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it("escapes NUL, control characters, bidi overrides and line separators", () => {
    expect(describeValue("a\u0000b\u001b[31m\u007f\u0085")).toBe(
      '"a\\u0000b\\u001b[31m\\u007f\\u0085"',
    );
    expect(describeValue("\u202egnp.exe\u2066\u2028\u200b\ufeff")).toBe(
      '"\\u202egnp.exe\\u2066\\u2028\\u200b\\ufeff"',
    );
    expect(describeValue("tag\u{e0041}")).toBe('"tag\\u{e0041}"');
    expect(describeValue("\ud800 lone")).toBe('"\\ud800 lone"');
  });

  it("never cuts an escape or a surrogate pair in half when truncating", () => {
    const s = describeValue("\u0000".repeat(500));
    expect(s).toMatch(/^"(\\u0000)+…" \(500 characters\)$/);
    const emoji = describeValue("😀".repeat(300));
    expect(emoji).toMatch(/^"(😀)+…" \(600 characters\)$/);
  });

  it("shows numbers as JavaScript does: NaN, Infinity, -0, bigint", () => {
    expect(describeValue(NaN)).toBe("NaN");
    expect(describeValue(Infinity)).toBe("Infinity");
    expect(describeValue(-Infinity)).toBe("-Infinity");
    expect(describeValue(-0)).toBe("-0");
    expect(describeValue(42.5)).toBe("42.5");
    expect(describeValue(10n)).toBe("10n");
    expect(describeValue(10n ** 300n).length).toBeLessThanOrEqual(DESCRIBE_VALUE_MAX_LENGTH);
  });

  it("shows symbols, functions, classes, Dates and boxed values meaningfully", () => {
    expect(describeValue(Symbol("brand"))).toBe("Symbol(brand)");
    expect(describeValue(Symbol())).toBe("Symbol()");
    expect(describeValue(function rotate() {})).toBe("function rotate");
    expect(describeValue(() => 1)).toBe("function (anonymous)");
    expect(describeValue(class Forged {})).toBe("class Forged");
    expect(describeValue(new Date("2027-03-31T00:00:00Z"))).toBe("Date 2027-03-31T00:00:00.000Z");
    expect(describeValue(new Date(NaN))).toBe("Date (invalid)");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue(true)).toBe("true");
    class Grant {}
    expect(describeValue(new Grant())).toBe("an instance of Grant");
    expect(describeValue(new Map([[1, 2]]))).toBe("an instance of Map (1 entry)");
    expect(describeValue(new Set([1, 2]))).toBe("an instance of Set (2 entries)");
    expect(describeValue(/x/g)).toBe("/x/g");
    expect(describeValue(new TypeError("boom"))).toBe('TypeError "boom"');
  });

  it("shows arrays and objects as JSON-like text, never [object Object], never NaN as null", () => {
    expect(describeValue([1, "a", null])).toBe('[1,"a",null]');
    expect(describeValue({ a: 1, b: [true] })).toBe('{"a":1,"b":[true]}');
    expect(describeValue({ n: NaN, u: undefined, big: 1n, f() {} })).toBe(
      '{"n":NaN,"big":1n,"f":function f}',
    );
    expect(describeValue([undefined, NaN])).toBe("[undefined,NaN]"); // never null, as JSON would
    expect(describeValue([])).toBe("[]");
    expect(describeValue({})).toBe("{}");
    const bare = Object.create(null) as Record<string, unknown>;
    bare.x = 1;
    expect(describeValue(bare)).toBe('{"x":1}');
    expect(describeValue({ [Symbol("s")]: 1, a: 2 })).toBe('{"a":2}');
    expect(describeValue({ deep: { deeper: { deepest: { x: 1 } } } })).toBe(
      '{"deep":{"deeper":{"deepest":{…}}}}',
    );
  });

  it("bounds large arrays and objects", () => {
    const s = describeValue(Array.from({ length: 100_000 }, (_, i) => i));
    expect(s.length).toBeLessThanOrEqual(DESCRIBE_VALUE_MAX_LENGTH);
    expect(s).toMatch(/^\[0,1,2,.*…\] \(100000 items\)$/);
    const o = describeValue(
      Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])),
    );
    expect(o.length).toBeLessThanOrEqual(DESCRIBE_VALUE_MAX_LENGTH);
    expect(o).toMatch(/^\{"k0":0,.*…\} \(1000 keys\)$/);
    expect(describeValue({ [FIVE_MB]: 1 }).length).toBeLessThanOrEqual(DESCRIBE_VALUE_MAX_LENGTH);
  });

  it("shows cycles without recursing", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(describeValue(a)).toBe('{"name":"a","self":[Circular]}');
    const list: unknown[] = [];
    list.push(list);
    expect(describeValue(list)).toBe("[[Circular]]");
  });

  it("does not run getters, toJSON or toString, and does not throw on hostile objects", () => {
    let ran = 0;
    const hostile = {
      get value() {
        ran++;
        throw new Error("getter");
      },
      toJSON() {
        ran++;
        throw new Error("toJSON");
      },
      toString() {
        ran++;
        throw new Error("toString");
      },
    };
    expect(describeValue(hostile)).toBe(
      '{"value":[getter],"toJSON":function toJSON,"toString":function toString}',
    );
    expect(ran).toBe(0);
    const trap = () => {
      throw new Error("trap");
    };
    const proxy = new Proxy(
      {},
      { get: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap, has: trap },
    );
    expect(describeValue(proxy)).toBe("an object that cannot be inspected");
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(describeValue(revocable.proxy)).toBe("an object that cannot be inspected");
    const namedEvil = { constructor: { name: "x".repeat(10_000) } };
    expect(describeValue(namedEvil).length).toBeLessThanOrEqual(DESCRIBE_VALUE_MAX_LENGTH);
    class Evil {
      static get name(): string {
        throw new Error("name");
      }
    }
    expect(describeValue(new Evil())).toMatch(/^an instance of /);
    expect(describeValue(Evil)).toMatch(/^class/);
  });

  it("never throws and never exceeds the bound, for any value (with getters and Proxies)", () => {
    const throwing = fc.anything().map((v) => {
      const o: Record<string, unknown> = { v };
      Object.defineProperty(o, "boom", {
        enumerable: true,
        get() {
          throw new Error("boom");
        },
      });
      return o;
    });
    const proxied = fc.anything().map((v) =>
      typeof v === "object" && v !== null
        ? new Proxy(v, {
            get() {
              throw new Error("get");
            },
          })
        : v,
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withTypedArray: true,
            withNullPrototype: true,
            withBoxedValues: true,
            withSparseArray: true,
            withUnicodeString: true,
          }),
          throwing,
          proxied,
          fc.string({ unit: "binary", minLength: 150, maxLength: 1000 }),
        ),
        (value) => {
          const s = describeValue(value);
          expect(typeof s).toBe("string");
          expect(s.length).toBeLessThanOrEqual(DESCRIBE_VALUE_MAX_LENGTH);
          expect(s).not.toMatch(RAW_CONTROL);
          expect(s).not.toContain("[object Object]");
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("MachineClientsError", () => {
  it("leaves out '(got …)' when there is no value", () => {
    expect(new MachineClientsError("X", "here", "it broke", NO_VALUE, "Fix it.").message).toBe(
      "here: it broke. Fix it.",
    );
    expect(new MachineClientsError("X", "here", "it broke", undefined, "Fix it.").message).toBe(
      "here: it broke (got undefined). Fix it.",
    );
  });

  it("escapes control characters in every part of the message", () => {
    const m = new MachineClientsError("X", "a\nb", "c\u0000d", "v", "e\u202ef").message;
    expect(m).toBe('a\\nb: c\\u0000d (got "v"). e\\u202ef');
  });
});

describe("every error path renders values with the one renderer", () => {
  /** Calls that take a user value and reject it; each must give a bounded, escaped message. */
  const PATHS: Record<string, (bad: string) => unknown> = {
    "ScopeVocabulary.define key": (bad) => ScopeVocabulary.define({ [bad]: { description: "x" } }),
    "api.grant options key": (bad) =>
      ordersApi(newStack()).grant("orders.admin", { [bad]: 1 } as never),
    "ProtectedApi identifierUri": (bad) =>
      new ProtectedApi(newStack(), "Api", {
        displayName: "api",
        identifierUri: `api://${bad}`,
        vocabulary: ordersVocabulary,
      }),
    "OrgPolicy option": (bad) => OrgPolicy.of(newStack()).apply({ [bad]: 1 } as never),
    "Suppressions.add id": (bad) =>
      Suppressions.add(newStack(), [{ id: bad as never, reason: "x".repeat(20) }]),
    "MachineClient displayName": (bad) => {
      const stack = newStack();
      return new MachineClient(stack, "C", {
        displayName: `${bad}\u0000`,
        access: [ordersApi(stack).grant("orders.read")],
        credential: ClientSecret.rotating(),
      });
    },
    "MachineClient owners": (bad) => {
      const stack = newStack();
      return new MachineClient(stack, "C", {
        displayName: "c",
        access: [ordersApi(stack).grant("orders.read")],
        credential: ClientSecret.rotating(),
        owners: [bad],
      });
    },
    "MicrosoftGraph.grant": (bad) =>
      (MicrosoftGraph.grant as unknown as (s: string) => unknown)(bad),
    "ExistingApi.fromClientId": (bad) =>
      ExistingApi.fromClientId(newStack(), "Api", {
        clientId: bad,
        identifierUri: "api://x",
        vocabulary: ScopeVocabulary.define({
          "x.read": { description: "x", id: "11111111-1111-4111-8111-111111111111" },
        }),
      } as never),
    "FederatedCredential.custom subject": (bad) =>
      FederatedCredential.custom({ issuer: "https://i.example", subject: `*${bad}` }).validate(
        "here",
      ),
    "FederatedCredential.githubActions organization": (bad) =>
      FederatedCredential.githubActions({
        organization: bad,
        repository: "r",
        environment: "e",
      }).validate("here"),
  };

  for (const [name, call] of Object.entries(PATHS)) {
    it(`bounds and escapes a 5 MB hostile value: ${name}`, () => {
      const bad = `\u202e\u0000\n${FIVE_MB}`;
      const e = errorOf(() => call(bad));
      expect(e).toBeInstanceOf(MachineClientsError);
      expect(e.message.length).toBeLessThan(2_000);
      expect(e.message).not.toMatch(RAW_CONTROL);
    });
  }
});
