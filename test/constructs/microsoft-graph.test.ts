import { TerraformStack, Testing } from "cdktf";
import {
  ClientSecret,
  GRAPH_TIER0_PERMISSIONS,
  MachineClient,
  MachineClientsError,
  MicrosoftGraph,
  ProtectedApi,
  ScopeVocabulary,
} from "../../src";
import { dataOf, errorOf, newStack, resourcesOf, synth } from "../util";

const credential = () => ClientSecret.rotating({ rotationDays: 20, validityDays: 60 });
const JUSTIFIED = { justification: "sends the monthly invoice mails to customers" };
// Calls that do not compile on purpose, to prove the run-time checks for JavaScript callers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const untyped = MicrosoftGraph as any;
const USER_READ_ALL = "df021288-bdef-4463-88db-98f22de89214";
const GRAPH = "00000003-0000-0000-c000-000000000000";

describe("MicrosoftGraph.grant", () => {
  it("grants an application permission with its static role id", () => {
    const grant = MicrosoftGraph.grant("User.Read.All");
    expect(grant.scope).toBe("User.Read.All");
    expect(grant.roleId).toBe(USER_READ_ALL);
    expect(grant.privileged).toBe(false);
    expect(grant.api).toBe(MicrosoftGraph.api);
    expect(grant.key).toBe("https://graph.microsoft.com#User.Read.All");
    expect(MicrosoftGraph.permissions).toHaveLength(716);
  });

  it("rejects a delegated-only name, naming the application permission to use instead", () => {
    const e = errorOf(() => untyped.grant("User.Read")) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.code).toBe("GRAPH_DELEGATED_PERMISSION");
    expect(e.message).toBe(
      'MicrosoftGraph.grant: "User.Read" is a delegated Microsoft Graph permission (user sign-in only) and never applies to the client credentials flow (got "User.Read"). Use the application permission "User.Read.All" instead.',
    );
  });

  it.each(["offline_access", "openid", "profile", "email"])(
    "rejects the delegated-only %s, saying to remove it",
    (name) => {
      const e = errorOf(() => untyped.grant(name)) as MachineClientsError;
      expect(e.code).toBe("GRAPH_DELEGATED_PERMISSION");
      expect(e.message).toContain(`"${name}" is a delegated Microsoft Graph permission`);
      expect(e.message).toContain("Remove it and declare the application permission");
    },
  );

  it("rejects an unknown name", () => {
    const e = errorOf(() => untyped.grant("Orders.Read.All")) as MachineClientsError;
    expect(e.code).toBe("GRAPH_UNKNOWN_PERMISSION");
    expect(e.message).toContain(
      '"Orders.Read.All" is not a Microsoft Graph application permission (snapshot 2026-08-20)',
    );
    expect(e.message).toContain("npm run generate:graph");
  });

  it("rejects a name in the wrong letter case, suggesting the exact one", () => {
    const e = errorOf(() => untyped.grant("user.read.all")) as MachineClientsError;
    expect(e.code).toBe("GRAPH_UNKNOWN_PERMISSION");
    expect(e.message).toContain('Did you mean "User.Read.All"?');
  });

  it("rejects a value that is not a string", () => {
    const e = errorOf(() => untyped.grant(42)) as MachineClientsError;
    expect(e.code).toBe("GRAPH_UNKNOWN_PERMISSION");
    expect(e.message).toContain("(got 42)");
  });

  it("rejects a tier-0 permission without a justification", () => {
    const e = errorOf(() => untyped.grant("Mail.Send")) as MachineClientsError;
    expect(e.code).toBe("JUSTIFICATION_MISSING");
    expect(e.message).toBe(
      'MicrosoftGraph.grant: "Mail.Send" is a privileged (tier-0) Microsoft Graph permission and needs a justification (got undefined). Pass { justification: "<why the client needs it, at least 20 characters>" } as the second argument.',
    );
  });

  it("rejects a justification under 20 characters", () => {
    const e = errorOf(() =>
      MicrosoftGraph.grant("Mail.Send", { justification: "  needed  " }),
    ) as MachineClientsError;
    expect(e.code).toBe("JUSTIFICATION_TOO_SHORT");
    expect(e.message).toContain(
      'the justification for "Mail.Send", a privileged (tier-0) Microsoft Graph permission, has 6 visible characters; at least 20 are required',
    );
  });

  it("rejects a justification that is not a string", () => {
    const e = errorOf(() => untyped.grant("User.Read.All", { justification: 7 }));
    expect((e as MachineClientsError).code).toBe("JUSTIFICATION_INVALID");
  });

  it("marks every tier-0 permission privileged and records the justification", () => {
    expect(GRAPH_TIER0_PERMISSIONS.length).toBeGreaterThanOrEqual(10);
    for (const name of GRAPH_TIER0_PERMISSIONS) {
      const grant = MicrosoftGraph.grant(name, JUSTIFIED);
      expect(grant.privileged).toBe(true);
      expect(grant.toModel()).toMatchObject({
        api: "https://graph.microsoft.com",
        scope: name,
        privileged: true,
        justification: JUSTIFIED.justification,
      });
    }
  });

  it("lists at least the issue's ten tier-0 permissions", () => {
    expect(GRAPH_TIER0_PERMISSIONS).toEqual(
      expect.arrayContaining([
        "RoleManagement.ReadWrite.Directory",
        "AppRoleAssignment.ReadWrite.All",
        "Application.ReadWrite.All",
        "Directory.ReadWrite.All",
        "Group.ReadWrite.All",
        "User.ReadWrite.All",
        "Mail.ReadWrite",
        "Mail.Send",
        "Files.ReadWrite.All",
        "Sites.FullControl.All",
      ]),
    );
  });
});

