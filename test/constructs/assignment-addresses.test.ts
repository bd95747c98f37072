import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import {
  ClientSecret,
  ExistingApi,
  LEGACY_ASSIGNMENT_MOVES_CONTEXT_KEY,
  MachineClient,
  MachineClientsError,
  MicrosoftGraph,
  ProtectedApi,
  ScopeDefinitions,
  ScopeGrant,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { errorOf, TfJson } from "../util";

const PAYMENTS_CLIENT_ID = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";
const PAYMENTS_READ_ID = "0b6c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

interface Options {
  readonly orders?: ScopeDefinitions;
  readonly apiId?: string;
  readonly identifierUri?: string;
  readonly paymentsId?: string;
  readonly paymentsUri?: string;
  readonly context?: Record<string, unknown>;
  readonly configure?: (client: MachineClient) => void;
}

/**
 * The program whose addresses version 0.1 of the library recorded (see LEGACY below): a client
 * with grants on a ProtectedApi, Microsoft Graph and an ExistingApi.
 */
function program(o: Options = {}): TfJson {
  const app = new App({ outdir: Testing.app().outdir, context: o.context ?? {} });
  const stack = new TerraformStack(app, "test");
  const orders = ScopeVocabulary.define(
    (o.orders ?? {
      "orders.read": { description: "Read orders" },
      "orders.write": { description: "w" },
    }) as never,
  );
  const api = new ProtectedApi(stack, o.apiId ?? "OrdersApi", {
    displayName: "orders-api",
    identifierUri: o.identifierUri ?? "api://contoso.example/orders",
    vocabulary: orders,
  });
  const payments = ExistingApi.fromClientId(stack, o.paymentsId ?? "Payments", {
    clientId: PAYMENTS_CLIENT_ID,
    identifierUri: o.paymentsUri ?? "api://contoso.example/payments",
    vocabulary: ScopeVocabulary.define({
      "payments.read": { description: "r", id: PAYMENTS_READ_ID },
    }),
  });
  const grant = (s: string) => (api as unknown as { grant(s: string): ScopeGrant }).grant(s);
  const client = new MachineClient(stack, "BillingSync", {
    displayName: "billing-sync",
    access: [
      ...orders.grantableValues.map(grant),
      MicrosoftGraph.grant("User.Read.All"),
      payments.grant("payments.read"),
    ],
    credential: ClientSecret.rotating(),
  });
  o.configure?.(client);
  return JSON.parse(Testing.synth(stack));
}

const assignmentAddresses = (json: TfJson) =>
  Object.keys(json.resource.azuread_app_role_assignment).sort();

/**
 * The addresses version 0.1 gave this program's assignments (recorded from its synth output):
 * existing states hold them, so they are a contract, not an implementation detail.
 */
const LEGACY = {
  read: "azuread_app_role_assignment.BillingSync_Grant-25d7b620-ordersread_7E8919FF",
  write: "azuread_app_role_assignment.BillingSync_Grant-25d7b620-orderswrite_6ED6EA03",
  graph: "azuread_app_role_assignment.BillingSync_Grant-bbeea64f-UserReadAll_56BD6134",
  payments: "azuread_app_role_assignment.BillingSync_Grant-cfff5af2-paymentsread_C5AAB1D2",
};

describe("app role assignment addresses", () => {
  it("are keyed on the API and the role id, not the permission's value", () => {
    const json = program();
    const roleIds = Object.entries(json.resource.azuread_app_role_assignment).map(
      ([address, a]) => [address, (a as TfJson).app_role_id],
    );
    for (const [address, roleId] of roleIds) expect(address).toContain(roleId);
    expect(roleIds.map(([, id]) => id).sort()).toEqual(
      [
        deriveRoleId("orders.read"),
        deriveRoleId("orders.write"),
        "df021288-bdef-4463-88db-98f22de89214",
        PAYMENTS_READ_ID,
      ].sort(),
    );
  });

  it("do not change when a value changes letter case or a description changes", () => {
    const before = assignmentAddresses(program());
    const after = assignmentAddresses(
      program({
        orders: {
          "Orders.Read": { description: "Read all orders" },
          "ORDERS.WRITE": { description: "Create and update orders", displayName: "Write" },
        },
      }),
    );
    expect(after).toEqual(before);
  });

  it("do not change when a ProtectedApi with a literal URI or an ExistingApi is renamed", () => {
    const before = assignmentAddresses(program());
    expect(assignmentAddresses(program({ apiId: "Orders", paymentsId: "PaymentsV2" }))).toEqual(
      before,
    );
  });

  it("do not change when an ExistingApi's identifier URI changes: its client id is the key", () => {
    const before = assignmentAddresses(program());
    expect(
      assignmentAddresses(program({ paymentsUri: "https://payments.contoso.example" })),
    ).toEqual(before);
  });

  it("are keyed on the construct path when the identifier URI is only known at apply", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const addresses = ["A", "B"].map((id) => {
      const api = new ProtectedApi(stack, id, {
        displayName: id,
        identifierUri: new TerraformVariable(stack, `uri${id}`, { type: "string" }).stringValue,
        vocabulary: ScopeVocabulary.define({ "x.read": { description: "r" } }),
      });
      const client = new MachineClient(stack, `Client${id}`, {
        displayName: id,
        access: [api.grant("x.read")],
        credential: ClientSecret.rotating(),
      });
      return client.assignments.get(`test/${id}#x.read`)!.node.id;
    });
    // Same role id, different APIs: the path tells them apart.
    expect(addresses[0]).not.toEqual(addresses[1]);
    expect(addresses[0]).toMatch(new RegExp(`-${deriveRoleId("x.read")}$`));
  });

  it("rejects a second API construct with the same client id (any letter case), naming both", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const vocabulary = () =>
      ScopeVocabulary.define({ "payments.read": { description: "r", id: PAYMENTS_READ_ID } });
    ExistingApi.fromClientId(stack, "A", {
      clientId: PAYMENTS_CLIENT_ID,
      identifierUri: "api://contoso.example/payments",
      vocabulary: vocabulary(),
    });
    const before = stack.node.findAll().length;
    const e = errorOf(() =>
      ExistingApi.fromClientId(stack, "B", {
        clientId: PAYMENTS_CLIENT_ID.toUpperCase(),
        identifierUri: "api://contoso.example/payments-alias",
        vocabulary: vocabulary(),
      }),
    ) as MachineClientsError;
    expect(e.code).toBe("CLIENT_ID_DUPLICATE");
    expect(e.message).toMatch(/^test\/B: client id ".*" is already the client id of test\/A/);
    expect(stack.node.findAll().length).toBe(before);
  });
});

