import { ClientSecret, MachineClient, ProtectedApi, ScopeVocabulary } from "../../src";
import { deployingPrincipalObjectId } from "../../src/constructs/deployer";
import { dataOf, newStack, resourcesOf, synth } from "../util";

// cdktf creates a new token, with a recorded stack trace, on every read of a resource attribute.
// Attributes that every client refers to are read once and shared, which keeps synth time and
// memory per client at the level of hand-written provider code (see bench/synth.bench.js).

const vocabulary = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.write": { description: "Create and update orders" },
});

function setup() {
  const stack = newStack();
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary,
  });
  const clients = [0, 1].map(
    (i) =>
      new MachineClient(stack, `Client${i}`, {
        displayName: `client-${i}`,
        access: [api.grant("orders.read"), api.grant("orders.write")],
        credential: ClientSecret.rotating(),
      }),
  );
  return { stack, api, clients };
}

describe("shared references", () => {
  it("reads the deploying principal's object id once per stack", () => {
    const { stack, api, clients } = setup();
    expect(deployingPrincipalObjectId(clients[0])).toBe(deployingPrincipalObjectId(api));
    expect(deployingPrincipalObjectId(clients[1])).toBe(deployingPrincipalObjectId(stack));
    const other = newStack("other");
    expect(deployingPrincipalObjectId(other)).not.toBe(deployingPrincipalObjectId(stack));
  });

  it("reads an API's client id and service principal object id once", () => {
    const { api, clients } = setup();
    expect(api.clientId).toBe(api.clientId);
    expect(api.servicePrincipalObjectIdFor(clients[0])).toBe(
      api.servicePrincipalObjectIdFor(clients[1]),
    );
    expect(api.servicePrincipalObjectId).toBe(api.servicePrincipalObjectIdFor(clients[0]));
  });

  it("still resolves every shared reference to the right resource", () => {
    const { stack } = setup();
    const json = synth(stack);
    expect(dataOf(json, "azuread_client_config")).toHaveLength(1);
    const deployer = Object.keys(json.data.azuread_client_config)[0];
    for (const app of resourcesOf(json, "azuread_application")) {
      expect(app.owners).toEqual([`\${data.azuread_client_config.${deployer}.object_id}`]);
    }
    const sps = json.resource.azuread_service_principal as Record<string, { client_id: string }>;
    const apiSp = Object.keys(sps).find((k) => k.startsWith("OrdersApi"))!;
    const apiApp = sps[apiSp].client_id.replace(/^\$\{(.*)\.client_id\}$/, "$1");
    const assignments = resourcesOf(json, "azuread_app_role_assignment");
    expect(assignments).toHaveLength(4);
    for (const a of assignments) {
      expect(a.resource_object_id).toBe(`\${azuread_service_principal.${apiSp}.object_id}`);
      expect(a.principal_object_id).not.toBe(a.resource_object_id);
    }
    // Each client's two assignments name that client's own service principal.
    expect(new Set(assignments.map((a) => a.principal_object_id)).size).toBe(2);
    for (const app of resourcesOf(json, "azuread_application").filter((a) => !a.app_role)) {
      expect(app.required_resource_access).toEqual([
        expect.objectContaining({ resource_app_id: `\${${apiApp}.client_id}` }),
      ]);
    }
  });
});
