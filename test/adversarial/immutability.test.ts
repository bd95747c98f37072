import * as azurerm from "../../src/azurerm";
import * as lib from "../../src";
import * as verify from "../../src/verify";
import {
  DEFAULT_ORG_POLICY,
  DELEGATED_SCOPES,
  ExistingApi,
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_TIER0_PERMISSIONS,
  MAX_PERMISSIONS_PER_CLIENT,
  MachineClients,
  MachineClientsError,
  MicrosoftGraph,
  POLICY_RULES,
  ProtectedApi,
  ScopeVocabulary,
} from "../../src";
import { GRAPH_DELEGATED_ONLY_PERMISSIONS } from "../../src/graph/permissions.generated";
import { PrivilegedJustificationRule } from "../../src/policy/privileged-justification";
import { isDelegatedScope } from "../../src/vocabulary/delegated";
import { RESERVED_APP_ROLE_VALUES } from "../../src/vocabulary/rules";
import { ordersApi, ordersVocabulary } from "../constructs/fixtures";
import { errorOf, newStack } from "../util";

// Attacks on the library's state (issue 10, item 2): every exported table is frozen, and
// vocabularies, APIs and grants cannot be altered after construction. Each mutation must throw
// (test files are strict mode), and the check it would switch off must still fire afterwards.

type Anything = Record<PropertyKey, unknown>;

/** Every way to change an object in place; each must throw. */
function mutations(target: object): [string, () => unknown][] {
  const t = target as Anything & unknown[];
  const key = Reflect.ownKeys(target).find((k) => k !== "length") ?? "x";
  return [
    ["set an existing property", () => (t[key as string] = "changed")],
    ["add a property", () => (t["added-by-test"] = 1)],
    ...(Reflect.ownKeys(target).includes(key)
      ? ([["delete a property", () => delete t[key as string]]] as [string, () => unknown][])
      : []),
    ["defineProperty", () => Object.defineProperty(target, key, { value: "changed" })],
    ["setPrototypeOf", () => Object.setPrototypeOf(target, { injected: true })],
    ...(Array.isArray(target)
      ? ([
          ["push", () => t.push("offline_access")],
          ["length = 0", () => (t.length = 0)],
          ["splice", () => t.splice(0, 1)],
        ] as [string, () => unknown][])
      : []),
  ];
}

function expectImmutable(name: string, target: object): void {
  for (const [how, mutate] of mutations(target)) {
    let threw: unknown;
    try {
      mutate();
    } catch (e) {
      threw = e;
    }
    if (!(threw instanceof TypeError)) throw new Error(`${name}: ${how} did not throw`);
  }
}

/** Frozen all the way down (plain objects and arrays; functions and class instances excluded). */
function expectDeepFrozen(name: string, value: unknown, seen = new Set<unknown>()): void {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (!Object.isFrozen(value)) throw new Error(`${name} is not frozen`);
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    if ("value" in d) expectDeepFrozen(`${name}.${String(key)}`, d.value, seen);
  }
}

const isClass = (v: unknown): v is abstract new (...args: never[]) => unknown =>
  typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v));

const ENTRY_POINTS: [string, Anything][] = [
  ["cdktf-machine-clients", lib as unknown as Anything],
  ["cdktf-machine-clients/verify", verify as unknown as Anything],
  ["cdktf-machine-clients/azurerm", azurerm as unknown as Anything],
];
/** The entry points made of re-exports only (their bindings are getters). */
const RE_EXPORTING = ENTRY_POINTS.slice(0, 2);

