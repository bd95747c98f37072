import { Lazy, TerraformVariable, Testing } from "cdktf";
import {
  ClientSecret,
  ExistingApi,
  MachineClient,
  MachineClients,
  MachineClientsError,
  MicrosoftGraph,
  OrgPolicy,
  ProtectedApi,
  ScopeVocabulary,
  Suppressions,
} from "../../src";
import { ordersApi, providerStack } from "../constructs/fixtures";
import { errorOf, TfJson } from "../util";

// Attacks on what grants and clients read of an API: its client id, key, identifier URI, service
// principal and assignment hook. A client synthesizes an API's client id as resource_app_id and
// its service principal as the assignment's resource: swapping either after the grant was minted
// would assign a role id (e.g. Graph's delegated offline_access id) under another application.

const GRAPH = "00000003-0000-0000-c000-000000000000";
const OFFLINE_ACCESS_ID = "7427e0e9-2fba-42fe-b0c0-848c9e6a8182";
const ANY_SP = "11111111-2222-3333-4444-555555555555";

type Loose = Record<string, unknown>;

function synthOf(stack: ReturnType<typeof providerStack>): TfJson {
  return JSON.parse(Testing.synth(stack));
}

describe("an API's identity cannot be changed once constructed", () => {
  it.each(["clientId", "apiKey", "identifierUri", "servicePrincipalObjectIdFor", "onAssignment"])(
    "ProtectedApi.%s: assignment and defineProperty throw, and the client synthesizes the API's own",
    (key) => {
      const stack = providerStack();
      const api = ordersApi(stack);
      const before = (api as unknown as Loose)[key];
      expect(() => {
        (api as unknown as Loose)[key] = key === "clientId" ? GRAPH : () => ANY_SP;
      }).toThrow(TypeError);
      expect(() =>
        Object.defineProperty(api, key, { value: GRAPH, configurable: true, writable: true }),
      ).toThrow(TypeError);
      expect((api as unknown as Loose)[key]).toBe(before);
      new MachineClient(stack, "Client", {
        displayName: "client",
        access: [api.grant("orders.read")],
        credential: ClientSecret.rotating(),
      });
      const json = synthOf(stack);
      const client = Object.values<TfJson>(json.resource.azuread_application).find(
        (a) => a.display_name === "client",
      )!;
      expect(client.required_resource_access[0].resource_app_id).toMatch(
        /^\$\{azuread_application\.OrdersApi_Application_\w+\.client_id\}$/,
      );
      const [assignment] = Object.values<TfJson>(json.resource.azuread_app_role_assignment);
      expect(assignment.resource_object_id).toMatch(
        /^\$\{azuread_service_principal\.OrdersApi_ServicePrincipal_\w+\.object_id\}$/,
      );
    },
  );

  it("an ExistingApi's identity and hooks are sealed too", () => {
    const stack = providerStack();
    const api = ExistingApi.fromClientId(stack, "Payments", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: "api://6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      vocabulary: ScopeVocabulary.define({
        "payments.read": { description: "Read", id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00" },
      }),
    });
    for (const key of ["clientId", "apiKey", "servicePrincipalObjectIdFor", "onAssignment"]) {
      expect(() => Object.defineProperty(api, key, { value: GRAPH })).toThrow(TypeError);
    }
    expect(api.clientId).toBe("6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c");
  });

  it("Microsoft Graph's service principal cannot be redirected to another one", () => {
    const graph = MicrosoftGraph.api as unknown as Loose;
    expect(() => {
      graph.servicePrincipalObjectIdFor = () => ANY_SP;
    }).toThrow(TypeError);
    expect(() => {
      graph.onAssignment = () => undefined;
    }).toThrow(TypeError);
    const stack = providerStack();
    new MachineClient(stack, "Reader", {
      displayName: "reader",
      access: [MicrosoftGraph.grant("User.Read.All")],
      credential: ClientSecret.rotating(),
    });
    const [assignment] = Object.values<TfJson>(synthOf(stack).resource.azuread_app_role_assignment);
    expect(assignment.resource_object_id).not.toBe(ANY_SP);
    expect(assignment.resource_object_id).toMatch(/^\$\{data\.azuread_service_principal\./);
  });

  it.each([
    ["ProtectedApi", ProtectedApi.prototype, "servicePrincipalObjectIdFor"],
    ["ExistingApi", ExistingApi.prototype, "servicePrincipalObjectIdFor"],
    ["MicrosoftGraph", Object.getPrototypeOf(MicrosoftGraph.api), "servicePrincipalObjectIdFor"],
    ["MachineClient", MachineClient.prototype, "toModel"],
    ["OrgPolicy", OrgPolicy.prototype, "findings"],
    ["MachineClients", MachineClients.prototype, "toString"],
    ["Suppressions", Suppressions.prototype, "constructor"],
  ])(
    "%s's prototype is frozen: a method cannot be replaced for every instance",
    (_n, proto, key) => {
      expect(Object.isFrozen(proto)).toBe(true);
      expect(() => {
        (proto as Loose)[key] = () => [];
      }).toThrow(TypeError);
    },
  );

  it("the org policy still reports after an attempt to empty its findings", () => {
    const stack = providerStack();
    expect(() => {
      (OrgPolicy.prototype as unknown as Loose).findings = () => [];
    }).toThrow(TypeError);
    OrgPolicy.of(stack).apply({ maxGrantsPerClient: 1 } as never);
    const api = ordersApi(stack);
    new MachineClient(stack, "Client", {
      displayName: "client",
      access: [api.grant("orders.read"), api.grant("orders.write")],
      credential: ClientSecret.rotating(),
    });
    expect(
      OrgPolicy.of(stack)
        .findings()
        .map((f) => f.ruleId),
    ).toContain("MC-MAX-GRANTS");
  });
});

