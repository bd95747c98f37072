import { MachineClientsError, ScopeDefinitions, ScopeVocabulary, deriveRoleId } from "../../src";
import { errorOf } from "../util";

const OLD_ID = "2c7d4b7f-9a54-4c3b-8f1a-2c4e6d8f0a11";

function rejects(definitions: ScopeDefinitions): MachineClientsError {
  const e = errorOf(() => ScopeVocabulary.define(definitions as never));
  expect(e).toBeInstanceOf(MachineClientsError);
  return e as MachineClientsError;
}

describe("retired entries", () => {
  const v = ScopeVocabulary.define({
    "orders.read": { description: "Read orders" },
    "orders.write": { description: "Write orders" },
    "orders.admin": {
      description: "Manage orders",
      privileged: true,
      retired: { replacedBy: "orders.write", reason: "split into narrower roles (OPS-9)" },
    },
    "orders.export": { description: "Export orders", retired: true },
  });

  it("keeps the role declared, disabled, with its id, description and replacement", () => {
    expect(v.appRoles.find((r) => r.value === "orders.admin")).toEqual({
      value: "orders.admin",
      roleId: deriveRoleId("orders.admin"),
      description: "Manage orders",
      displayName: "orders.admin",
      enabled: false,
      privileged: true,
      status: "retired",
      replacedBy: "orders.write",
      reason: "split into narrower roles (OPS-9)",
    });
    expect(v.appRoles.find((r) => r.value === "orders.export")).toMatchObject({
      enabled: false,
      status: "retired",
    });
    expect(v.appRoles.find((r) => r.value === "orders.read")).toMatchObject({
      enabled: true,
      status: "active",
    });
  });

  it("lists every entry in values and only the grantable ones in grantableValues", () => {
    expect(v.values).toEqual(["orders.admin", "orders.export", "orders.read", "orders.write"]);
    expect(v.grantableValues).toEqual(["orders.read", "orders.write"]);
    expect(v.get("orders.admin").retired).toEqual({
      replacedBy: "orders.write",
      reason: "split into narrower roles (OPS-9)",
    });
  });

  it("rejects a grant of a retired entry, naming its replacement", () => {
    const e = errorOf(() => v.grantable("orders.admin", "test/Api.grant")) as MachineClientsError;
    expect(e.code).toBe("SCOPE_RETIRED");
    expect(e.message).toBe(
      'test/Api.grant: orders.admin is retired and can no longer be granted (got "orders.admin"). Grant orders.write instead.',
    );
  });

  it("rejects a grant of a retired entry without replacement, saying to remove it", () => {
    const e = errorOf(() => v.grantable("orders.export", "test/Api.grant"));
    expect(e.message).toBe(
      'test/Api.grant: orders.export is retired and can no longer be granted (got "orders.export"). Remove the grant.',
    );
  });

  it("lists only grantable values when a scope is unknown", () => {
    const e = errorOf(() => v.grantable("orders.delete", "w"));
    expect(e.message).toBe(
      'w: scope is not in the API\'s vocabulary (got "orders.delete"). Use one of: "orders.read", "orders.write".',
    );
  });

  it("accepts retired: false as active", () => {
    const w = ScopeVocabulary.define({ "a.b": { description: "d", retired: false } });
    expect(w.appRoles[0].enabled).toBe(true);
    expect(w.grantable("a.b").value).toBe("a.b");
  });

  it.each([
    [
      "retired that is neither a boolean nor an object",
      { retired: "yes" },
      /retired must be true or an object \(got "yes"\)/,
    ],
    [
      "an unknown property of retired",
      { retired: { replaced: "x" } },
      /unknown property "replaced" of retired/,
    ],
    [
      "a replacedBy that is not a string",
      { retired: { replacedBy: 3 } },
      /retired.replacedBy must be a scope value \(got 3\)/,
    ],
    ["an empty reason", { retired: { reason: " " } }, /retired.reason must be a non-empty string/],
  ])("rejects %s", (_name, patch, message) => {
    const e = rejects({ "a.b": { description: "d", ...(patch as object) } });
    expect(e.code).toBe("SCOPE_RETIRED_INVALID");
    expect(e.message).toMatch(/^ScopeVocabulary\.define › "a\.b": /);
    expect(e.message).toMatch(message);
  });

  it.each([
    ["an unknown scope", "a.c", ""],
    ["itself", "a.b", "; a scope cannot replace itself"],
  ])("rejects a replacedBy naming %s", (_name, replacedBy, why) => {
    const e = rejects({
      "a.b": { description: "d", retired: { replacedBy } },
      "a.x": { description: "x" },
    });
    expect(e.code).toBe("SCOPE_REPLACED_BY_INVALID");
    expect(e.message).toBe(
      `ScopeVocabulary.define › "a.b": retired.replacedBy must name another active scope of the vocabulary${why} (got "${replacedBy}"). Use one of: "a.x", or leave replacedBy out.`,
    );
  });

  it("rejects a replacedBy naming a retired scope", () => {
    const e = rejects({
      "a.b": { description: "d", retired: { replacedBy: "a.c" } },
      "a.c": { description: "c", retired: true },
      "a.x": { description: "x" },
    });
    expect(e.message).toContain('"a.c" is retired too (got "a.c")');
  });
});

