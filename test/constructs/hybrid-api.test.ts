import { Token } from "cdktf";
import {
  ClientSecret,
  DelegatedScopeGrant,
  DelegatedVocabulary,
  deriveRoleId,
  MachineClient,
  ProtectedApi,
  ScopeVocabulary,
} from "../../src";
import { errorOf, newStack, resourcesOf, synth } from "../util";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const app = ScopeVocabulary.define({ "orders.read": { description: "Read orders" } });
const user = DelegatedVocabulary.define({
  "orders.read.user": {
    adminConsentDisplayName: "Read orders as the user",
    adminConsentDescription: "Lets the app read the signed-in user's orders",
    consent: "User",
    userConsentDisplayName: "Read your orders",
    userConsentDescription: "Lets the app read your orders",
  },
  "orders.cancel.user": {
    adminConsentDisplayName: "Cancel orders as the user",
    adminConsentDescription: "Lets the app cancel the signed-in user's orders",
  },
});

function hybrid(stack = newStack()) {
  return new ProtectedApi(stack, "Api", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: app,
    delegatedVocabulary: user,
  });
}

describe("hybrid ProtectedApi (delegatedVocabulary)", () => {
  it("synthesizes app roles and oauth2 permission scopes side by side", () => {
    const stack = newStack();
    hybrid(stack);
    const [application] = resourcesOf(synth(stack), "azuread_application");
    expect(application.app_role.map((r: { value: string }) => r.value)).toEqual(["orders.read"]);
    expect(application.api.oauth2_permission_scope).toEqual([
      {
        id: deriveRoleId("orders.cancel.user"),
        value: "orders.cancel.user",
        type: "Admin",
        enabled: true,
        admin_consent_display_name: "Cancel orders as the user",
        admin_consent_description: "Lets the app cancel the signed-in user's orders",
      },
      {
        id: deriveRoleId("orders.read.user"),
        value: "orders.read.user",
        type: "User",
        enabled: true,
        admin_consent_display_name: "Read orders as the user",
        admin_consent_description: "Lets the app read the signed-in user's orders",
        user_consent_display_name: "Read your orders",
        user_consent_description: "Lets the app read your orders",
      },
    ]);
    expect(application.api.requested_access_token_version).toBe(2);
  });

  it("keeps machine-only APIs free of delegated scopes", () => {
    const stack = newStack();
    new ProtectedApi(stack, "Api", {
      displayName: "orders-api",
      identifierUri: "api://contoso.example/orders",
      vocabulary: app,
    });
    const [application] = resourcesOf(synth(stack), "azuread_application");
    expect(application.api.oauth2_permission_scope).toBeUndefined();
  });

  it("hands out delegated grants for user-facing apps", () => {
    const api = hybrid();
    const g = api.grantDelegated("orders.read.user");
    expect(DelegatedScopeGrant.isDelegatedScopeGrant(g)).toBe(true);
    expect(g.kind).toBe("delegated");
    const access = g.toResourceAccess();
    expect(access.resourceAccess).toEqual([
      { id: deriveRoleId("orders.read.user"), type: "Scope" },
    ]);
    // the API's client id, as a reference resolved by Terraform
    expect(Token.asString(access.resourceAppId)).toMatch(/\$\{TfToken\[TOKEN\.\d+\]\}/);
    expect(Token.isUnresolved(access.resourceAppId)).toBe(true);
  });

  it("rejects a delegated grant in a machine client's access", () => {
    const stack = newStack();
    const api = hybrid(stack);
    const e = errorOf(
      () =>
        new MachineClient(stack, "Client", {
          displayName: "client",
          access: [api.grantDelegated("orders.read.user") as Loose],
          credential: ClientSecret.rotating(),
        }),
    );
    expect(e.message).toBe(
      'test/Client: "orders.read.user" on api://contoso.example/orders is a delegated scope (user sign-in only) and never applies to the client credentials flow (got "orders.read.user"). Grant an application permission with api.grant(scope); delegated grants belong to apps that sign users in.',
    );
    expect(stack.node.tryFindChild("Client")).toBeUndefined();
  });

  it("rejects a value in both vocabularies, ignoring case", () => {
    const clash = DelegatedVocabulary.define({
      "ORDERS.READ": { adminConsentDisplayName: "Read", adminConsentDescription: "Read orders" },
    });
    const e = errorOf(
      () =>
        new ProtectedApi(newStack(), "Api", {
          displayName: "orders-api",
          identifierUri: "api://contoso.example/orders",
          vocabulary: app,
          delegatedVocabulary: clash as Loose,
        }),
    );
    expect(e.message).toBe(
      'test/Api: "ORDERS.READ" is both a delegated scope and an application permission ("orders.read"); Entra rejects a value used by both (got "ORDERS.READ"). Give the delegated scope its own name, e.g. "ORDERS.READ.user".',
    );
  });

  it("rejects a delegated scope id equal to an app role id", () => {
    const clash = DelegatedVocabulary.define({
      "orders.other.user": {
        adminConsentDisplayName: "Other",
        adminConsentDescription: "Other",
        id: deriveRoleId("orders.read"),
      },
    });
    const e = errorOf(
      () =>
        new ProtectedApi(newStack(), "Api", {
          displayName: "orders-api",
          identifierUri: "api://contoso.example/orders",
          vocabulary: app,
          delegatedVocabulary: clash,
        }),
    );
    expect(e.message).toMatch(
      /delegated scope "orders.other.user" and app role "orders.read" have the same id/,
    );
  });

  it("rejects a delegatedVocabulary not made by DelegatedVocabulary.define", () => {
    const e = errorOf(
      () =>
        new ProtectedApi(newStack(), "Api", {
          displayName: "orders-api",
          identifierUri: "api://contoso.example/orders",
          vocabulary: app,
          delegatedVocabulary: { scopes: [] } as Loose,
        }),
    );
    expect(e.message).toMatch(/delegatedVocabulary must be made by DelegatedVocabulary.define/);
  });

  it("rejects grantDelegated on an API without delegated scopes, and unknown scopes", () => {
    const stack = newStack();
    const machineOnly = new ProtectedApi(stack, "M", {
      displayName: "m",
      identifierUri: "api://contoso.example/m",
      vocabulary: app,
    });
    expect(
      errorOf(() => (machineOnly as Loose).grantDelegated("orders.read.user")).message,
    ).toMatch(/^test\/M.grantDelegated: the API declares no delegated scopes/);
    const api = hybrid(stack);
    expect(errorOf(() => (api as Loose).grantDelegated("orders.read")).message).toMatch(
      /scope is not in the API's delegated vocabulary \(got "orders.read"\). Use one of: "orders.cancel.user", "orders.read.user"/,
    );
    expect(errorOf(() => (api as Loose).grant("orders.read.user")).message).toMatch(
      /scope is not in the API's vocabulary \(got "orders.read.user"\)/,
    );
  });
});

