import { Testing } from "cdktf";
import {
  ClientSecret,
  ConfigFileError,
  OrgPolicy,
  Suppressions,
  manifestOf,
  DelegatedVocabulary,
  ExistingApi,
  MachineClient,
  MachineClients,
  MachineClientsError,
  ProtectedApi,
  ScopeGrant,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { errorOf, newStack, resourcesOf, synth } from "../util";
import { providerStack } from "./fixtures";

const READ = deriveRoleId("orders.read");
const VIEW = deriveRoleId("orders.view");

const lifecycle = ScopeVocabulary.define({
  "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
  "orders.write": { description: "Write orders" },
  "orders.admin": {
    description: "Manage orders",
    privileged: true,
    retired: { replacedBy: "orders.write", reason: "split (OPS-9)" },
  },
});

function ordersApi(stack = newStack()) {
  return new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: lifecycle,
  });
}

/** grant() without its compile-time types, as JavaScript callers and casts reach it. */
function untyped(api: object): { grant(s: string, o?: object): ScopeGrant } {
  return api as { grant(s: string, o?: object): ScopeGrant };
}

describe("a ProtectedApi whose vocabulary evolves", () => {
  it("declares retired permissions disabled and old names enabled, keeping every id", () => {
    const stack = newStack();
    ordersApi(stack);
    const [app] = resourcesOf(synth(stack), "azuread_application");
    expect(app.app_role.map((r: Record<string, unknown>) => [r.value, r.id, r.enabled])).toEqual([
      ["orders.admin", deriveRoleId("orders.admin"), false],
      ["orders.read", READ, true],
      ["orders.view", VIEW, true],
      ["orders.write", deriveRoleId("orders.write"), true],
    ]);
  });

  it("rejects at run time a grant of a retired permission, naming the construct and replacement", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const before = stack.node.findAll().length;
    const e = errorOf(() =>
      untyped(api).grant("orders.admin", { justification: "nightly repair job fixes orders" }),
    ) as MachineClientsError;
    expect(e.code).toBe("SCOPE_RETIRED");
    expect(e.message).toBe(
      'test/OrdersApi.grant: orders.admin is retired and can no longer be granted (got "orders.admin"). Grant orders.write instead.',
    );
    expect(stack.node.findAll().length).toBe(before);
  });

  it("rejects at run time a grant of an old name, naming the new one", () => {
    const e = errorOf(() => untyped(ordersApi()).grant("orders.read")) as MachineClientsError;
    expect(e.code).toBe("SCOPE_RENAMED");
    expect(e.message).toBe(
      'test/OrdersApi.grant: orders.read was renamed to orders.view and can no longer be granted (got "orders.read"). Grant orders.view instead.',
    );
  });

  it("rejects a delegated scope that takes an old name of the application permissions", () => {
    const e = errorOf(
      () =>
        new ProtectedApi(newStack(), "Hybrid", {
          displayName: "hybrid",
          identifierUri: "api://contoso.example/hybrid",
          vocabulary: lifecycle,
          delegatedVocabulary: DelegatedVocabulary.define({
            "orders.read": { adminConsentDisplayName: "r", adminConsentDescription: "r" },
          }) as never,
        }),
    ) as MachineClientsError;
    expect(e.code).toBe("SCOPE_SHARED_BETWEEN_VOCABULARIES");
  });
});