describe("an ExistingApi whose identity is a token is checked once it resolves", () => {
  const vocabulary = () =>
    ScopeVocabulary.define({ "mail.sync": { description: "x", id: OFFLINE_ACCESS_ID } });

  it("refuses a client id that resolves to Microsoft Graph's at synth, before apply", () => {
    const stack = providerStack();
    const api = ExistingApi.fromClientId(stack, "Mail", {
      clientId: Lazy.stringValue({ produce: () => GRAPH }),
      identifierUri: "api://contoso.example/mail",
      vocabulary: vocabulary(),
      otherTenant: true,
    });
    new MachineClient(stack, "Sync", {
      displayName: "sync",
      access: [api.grant("mail.sync")],
      credential: ClientSecret.rotating(),
    });
    const message = errorOf(() => Testing.synth(stack, true)).message;
    expect(message).toContain(
      `test/Mail: clientId resolves to "${GRAPH}", Microsoft Graph's. Grant Graph permissions with MicrosoftGraph.grant("<application permission>")`,
    );
  });

  it("refuses an identifier URI that resolves to Graph's, or to one Entra refuses", () => {
    const graphUri = providerStack();
    ExistingApi.fromClientId(graphUri, "Mail", {
      clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      identifierUri: Lazy.stringValue({ produce: () => "https://graph.microsoft.com" }),
      vocabulary: vocabulary(),
    });
    expect(errorOf(() => Testing.synth(graphUri, true)).message).toContain(
      'test/Mail: identifierUri resolves to "https://graph.microsoft.com", Microsoft Graph\'s.',
    );
    const invalid = providerStack();
    ExistingApi.fromClientId(invalid, "Mail", {
      clientId: Lazy.stringValue({ produce: () => "not-a-guid" }),
      identifierUri: Lazy.stringValue({ produce: () => "api://mail?x=1" }),
      vocabulary: vocabulary(),
    });
    const message = errorOf(() => Testing.synth(invalid, true)).message;
    expect(message).toContain('test/Mail: clientId resolves to "not-a-guid", which is not a GUID.');
    expect(message).toContain('(it resolves to "api://mail?x=1")');
  });

  it("leaves a Terraform reference to plan time, where the role id precondition checks it", () => {
    const stack = providerStack();
    const api = ExistingApi.fromClientId(stack, "Mail", {
      clientId: new TerraformVariable(stack, "mail_client_id", { type: "string" }).stringValue,
      identifierUri: "api://contoso.example/mail",
      vocabulary: vocabulary(),
    });
    new MachineClient(stack, "Sync", {
      displayName: "sync",
      access: [api.grant("mail.sync")],
      credential: ClientSecret.rotating(),
    });
    expect(() => Testing.synth(stack, true)).not.toThrow(MachineClientsError);
  });
});