describe("DelegatedVocabulary.define", () => {
  const def = { adminConsentDisplayName: "A", adminConsentDescription: "B" };
  it("allows user_impersonation, the portal's default API scope", () => {
    expect(DelegatedVocabulary.define({ user_impersonation: def }).values).toEqual([
      "user_impersonation",
    ]);
  });
  it("rejects OpenID Connect names in any letter case", () => {
    expect(errorOf(() => DelegatedVocabulary.define({ OpenID: def } as Loose)).message).toBe(
      `DelegatedVocabulary.define: "OpenID" is reserved by OpenID Connect and the identity platform; a delegated vocabulary names the API's own scopes (got "OpenID"). Use a name such as "orders.read.user".`,
    );
  });
  it("keeps the application vocabulary's delegated-scope rule intact", () => {
    expect(
      errorOf(() => ScopeVocabulary.define({ user_impersonation: { description: "x" } } as Loose))
        .message,
    ).toMatch(/user_impersonation is a delegated scope/);
  });
  it("rejects missing consent texts", () => {
    expect(
      errorOf(() =>
        DelegatedVocabulary.define({ "a.user": { adminConsentDisplayName: "A" } } as Loose),
      ).message,
    ).toMatch(
      /adminConsentDescription must be a non-empty string \(Entra shows it on the consent prompt\)/,
    );
    expect(
      errorOf(() => DelegatedVocabulary.define({ "a.user": { ...def, consent: "User" } })).message,
    ).toMatch(/userConsentDisplayName must be a non-empty string/);
  });
  it("rejects a bad consent value, bad ids, unknown keys and bad values", () => {
    expect(
      errorOf(() => DelegatedVocabulary.define({ a: { ...def, consent: "Everyone" } } as Loose))
        .message,
    ).toMatch(/consent must be "Admin" or "User" \(got "Everyone"\)/);
    expect(
      errorOf(() => DelegatedVocabulary.define({ a: { ...def, id: "nope" } })).message,
    ).toMatch(/id must be a UUID/);
    expect(
      errorOf(() => DelegatedVocabulary.define({ a: { ...def, privileged: true } } as Loose))
        .message,
    ).toMatch(/unknown property "privileged"/);
    expect(errorOf(() => DelegatedVocabulary.define({ "a b": def })).message).toMatch(
      /must not contain whitespace/,
    );
    expect(errorOf(() => DelegatedVocabulary.define({ a: def, A: def })).message).toMatch(
      /are the same scope to Entra/,
    );
    expect(errorOf(() => DelegatedVocabulary.define({})).message).toMatch(
      /needs at least one scope/,
    );
  });
});