describe("a client granted a renamed permission", () => {
  it("holds the old role's assignment beside the new one until the old name is retired", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const client = new MachineClient(stack, "Billing", {
      displayName: "billing",
      access: [api.grant("orders.view")],
      credential: ClientSecret.rotating(),
    });
    const json = synth(stack);
    expect(
      resourcesOf(json, "azuread_app_role_assignment")
        .map((a) => a.app_role_id)
        .sort(),
    ).toEqual([READ, VIEW].sort());
    const clientApp = resourcesOf(json, "azuread_application").find(
      (a) => a.display_name === "billing",
    )!;
    expect(clientApp.required_resource_access[0].resource_access).toEqual([
      { id: VIEW, type: "Role" },
      { id: READ, type: "Role" },
    ]);
    expect([...client.assignments.keys()]).toEqual([
      "api://contoso.example/orders#orders.view",
      "api://contoso.example/orders#orders.read",
    ]);
    expect(client.toModel().grants).toEqual([
      {
        api: "api://contoso.example/orders",
        identifierUri: "api://contoso.example/orders",
        scope: "orders.view",
        roleId: VIEW,
        privileged: false,
        renamedFrom: { scope: "orders.read", roleId: READ },
      },
    ]);
  });

  it("checks the old name's role id at plan time on an ExistingApi too", () => {
    const stack = newStack();
    const OLD = "2c7d4b7f-9a54-4c3b-8f1a-2c4e6d8f0a11";
    const NEW = "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00";
    const payments = ExistingApi.fromClientId(stack, "Payments", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: "api://contoso.example/payments",
      vocabulary: ScopeVocabulary.define({
        "payments.view": {
          description: "Read payments",
          id: NEW,
          renamedFrom: { value: "payments.read", id: OLD },
        },
      }),
    });
    new MachineClient(stack, "Reconciler", {
      displayName: "reconciler",
      access: [payments.grant("payments.view")],
      credential: ClientSecret.rotating(),
    });
    const assignments = resourcesOf(synth(stack), "azuread_app_role_assignment");
    const old = assignments.find((a) => a.app_role_id === OLD)!;
    expect(old.lifecycle.precondition[0].condition).toContain(
      `"payments.read", "none")) == "${OLD}"`,
    );
    const renamed = assignments.find((a) => a.app_role_id === NEW)!;
    expect(renamed.lifecycle.precondition[0].condition).toContain(`"payments.view"`);
  });

  it("rejects an ExistingApi rename whose old role id is not adopted", () => {
    const e = errorOf(() =>
      ExistingApi.fromClientId(newStack(), "Payments", {
        clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
        identifierUri: "api://contoso.example/payments",
        vocabulary: ScopeVocabulary.define({
          "payments.view": {
            description: "Read payments",
            id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00",
            renamedFrom: "payments.read",
          },
        }),
      }),
    ) as MachineClientsError;
    expect(e.code).toBe("ROLE_ID_REQUIRED");
    expect(e.message).toContain('the old name "payments.read" of "payments.view" declares no id');
    expect(e.message).toContain('renamedFrom: { value: "payments.read", id: "<app role id>" }');
  });
});

describe("config files and evolving vocabularies", () => {
  function load(yaml: string) {
    const stack = newStack();
    const apis = { orders: ordersApi(stack) };
    return {
      stack,
      run: () => MachineClients.fromText(stack, "integrations.yaml", yaml, { apis }),
    };
  }

  it("rejects a retired permission and an old name, with lines and grant()'s wording", () => {
    const { stack, run } = load(`clients:
  - name: job
    access:
      - { api: orders, scope: orders.admin, justification: nightly job repairs stuck orders }
      - { api: orders, scope: orders.read }
    credential: { type: secret }
`);
    const before = stack.node.findAll().length;
    const e = errorOf(run) as ConfigFileError;
    expect(e).toBeInstanceOf(ConfigFileError);
    expect(e.problems.map((p) => [p.code, p.line, p.entry])).toEqual([
      ["SCOPE_RETIRED", 4, 'clients[0] "job" › access[0].scope'],
      ["SCOPE_RENAMED", 5, 'clients[0] "job" › access[1].scope'],
    ]);
    expect(e.problems[0].message).toContain(
      'orders.admin is retired and can no longer be granted (got "orders.admin"). Grant orders.write instead.',
    );
    expect(e.problems[1].message).toContain("Grant orders.view instead.");
    expect(stack.node.findAll().length).toBe(before);
  });

  it("grants the new name of a rename with both assignments", () => {
    const { stack, run } = load(`clients:
  - name: job
    access: [{ api: orders, scope: orders.view }]
    credential: { type: secret }
`);
    run();
    expect(resourcesOf(synth(stack), "azuread_app_role_assignment")).toHaveLength(2);
  });
});

