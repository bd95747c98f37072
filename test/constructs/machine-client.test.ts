import { TerraformStack, Testing } from "cdktf";
import {
  ClientSecret,
  MachineClient,
  MachineClientProps,
  MachineClientsError,
  ProtectedApi,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { constructPaths, errorOf, newStack, ref, resolveIn, resourcesOf, synth } from "../util";
import { rotationOffsetMinutes } from "../../src/credentials/rotation-schedule";

const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.write": { description: "Create and update orders" },
});
const billing = ScopeVocabulary.define({ "invoices.read": { description: "Read invoices" } });

function setup() {
  const stack = newStack();
  const ordersApi = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: orders,
  });
  const billingApi = new ProtectedApi(stack, "BillingApi", {
    displayName: "billing-api",
    identifierUri: "api://contoso.example/billing",
    vocabulary: billing,
  });
  return { stack, ordersApi, billingApi };
}

function client(stack: TerraformStack, props: Partial<MachineClientProps>, id = "BillingSync") {
  return new MachineClient(stack, id, {
    displayName: "billing-sync",
    access: [],
    credential: ClientSecret.rotating(),
    ...props,
  });
}

describe("MachineClient", () => {
  it("synthesizes a single-tenant app with Role-only required_resource_access, one block per API", () => {
    const { stack, ordersApi, billingApi } = setup();
    client(stack, {
      access: [
        ordersApi.grant("orders.write"),
        billingApi.grant("invoices.read"),
        ordersApi.grant("orders.read"),
      ],
    });
    const apps = resourcesOf(synth(stack), "azuread_application");
    const app = apps.find((a) => a.display_name === "billing-sync")!;
    expect(app).toEqual({
      display_name: "billing-sync",
      sign_in_audience: "AzureADMyOrg",
      fallback_public_client_enabled: false,
      owners: ["${data.azuread_client_config.MachineClientsDeployer.object_id}"],
      lifecycle: { prevent_destroy: true },
      // Sorted by the APIs' identifier URIs (".../billing" before ".../orders"), then by scope.
      required_resource_access: [
        {
          resource_app_id: ref(billingApi.application, "client_id"),
          resource_access: [{ id: deriveRoleId("invoices.read"), type: "Role" }],
        },
        {
          resource_app_id: ref(ordersApi.application, "client_id"),
          resource_access: [
            { id: deriveRoleId("orders.read"), type: "Role" },
            { id: deriveRoleId("orders.write"), type: "Role" },
          ],
        },
      ],
    });
    for (const forbidden of [
      "web",
      "single_page_application",
      "public_client",
      "identifier_uris",
      "api",
      "app_role",
    ]) {
      expect(app).not.toHaveProperty(forbidden);
    }
  });

  it("synthesizes its service principal and one app role assignment per grant", () => {
    const { stack, ordersApi, billingApi } = setup();
    const c = client(stack, {
      access: [ordersApi.grant("orders.read"), billingApi.grant("invoices.read")],
    });
    const json = synth(stack);
    const sps = resourcesOf(json, "azuread_service_principal");
    expect(sps).toContainEqual({
      client_id: ref(c.application, "client_id"),
      owners: ["${data.azuread_client_config.MachineClientsDeployer.object_id}"],
      lifecycle: { prevent_destroy: true },
    });
    const clientSp = ref(c.servicePrincipal, "object_id");
    expect(resourcesOf(json, "azuread_app_role_assignment")).toEqual(
      expect.arrayContaining([
        {
          app_role_id: deriveRoleId("orders.read"),
          principal_object_id: clientSp,
          resource_object_id: ref(ordersApi.servicePrincipal, "object_id"),
          // Created after Entra has replicated the API's roles (ProtectedApi.roleReplication).
          depends_on: [`time_sleep.${ordersApi.roleReplication!.friendlyUniqueId}`],
        },
        {
          app_role_id: deriveRoleId("invoices.read"),
          principal_object_id: clientSp,
          resource_object_id: ref(billingApi.servicePrincipal, "object_id"),
          depends_on: [`time_sleep.${billingApi.roleReplication!.friendlyUniqueId}`],
        },
      ]),
    );
    expect(resourcesOf(json, "azuread_app_role_assignment")).toHaveLength(2);
  });

  it("defaults to two slots, a new secret every 30 days, each valid 60 days", () => {
    const secret = ClientSecret.rotating();
    expect([secret.rotationDays, secret.validityDays, secret.slots]).toEqual([30, 60, 2]);
    expect(secret.maxApplyGapDays).toBe(30);
  });

  it("exposes the client id, service principal and token scope", () => {
    const { stack, ordersApi, billingApi } = setup();
    const c = client(stack, { access: [ordersApi.grant("orders.read")] });
    expect(c.tokenScopeFor(ordersApi)).toBe("api://contoso.example/orders/.default");
    expect(resolveIn(stack, c.clientId)).toBe(ref(c.application, "client_id"));
    expect(resolveIn(stack, c.servicePrincipalObjectId)).toBe(ref(c.servicePrincipal, "object_id"));
    expect(c.apis).toEqual([ordersApi]);
    expect(errorOf(() => c.tokenScopeFor(billingApi)).message).toBe(
      "test/BillingSync: the client holds no grant on this API, so its token would carry no roles " +
        '(got "api://contoso.example/billing"). Add a grant on the API to access, or request a token ' +
        "for an API the client is granted.",
    );
  });

  it("keeps the secret out of the synthesized JSON unless a sensitive output is asked for", () => {
    const { stack, ordersApi } = setup();
    const c = client(stack, {
      access: [ordersApi.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    const secretRef = resolveIn(stack, c.secretValue) as string;
    expect(secretRef).toMatch(
      /^\$\{.* \? azuread_application_password\.\w+\.value : azuread_application_password\.\w+\.value\}$/,
    );
    const before = synth(stack);
    expect(JSON.stringify(before)).not.toContain(".value}");
    expect(before.output).toBeUndefined();
    expect(c.toModel().deliveries).toBeUndefined();

    c.addSecretOutput();
    const after = synth(stack);
    expect(Object.values(after.output)).toEqual([
      {
        description: "Client secret of billing-sync",
        sensitive: true,
        value: secretRef,
      },
    ]);
    // Recorded as a delivery, for machine-clients.json.
    expect(c.toModel().deliveries).toEqual(["terraform-output"]);
  });

  it("records the client's rotation offset in its model", () => {
    const { stack, ordersApi } = setup();
    const c = client(stack, { access: [ordersApi.grant("orders.read")] });
    const [secret] = c.toModel().credentials;
    expect(secret.rotationOffsetMinutes).toBe(
      ClientSecret.rotating().rotationOffsetMinutesFor(c.node.path),
    );
  });

  it("is deterministic: two synths of the same program are byte-identical", () => {
    const build = () => {
      const { stack, ordersApi, billingApi } = setup();
      client(stack, {
        access: [ordersApi.grant("orders.read"), billingApi.grant("invoices.read")],
      });
      return Testing.synth(stack);
    };
    expect(build()).toBe(build());
  });

  it("does not depend on the order of access", () => {
    const build = (reverse: boolean) => {
      const { stack, ordersApi, billingApi } = setup();
      const access = [ordersApi.grant("orders.read"), billingApi.grant("invoices.read")];
      client(stack, { access: reverse ? access.reverse() : access });
      return Testing.synth(stack);
    };
    expect(build(true)).toBe(build(false));
  });

  it("keeps app role ids and assignment addresses when the API construct is renamed", () => {
    const build = (apiId: string) => {
      const stack = newStack();
      const api = new ProtectedApi(stack, apiId, {
        displayName: "orders-api",
        identifierUri: "api://contoso.example/orders",
        vocabulary: orders,
      });
      client(stack, { access: [api.grant("orders.read")] });
      const json = synth(stack);
      return {
        roles: resourcesOf(json, "azuread_application")
          .flatMap((a) => a.app_role ?? [])
          .map((r: { value: string; id: string }) => `${r.value}=${r.id}`),
        assignments: Object.keys(json.resource.azuread_app_role_assignment),
        roleIds: resourcesOf(json, "azuread_app_role_assignment").map((a) => a.app_role_id),
      };
    };
    const before = build("OrdersApi");
    const after = build("OrdersApiRenamed");
    expect(after.roles).toEqual(before.roles);
    expect(after.roleIds).toEqual(before.roleIds);
    expect(after.assignments).toEqual(before.assignments);
  });

  describe("validation (nothing is created when it fails)", () => {
    function expectRejected(props: Partial<MachineClientProps>, message: RegExp) {
      const { stack } = setup();
      const before = constructPaths(stack);
      const err = errorOf(() => client(stack, props as MachineClientProps));
      expect(err).toBeInstanceOf(MachineClientsError);
      expect(err.message).toMatch(/^test\/BillingSync/);
      expect(err.message).toMatch(message);
      expect(constructPaths(stack)).toEqual(before);
      expect(stack.node.tryFindChild("BillingSync")).toBeUndefined();
    }

    it("rejects empty access", () => {
      expectRejected(
        { access: [] },
        /access must be a non-empty list of grants \(got \[\]\)\. Grant the permissions/,
      );
    });

    it("rejects access that is not a list", () => {
      expectRejected(
        { access: "orders.read" as never },
        /access must be a non-empty list of grants \(got "orders\.read"\)/,
      );
    });

    it("rejects a scope string in access, showing the grant to write instead", () => {
      expectRejected(
        { access: ["orders.read" as never] },
        /access takes only grants made by api\.grant\(scope\) \(got "orders\.read"\)\. Replace "orders\.read" with api\.grant\("orders\.read"\)\./,
      );
    });

    it("rejects a hand-made grant-like object", () => {
      const { ordersApi } = setup();
      const fake = { ...ordersApi.grant("orders.read") };
      expectRejected(
        { access: [fake as never] },
        /access takes only grants made by api\.grant\(scope\)/,
      );
    });

    it("rejects a duplicate grant", () => {
      const { stack, ordersApi } = setup();
      const err = errorOf(() =>
        client(stack, { access: [ordersApi.grant("orders.read"), ordersApi.grant("orders.read")] }),
      );
      expect(err.message).toBe(
        'test/BillingSync: "orders.read" on api://contoso.example/orders is granted twice ' +
          '(got "orders.read"). Grant each permission once.',
      );
      expect(stack.node.tryFindChild("BillingSync")).toBeUndefined();
    });

    it("rejects a credential that is not made by a factory", () => {
      const { ordersApi } = setup();
      expectRejected(
        { access: [ordersApi.grant("orders.read")], credential: { kind: "secret" } as never },
        /credential must be made by a credential factory \(got \{"kind":"secret"\}\)\. Use e\.g\. ClientSecret\.rotating/,
      );
    });

    it("rejects an empty credential list", () => {
      const { ordersApi } = setup();
      expectRejected(
        { access: [ordersApi.grant("orders.read")], credential: [] },
        /credential must be a credential or a non-empty list of them \(got \[\]\)/,
      );
    });

    it("rejects two secrets", () => {
      const { ordersApi } = setup();
      expectRejected(
        {
          access: [ordersApi.grant("orders.read")],
          credential: [ClientSecret.rotating(), ClientSecret.rotating()],
        },
        /a client may hold at most one secret credential/,
      );
    });

    it.each([
      [{ rotationDays: 0 }, /rotationDays must be a whole number of days, at least 1 \(got 0\)/],
      [
        { rotationDays: 1.5 },
        /rotationDays must be a whole number of days, at least 1 \(got 1\.5\)/,
      ],
      [
        { validityDays: Number.NaN },
        /validityDays must be a whole number of days, at least 1 \(got NaN\)/,
      ],
      [
        { validityDays: 91, rotationDays: 30 },
        /validityDays must be at most 90 \(got 91\)\. Use 90 days or fewer, or a federated credential/,
      ],
      [
        { rotationDays: 60, validityDays: 60 },
        /rotationDays \(60\) must be less than validityDays \(60\), or the secret expires before it is replaced \(got 60\)\. Use e\.g\. rotationDays: 30\./,
      ],
      [{ rotationDays: 61 }, /rotationDays \(61\) must be less than validityDays \(60\)/],
    ])("rejects the rotating secret %p", (options, message) => {
      const { ordersApi } = setup();
      expectRejected(
        { access: [ordersApi.grant("orders.read")], credential: ClientSecret.rotating(options) },
        new RegExp(`^test/BillingSync › ClientSecret\\.rotating: ${message.source}`),
      );
    });

    it("rejects an empty displayName", () => {
      const { ordersApi } = setup();
      expectRejected(
        { access: [ordersApi.grant("orders.read")], displayName: " " },
        /displayName must be a non-empty string \(got " "\)/,
      );
    });

    it("rejects empty owners", () => {
      const { ordersApi } = setup();
      expectRejected(
        { access: [ordersApi.grant("orders.read")], owners: [] },
        /owners must be a non-empty list of object ids/,
      );
    });

    it("rejects missing props", () => {
      const { stack } = setup();
      expect(
        errorOf(() => new MachineClient(stack, "BillingSync", undefined as never)).message,
      ).toBe(
        "test/BillingSync: MachineClient needs props (got undefined). Pass { displayName, access, credential }.",
      );
    });
  });

  it("asks for the secret value of a client without a secret with a clear error", () => {
    const { stack, ordersApi } = setup();
    const c = client(stack, { access: [ordersApi.grant("orders.read")] });
    // A client always has a credential; simulate a non-secret one by hiding the secret.
    Object.defineProperty(c, "bound", { value: [{ kind: "federated" }] });
    expect(errorOf(() => c.secretValue).message).toBe(
      'test/BillingSync: the client holds no secret credential, so there is no secret value (got ["federated"]). ' +
        "Use ClientSecret.rotating() to give the client a secret.",
    );
  });

  it("describes itself as plain data for policy checks and the inventory", () => {
    const { stack, ordersApi } = setup();
    const owner = "11111111-2222-4333-8444-555555555555";
    const c = client(stack, {
      access: [ordersApi.grant("orders.read", { justification: "reads orders to bill them" })],
      owners: [owner],
    });
    expect(c.toModel()).toEqual({
      path: "test/BillingSync",
      displayName: "billing-sync",
      owners: [owner],
      explicitOwners: true,
      grants: [
        {
          api: "api://contoso.example/orders",
          identifierUri: "api://contoso.example/orders",
          scope: "orders.read",
          roleId: deriveRoleId("orders.read"),
          privileged: false,
          justification: "reads orders to bill them",
        },
      ],
      credentials: [
        {
          kind: "secret",
          rotationDays: 30,
          validityDays: 60,
          slots: 2,
          maxApplyGapDays: 30,
          rotationOffsetMinutes: rotationOffsetMinutes("test/BillingSync", 30),
        },
      ],
    });
  });
});
