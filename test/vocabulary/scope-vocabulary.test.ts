import { v5 as uuidv5 } from "uuid";
import {
  DELEGATED_SCOPES,
  MachineClientsError,
  ROLE_ID_NAMESPACE,
  ScopeDefinitions,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { errorOf } from "../util";

/** Defines a vocabulary from untyped input, as a JavaScript caller or a config file would. */
function defineUntyped(definitions: unknown): ScopeVocabulary {
  return ScopeVocabulary.define(definitions as ScopeDefinitions);
}

function mixCase(s: string): string {
  return [...s].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join("");
}

describe("ScopeVocabulary.define", () => {
  const orders = ScopeVocabulary.define({
    "orders.write": { description: "Create and update orders" },
    "orders.read": { description: "Read orders", displayName: "Read orders" },
    "orders.admin": { description: "Manage all orders", privileged: true },
  });

  it("keeps every entry, sorted by value, with defaults filled in", () => {
    expect(orders.values).toEqual(["orders.admin", "orders.read", "orders.write"]);
    expect(orders.get("orders.read")).toMatchObject({
      value: "orders.read",
      description: "Read orders",
      displayName: "Read orders",
      privileged: false,
      roleIdSource: "derived",
    });
    expect(orders.get("orders.write").displayName).toBe("orders.write");
    expect(orders.get("orders.admin").privileged).toBe(true);
  });

  it("is closed and frozen after definition", () => {
    expect(Object.isFrozen(orders)).toBe(true);
    expect(Object.isFrozen(orders.scopes)).toBe(true);
    expect(Object.isFrozen(orders.scopes[0])).toBe(true);
    expect(() => (orders.scopes as unknown as unknown[]).push({ value: "orders.delete" })).toThrow(
      TypeError,
    );
    expect(orders.has("orders.delete")).toBe(false);
  });

  it("does not keep a reference to the caller's object", () => {
    const defs: Record<string, { description: string }> = { "a.read": { description: "A" } };
    const v = ScopeVocabulary.define(defs);
    defs["a.write"] = { description: "added later" };
    defs["a.read"].description = "changed later";
    expect(v.values).toEqual(["a.read"]);
    expect(v.get("a.read").description).toBe("A");
  });

  describe("rejects delegated scopes", () => {
    it.each(DELEGATED_SCOPES.flatMap((s) => [s, s.toUpperCase(), mixCase(s)]))(
      "rejects %s with the compile-time wording",
      (scope) => {
        const err = errorOf(() => defineUntyped({ [scope]: { description: "x" } }));
        expect(err).toBeInstanceOf(MachineClientsError);
        expect(err.message).toBe(
          `ScopeVocabulary.define: ${scope} is a delegated scope (user sign-in only) and never ` +
            `applies to the client credentials flow (got "${scope}"). Remove it and declare the ` +
            "application permission (app role) the client needs instead.",
        );
        expect((err as MachineClientsError).code).toBe("DELEGATED_SCOPE");
      },
    );
  });

  describe("rejects values that break Entra's rules", () => {
    const cases: [string, string, RegExp][] = [
      ["an empty value", "", /a scope value must not be empty \(got ""\)/],
      [
        "a value over 120 characters",
        "a".repeat(121),
        /scope value is 121 characters; Entra allows at most 120/,
      ],
      ["a leading dot", ".orders.read", /must not start with "\." \(got "\.orders\.read"\)/],
      ["a space", "orders read", /must not contain whitespace \(got "orders read"\)/],
      ["a tab", "orders\tread", /must not contain whitespace/],
      [
        "a Cyrillic lookalike",
        "orders.re\u0430d",
        /must be ASCII; it contains "\u0430" \(U\+0430\), which can pass for a Latin letter \(got "orders\.re\u0430d"\)/,
      ],
      ["a double quote", 'orders"read', /"\\"" is not one of them \(got "orders\\"read"\)/],
      ["a backslash", "orders\\read", /"\\\\" is not one of them/],
    ];
    it.each(cases)("rejects %s", (_name, value, message) => {
      const err = errorOf(() => defineUntyped({ [value]: { description: "x" } }));
      expect(err).toBeInstanceOf(MachineClientsError);
      expect(err.message).toMatch(/^ScopeVocabulary\.define: /);
      expect(err.message).toMatch(message);
    });

    it("accepts exactly 120 characters and every allowed punctuation character", () => {
      const v = defineUntyped({
        ["a".repeat(120)]: { description: "long" },
        "a!#$%&'()*+,-./:;<=>?@[]^_`{|}~z": { description: "punctuation" },
      });
      expect(v.scopes).toHaveLength(2);
    });
  });

  it("rejects two keys that are equal ignoring case", () => {
    const err = errorOf(() =>
      defineUntyped({ "orders.read": { description: "a" }, "Orders.Read": { description: "b" } }),
    );
    expect(err.message).toBe(
      'ScopeVocabulary.define › "Orders.Read": "Orders.Read" and "orders.read" are the same scope ' +
        'to Entra, which compares values ignoring case (got "Orders.Read"). Keep one of them.',
    );
  });

  it.each([
    ["not-a-uuid"],
    ["00000000-0000-0000-0000-000000000000"],
    ["6f1bdbd0-5b5e-4f5f-8a4e-0c1d2e3f4a5"],
    [42],
  ])("rejects the id %p, which is not a UUID", (id) => {
    const err = errorOf(() => defineUntyped({ "orders.read": { description: "a", id } }));
    expect(err.message).toMatch(
      /^ScopeVocabulary\.define › "orders\.read": id must be a UUID \(8-4-4-4-12 hexadecimal, not the nil UUID\)/,
    );
    expect(err.message).toContain(`(got ${JSON.stringify(id)})`);
    expect(err.message).toMatch(/Copy the existing app role's id from the tenant/);
  });

  it("rejects two scopes with the same id", () => {
    const id = "6f1bdbd0-5b5e-4f5f-8a4e-0c1d2e3f4a5b";
    const err = errorOf(() =>
      defineUntyped({ "a.read": { description: "a", id }, "b.read": { description: "b", id } }),
    );
    expect(err.message).toMatch(
      /role id 6f1bdbd0-.* is already used by "a\.read"; role ids must be distinct/,
    );
  });

  it("rejects a declared id that equals another scope's derived id", () => {
    const err = errorOf(() =>
      defineUntyped({
        "a.read": { description: "a" },
        "b.read": { description: "b", id: deriveRoleId("a.read") },
      }),
    );
    expect(err.message).toMatch(/is already used by "a\.read"/);
  });

  it.each([
    ["a missing description", {}, /description must be a non-empty string/],
    ["a blank description", { description: "  " }, /description must be a non-empty string/],
    [
      "a non-boolean privileged",
      { description: "d", privileged: "yes" },
      /privileged must be true or false \(got "yes"\)/,
    ],
    [
      "an empty displayName",
      { description: "d", displayName: "" },
      /displayName must be a non-empty string/,
    ],
    [
      "a misspelt property",
      { description: "d", priviledged: true },
      /unknown property "priviledged"/,
    ],
    [
      "a definition that is not an object",
      "Read orders",
      /a scope definition must be an object \(got "Read orders"\)/,
    ],
  ])("rejects %s", (_name, definition, message) => {
    const err = errorOf(() => defineUntyped({ "orders.read": definition }));
    expect(err.message).toMatch(/^ScopeVocabulary\.define › "orders\.read": /);
    expect(err.message).toMatch(message);
  });

  it.each([
    ["an empty vocabulary", {}, /a vocabulary needs at least one scope/],
    ["an array", [], /expects an object of scope value → definition/],
    ["null", null, /expects an object of scope value → definition \(got null\)/],
  ])("rejects %s", (_name, definitions, message) => {
    expect(errorOf(() => defineUntyped(definitions)).message).toMatch(message);
  });

  describe("role ids", () => {
    it("adopts a declared id, in lower case", () => {
      const v = ScopeVocabulary.define({
        "orders.read": { description: "a", id: "6F1BDBD0-5B5E-4F5F-8A4E-0C1D2E3F4A5B" },
      });
      expect(v.get("orders.read")).toMatchObject({
        roleId: "6f1bdbd0-5b5e-4f5f-8a4e-0c1d2e3f4a5b",
        roleIdSource: "declared",
      });
    });

    it("derives ids as UUIDv5 of the lower-cased value under the documented namespace", () => {
      expect(ROLE_ID_NAMESPACE).toBe(uuidv5("cdktf-machine-clients/app-role-id", uuidv5.URL));
      expect(orders.get("orders.read").roleId).toBe(uuidv5("orders.read", ROLE_ID_NAMESPACE));
      // Pinned: a change here would change every derived role id in every tenant.
      expect(deriveRoleId("orders.read")).toBe("25871f89-27fe-5f2b-8146-341119d3cff0");
      expect(deriveRoleId("Orders.Read")).toBe(deriveRoleId("orders.read"));
    });

    it("does not depend on declaration order or the other entries", () => {
      const a = ScopeVocabulary.define({
        "x.read": { description: "x" },
        "y.read": { description: "y" },
      });
      const b = ScopeVocabulary.define({
        "y.read": { description: "y" },
        "x.read": { description: "x" },
      });
      const c = ScopeVocabulary.define({ "x.read": { description: "another description" } });
      expect(a.get("x.read").roleId).toBe(b.get("x.read").roleId);
      expect(a.get("x.read").roleId).toBe(c.get("x.read").roleId);
    });
  });

  describe("get", () => {
    it("rejects a scope outside the vocabulary, listing the allowed ones", () => {
      const err = errorOf(() => orders.get("orders.delete" as never, "App/OrdersApi.grant"));
      expect(err.message).toBe(
        'App/OrdersApi.grant: scope is not in the API\'s vocabulary (got "orders.delete"). ' +
          'Use one of: "orders.admin", "orders.read", "orders.write".',
      );
    });

    it("rejects a scope in the wrong letter case, suggesting the declared one", () => {
      const err = errorOf(() => orders.get("Orders.Read" as never, "App/OrdersApi.grant"));
      expect(err.message).toMatch(
        /scope is not in the vocabulary as written \(got "Orders\.Read"\)\. Did you mean "orders\.read"\?/,
      );
    });

    it("rejects a delegated scope with the delegated wording", () => {
      const err = errorOf(() => orders.get("offline_access" as never, "App/OrdersApi.grant"));
      expect(err.message).toMatch(/^App\/OrdersApi\.grant: offline_access is a delegated scope/);
    });
  });
});
