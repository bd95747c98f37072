// Ids that cannot collide, and nothing half-built: construct ids derived from user values are
// distinct for distinct values, and a declaration that fails — before or after its construct is
// created — leaves nothing in the tree, the synthesized JSON or machine-clients.json.
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import {
  ClientSecret,
  ExistingApi,
  FederatedCredential,
  MachineClient,
  MachineClients,
  MachineClientsError,
  ProtectedApi,
  ScopeGrant,
  ScopeVocabulary,
  SecretDelivery,
} from "../../src";
import { manifestOf } from "../../src/inventory/manifest";
import { ordersVocabulary, providerStack } from "../constructs/fixtures";
import { errorOf, resourcesOf, synth } from "../util";

const OWNER = "7a3e1c52-90d4-4b8e-a1f6-2c5d8e9b0f13";

/** An API whose assignments fail after the client's construct exists (foreign code). */
class HostileApi extends ProtectedApi {
  public onAssignment(): void {
    throw new TypeError("the API implementation broke");
  }
}

/** A Proxy over `target` whose property `key` answers once, then throws. */
function answersOnce<T extends object>(target: T, key: PropertyKey): T {
  let reads = 0;
  return new Proxy(target, {
    get(t, k) {
      if (k === key && reads++ > 0) throw new TypeError("answered once");
      const value = Reflect.get(t, k, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

/** The construct tree, the synthesized JSON and the manifest of `stack`, for before/after. */
function state(stack: TerraformStack) {
  return {
    children: stack.node.children.map((c: IConstruct) => c.node.id),
    paths: stack.node.findAll().map((c) => c.node.path),
  };
}

function expectNothingLeft(stack: TerraformStack, before: ReturnType<typeof state>) {
  expect(state(stack)).toEqual(before);
}

describe("ids that cannot collide", () => {
  it("scope values a/b and a--b on one client both synthesize, one assignment each", () => {
    const stack = providerStack();
    const vocabulary = ScopeVocabulary.define({
      "a/b": { description: "Slash" },
      "a--b": { description: "Dashes" },
    });
    const api = new ProtectedApi(stack, "Api", { displayName: "api", vocabulary });
    const client = new MachineClient(stack, "Client", {
      displayName: "client",
      access: [api.grant("a/b"), api.grant("a--b")],
      credential: ClientSecret.rotating(),
    });
    const assignments = resourcesOf(synth(stack), "azuread_app_role_assignment");
    expect(assignments).toHaveLength(2);
    expect(new Set(assignments.map((a) => a.app_role_id)).size).toBe(2);
    expect([...client.assignments.keys()].sort()).toEqual(["test/Api#a--b", "test/Api#a/b"]);
  });

  it("two APIs whose keys collide under a 32-bit hash get distinct assignment addresses", () => {
    // FNV-1a gives both URIs 92c1494b: with a 32-bit hash the second grant was refused as
    // "the same app role of the same API".
    const stack = providerStack();
    const apis = ["api://contoso.example/a522789", "api://contoso.example/a739192"].map(
      (identifierUri, i) =>
        new ProtectedApi(stack, `Api${i}`, {
          displayName: `api-${i}`,
          identifierUri,
          vocabulary: ordersVocabulary,
        }),
    );
    new MachineClient(stack, "Client", {
      displayName: "client",
      access: apis.map((a) => a.grant("orders.read")),
      credential: ClientSecret.rotating(),
    });
    const names = Object.keys(synth(stack).resource.azuread_app_role_assignment);
    expect(names).toHaveLength(2);
    expect(new Set(names.map((n) => n.split("_")[1])).size).toBe(2);
  });

  it("refuses two different federated credentials whose content hashes collide, before building", () => {
    // "job-5271" and "job-681400" have the same 32-bit FNV-1a hash with this issuer.
    const stack = providerStack();
    const api = new ProtectedApi(stack, "Api", {
      displayName: "api",
      vocabulary: ordersVocabulary,
    });
    const before = state(stack);
    const issuer = "https://issuer.contoso.example";
    const e = errorOf(
      () =>
        new MachineClient(stack, "Client", {
          displayName: "client",
          access: [api.grant("orders.read")],
          credential: [
            FederatedCredential.custom({ issuer, subject: "job-5271" }),
            FederatedCredential.custom({ issuer, subject: "job-681400" }),
          ],
        }),
    ) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.code).toBe("CREDENTIAL_ID_COLLISION");
    expect(e.message).toContain("test/Client: two different federated credentials");
    expectNothingLeft(stack, before);
  });

  it("an output delivery named like one of the client's resources does not collide", () => {
    const stack = providerStack();
    const api = new ProtectedApi(stack, "Api", {
      displayName: "api",
      vocabulary: ordersVocabulary,
    });
    new MachineClient(stack, "Client", {
      displayName: "client",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating({
        delivery: SecretDelivery.output({ outputName: "Application" }),
      }),
    });
    const json = synth(stack);
    expect(json.output.Application).toMatchObject({ sensitive: true });
    expect(resourcesOf(json, "azuread_application")).toHaveLength(2);
  });

  it("a construct id already taken, or taken as a/b versus a--b, is a MachineClientsError", () => {
    const stack = providerStack();
    const api = new ProtectedApi(stack, "Api", {
      displayName: "api",
      vocabulary: ordersVocabulary,
    });
    const props = {
      displayName: "client",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
    };
    new MachineClient(stack, "a--b", props);
    const before = state(stack);
    const e = errorOf(() => new MachineClient(stack, "a/b", props)) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.code).toBe("CONSTRUCT_ID_TAKEN");
    expect(e.message).toBe(
      'test/a/b: "test" already holds a construct with this id (as "a--b": "/" becomes "--") (got "a/b"). Give each construct its own id.',
    );
    const again = errorOf(
      () => new ProtectedApi(stack, "Api", { displayName: "x", vocabulary: ordersVocabulary }),
    );
    expect((again as MachineClientsError).code).toBe("CONSTRUCT_ID_TAKEN");
    expectNothingLeft(stack, before);
  });

  it("addSecretOutput with a taken id is a MachineClientsError, not a constructs error", () => {
    const stack = providerStack();
    const api = new ProtectedApi(stack, "Api", {
      displayName: "api",
      vocabulary: ordersVocabulary,
    });
    const client = new MachineClient(stack, "Client", {
      displayName: "client",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    const e = errorOf(() => client.addSecretOutput("Application")) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.code).toBe("CONSTRUCT_ID_TAKEN");
    expect(client.toModel().deliveries).toBeUndefined();
  });

  it("a config file id with a slash is refused", () => {
    const stack = providerStack();
    const apis = {
      orders: new ProtectedApi(stack, "Api", { displayName: "api", vocabulary: ordersVocabulary }),
    };
    const e = errorOf(() =>
      MachineClients.fromText(stack, "x.yaml", "clients: []\n", { apis, id: "a/b" }),
    ) as MachineClientsError;
    expect(e.code).toBe("CONFIG_ID_INVALID");
  });
});

describe("nothing half-built", () => {
  it("a MachineClient that fails after its construct exists leaves nothing, and the stack stays usable", () => {
    const stack = providerStack();
    // Explicit owners: the APIs do not create the deployer data source, the client does.
    const api = new HostileApi(stack, "Api", {
      displayName: "api",
      vocabulary: ordersVocabulary,
      owners: [OWNER],
    });
    const good = new ProtectedApi(stack, "Good", {
      displayName: "good",
      identifierUri: "api://contoso.example/good",
      vocabulary: ordersVocabulary,
      owners: [OWNER],
    });
    const before = state(stack);
    const e = errorOf(
      () =>
        new MachineClient(stack, "Client", {
          displayName: "client",
          access: [api.grant("orders.read")],
          credential: ClientSecret.rotating(),
        }),
    ) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.code).toBe("CONSTRUCTION_FAILED");
    expect(e.message).toContain("test/Client: building the construct failed");
    expect(e.message).toContain("the API implementation broke");
    expectNothingLeft(stack, before);
    const json = synth(stack);
    expect(json.data?.azuread_client_config).toBeUndefined();
    expect(resourcesOf(json, "azuread_application").map((a) => a.display_name)).toEqual([
      "api",
      "good",
    ]);
    expect(manifestOf(stack).clients).toEqual([]);

    // A later client gets a deployer data source that is in the stack.
    new MachineClient(stack, "Later", {
      displayName: "later",
      access: [good.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    const after = synth(stack);
    expect(Object.keys(after.data.azuread_client_config)).toEqual(["MachineClientsDeployer"]);
    expect(manifestOf(stack).clients.map((c) => c.path)).toEqual(["test/Later"]);
  });

  it("a ProtectedApi whose vocabulary fails on a second read leaves nothing", () => {
    const stack = providerStack();
    const before = state(stack);
    const vocabulary = answersOnce(ordersVocabulary, "appRoles");
    const e = errorOf(
      () => new ProtectedApi(stack, "Api", { displayName: "api", vocabulary, owners: [OWNER] }),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.message).toContain("test/Api");
    expectNothingLeft(stack, before);
    expect(manifestOf(stack).apis).toEqual([]);
  });

  it("an ExistingApi whose vocabulary fails on a second read leaves nothing", () => {
    const stack = providerStack();
    const before = state(stack);
    const vocabulary = answersOnce(
      ScopeVocabulary.define({
        "payments.read": { description: "Read", id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" },
      }),
      "appRoles",
    );
    expect(vocabulary.appRoles).toHaveLength(1); // its one answer: the next read throws
    const e = errorOf(() =>
      ExistingApi.fromClientId(stack, "Payments", {
        clientId: "11111111-2222-4333-8444-555555555555",
        identifierUri: "api://payments.contoso.example",
        vocabulary,
      }),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.message).toContain("test/Payments");
    expectNothingLeft(stack, before);
    expect(manifestOf(stack).apis).toEqual([]);
  });

  it("a config file whose second client fails after the first was built leaves nothing", () => {
    const stack = providerStack();
    const orders = new ProtectedApi(stack, "Orders", {
      displayName: "orders",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ordersVocabulary,
      owners: [OWNER],
    });
    const hostile = new HostileApi(stack, "Hostile", {
      displayName: "hostile",
      identifierUri: "api://contoso.example/hostile",
      vocabulary: ordersVocabulary,
      owners: [OWNER],
    });
    const before = state(stack);
    const text = [
      "clients:",
      "  - name: first",
      "    access: [{ api: orders, scope: orders.read }]",
      "    credential: { type: secret }",
      "  - name: second",
      "    access: [{ api: hostile, scope: orders.read }]",
      "    credential: { type: secret }",
      "",
    ].join("\n");
    const e = errorOf(() =>
      MachineClients.fromText(stack, "jobs.yaml", text, { apis: { orders, hostile } }),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.message).toContain("test/jobs/second");
    expectNothingLeft(stack, before);
    const json = synth(stack);
    expect(json.data?.azuread_client_config).toBeUndefined();
    expect(
      resourcesOf(json, "azuread_application")
        .map((a) => a.display_name)
        .sort(),
    ).toEqual(["hostile", "orders"]);
    expect(manifestOf(stack).clients).toEqual([]);
  });

  it("a hand-made grant that throws when read is refused before anything is built", () => {
    const stack = providerStack();
    const api = new ProtectedApi(stack, "Api", {
      displayName: "api",
      vocabulary: ordersVocabulary,
    });
    const grant = answersOnce(api.grant("orders.read"), "scope") as ScopeGrant;
    const before = state(stack);
    const e = errorOf(
      () =>
        new MachineClient(stack, "Client", {
          displayName: "client",
          access: [grant],
          credential: ClientSecret.rotating(),
        }),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expectNothingLeft(stack, before);
  });
});
