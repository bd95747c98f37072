import {
  ClientSecret,
  DelegatedVocabulary,
  ExistingApi,
  MachineClient,
  MachineClientsError,
  ProtectedApi,
  ScopeDefinitions,
  ScopeGrant,
  ScopeVocabulary,
} from "../../src";
import { errorOf, newStack, resourcesOf, synth } from "../util";

// Entra's limits that used to be met only at `terraform apply`; each is now a synth error that
// names the limit. Source: Entra's "Validation differences by supported account types"
// (single-tenant column) and "App role limits".

const orders = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });

/** `n` entries named `p.0` … `p.<n-1>`, the first `retired` of them retired. */
function entries(n: number, retired = 0): ScopeDefinitions {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `p.${i}`,
      { description: `Permission ${i}`, ...(i < retired ? { retired: true } : {}) },
    ]),
  );
}

/** A GUID whose last group is `i`. */
function guid(prefix: string, i: number): string {
  return `${prefix}-1d2e-4f5a-9b8c-${i.toString(16).padStart(12, "0")}`;
}

function expectNothingBuilt(stack: ReturnType<typeof newStack>, before: number): void {
  expect(stack.node.findAll().length).toBe(before);
}

describe("Entra's limits at synth", () => {
  describe("display names: at most 120 characters for a single-tenant app", () => {
    it("accepts 120 characters on an API and a client", () => {
      const stack = newStack();
      const api = new ProtectedApi(stack, "Api", {
        displayName: "a".repeat(120),
        identifierUri: "api://contoso.example/orders",
        vocabulary: orders,
      });
      new MachineClient(stack, "Client", {
        displayName: "c".repeat(120),
        access: [api.grant("orders.read")],
        credential: ClientSecret.rotating(),
      });
      const names = resourcesOf(synth(stack), "azuread_application").map((a) => a.display_name);
      expect(names.map((n: string) => n.length)).toEqual([120, 120]);
    });

    it("rejects 121 characters on an API, naming the limit", () => {
      const stack = newStack();
      const e = errorOf(
        () =>
          new ProtectedApi(stack, "Api", {
            displayName: "a".repeat(121),
            identifierUri: "api://contoso.example/orders",
            vocabulary: orders,
          }),
      ) as MachineClientsError;
      expect(e).toBeInstanceOf(MachineClientsError);
      expect(e.code).toBe("DISPLAY_NAME_TOO_LONG");
      expect(e.message).toMatch(
        /^test\/Api: displayName is 121 characters; Entra allows at most 120 for a single-tenant app registration \(got "a{121}"\)\. Shorten it to 120 characters or fewer\.$/,
      );
      expect(stack.node.children).toHaveLength(0);
    });

    it("rejects 121 characters on a client, creating nothing", () => {
      const stack = newStack();
      const api = new ProtectedApi(stack, "Api", {
        displayName: "orders-api",
        identifierUri: "api://contoso.example/orders",
        vocabulary: orders,
      });
      const before = stack.node.findAll().length;
      const e = errorOf(
        () =>
          new MachineClient(stack, "Client", {
            displayName: "c".repeat(121),
            access: [api.grant("orders.read")],
            credential: ClientSecret.rotating(),
          }),
      );
      expect(e.message).toContain(
        "test/Client: displayName is 121 characters; Entra allows at most 120",
      );
      expectNothingBuilt(stack, before);
    });
  });

  describe("reserved app role values (azuread provider issue #721)", () => {
    it.each(["User", "user", "USER"])("rejects %s as a permission value", (value) => {
      const e = errorOf(() =>
        ScopeVocabulary.define({ [value]: { description: "x" } } as ScopeDefinitions),
      ) as MachineClientsError;
      expect(e.code).toBe("APP_ROLE_VALUE_RESERVED");
      expect(e.message).toBe(
        `ScopeVocabulary.define: ${value} is reserved by Entra ID and cannot be an app role value (Entra refuses it at apply with an error that does not name it; azuread provider issue #721) (got ${JSON.stringify(value)}). Name the permission after what it allows, e.g. users.read.`,
      );
    });

    it("rejects User as the old name of a rename", () => {
      const e = errorOf(() =>
        ScopeVocabulary.define({
          "users.read": { description: "Read users", renamedFrom: "User" },
        }),
      ) as MachineClientsError;
      expect(e.code).toBe("APP_ROLE_VALUE_RESERVED");
      expect(e.message).toContain('ScopeVocabulary.define › "users.read" › renamedFrom: User is');
    });

    it("accepts values that merely contain the word", () => {
      const v = ScopeVocabulary.define({
        "User.Read.All": { description: "Read users" },
        users: { description: "Users" },
      });
      expect(v.values).toEqual(["User.Read.All", "users"]);
    });
  });

  describe("a client: at most 50 APIs and 400 permissions in required_resource_access", () => {
    const existingApis = (stack: ReturnType<typeof newStack>, n: number) =>
      Array.from({ length: n }, (_, i) =>
        ExistingApi.fromClientId(stack, `Api${i}`, {
          clientId: guid("6f1c2a34", i),
          identifierUri: `api://contoso.example/api${i}`,
          vocabulary: ScopeVocabulary.define({
            "x.read": { description: "Read", id: guid("0b6c3a6e", i) },
          }),
        }),
      );

    it("accepts 50 APIs", () => {
      const stack = newStack();
      const access = existingApis(stack, 50).map((a) => a.grant("x.read"));
      new MachineClient(stack, "Client", {
        displayName: "c",
        access,
        credential: ClientSecret.rotating(),
      });
      const [app] = resourcesOf(synth(stack), "azuread_application");
      expect(app.required_resource_access).toHaveLength(50);
    });

    it("rejects 51 APIs, naming the limit and creating nothing", () => {
      const stack = newStack();
      const access = existingApis(stack, 51).map((a) => a.grant("x.read"));
      const before = stack.node.findAll().length;
      const e = errorOf(
        () =>
          new MachineClient(stack, "Client", {
            displayName: "c",
            access,
            credential: ClientSecret.rotating(),
          }),
      ) as MachineClientsError;
      expect(e.code).toBe("CLIENT_API_LIMIT");
      expect(e.message).toBe(
        "test/Client: the client holds grants on 51 APIs; Entra allows at most 50 resource APIs in an app registration's required_resource_access (got 51). Split the client into clients per job, each granted only the APIs that job calls.",
      );
      expectNothingBuilt(stack, before);
    });

    const bigApi = (stack: ReturnType<typeof newStack>, n: number) =>
      new ProtectedApi(stack, "Big", {
        displayName: "big",
        identifierUri: "api://contoso.example/big",
        vocabulary: ScopeVocabulary.define(entries(n)),
      });
    // The vocabularies here are built at run time, so grant() is called untyped.
    const grantAll = (api: ProtectedApi, n: number): ScopeGrant[] =>
      Array.from({ length: n }, (_, i) =>
        (api as unknown as { grant(s: string): ScopeGrant }).grant(`p.${i}`),
      );

    const grantAllOf = (api: ProtectedApi, values: string[]): ScopeGrant[] =>
      values.map((v) => (api as unknown as { grant(s: string): ScopeGrant }).grant(v));

    it("accepts 400 permissions", () => {
      const stack = newStack();
      const api = bigApi(stack, 400);
      const client = new MachineClient(stack, "Client", {
        displayName: "c",
        access: grantAll(api, 400),
        credential: ClientSecret.rotating(),
      });
      expect(client.assignments.size).toBe(400);
    });

    it("rejects 401 permissions, naming the limit and creating nothing", () => {
      const stack = newStack();
      const api = bigApi(stack, 401);
      const access = grantAll(api, 401);
      const before = stack.node.findAll().length;
      const e = errorOf(
        () =>
          new MachineClient(stack, "Client", {
            displayName: "c",
            access,
            credential: ClientSecret.rotating(),
          }),
      ) as MachineClientsError;
      expect(e.code).toBe("CLIENT_PERMISSION_LIMIT");
      expect(e.message).toBe(
        "test/Client: the client holds 401 permissions; Entra allows at most 400 across all APIs in an app registration's required_resource_access (got 401). Split the client into clients per job, each with only the permissions that job needs.",
      );
      expectNothingBuilt(stack, before);
    });

    it("counts the old role a rename in transition also assigns", () => {
      const stack = newStack();
      const defs = entries(399);
      const api = new ProtectedApi(stack, "Big", {
        displayName: "big",
        identifierUri: "api://contoso.example/big",
        vocabulary: ScopeVocabulary.define({
          ...defs,
          "p.new": { description: "Renamed", renamedFrom: "p.old" },
        }),
      });
      const access = [...grantAll(api, 399), ...grantAllOf(api, ["p.new"])];
      const e = errorOf(
        () =>
          new MachineClient(stack, "Client", {
            displayName: "c",
            access,
            credential: ClientSecret.rotating(),
          }),
      ) as MachineClientsError;
      expect(e.code).toBe("CLIENT_PERMISSION_LIMIT");
      expect(e.message).toContain("the client holds 401 permissions");
    });
  });

  describe("an API: at most 700 permission definitions, retired ones included", () => {
    const delegated = (n: number): never =>
      DelegatedVocabulary.define(
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [
            `u.${i}`,
            { adminConsentDisplayName: `U ${i}`, adminConsentDescription: `U ${i}` },
          ]),
        ),
      ) as never;

    it("accepts 600 app roles and 100 delegated scopes", () => {
      const stack = newStack();
      new ProtectedApi(stack, "Api", {
        displayName: "api",
        identifierUri: "api://contoso.example/big",
        vocabulary: ScopeVocabulary.define(entries(600)),
        delegatedVocabulary: delegated(100),
      });
      const [app] = resourcesOf(synth(stack), "azuread_application");
      expect(app.app_role).toHaveLength(600);
      expect(app.api.oauth2_permission_scope).toHaveLength(100);
    });

    it("rejects 600 app roles and 101 delegated scopes, naming the limit", () => {
      const stack = newStack();
      const e = errorOf(
        () =>
          new ProtectedApi(stack, "Api", {
            displayName: "api",
            identifierUri: "api://contoso.example/big",
            vocabulary: ScopeVocabulary.define(entries(600)),
            delegatedVocabulary: delegated(101),
          }),
      ) as MachineClientsError;
      expect(e.code).toBe("API_PERMISSION_DEFINITIONS_LIMIT");
      expect(e.message).toBe(
        "test/Api: the API declares 701 permission definitions (600 app roles, 0 of them retired, and 101 delegated scopes); Entra's app manifest allows at most 700 per application, disabled ones included (got 701). Remove retired entries whose grants are gone, or split the API's permissions into coarser roles (e.g. orders.read rather than one role per resource).",
      );
      expect(stack.node.children).toHaveLength(0);
    });

    it("rejects 701 app roles of which 51 are retired: disabled roles count", () => {
      const e = errorOf(
        () =>
          new ProtectedApi(newStack(), "Api", {
            displayName: "api",
            identifierUri: "api://contoso.example/big",
            vocabulary: ScopeVocabulary.define(entries(701, 51)),
          }),
      ) as MachineClientsError;
      expect(e.code).toBe("API_PERMISSION_DEFINITIONS_LIMIT");
      expect(e.message).toContain("701 permission definitions (701 app roles, 51 of them retired");
    });

    it("counts the old roles kept by renames", () => {
      const e = errorOf(
        () =>
          new ProtectedApi(newStack(), "Api", {
            displayName: "api",
            identifierUri: "api://contoso.example/big",
            vocabulary: ScopeVocabulary.define({
              ...entries(699),
              "p.new": { description: "Renamed", renamedFrom: "p.old" },
            }),
          }),
      ) as MachineClientsError;
      expect(e.code).toBe("API_PERMISSION_DEFINITIONS_LIMIT");
      expect(e.message).toContain("701 permission definitions (701 app roles");
    });
  });
});