describe("the org policy across stacks (MC-RETIRED-PERMISSION)", () => {
  /**
   * An app with the orders API's own stack and a reporting stack that grants orders permissions
   * through an ExistingApi copy of the vocabulary, as another team would.
   */
  function app(copy: Record<string, { description: string; id: string }>) {
    const a = Testing.app();
    const orders = providerStack(a, "orders");
    new ProtectedApi(orders, "OrdersApi", {
      displayName: "orders-api",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define({
        "orders.view": { description: "Read orders" },
        "orders.admin": { description: "Manage", retired: { replacedBy: "orders.view" } },
      }),
    });
    const reporting = providerStack(a, "reporting");
    const existing = ExistingApi.fromClientId(reporting, "Orders", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define(copy),
    });
    const client = new MachineClient(reporting, "Reporting", {
      displayName: "reporting",
      access: Object.keys(copy).map((s) => untyped(existing).grant(s)),
      credential: ClientSecret.rotating(),
    });
    return { app: a, reporting, client };
  }
  const ADMIN = deriveRoleId("orders.admin");
  const EXPORT = "3d8e5c80-ab65-4d4c-9a2b-3d5f7e9a1b22";
  // The org declares its verified domain, so that the API's api://contoso.example/orders gives no
  // MC-IDENTIFIER-URI-DOMAIN warning beside the findings these tests look at.
  const POLICY = { verifiedDomains: ["contoso.example"] };

  it("fails the synth of a stack still granting a permission the API retired", () => {
    const { app: a, reporting } = app({ "orders.admin": { description: "m", id: ADMIN } });
    OrgPolicy.of(a).apply(POLICY);
    expect(() => Testing.synth(reporting, true)).toThrow(
      /\[reporting\/Reporting\] MC-RETIRED-PERMISSION: the client holds "orders.admin" on api:\/\/contoso\.example\/orders, which the API's vocabulary \(orders\/OrdersApi\) has retired/,
    );
  });

  it("fails it for a permission the API removed, and passes current grants", () => {
    const { app: a } = app({
      "orders.export": { description: "e", id: EXPORT },
      "orders.view": { description: "v", id: deriveRoleId("orders.view") },
    });
    OrgPolicy.of(a).apply(POLICY);
    expect(
      OrgPolicy.of(a)
        .findings()
        .map((f) => [f.ruleId, f.value]),
    ).toEqual([["MC-RETIRED-PERMISSION", "orders.export"]]);
    expect(OrgPolicy.of(a).findings()[0].problem).toContain(
      `"orders.export" (role id ${EXPORT}) on api://contoso.example/orders, which the API's vocabulary (orders/OrdersApi) no longer declares`,
    );
  });

  it("can be suppressed with a reason while the other team removes its grant", () => {
    const { app: a, client } = app({ "orders.admin": { description: "m", id: ADMIN } });
    OrgPolicy.of(a).apply(POLICY);
    Suppressions.add(client, [
      { id: "MC-RETIRED-PERMISSION", reason: "reporting team removes the grant in REP-12" },
    ]);
    expect(OrgPolicy.of(a).findings()[0].suppressed?.reason).toBe(
      "reporting team removes the grant in REP-12",
    );
  });
});

describe("the manifest of evolving vocabularies", () => {
  it("lists the API's roles with their status, and the old role a grant still assigns", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    new MachineClient(stack, "Billing", {
      displayName: "billing",
      access: [api.grant("orders.view")],
      credential: ClientSecret.rotating(),
    });
    const m = manifestOf(stack);
    expect(m.apis).toEqual([
      {
        path: "test/OrdersApi",
        kind: "protected",
        identifierUri: "api://contoso.example/orders",
        roles: [
          {
            scope: "orders.admin",
            roleId: deriveRoleId("orders.admin"),
            enabled: false,
            status: "retired",
            privileged: true,
            replacedBy: "orders.write",
            reason: "split (OPS-9)",
          },
          {
            scope: "orders.read",
            roleId: READ,
            enabled: true,
            status: "renamed",
            privileged: false,
            replacedBy: "orders.view",
          },
          {
            scope: "orders.view",
            roleId: VIEW,
            enabled: true,
            status: "active",
            privileged: false,
          },
          {
            scope: "orders.write",
            roleId: deriveRoleId("orders.write"),
            enabled: true,
            status: "active",
            privileged: false,
          },
        ],
      },
    ]);
    expect(m.clients[0].grants[0].renamedFrom).toEqual({ scope: "orders.read", roleId: READ });
  });

  it("lists an ExistingApi as a copy with its client id, and a stack without clients", () => {
    const stack = newStack();
    ExistingApi.fromClientId(stack, "Payments", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: "api://contoso.example/payments",
      vocabulary: ScopeVocabulary.define({
        "payments.read": { description: "r", id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00" },
      }),
    });
    const m = manifestOf(stack);
    expect(m.clients).toEqual([]);
    expect(m.apis).toMatchObject([
      { kind: "existing", clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c", path: "test/Payments" },
    ]);
  });
});
