import { Testing } from "cdktf";
import {
  ClientSecret,
  MachineClient,
  MachineClientsError,
  ProtectedApi,
  ScopeGrant,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { errorOf, newStack } from "../util";

// Attempts to get a retired or renamed permission assigned anyway, or to turn the upgrade's
// moved blocks against another resource.

const lifecycle = () =>
  ScopeVocabulary.define({
    "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
    "orders.write": { description: "Write orders" },
    "orders.admin": { description: "Manage orders", retired: { replacedBy: "orders.write" } },
  });

function api(stack = newStack(), vocabulary = lifecycle()) {
  return new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary,
  });
}

describe("attacks on retired and renamed permissions", () => {
  it.each([
    ["a retired permission", "orders.admin", deriveRoleId("orders.admin")],
    ["an old name", "orders.read", deriveRoleId("orders.read")],
  ])("rejects a hand-made ScopeGrant of %s before any client exists", (_n, scope, roleId) => {
    const stack = newStack();
    const a = api(stack);
    const before = stack.node.findAll().length;
    const Forge = ScopeGrant as unknown as new (...args: unknown[]) => ScopeGrant;
    const e = errorOf(
      () =>
        new MachineClient(stack, "Sneaky", {
          displayName: "sneaky",
          access: [new Forge(a, scope, roleId, false)],
          credential: ClientSecret.rotating(),
        }),
    ) as MachineClientsError;
    expect(e.code).toBe("GRANT_FORGED");
    expect(e.message).toContain(`(got "${scope}")`);
    expect(stack.node.findAll().length).toBe(before);
  });

  it("cannot un-retire an entry by mutating what the vocabulary exposes", () => {
    const v = lifecycle();
    const admin = v.get("orders.admin");
    expect(() => {
      (admin as { retired?: unknown }).retired = undefined;
    }).toThrow(TypeError);
    expect(() => {
      (v.appRoles as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (v.get("orders.view").renamedFrom as { retired: boolean }).retired = true;
    }).toThrow(TypeError);
    expect(() => v.grantable("orders.admin")).toThrow(/is retired/);
  });

  it("cannot smuggle a delegated or reserved value in as an old name", () => {
    for (const old of ["offline_access", "OpenID", "User"]) {
      const e = errorOf(() =>
        ScopeVocabulary.define({ "a.b": { description: "d", renamedFrom: old } }),
      ) as MachineClientsError;
      expect(e.message).toContain("› renamedFrom:");
    }
  });

  it("rejects a look-alike of an old name as not in the vocabulary (no silent match)", () => {
    const e = errorOf(
      () => (api() as unknown as { grant(s: string): ScopeGrant }).grant("orders.rеad"), // Cyrillic е
    ) as MachineClientsError;
    expect(e.code).toBe("SCOPE_NOT_IN_VOCABULARY");
  });
});

describe("attacks on the upgrade's moved blocks", () => {
  it("leaves out a move whose old address would be another assignment's current one", () => {
    // A permission whose value is written like another role's id: version 0.1's address of its
    // assignment is the current address of the other role's assignment.
    const stack = newStack();
    const other = deriveRoleId("orders.read");
    const a = api(
      stack,
      ScopeVocabulary.define({
        "orders.read": { description: "Read orders" },
        [other]: { description: "A value written like a role id" },
      } as never) as unknown as ScopeVocabulary,
    );
    const grant = (s: string) => (a as unknown as { grant(s: string): ScopeGrant }).grant(s);
    new MachineClient(stack, "C", {
      displayName: "c",
      access: [grant("orders.read"), grant(other)],
      credential: ClientSecret.rotating(),
    });
    const json = JSON.parse(Testing.synth(stack));
    const addresses = Object.keys(json.resource.azuread_app_role_assignment).map(
      (n) => `azuread_app_role_assignment.${n}`,
    );
    const froms = (json.moved as { from: string }[]).map((m) => m.from);
    for (const from of froms) expect(addresses).not.toContain(from);
    // Current addresses carry 16 hex digits of the API's hash, 0.1's carried 8 and a dash: no 0.1
    // address can be a current one, so both assignments keep their move.
    expect(froms).toHaveLength(2);
  });
});