describe("upgrading from version 0.1's addresses", () => {
  it("moves each assignment from the address version 0.1 gave it", () => {
    const json = program();
    const moved = (json.moved as { from: string; to: string }[]).map((m) => [m.from, m.to]);
    const current = (roleId: string) =>
      `azuread_app_role_assignment.${
        Object.entries(json.resource.azuread_app_role_assignment).find(
          ([, a]) => (a as TfJson).app_role_id === roleId,
        )![0]
      }`;
    expect(moved.sort()).toEqual(
      [
        [LEGACY.read, current(deriveRoleId("orders.read"))],
        [LEGACY.write, current(deriveRoleId("orders.write"))],
        [LEGACY.graph, current("df021288-bdef-4463-88db-98f22de89214")],
        [LEGACY.payments, current(PAYMENTS_READ_ID)],
      ].sort(),
    );
  });

  it("synthesizes the same JSON twice (the moves are added once, deterministically)", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const api = new ProtectedApi(stack, "OrdersApi", {
      displayName: "orders-api",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define({ "orders.read": { description: "r" } }),
    });
    new MachineClient(stack, "C", {
      displayName: "c",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    const first = Testing.synth(stack);
    expect(Testing.synth(stack)).toBe(first);
    expect(JSON.parse(first).moved).toHaveLength(1);
    expect(JSON.stringify(program())).toBe(JSON.stringify(program()));
  });

  it(`stops once ${LEGACY_ASSIGNMENT_MOVES_CONTEXT_KEY} is false`, () => {
    const json = program({ context: { [LEGACY_ASSIGNMENT_MOVES_CONTEXT_KEY]: false } });
    expect(json.moved).toBeUndefined();
    expect(assignmentAddresses(json)).toEqual(assignmentAddresses(program()));
  });

  it("leaves an assignment the program moves itself to the program's own move", () => {
    const own = "azuread_app_role_assignment.somewhere_else";
    const json = program({
      configure: (client) =>
        client.assignments.get("api://contoso.example/orders#orders.read")!.moveFromId(own),
    });
    const froms = (json.moved as { from: string }[]).map((m) => m.from);
    expect(froms).toContain(own);
    expect(froms).not.toContain(LEGACY.read);
    expect(froms).toHaveLength(4);
  });
});