describe("every export of every entry point", () => {
  it.each(RE_EXPORTING)("%s: no export can be reassigned", (_entry, exports) => {
    for (const name of Object.keys(exports)) {
      expect(() => {
        exports[name] = "replaced";
      }).toThrow(TypeError);
    }
    expect(lib.MAX_PERMISSIONS_PER_CLIENT).toBe(MAX_PERMISSIONS_PER_CLIENT);
  });

  it("cdktf-machine-clients/azurerm: reassigning an export changes the caller's view only", () => {
    const exports = azurerm as unknown as Anything;
    const saved = { ...exports };
    try {
      for (const name of Object.keys(saved)) {
        try {
          exports[name] = class Fake {};
        } catch {
          // a binding that cannot be reassigned is fine too
        }
      }
      const delivery = saved.SecretDelivery as typeof azurerm.SecretDelivery;
      const real = delivery.keyVault({
        keyVaultId:
          "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/contoso-kv",
        secretName: "billing-sync",
      });
      expect(lib.SecretDelivery.isSecretDelivery(real)).toBe(true);
      expect(
        lib.SecretDelivery.isSecretDelivery(new (exports.KeyVaultDelivery as new () => object)()),
      ).toBe(false);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        try {
          exports[name] = value;
        } catch {
          // not reassignable: unchanged
        }
      }
    }
  });

  it.each(ENTRY_POINTS)(
    "%s: every exported table is frozen all the way down",
    (_entry, exports) => {
      const tables = Object.entries(exports).filter(([, v]) => typeof v === "object" && v !== null);
      for (const [name, value] of tables) {
        expectDeepFrozen(name, value);
        expectImmutable(name, value as object);
      }
    },
  );

  it.each(ENTRY_POINTS)("%s: no class's statics can be replaced or added", (_entry, exports) => {
    const classes = Object.entries(exports).filter(([, v]) => isClass(v));
    expect(classes.length).toBeGreaterThan(0);
    for (const [name, cls] of classes) {
      if (!Object.isFrozen(cls)) throw new Error(`class ${name} is not frozen`);
      const statics = Object.getOwnPropertyNames(cls).filter(
        (k) => !["length", "name", "prototype"].includes(k),
      );
      for (const s of statics) {
        expect(() => {
          (cls as unknown as Anything)[s] = () => true;
        }).toThrow(TypeError);
      }
    }
  });
});