describe("renamed entries (renamedFrom)", () => {
  const v = ScopeVocabulary.define({
    "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
    "orders.write": { description: "Write orders" },
  });

  it("keeps the old role enabled beside the new one, with the old value's id", () => {
    expect(v.appRoles.map((r) => [r.value, r.status, r.enabled])).toEqual([
      ["orders.read", "renamed", true],
      ["orders.view", "active", true],
      ["orders.write", "active", true],
    ]);
    expect(v.appRoles[0]).toEqual({
      value: "orders.read",
      roleId: deriveRoleId("orders.read"),
      description: "Read orders",
      displayName: "orders.read",
      enabled: true,
      privileged: false,
      status: "renamed",
      replacedBy: "orders.view",
    });
    expect(v.get("orders.view").renamedFrom).toEqual({
      value: "orders.read",
      roleId: deriveRoleId("orders.read"),
      roleIdSource: "derived",
      retired: false,
    });
  });

  it("assigns the old role with grants of the new value while the rename is in transition", () => {
    expect(v.transitionalRoleOf("orders.view")?.roleId).toBe(deriveRoleId("orders.read"));
    expect(v.transitionalRoleOf("orders.write")).toBeUndefined();
  });

  it("rejects a grant of the old value, suggesting the new one", () => {
    const e = errorOf(() => v.grantable("orders.read", "test/Api.grant")) as MachineClientsError;
    expect(e.code).toBe("SCOPE_RENAMED");
    expect(e.message).toBe(
      'test/Api.grant: orders.read was renamed to orders.view and can no longer be granted (got "orders.read"). Grant orders.view instead.',
    );
    expect(v.has("orders.read")).toBe(false);
  });

  it("retires the old name: disabled, no longer assigned, still refused", () => {
    const w = ScopeVocabulary.define({
      "orders.view": {
        description: "Read orders",
        renamedFrom: { value: "orders.read", id: OLD_ID, retired: true },
      },
    });
    expect(w.appRoles[0]).toMatchObject({
      value: "orders.read",
      roleId: OLD_ID,
      enabled: false,
      status: "retired",
      replacedBy: "orders.view",
    });
    expect(w.transitionalRoleOf("orders.view")).toBeUndefined();
    expect(errorOf(() => w.grantable("orders.read")).message).toContain(
      "was renamed to orders.view",
    );
  });

  it("rejects a change of letter case declared as a rename", () => {
    const e = rejects({ "Orders.Read": { description: "r", renamedFrom: "orders.read" } });
    expect(e.code).toBe("SCOPE_RENAMED_FROM_CASE_ONLY");
    expect(e.message).toBe(
      'ScopeVocabulary.define › "Orders.Read": "orders.read" → "Orders.Read" changes letter case only, which is not a rename: Entra compares values ignoring case and the role id stays the same (got "orders.read"). Drop renamedFrom and just change the key\'s letter case; the role and its assignments are updated in place.',
    );
  });

  it("rejects an old name that is still an entry", () => {
    const e = rejects({
      "orders.read": { description: "r" },
      "orders.view": { description: "r", renamedFrom: "Orders.Read" },
    });
    expect(e.code).toBe("SCOPE_RENAMED_FROM_DECLARED");
    expect(e.message).toContain('"Orders.Read" is both an entry and the old name of "orders.view"');
    expect(e.message).toContain('Remove the "orders.read" entry');
  });

  it("rejects one old name renamed twice", () => {
    const e = rejects({
      "a.one": { description: "r", renamedFrom: "a.old" },
      "a.two": { description: "r", renamedFrom: "A.OLD" },
    });
    expect(e.code).toBe("SCOPE_RENAMED_TWICE");
    expect(e.message).toContain('"A.OLD" is already the old name of "a.one"');
  });

  it("rejects an old role id that another entry uses", () => {
    const e = rejects({
      "a.one": { description: "r", id: OLD_ID },
      "a.two": { description: "r", renamedFrom: { value: "a.old", id: OLD_ID.toUpperCase() } },
    });
    expect(e.code).toBe("ROLE_ID_DUPLICATE");
    expect(e.message).toContain(
      `role id ${OLD_ID} of the old name "a.old" is already used by "a.one"`,
    );
  });

  it("rejects a retired entry that keeps its old name enabled", () => {
    const e = rejects({ "a.new": { description: "r", retired: true, renamedFrom: "a.old" } });
    expect(e.code).toBe("SCOPE_RETIRED_RENAME_ACTIVE");
    expect(e.message).toContain('renamedFrom: { value: "a.old", retired: true }');
  });

  it.each([
    [
      "a number",
      3,
      "SCOPE_RENAMED_FROM_INVALID",
      /renamedFrom must be a string or an object \(got 3\)/,
    ],
    [
      "an unknown property",
      { value: "a.old", name: "x" },
      "SCOPE_RENAMED_FROM_INVALID",
      /unknown property "name" of renamedFrom/,
    ],
    [
      "a delegated old value",
      "openid",
      "DELEGATED_SCOPE",
      /› renamedFrom: openid is a delegated scope/,
    ],
    ["an old value with whitespace", "a old", "SCOPE_WHITESPACE", /must not contain whitespace/],
    [
      "an id that is not a UUID",
      { value: "a.old", id: "x" },
      "ROLE_ID_NOT_UUID",
      /› renamedFrom: id must be a UUID/,
    ],
    [
      "a retired flag that is not a boolean",
      { value: "a.old", retired: "yes" },
      "SCOPE_RENAMED_FROM_INVALID",
      /renamedFrom.retired must be true or false/,
    ],
  ])("rejects renamedFrom as %s", (_name, renamedFrom, code, message) => {
    const e = rejects({ "a.new": { description: "r", renamedFrom } as never });
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});

describe("reading definitions once", () => {
  it("reads retired and renamedFrom once, so a getter cannot answer differently later", () => {
    let reads = 0;
    const definition = {
      description: "d",
      get retired() {
        reads++;
        return reads === 1;
      },
    };
    const v = ScopeVocabulary.define({ "a.b": definition } as never);
    expect(reads).toBe(1);
    expect(v.appRoles[0].enabled).toBe(false);
    expect(() => v.grantable("a.b")).toThrow(/is retired/);
  });

  it("freezes the app roles and the lifecycle records", () => {
    const v = ScopeVocabulary.define({
      "a.new": { description: "r", renamedFrom: "a.old" },
      "a.gone": { description: "g", retired: { replacedBy: "a.new" } },
    });
    expect(Object.isFrozen(v.appRoles)).toBe(true);
    for (const r of v.appRoles) expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(v.get("a.new").renamedFrom)).toBe(true);
    expect(Object.isFrozen(v.get("a.gone").retired)).toBe(true);
    expect(() => {
      (v.appRoles[0] as { enabled: boolean }).enabled = true;
    }).toThrow(TypeError);
  });
});
