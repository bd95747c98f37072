import fc from "fast-check";
import { TerraformStack, Testing } from "cdktf";
import {
  ClientSecret,
  ExistingApi,
  MachineClient,
  MachineClientsError,
  MicrosoftGraph,
  ProtectedApi,
  ScopeVocabulary,
} from "../../src";
import { isUuid } from "../../src/vocabulary/role-id";
import { ordersVocabulary } from "../constructs/fixtures";
import { constructPaths, errorOf, resourcesOf, synth } from "../util";

// Attacks on API identity and ids (issue 10, item 5): one identifier URI (compared as Entra does:
// ignoring case and a trailing slash) and one client id per API in an app, and every GUID Entra
// accepts — any version and variant nibbles — accepted as a client id, role id or owner.

const EXCHANGE_CLIENT_ID = "00000002-0000-0ff1-ce00-000000000000";
const EXCHANGE_MANAGE_AS_APP = "dc50a0fb-09a3-484d-be87-e023b12c6440";
const PAYMENTS_CLIENT_ID = "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c";

const payments = () =>
  ScopeVocabulary.define({
    "payments.read": { description: "Read payments", id: "0b6c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c" },
  });

function protectedApi(stack: TerraformStack, id: string, identifierUri: string): ProtectedApi {
  return new ProtectedApi(stack, id, {
    displayName: id,
    identifierUri,
    vocabulary: ordersVocabulary,
  });
}

/** Runs the attack; checks the code, the message and that the tree did not change. */
function expectRefused(
  scope: TerraformStack,
  attack: () => unknown,
  code: string,
  message: RegExp,
): void {
  const before = constructPaths(scope.node.root);
  const e = errorOf(attack);
  expect(e).toBeInstanceOf(MachineClientsError);
  expect((e as MachineClientsError).code).toBe(code);
  expect(e.message).toMatch(message);
  expect(constructPaths(scope.node.root)).toEqual(before);
}

describe("one identifier URI, one API", () => {
  it.each([
    ["the same URI", "api://contoso.example/orders"],
    ["a letter-case variant", "api://Contoso.Example/Orders"],
    ["a host in upper case", "api://CONTOSO.EXAMPLE/orders"],
  ])("rejects a second ProtectedApi with %s, naming both paths", (_n, second) => {
    const stack = new TerraformStack(Testing.app(), "test");
    protectedApi(stack, "Orders", "api://contoso.example/orders");
    expectRefused(
      stack,
      () => protectedApi(stack, "Orders2", second),
      "IDENTIFIER_URI_DUPLICATE",
      /^test\/Orders2: identifier URI ".*" is already the identifier URI of test\/Orders \(compared ignoring letter case and a trailing slash, as Entra does\).*Declare the API once \(test\/Orders\)/,
    );
  });

  it("rejects the same URI in another stack of the same app", () => {
    const app = Testing.app();
    protectedApi(new TerraformStack(app, "a"), "Orders", "api://contoso.example/orders");
    const b = new TerraformStack(app, "b");
    expectRefused(
      b,
      () => protectedApi(b, "Orders", "api://contoso.example/orders"),
      "IDENTIFIER_URI_DUPLICATE",
      /^b\/Orders: .* is already the identifier URI of a\/Orders/,
    );
  });

  it("accepts the same URI in two different apps", () => {
    for (const app of [Testing.app(), Testing.app()]) {
      protectedApi(new TerraformStack(app, "test"), "Orders", "api://contoso.example/orders");
    }
  });

  it("never accepts a trailing-slash variant of a taken URI", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    protectedApi(stack, "Orders", "api://contoso.example/orders");
    for (const variant of ["api://contoso.example/orders/", "api://Contoso.example/orders//"]) {
      const e = errorOf(() =>
        ExistingApi.fromClientId(stack, `X${variant.length}`, {
          clientId: PAYMENTS_CLIENT_ID,
          identifierUri: variant,
          vocabulary: payments(),
        }),
      ) as MachineClientsError;
      expect(["IDENTIFIER_URI_INVALID", "IDENTIFIER_URI_DUPLICATE"]).toContain(e.code);
    }
  });

  it("rejects two ExistingApis with the same URI or the same client id", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    ExistingApi.fromClientId(stack, "A", {
      clientId: PAYMENTS_CLIENT_ID,
      identifierUri: "api://contoso.example/payments",
      vocabulary: payments(),
    });
    expectRefused(
      stack,
      () =>
        ExistingApi.fromClientId(stack, "B", {
          clientId: "7f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
          identifierUri: "api://contoso.example/PAYMENTS",
          vocabulary: payments(),
        }),
      "IDENTIFIER_URI_DUPLICATE",
      /^test\/B: .* test\/A/,
    );
    expectRefused(
      stack,
      () =>
        ExistingApi.fromClientId(stack, "C", {
          clientId: PAYMENTS_CLIENT_ID.toUpperCase(),
          identifierUri: "api://contoso.example/payments-v2",
          vocabulary: payments(),
        }),
      "CLIENT_ID_DUPLICATE",
      /^test\/C: client id ".*" is already the client id of test\/A \(compared ignoring letter case\)/,
    );
  });

  it("rejects a ProtectedApi and an ExistingApi with the same URI in one stack", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    protectedApi(stack, "Orders", "api://contoso.example/orders");
    expectRefused(
      stack,
      () =>
        ExistingApi.fromClientId(stack, "OrdersCopy", {
          clientId: PAYMENTS_CLIENT_ID,
          identifierUri: "api://contoso.example/Orders",
          vocabulary: payments(),
        }),
      "IDENTIFIER_URI_DUPLICATE",
      /^test\/OrdersCopy: .* test\/Orders /,
    );
  });

  it("allows an ExistingApi copy in another stack, but not a client granted on both", () => {
    const app = Testing.app();
    const own = protectedApi(
      new TerraformStack(app, "orders"),
      "Orders",
      "api://contoso.example/orders",
    );
    const clients = new TerraformStack(app, "clients");
    const copy = ExistingApi.fromClientId(clients, "Orders", {
      clientId: PAYMENTS_CLIENT_ID,
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define({
        "orders.write": { description: "w", id: ordersVocabulary.get("orders.write").roleId },
      }),
    });
    expectRefused(
      clients,
      () =>
        new MachineClient(clients, "Both", {
          displayName: "both",
          access: [own.grant("orders.read"), copy.grant("orders.write")],
          credential: ClientSecret.rotating(),
        }),
      "ACCESS_SAME_API_TWICE",
      /^clients\/Both: (orders\/Orders and clients\/Orders|clients\/Orders and orders\/Orders) are the same API to Entra \(identifier URI "api:\/\/contoso\.example\/orders"\)/,
    );
  });

  it("rejects an API construct that claims Microsoft Graph's client id or URI", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    for (const [clientId, identifierUri] of [
      [MicrosoftGraph.CLIENT_ID, "api://contoso.example/g"],
      [PAYMENTS_CLIENT_ID, "https://GRAPH.microsoft.com"],
    ]) {
      expectRefused(
        stack,
        () =>
          ExistingApi.fromClientId(stack, "Graph", {
            clientId,
            identifierUri,
            vocabulary: payments(),
          }),
        "API_IS_MICROSOFT_GRAPH",
        /^test\/Graph: .* is Microsoft Graph's .*MicrosoftGraph\.grant/,
      );
    }
  });
});