describe("mutations never switch a check off", () => {
  afterEach(() => {
    // Whatever the attack tried, the delegated-scope rule holds for the whole process.
    expect(isDelegatedScope("offline_access")).toBe(true);
    expect(
      errorOf(() => ScopeVocabulary.define({ openid: { description: "d" } } as never)),
    ).toBeInstanceOf(MachineClientsError);
  });

  it("DELEGATED_SCOPES and RESERVED_APP_ROLE_VALUES", () => {
    expectImmutable("DELEGATED_SCOPES", DELEGATED_SCOPES);
    expectImmutable("RESERVED_APP_ROLE_VALUES", RESERVED_APP_ROLE_VALUES);
    expect(DELEGATED_SCOPES).toContain("offline_access");
    const e = errorOf(() =>
      ScopeVocabulary.define({ OFFLINE_ACCESS: { description: "d" } } as never),
    ) as MachineClientsError;
    expect(e.code).toBe("DELEGATED_SCOPE");
    expect(
      (
        errorOf(() =>
          ScopeVocabulary.define({ user: { description: "d" } } as never),
        ) as MachineClientsError
      ).code,
    ).toBe("APP_ROLE_VALUE_RESERVED");
  });

  it("the Graph tables: User.Read cannot be made an application permission", () => {
    expectImmutable("GRAPH_APPLICATION_PERMISSION_IDS", GRAPH_APPLICATION_PERMISSION_IDS);
    expectImmutable("GRAPH_DELEGATED_ONLY_PERMISSIONS", GRAPH_DELEGATED_ONLY_PERMISSIONS);
    expectImmutable("GRAPH_TIER0_PERMISSIONS", GRAPH_TIER0_PERMISSIONS);
    const grant = MicrosoftGraph.grant as unknown as (p: string, o?: object) => unknown;
    expect((errorOf(() => grant("User.Read")) as MachineClientsError).code).toBe(
      "GRAPH_DELEGATED_PERMISSION",
    );
    expect(
      (errorOf(() => grant("RoleManagement.ReadWrite.Directory")) as MachineClientsError).code,
    ).toBe("JUSTIFICATION_MISSING");
  });

  it("MicrosoftGraph: the API object and its identity cannot be replaced", () => {
    const graph = MicrosoftGraph as unknown as Anything;
    expect(() => (graph.api = {})).toThrow(TypeError);
    expect(() => (graph.grant = () => undefined)).toThrow(TypeError);
    const api = MicrosoftGraph.api as unknown as Anything;
    for (const key of ["clientId", "identifierUri", "apiKey"]) {
      expect(() => (api[key] = "api://contoso.example/x")).toThrow(TypeError);
      expect(() => Object.defineProperty(api, key, { value: "x" })).toThrow(TypeError);
    }
    expect(MicrosoftGraph.grant("User.Read.All").api.clientId).toBe(MicrosoftGraph.CLIENT_ID);
  });

  it("a vocabulary: no internal map to reach, nothing to redefine", () => {
    const v = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });
    for (const key of Reflect.ownKeys(v)) {
      const value = (v as unknown as Anything)[key];
      expect(value instanceof Map).toBe(false);
      expect(value instanceof Set).toBe(false);
    }
    expectImmutable("vocabulary", v);
    expectImmutable("vocabulary.scopes", v.scopes);
    expectImmutable("vocabulary.appRoles", v.appRoles);
    expectImmutable("vocabulary entry", v.scopes[0]);
    expect(() =>
      Object.defineProperty(ScopeVocabulary.prototype, "has", { value: () => true }),
    ).toThrow(TypeError);
    expect(() => Map.prototype.get.call(v, "offline_access")).toThrow(TypeError);
    expect(v.has("offline_access")).toBe(false);
    expect(errorOf(() => v.grantable("offline_access"))).toBeInstanceOf(MachineClientsError);
  });

  it("an API's vocabulary cannot be swapped for another", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const wide = ScopeVocabulary.define({ "orders.everything": { description: "All" } });
    const a = api as unknown as Anything;
    expect(() => (a.vocabulary = wide)).toThrow(TypeError);
    expect(() => Object.defineProperty(api, "vocabulary", { value: wide })).toThrow(TypeError);
    expect(() => (a.identifierUri = "api://contoso.example/other")).toThrow(TypeError);
    expect(api.vocabulary).toBe(ordersVocabulary);
    expect(
      (
        errorOf(() =>
          (api as unknown as { grant(s: string): unknown }).grant("orders.everything"),
        ) as MachineClientsError
      ).code,
    ).toBe("SCOPE_NOT_IN_VOCABULARY");
  });

  it("an ExistingApi's client id, identifier URI and vocabulary cannot be changed", () => {
    const stack = newStack();
    const api = ExistingApi.fromClientId(stack, "Payments", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: "api://contoso.example/payments",
      vocabulary: ScopeVocabulary.define({
        "payments.read": { description: "r", id: "0b6c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c" },
      }),
    });
    const a = api as unknown as Anything;
    for (const key of ["clientId", "identifierUri", "vocabulary"]) {
      expect(() => (a[key] = "x")).toThrow(TypeError);
    }
    expect(api.clientId).toBe("6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c");
  });

  it("a grant cannot be altered", () => {
    const stack = newStack();
    const g = ordersApi(stack).grant("orders.read");
    expectImmutable("grant", g);
    expect(g.scope).toBe("orders.read");
  });

  it("the org policy's rules and defaults cannot be switched off", () => {
    expectImmutable("PrivilegedJustificationRule", PrivilegedJustificationRule);
    expectImmutable("POLICY_RULES", POLICY_RULES);
    expectImmutable("DEFAULT_ORG_POLICY", DEFAULT_ORG_POLICY);
    expectImmutable("DEFAULT_ORG_POLICY.forbiddenScopes", DEFAULT_ORG_POLICY.forbiddenScopes);
    expect(POLICY_RULES).toContain(PrivilegedJustificationRule);
  });

  it("config files still reject a delegated scope after every attempt above", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    for (const t of [DELEGATED_SCOPES, GRAPH_TIER0_PERMISSIONS] as unknown as unknown[][]) {
      expect(() => t.splice(0, t.length)).toThrow(TypeError);
    }
    expect(() => ((ProtectedApi as unknown as Anything).prototype = {})).toThrow(TypeError);
    const e = errorOf(() =>
      MachineClients.fromText(
        stack,
        "clients.yaml",
        "clients:\n  - name: sync\n    access: [{ api: orders, scope: Offline_Access }]\n    credential: { type: secret }\n",
        { apis: { orders: api } },
      ),
    ) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.message).toMatch(/Offline_Access is a delegated scope/);
    expect(stack.node.tryFindChild("clients")).toBeUndefined();
  });
});
