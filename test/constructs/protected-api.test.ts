import { Testing } from "cdktf";
import { DataAzureadClientConfig } from "@cdktf/provider-azuread/lib/data-azuread-client-config";
import {
  MachineClientsError,
  ProtectedApi,
  ProtectedApiProps,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { dataOf, errorOf, newStack, resourcesOf, synth } from "../util";

const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.write": { description: "Create and update orders", displayName: "Write orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});

function ordersApi(props: Partial<ProtectedApiProps> = {}) {
  const stack = newStack();
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: orders,
    ...props,
  });
  return { stack, api };
}

describe("ProtectedApi", () => {
  it("synthesizes a single-tenant app registration with one application-only app role per scope", () => {
    const { stack } = ordersApi();
    const [app] = resourcesOf(synth(stack), "azuread_application");
    expect(app).toEqual({
      display_name: "orders-api",
      sign_in_audience: "AzureADMyOrg",
      identifier_uris: ["api://contoso.example/orders"],
      owners: ["${data.azuread_client_config.MachineClientsDeployer.object_id}"],
      lifecycle: { prevent_destroy: true },
      api: { requested_access_token_version: 2 },
      app_role: [
        {
          allowed_member_types: ["Application"],
          description: "Manage all orders",
          display_name: "orders.admin",
          enabled: true,
          id: deriveRoleId("orders.admin"),
          value: "orders.admin",
        },
        {
          allowed_member_types: ["Application"],
          description: "Read orders",
          display_name: "orders.read",
          enabled: true,
          id: deriveRoleId("orders.read"),
          value: "orders.read",
        },
        {
          allowed_member_types: ["Application"],
          description: "Create and update orders",
          display_name: "Write orders",
          enabled: true,
          id: deriveRoleId("orders.write"),
          value: "orders.write",
        },
      ],
    });
    expect(JSON.stringify(app)).not.toContain("oauth2_permission_scope");
  });

  it("synthesizes a service principal that requires an app role assignment for tokens", () => {
    const { stack } = ordersApi();
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_service_principal")).toEqual([
      {
        client_id: "${azuread_application.OrdersApi_Application_808493EA.client_id}",
        app_role_assignment_required: true,
        owners: ["${data.azuread_client_config.MachineClientsDeployer.object_id}"],
        lifecycle: { prevent_destroy: true },
      },
    ]);
    expect(Testing.synth(stack)).toHaveDataSource(DataAzureadClientConfig);
  });

  it("uses explicit owners and then looks up no deploying principal", () => {
    const owner = "11111111-2222-4333-8444-555555555555";
    const { stack } = ordersApi({ owners: [owner] });
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_application")[0].owners).toEqual([owner]);
    expect(resourcesOf(json, "azuread_service_principal")[0].owners).toEqual([owner]);
    expect(dataOf(json, "azuread_client_config")).toEqual([]);
  });

  it("looks up the deploying principal once per stack", () => {
    const { stack } = ordersApi();
    new ProtectedApi(stack, "BillingApi", {
      displayName: "billing-api",
      identifierUri: "api://contoso.example/billing",
      vocabulary: orders,
    });
    expect(dataOf(synth(stack), "azuread_client_config")).toHaveLength(1);
  });

  it("exposes the token scope and the ids as Terraform references", () => {
    const { api } = ordersApi();
    expect(api.defaultScope).toBe("api://contoso.example/orders/.default");
    expect(api.clientId).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expect(api.servicePrincipalObjectId).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });

  describe("grant", () => {
    it("returns a grant carrying the scope, its role id and privileged flag", () => {
      const { api } = ordersApi();
      const grant = api.grant("orders.admin", {
        justification: "nightly reconciliation of all orders",
      });
      expect(grant).toMatchObject({
        api,
        scope: "orders.admin",
        roleId: deriveRoleId("orders.admin"),
        privileged: true,
        justification: "nightly reconciliation of all orders",
      });
      expect(Object.isFrozen(grant)).toBe(true);
    });

    it("rejects a scope outside the vocabulary at run time, naming the construct path", () => {
      const { api } = ordersApi();
      const err = errorOf(() => api.grant("orders.delete" as never));
      expect(err).toBeInstanceOf(MachineClientsError);
      expect(err.message).toBe(
        'test/OrdersApi.grant: scope is not in the API\'s vocabulary (got "orders.delete"). ' +
          'Use one of: "orders.admin", "orders.read", "orders.write".',
      );
    });

    it("rejects offline_access at run time with the delegated wording", () => {
      const { api } = ordersApi();
      expect(errorOf(() => api.grant("offline_access" as never)).message).toMatch(
        /^test\/OrdersApi\.grant: offline_access is a delegated scope \(user sign-in only\)/,
      );
    });
  });

  describe("validation", () => {
    it.each([
      [
        "a name without a scheme",
        "contoso.example/orders",
        /must start with "api:\/\/" or "https:\/\/"/,
      ],
      ["http", "http://contoso.example/orders", /must start with "api:\/\/" or "https:\/\/"/],
      ["a space", "api://contoso.example/my orders", /must not contain whitespace/],
      [
        "a trailing slash",
        "api://contoso.example/orders/",
        /must not end with "\/".*Use "api:\/\/contoso\.example\/orders"\./,
      ],
      ["a wildcard", "api://*.contoso.example", /must not contain "\*", "\?" or "#"/],
      [
        "a /.default suffix",
        "api://contoso.example/orders/.default",
        /must not end with "\/\.default"/,
      ],
      ["an empty string", "", /identifierUri must be a non-empty string/],
      ["a non-ASCII host", "https://cоntoso.example", /identifierUri must be ASCII/],
      ["a scheme alone", "api://", /followed by a host or id/],
    ])("rejects an identifierUri with %s", (_name, identifierUri, message) => {
      const stack = newStack();
      const err = errorOf(
        () =>
          new ProtectedApi(stack, "OrdersApi", {
            displayName: "orders-api",
            identifierUri,
            vocabulary: orders,
          }),
      );
      expect(err.message).toMatch(/^test\/OrdersApi: /);
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`(got ${JSON.stringify(identifierUri)})`);
      expect(stack.node.tryFindChild("OrdersApi")).toBeUndefined();
    });

    it("accepts api:// with a tenant id and a name, and https:// on a domain", () => {
      const stack = newStack();
      for (const [i, uri] of [
        "api://6f1bdbd0-5b5e-4f5f-8a4e-0c1d2e3f4a5b/orders",
        "https://api.contoso.example/orders/v1",
      ].entries()) {
        new ProtectedApi(stack, `Api${i}`, {
          displayName: "a",
          identifierUri: uri,
          vocabulary: orders,
        });
      }
      expect(resourcesOf(synth(stack), "azuread_application")).toHaveLength(2);
    });

    it.each([
      [
        "an empty displayName",
        { displayName: "" },
        /displayName must be a non-empty string \(got ""\)/,
      ],
      [
        "a displayName over 256 characters",
        { displayName: "x".repeat(257) },
        /displayName is 257 characters/,
      ],
      [
        "a vocabulary not made by define()",
        { vocabulary: { "orders.read": {} } },
        /vocabulary must be made by ScopeVocabulary\.define/,
      ],
      [
        "empty owners",
        { owners: [] },
        /owners must be a non-empty list of object ids; an empty list leaves the app without an owner \(got \[\]\)/,
      ],
      [
        "an owner that is a name",
        { owners: ["alice@contoso.example"] },
        /each owner must be an object id \(UUID\).*\(got "alice@contoso\.example"\)/,
      ],
      [
        "a duplicate owner",
        {
          owners: ["11111111-2222-4333-8444-555555555555", "11111111-2222-4333-8444-555555555555"],
        },
        /owner is listed twice/,
      ],
    ])("rejects %s, creating nothing", (_name, props, message) => {
      const stack = newStack();
      const err = errorOf(
        () =>
          new ProtectedApi(stack, "OrdersApi", {
            displayName: "orders-api",
            identifierUri: "api://contoso.example/orders",
            vocabulary: orders,
            ...(props as object),
          }),
      );
      expect(err).toBeInstanceOf(MachineClientsError);
      expect(err.message).toMatch(/^test\/OrdersApi: /);
      expect(err.message).toMatch(message);
      expect(stack.node.children).toHaveLength(0);
    });
  });
});