describe("MicrosoftGraph synthesis", () => {
  function twoClients(stack: TerraformStack) {
    const api = new ProtectedApi(stack, "OrdersApi", {
      displayName: "orders-api",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define({ "orders.read": { description: "Read orders" } }),
    });
    new MachineClient(stack, "Directory", {
      displayName: "directory-sync",
      access: [
        MicrosoftGraph.grant("User.Read.All"),
        MicrosoftGraph.grant("Group.Read.All"),
        api.grant("orders.read"),
      ],
      credential: credential(),
    });
    new MachineClient(stack, "Mailer", {
      displayName: "mailer",
      access: [MicrosoftGraph.grant("Mail.Send", JUSTIFIED)],
      credential: credential(),
    });
  }

  it("looks Graph's service principal up once per stack, by Graph's client id", () => {
    const stack = newStack();
    twoClients(stack);
    const json = synth(stack);
    expect(dataOf(json, "azuread_service_principal")).toEqual([{ client_id: GRAPH }]);
    expect(Object.keys(json.data.azuread_service_principal)).toEqual([
      "MicrosoftGraphServicePrincipal",
    ]);
    expect(resourcesOf(json, "azuread_service_principal")).toHaveLength(3);
  });

  it("assigns each Graph role to the client on Graph's service principal, with the static id", () => {
    const stack = newStack();
    twoClients(stack);
    const json = synth(stack);
    const graphAssignments = resourcesOf(json, "azuread_app_role_assignment").filter(
      (a) =>
        a.resource_object_id ===
        "${data.azuread_service_principal.MicrosoftGraphServicePrincipal.object_id}",
    );
    expect(graphAssignments.map((a) => a.app_role_id).sort()).toEqual(
      [
        USER_READ_ALL,
        MicrosoftGraph.grant("Group.Read.All").roleId,
        MicrosoftGraph.grant("Mail.Send", JUSTIFIED).roleId,
      ].sort(),
    );
    const userRead = graphAssignments.find((a) => a.app_role_id === USER_READ_ALL)!;
    expect(userRead.principal_object_id).toMatch(
      /^\$\{azuread_service_principal\.Directory_ServicePrincipal_[0-9A-F]+\.object_id\}$/,
    );
  });

  it("adds a plan-time precondition that the tenant's role id equals the static id", () => {
    const stack = newStack();
    twoClients(stack);
    const json = synth(stack);
    const userRead = resourcesOf(json, "azuread_app_role_assignment").find(
      (a) => a.app_role_id === USER_READ_ALL,
    )!;
    expect(userRead.lifecycle.precondition).toEqual([
      {
        condition: `\${(lower(lookup(data.azuread_service_principal.MicrosoftGraphServicePrincipal.app_role_ids, "User.Read.All", "none")) == "${USER_READ_ALL}")}`,
        error_message: expect.stringContaining(
          `Microsoft Graph in this tenant has no application permission "User.Read.All" with app role id ${USER_READ_ALL}`,
        ),
      },
    ]);
    // The ProtectedApi's own assignment needs no such check: its roles are declared here.
    const own = resourcesOf(json, "azuread_app_role_assignment").filter(
      (a) => !String(a.resource_object_id).includes("data.azuread_service_principal"),
    );
    expect(own).toHaveLength(1);
    expect(own[0].lifecycle).toBeUndefined();
  });

  it("requests Graph's roles under Graph's client id, apart from other APIs", () => {
    const stack = newStack();
    twoClients(stack);
    const json = synth(stack);
    const app = resourcesOf(json, "azuread_application").find(
      (a) => a.display_name === "directory-sync",
    )!;
    const graph = app.required_resource_access.find(
      (r: { resource_app_id: string }) => r.resource_app_id === GRAPH,
    );
    expect(app.required_resource_access).toHaveLength(2);
    expect(graph.resource_access).toEqual([
      { id: MicrosoftGraph.grant("Group.Read.All").roleId, type: "Role" },
      { id: USER_READ_ALL, type: "Role" },
    ]);
  });

  it("gives each stack its own lookup", () => {
    const app = Testing.app();
    for (const id of ["a", "b"]) {
      const stack = new TerraformStack(app, id);
      new MachineClient(stack, "Reader", {
        displayName: `reader-${id}`,
        access: [MicrosoftGraph.grant("User.Read.All")],
        credential: credential(),
      });
      const json = JSON.parse(Testing.synth(stack));
      expect(dataOf(json, "azuread_service_principal")).toEqual([{ client_id: GRAPH }]);
    }
  });

  it("creates Graph's service principal with use_existing when configured so", () => {
    const stack = newStack();
    MicrosoftGraph.configure(stack, { servicePrincipal: "create-if-missing" });
    new MachineClient(stack, "Reader", {
      displayName: "reader",
      access: [MicrosoftGraph.grant("User.Read.All")],
      credential: credential(),
    });
    const json = synth(stack);
    expect(dataOf(json, "azuread_service_principal")).toEqual([]);
    const graphSp = json.resource.azuread_service_principal.MicrosoftGraphServicePrincipal;
    expect(graphSp).toMatchObject({
      client_id: GRAPH,
      use_existing: true,
      lifecycle: { prevent_destroy: true },
    });
    const [assignment] = resourcesOf(json, "azuread_app_role_assignment");
    expect(assignment.resource_object_id).toBe(
      "${azuread_service_principal.MicrosoftGraphServicePrincipal.object_id}",
    );
    expect(assignment.lifecycle.precondition[0].condition).toContain(
      "lookup(azuread_service_principal.MicrosoftGraphServicePrincipal.app_role_ids",
    );
  });

  it("rejects configuring the service principal after the stack already looked it up", () => {
    const stack = newStack();
    new MachineClient(stack, "Reader", {
      displayName: "reader",
      access: [MicrosoftGraph.grant("User.Read.All")],
      credential: credential(),
    });
    const e = errorOf(() =>
      MicrosoftGraph.configure(stack, { servicePrincipal: "create-if-missing" }),
    ) as MachineClientsError;
    expect(e.code).toBe("SERVICE_PRINCIPAL_MODE_CONFLICT");
    expect(e.message).toContain("the stack already looks up the service principal");
    expect(e.message).toContain("before the first MachineClient");
  });

  it("rejects an unknown service principal mode", () => {
    const e = errorOf(() =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      MicrosoftGraph.configure(newStack(), { servicePrincipal: "create" as any }),
    ) as MachineClientsError;
    expect(e.code).toBe("GRAPH_SERVICE_PRINCIPAL_MODE_INVALID");
    expect(e.message).toContain('(got "create")');
  });

  it("gives the token scope https://graph.microsoft.com/.default", () => {
    const stack = newStack();
    const client = new MachineClient(stack, "Reader", {
      displayName: "reader",
      access: [MicrosoftGraph.grant("User.Read.All")],
      credential: credential(),
    });
    expect(client.tokenScopeFor(MicrosoftGraph.api)).toBe("https://graph.microsoft.com/.default");
  });
});