describe("any GUID Entra accepts", () => {
  it("declares Exchange Online's Exchange.ManageAsApp on an ExistingApi", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const exchange = ExistingApi.fromClientId(stack, "ExchangeOnline", {
      clientId: EXCHANGE_CLIENT_ID,
      identifierUri: "https://outlook.office365.com",
      vocabulary: ScopeVocabulary.define({
        "Exchange.ManageAsApp": {
          description: "Manage Exchange As Application",
          id: EXCHANGE_MANAGE_AS_APP,
        },
      }),
    });
    new MachineClient(stack, "Mailbox", {
      displayName: "mailbox-automation",
      access: [exchange.grant("Exchange.ManageAsApp")],
      credential: ClientSecret.rotating(),
      owners: ["00000000-0000-0000-c000-000000000001"],
    });
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_application")[0].required_resource_access).toEqual([
      {
        resource_app_id: EXCHANGE_CLIENT_ID,
        resource_access: [{ id: EXCHANGE_MANAGE_AS_APP, type: "Role" }],
      },
    ]);
    expect(resourcesOf(json, "azuread_app_role_assignment")).toEqual([
      expect.objectContaining({ app_role_id: EXCHANGE_MANAGE_AS_APP }),
    ]);
  });

  const HEX = [..."0123456789abcdefABCDEF"];
  const hexRun = (n: number) =>
    fc.array(fc.constantFrom(...HEX), { minLength: n, maxLength: n }).map((a) => a.join(""));
  const guid = fc
    .tuple(hexRun(8), hexRun(4), hexRun(4), hexRun(4), hexRun(12))
    .map((parts) => parts.join("-"));

  it("accepts every 8-4-4-4-12 hexadecimal GUID but the nil one", () => {
    fc.assert(
      fc.property(guid, (g) => {
        expect(isUuid(g)).toBe(!/^[0-]+$/.test(g));
      }),
      { numRuns: 500 },
    );
    expect(isUuid("00000000-0000-0000-0000-000000000000")).toBe(false);
    expect(isUuid(EXCHANGE_CLIENT_ID)).toBe(true);
  });

  it("accepts such GUIDs as role ids and ExistingApi client ids", () => {
    fc.assert(
      fc.property(guid, guid, (roleId, clientId) => {
        fc.pre(!/^[0-]+$/.test(roleId) && !/^[0-]+$/.test(clientId));
        const stack = new TerraformStack(Testing.app(), "test");
        const api = ExistingApi.fromClientId(stack, "Api", {
          clientId,
          identifierUri: "api://contoso.example/api",
          vocabulary: ScopeVocabulary.define({ "x.read": { description: "d", id: roleId } }),
        });
        expect(api.vocabulary.get("x.read").roleId).toBe(roleId.toLowerCase());
      }),
      { numRuns: 40 },
    );
  });

  it("refuses anything else: a non-hex character anywhere, wrong group lengths, braces", () => {
    const nonHex = fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !/[0-9a-fA-F]/.test(c));
    fc.assert(
      fc.property(guid, fc.nat(35), nonHex, (g, at, c) => {
        fc.pre(g[at] !== c); // a "-" put where a "-" already is changes nothing
        const broken = g.slice(0, at) + c + g.slice(at + 1);
        expect(isUuid(broken)).toBe(false);
      }),
      { numRuns: 500 },
    );
    for (const bad of [
      "{6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c}",
      "6f1c2a341d2e4f5a9b8c7d6e5f4a3b2c",
      "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2",
      " 6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c\n",
    ]) {
      expect(isUuid(bad)).toBe(false);
      const stack = new TerraformStack(Testing.app(), "test");
      expectRefused(
        stack,
        () =>
          ExistingApi.fromClientId(stack, "Api", {
            clientId: bad,
            identifierUri: "api://contoso.example/api",
            vocabulary: payments(),
          }),
        "CLIENT_ID_INVALID",
        /^test\/Api: clientId must be the API's application \(client\) id/,
      );
    }
  });
});
