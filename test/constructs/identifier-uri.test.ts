import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Lazy, TerraformStack, Testing, Token } from "cdktf";
import { checkPaths } from "../../src/check";
import {
  ClientSecret,
  ExistingApi,
  MachineClient,
  MachineClientsError,
  OrgPolicy,
  ProtectedApi,
  ProtectedApiProps,
  ScopeVocabulary,
  Suppressions,
  manifestOf,
} from "../../src";
import { SECURE_PATTERNS_TEXT } from "../../src/identifier-uri";
import { describeValue } from "../../src/errors";
import { dataOf, errorOf, newStack, ref, resolveIn, resourcesOf, synth } from "../util";
import { ordersVocabulary, providerStack } from "./fixtures";

type VocabularyOf<V> = V extends ScopeVocabulary<infer D> ? D : never;

const TENANT = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
const OTHER_TENANT = "99999999-0000-cccc-1111-dddd2222eeee";
const CLIENT_ID = "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c";
const REASON = "legacy URI kept until the OPS-77 migration";
const NONE = `matches none of Microsoft's secure identifier URI patterns (${SECURE_PATTERNS_TEXT}): `;
const SECURE_FIX =
  'Leave identifierUri out for the secure default api://{appId}, use ProtectedApi.tenantScopedUri(this, "<name>") for api://{tenantId}/<name>, or put the URI on a verified domain of the tenant: api://<verified domain>/<name> or https://<verified domain>/<name>.';

function api(stack: TerraformStack, props: Partial<ProtectedApiProps> = {}, id = "OrdersApi") {
  return new ProtectedApi(stack, id, {
    displayName: "orders-api",
    vocabulary: ordersVocabulary,
    ...props,
  });
}

function client(stack: TerraformStack, on: ProtectedApi<VocabularyOf<typeof ordersVocabulary>>) {
  return new MachineClient(stack, "Billing", {
    displayName: "billing",
    access: [on.grant("orders.read")],
    credential: ClientSecret.rotating(),
  });
}

/** The orders API's application in synthesized JSON. */
function ordersApp(json: ReturnType<typeof synth>) {
  return resourcesOf(json, "azuread_application").find((a) => a.display_name === "orders-api")!;
}

/** Synthesizes with cdktf's validations (what `cdktf synth` runs). */
function synthValidated(stack: TerraformStack): string {
  return Testing.synth(stack, true);
}

function warningsOf(stack: TerraformStack, path: string): string[] {
  return stack.node
    .findAll()
    .filter((c) => c.node.path === path)
    .flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn"))
    .map((m) => String(m.data));
}

describe("the default identifier URI api://{appId}", () => {
  it("is set after the application exists, by azuread_application_identifier_uri", () => {
    const stack = providerStack();
    const orders = api(stack);
    const json = synth(stack);
    const [app] = resourcesOf(json, "azuread_application");
    expect(app.identifier_uris).toBeUndefined();
    // The provider's documented pairing: the application does not manage the list as well.
    expect(app.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ["identifier_uris"] });
    expect(resourcesOf(json, "azuread_application_identifier_uri")).toEqual([
      {
        application_id: ref(orders.application, "id"),
        identifier_uri: `api://${ref(orders.application, "client_id")}`,
        lifecycle: { prevent_destroy: true },
      },
    ]);
    expect(orders.identifierUriResource).toBeDefined();
    expect(resourcesOf(json, "azuread_service_principal")[0].client_id).toBe(
      ref(orders.application, "client_id"),
    );
  });

  it("gives the token scope <identifier URI>/.default, read from the URI's resource", () => {
    const stack = providerStack();
    const orders = api(stack);
    const billing = client(stack, orders);
    const uri = ref(orders.identifierUriResource!, "identifier_uri");
    expect(resolveIn(stack, orders.identifierUri)).toBe(uri);
    expect(resolveIn(stack, orders.defaultScope)).toBe(`${uri}/.default`);
    expect(resolveIn(stack, billing.tokenScopeFor(orders))).toBe(`${uri}/.default`);
    expect(manifestOf(stack).clients[0].grants[0]).toMatchObject({
      api: "test/OrdersApi",
      identifierUri: uri,
    });
  });

  it("follows preventDestroy: false", () => {
    const stack = providerStack();
    api(stack, { preventDestroy: false });
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_application_identifier_uri")[0].lifecycle).toEqual({
      prevent_destroy: false,
    });
  });

  it("gives no finding under the strictest policy", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"], tenantId: TENANT });
    client(stack, api(stack));
    expect(() => synthValidated(stack)).not.toThrow();
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
    expect(warningsOf(stack, "test/OrdersApi")).toEqual([]);
  });

  it("treats an explicit undefined as left out", () => {
    const stack = providerStack();
    api(stack, { identifierUri: undefined });
    expect(resourcesOf(synth(stack), "azuread_application_identifier_uri")).toHaveLength(1);
  });
});

describe("ProtectedApi.tenantScopedUri", () => {
  it("builds api://{tenantId}/<name> from the deploying tenant, sharing the client config", () => {
    const stack = providerStack();
    const uri = ProtectedApi.tenantScopedUri(stack, "orders");
    const orders = api(stack, { identifierUri: uri });
    client(stack, orders);
    const json = synth(stack);
    const tenant = "${data.azuread_client_config.MachineClientsDeployer.tenant_id}";
    expect(ordersApp(json).identifier_uris).toEqual([`api://${tenant}/orders`]);
    expect(resourcesOf(json, "azuread_application_identifier_uri")).toEqual([]);
    expect(dataOf(json, "azuread_client_config")).toHaveLength(1);
    expect(resolveIn(stack, orders.defaultScope)).toBe(`api://${tenant}/orders/.default`);
    expect(() => synthValidated(stack)).not.toThrow();
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
  });

  it("builds a literal URI from a given tenant id, checked against the policy's", () => {
    const stack = providerStack();
    const uri = ProtectedApi.tenantScopedUri(stack, "orders/v2", {
      tenantId: TENANT.toUpperCase(),
    });
    expect(uri).toBe(`api://${TENANT}/orders/v2`);
    OrgPolicy.of(stack).apply({ tenantId: OTHER_TENANT });
    api(stack, { identifierUri: uri });
    expect(errorOf(() => synthValidated(stack)).message).toContain(
      `[test/OrdersApi] MC-IDENTIFIER-URI-TENANT: the identifier URI carries tenant id ${TENANT}, not the org's tenant ${OTHER_TENANT} (got "api://${TENANT}/orders/v2").`,
    );
  });

  it.each([
    ["an empty name", ""],
    ["a space", "my orders"],
    ["a trailing slash", "orders/"],
    ["a query", "orders?x"],
    ["a non-ASCII letter", "ordеrs"],
    ["a name too long for 255 characters", "o".repeat(213)],
  ])("rejects %s", (_name, name) => {
    const e = errorOf(() => ProtectedApi.tenantScopedUri(newStack(), name)) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.message).toBe(
      `ProtectedApi.tenantScopedUri: name must be 1 to 212 letters, digits, ".", "_", "~" or "-", segments joined by "/" (got ${describeValue(name)}). Use e.g. "orders".`,
    );
  });

  it("accepts the longest name that fits", () => {
    const uri = ProtectedApi.tenantScopedUri(newStack(), "o".repeat(212), { tenantId: TENANT });
    expect(uri).toHaveLength(255);
    api(providerStack(), { identifierUri: uri });
  });

  it("rejects a GUID name, which would read as the app id", () => {
    expect(errorOf(() => ProtectedApi.tenantScopedUri(newStack(), CLIENT_ID)).message).toBe(
      `ProtectedApi.tenantScopedUri: name must not be a GUID: api://{tenantId}/<GUID> is read as api://{tenantId}/{appId}, and the app id is only known after the application is created (got "${CLIENT_ID}"). Use a name such as "orders", or leave identifierUri out for api://{appId}.`,
    );
  });

  it("rejects a tenant id that is not a GUID", () => {
    expect(
      errorOf(() => ProtectedApi.tenantScopedUri(newStack(), "orders", { tenantId: "contoso" }))
        .message,
    ).toBe(
      'ProtectedApi.tenantScopedUri: tenantId must be the tenant\'s id, a GUID (got "contoso"). Copy the Tenant ID from the Entra admin center (Overview), or leave it out to use the deploying tenant.',
    );
  });

  it("rejects a scope that is not a construct, or options that are not an object", () => {
    expect(
      errorOf(() => ProtectedApi.tenantScopedUri({} as TerraformStack, "orders")).message,
    ).toMatch(/^ProtectedApi\.tenantScopedUri: scope must be a construct/);
    expect(
      errorOf(() => ProtectedApi.tenantScopedUri(newStack(), "orders", null as never)).message,
    ).toMatch(/^ProtectedApi\.tenantScopedUri: options must be an object \(got null\)/);
  });
});

describe("a custom identifier URI", () => {
  it("rejects api://<name>, naming the patterns and the fix, and creates nothing", () => {
    const stack = newStack();
    const e = errorOf(() => api(stack, { identifierUri: "api://orders" })) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.code).toBe("IDENTIFIER_URI_INSECURE");
    expect(e.message).toBe(
      `test/OrdersApi: identifierUri ${NONE}"orders" is neither a tenant id, an app id nor a verified domain, so any tenant could claim the same URI (got "api://orders"). ${SECURE_FIX}`,
    );
    expect(stack.node.children).toHaveLength(0);
  });

  it.each([
    ["api://<domain> without a path", "api://contoso.example", /needs a path/],
    ["https://<single label>", "https://orders/v1", /needs a host on a verified domain/],
    ["a port", "https://api.contoso.example:443/orders", /has a port/],
    ["user information", "https://contoso.example@evil.example/x", /carries user information/],
    ["an empty segment", `api://${TENANT}//orders`, /empty segment/],
  ])("rejects %s", (_name, identifierUri, reason) => {
    const stack = newStack();
    const e = errorOf(() => api(stack, { identifierUri })) as MachineClientsError;
    expect(e.code).toBe("IDENTIFIER_URI_INSECURE");
    expect(e.message).toMatch(/^test\/OrdersApi: identifierUri matches none of /);
    expect(e.message).toMatch(reason);
    expect(e.message).toContain(`(got ${JSON.stringify(identifierUri)})`);
    expect(e.message).toContain(SECURE_FIX);
    expect(stack.node.children).toHaveLength(0);
  });

  it("rejects a URI over 255 characters", () => {
    const identifierUri = `api://contoso.example/${"a".repeat(234)}`;
    expect(errorOf(() => api(newStack(), { identifierUri })).message).toMatch(
      // The value is shown cut to 200 characters, with its length.
      /^test\/OrdersApi: identifierUri is 256 characters; Entra allows at most 255 \(got "api:[^"]*…" \(256 characters\)\)\. Shorten it\.$/,
    );
  });

  it.each([
    ["api://{appId}", `api://${CLIENT_ID}`],
    ["api://{tenantId}/{appId}", `api://${TENANT}/${CLIENT_ID}`],
    ["api://{name}/{appId}", `api://orders/${CLIENT_ID}`],
  ])("rejects a literal app id (%s): it is only known once the application exists", (p, uri) => {
    const stack = newStack();
    const e = errorOf(() => api(stack, { identifierUri: uri })) as MachineClientsError;
    expect(e.code).toBe("IDENTIFIER_URI_APP_ID");
    expect(e.message).toBe(
      `test/OrdersApi: identifierUri has a GUID in the {appId} position of ${p}, but the application's id is only known once it is created (got "${uri}"). Leave identifierUri out: the default is api://{appId} (for an imported application, the same URI).`,
    );
    expect(stack.node.children).toHaveLength(0);
  });

  it("keeps the DESIGN example working where its domain is declared verified", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"] });
    const orders = api(stack, { identifierUri: "api://contoso.example/orders" });
    const billing = client(stack, orders);
    expect(billing.tokenScopeFor(orders)).toBe("api://contoso.example/orders/.default");
    const json = JSON.parse(synthValidated(stack));
    expect(ordersApp(json)).toMatchObject({
      identifier_uris: ["api://contoso.example/orders"],
      lifecycle: { prevent_destroy: true },
    });
    expect(resourcesOf(json, "azuread_application_identifier_uri")).toEqual([]);
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
  });

  it.each([
    ["a subdomain with a path", "https://api.contoso.example/orders"],
    ["a subdomain without a path", "https://orders.contoso.example"],
    ["the domain with a path", "https://contoso.example/orders"],
    ["the initial domain", "https://contoso.onmicrosoft.com/orders"],
    ["api:// on a subdomain", "api://orders.contoso.example/v1"],
  ])("accepts %s of a declared verified domain", (_name, identifierUri) => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example", "contoso.onmicrosoft.com"] });
    api(stack, { identifierUri });
    expect(() => synthValidated(stack)).not.toThrow();
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
  });

  it("fails synth for a URI on an undeclared domain, with why and the fix", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"] });
    api(stack, { identifierUri: "https://api.fabrikam.example/orders" });
    const message = errorOf(() => synthValidated(stack)).message;
    expect(message).toContain(
      [
        '[test/OrdersApi] MC-IDENTIFIER-URI-DOMAIN: the identifier URI\'s host "api.fabrikam.example" is not on a verified domain of the tenant (declared: "contoso.example") (got "https://api.fabrikam.example/orders").',
        "    Why: Entra accepts an https:// or domain-based api:// identifier URI only on a verified domain of the tenant or a subdomain of one, and says so only at apply, after the application was created.",
        "    Fix: Use a verified domain of the tenant (Entra admin center › Domain names) and list it in verifiedDomains, or leave identifierUri out for the secure default api://{appId}.",
      ].join("\n"),
    );
  });

  it("fails synth for https://<verified domain> without a path", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"] });
    api(stack, { identifierUri: "https://contoso.example" });
    expect(errorOf(() => synthValidated(stack)).message).toContain(
      'MC-IDENTIFIER-URI-DOMAIN: the identifier URI\'s host "https://contoso.example" is a verified domain without a path, which matches no secure pattern (https://{verifiedDomain}/{path} needs a path)',
    );
  });

  it("warns, without a policy, that the domain could not be checked", () => {
    const stack = providerStack();
    api(stack, { identifierUri: "api://contoso.example/orders" });
    expect(() => synthValidated(stack)).not.toThrow();
    synthValidated(stack); // validations run again: the warning is not repeated
    expect(warningsOf(stack, "test/OrdersApi")).toEqual([
      [
        'MC-IDENTIFIER-URI-DOMAIN (warning): the domain "contoso.example" of the identifier URI could not be checked: the org policy declares no verifiedDomains (got "api://contoso.example/orders").',
        "    Why: Entra accepts an https:// or domain-based api:// identifier URI only on a verified domain of the tenant or a subdomain of one, and says so only at apply, after the application was created.",
        '    Fix: Declare the tenant\'s verified domains, e.g. OrgPolicy.of(app).apply({ verifiedDomains: ["contoso.example"] }), or leave identifierUri out for the secure default api://{appId}.',
      ].join("\n"),
    ]);
    expect(OrgPolicy.of(stack).findings()).toMatchObject([
      { ruleId: "MC-IDENTIFIER-URI-DOMAIN", severity: "warning", path: "test/OrdersApi" },
    ]);
  });

  it("silences the warning with a suppression and its reason, keeping it in findings()", () => {
    const stack = providerStack();
    const orders = api(stack, { identifierUri: "api://contoso.example/orders" });
    Suppressions.add(orders, [{ id: "MC-IDENTIFIER-URI-DOMAIN", reason: REASON }]);
    expect(() => synthValidated(stack)).not.toThrow();
    expect(warningsOf(stack, "test/OrdersApi")).toEqual([]);
    expect(OrgPolicy.of(stack).findings()).toMatchObject([
      {
        ruleId: "MC-IDENTIFIER-URI-DOMAIN",
        severity: "warning",
        suppressed: { reason: REASON, declaredAt: "test/OrdersApi" },
      },
    ]);
  });

  it("takes the nearest policy's domain list, replacing the app's", () => {
    const app = Testing.app();
    const stack = providerStack(app);
    OrgPolicy.of(app).apply({ verifiedDomains: ["contoso.example"] });
    OrgPolicy.of(stack).apply({ verifiedDomains: ["fabrikam.example"] });
    api(stack, { identifierUri: "api://contoso.example/orders" });
    expect(errorOf(() => synthValidated(stack)).message).toContain(
      '"contoso.example" is not on a verified domain of the tenant (declared: "fabrikam.example")',
    );
  });

  it("checks a literal tenant id: warns without one, passes with the same one", () => {
    const uri = `api://${TENANT}/orders`;
    const warned = providerStack();
    api(warned, { identifierUri: uri });
    expect(() => synthValidated(warned)).not.toThrow();
    expect(warningsOf(warned, "test/OrdersApi")[0]).toMatch(
      new RegExp(
        `^MC-IDENTIFIER-URI-TENANT \\(warning\\): the tenant id ${TENANT} of the identifier URI could not be checked: the org policy declares no tenantId`,
      ),
    );
    const matched = providerStack();
    OrgPolicy.of(matched).apply({ tenantId: TENANT.toUpperCase() });
    api(matched, { identifierUri: uri });
    expect(OrgPolicy.of(matched).findings()).toEqual([]);
  });

  it("fails App.synth() (what `cdktf synth` runs) for a URI Entra would refuse", () => {
    const app = new App({ outdir: Testing.app().outdir });
    const stack = providerStack(app, "prod");
    OrgPolicy.of(app).apply({ verifiedDomains: ["contoso.example"] });
    api(stack, { identifierUri: "https://orders.fabrikam.example" });
    expect(errorOf(() => app.synth()).message).toContain(
      "[prod/OrdersApi] MC-IDENTIFIER-URI-DOMAIN",
    );
  });
});

describe("migrating an identifier URI (docs/identifier-uris.md)", () => {
  it("keeps the old URI beside the new one on the application, for the transition", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"] });
    const orders = api(stack, { identifierUri: "api://contoso.example/orders" });
    orders.application.identifierUris = [orders.identifierUri, "api://orders"];
    expect(ordersApp(JSON.parse(synthValidated(stack))).identifier_uris).toEqual([
      "api://contoso.example/orders",
      "api://orders",
    ]);
  });

  it("leaves the application's URI list alone when moving to the default", () => {
    // Before: identifier_uris = [custom]. After: Terraform ignores the list, so the old URI stays
    // while the new resource adds api://{appId}.
    const before = providerStack();
    api(before, { identifierUri: "api://contoso.example/orders" });
    const after = providerStack();
    api(after);
    expect(ordersApp(synth(before)).lifecycle).toEqual({ prevent_destroy: true });
    expect(ordersApp(synth(after)).lifecycle.ignore_changes).toEqual(["identifier_uris"]);
    expect(resourcesOf(synth(after), "azuread_application_identifier_uri")).toHaveLength(1);
  });
});

describe("OrgPolicy verifiedDomains and tenantId", () => {
  const apply = (options: object) =>
    errorOf(() => OrgPolicy.of(newStack()).apply(options as never)).message;

  it("rejects a domain list that is not a non-empty list", () => {
    expect(apply({ verifiedDomains: "contoso.example" })).toBe(
      'OrgPolicy.of(test).apply: verifiedDomains must be a non-empty list of the tenant\'s verified domains (got "contoso.example"). Write e.g. verifiedDomains: ["contoso.com", "contoso.onmicrosoft.com"], or leave it out.',
    );
    expect(apply({ verifiedDomains: [] })).toMatch(/verifiedDomains must be a non-empty list/);
  });

  it.each([["https://contoso.example"], ["*.contoso.example"], ["contoso"], ["cоntoso.example"]])(
    "rejects the domain %s",
    (d) => {
      expect(apply({ verifiedDomains: ["contoso.com", d] })).toBe(
        `OrgPolicy.of(test).apply: verifiedDomains: each verified domain must be a DNS name such as contoso.com (no scheme, path or wildcard) (got ${JSON.stringify(d)}). Write e.g. verifiedDomains: ["contoso.com", "contoso.onmicrosoft.com"].`,
      );
    },
  );

  it("rejects onmicrosoft.com itself", () => {
    expect(apply({ verifiedDomains: ["onmicrosoft.com"] })).toMatch(
      /onmicrosoft\.com is shared by every tenant; list your tenant's own initial domain/,
    );
  });

  it("rejects a tenant id that is not a GUID", () => {
    expect(apply({ tenantId: "contoso.onmicrosoft.com" })).toBe(
      'OrgPolicy.of(test).apply: tenantId must be the tenant\'s id, a GUID (got "contoso.onmicrosoft.com"). Copy the Tenant ID from the Entra admin center (Overview), or leave it out.',
    );
  });

  it("keeps its own lower-cased, frozen copy of the domains", () => {
    const stack = newStack();
    const domains = ["Contoso.Example"];
    OrgPolicy.of(stack).apply({ verifiedDomains: domains });
    domains.push("fabrikam.example");
    const effective = OrgPolicy.effectiveFor(stack)!;
    expect(effective.verifiedDomains).toEqual(["contoso.example"]);
    expect(Object.isFrozen(effective.verifiedDomains)).toBe(true);
  });
});

const paymentsVocabulary = () =>
  ScopeVocabulary.define({
    "payments.read": { description: "Read", id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00" },
  });

describe("ExistingApi identifier URIs", () => {
  const vocabulary = () =>
    ScopeVocabulary.define({
      "payments.read": { description: "Read", id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00" },
    });
  const existing = (stack: TerraformStack, identifierUri: string) =>
    ExistingApi.fromClientId(stack, "Payments", {
      clientId: CLIENT_ID,
      identifierUri,
      vocabulary: vocabulary(),
    });

  it("accepts the API's own api://{appId} without any finding", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"], tenantId: TENANT });
    existing(stack, `api://${CLIENT_ID.toUpperCase()}`);
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
  });

  it("rejects a URI Entra refuses in every tenant, creating nothing", () => {
    const stack = newStack();
    const e = errorOf(() => existing(stack, "api://payments/")) as MachineClientsError;
    expect(e.code).toBe("IDENTIFIER_URI_INVALID");
    expect(e.message).toBe(
      'test/Payments: identifierUri must not end with "/" (the token scope appends "/.default") (got "api://payments/"). Use "api://payments".',
    );
    expect(stack.node.children).toHaveLength(0);
  });

  it("reports a legacy URI outside the patterns as a finding a suppression can accept", () => {
    const stack = providerStack();
    const payments = existing(stack, "api://payments");
    const message = errorOf(() => synthValidated(stack)).message;
    expect(message).toContain(
      `[test/Payments] MC-IDENTIFIER-URI-PATTERN: identifierUri ${NONE}"payments" is neither a tenant id, an app id nor a verified domain, so any tenant could claim the same URI (got "api://payments").`,
    );
    expect(message).toContain(
      "Fix: Ask the API's owners for a URI in one of these patterns (api://<client id> is always accepted) and use it here, or suppress MC-IDENTIFIER-URI-PATTERN on this API with the reason.",
    );
    Suppressions.add(payments, [{ id: "MC-IDENTIFIER-URI-PATTERN", reason: REASON }]);
    expect(() => synthValidated(stack)).not.toThrow();
    expect(warningsOf(stack, "test/Payments")[0]).toMatch(
      /^\[suppressed\] MC-IDENTIFIER-URI-PATTERN: /,
    );
  });

  it("reports an app id position that is not the API's client id", () => {
    const stack = providerStack();
    existing(stack, `api://${TENANT}/${OTHER_TENANT}`);
    expect(OrgPolicy.of(stack).findings()).toContainEqual(
      expect.objectContaining({
        ruleId: "MC-IDENTIFIER-URI-PATTERN",
        problem: `the GUID in the {appId} position of api://{tenantId}/{appId} is not the API's client id ${CLIENT_ID}; Entra only accepts the application's own id there`,
      }),
    );
  });

  it("checks its domain against the policy, with the fix for an API owned elsewhere", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"] });
    existing(stack, "api://payments.fabrikam.example/v1");
    expect(OrgPolicy.of(stack).findings()).toEqual([
      expect.objectContaining({
        ruleId: "MC-IDENTIFIER-URI-DOMAIN",
        fix: "Use a verified domain of the tenant (Entra admin center › Domain names) and list it in verifiedDomains, or check the URI with the API's owners.",
      }),
    ]);
  });
});

describe("ExistingApi of another tenant (Microsoft's APIs, multi-tenant APIs)", () => {
  const exchangeVocabulary = () =>
    ScopeVocabulary.define({
      "Exchange.ManageAsApp": {
        description: "Manage Exchange As Application",
        id: "dc50a0fb-09a3-484d-be87-e023b12c6440",
      },
    });

  it("takes Microsoft's first-party client ids as registered elsewhere: no MC-IDENTIFIER-URI-* finding", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"], tenantId: TENANT });
    ExistingApi.fromClientId(stack, "ExchangeOnline", {
      clientId: "00000002-0000-0ff1-ce00-000000000000",
      identifierUri: "https://outlook.office365.com",
      vocabulary: exchangeVocabulary(),
    });
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
    expect(() => synthValidated(stack)).not.toThrow();
  });

  it("accepts a registered URI that ends with /, whose token scope has two slashes", () => {
    const stack = providerStack();
    const arm = ExistingApi.fromClientId(stack, "AzureServiceManagement", {
      clientId: "797f4846-ba00-4fd7-ba43-dac1f8f63013",
      identifierUri: "https://management.core.windows.net/",
      vocabulary: ScopeVocabulary.define({
        "user_impersonation.app": { description: "x", id: "41094075-9dad-400e-a0bd-54e686782033" },
      }),
      otherTenant: true,
    });
    expect(arm.defaultScope).toBe("https://management.core.windows.net//.default");
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
  });

  it("checks an API of this tenant against the policy unless otherTenant says otherwise", () => {
    const inTenant = providerStack();
    OrgPolicy.of(inTenant).apply({ verifiedDomains: ["contoso.example"] });
    ExistingApi.fromClientId(inTenant, "Partner", {
      clientId: CLIENT_ID,
      identifierUri: "https://api.fabrikam.example/partner",
      vocabulary: paymentsVocabulary(),
    });
    expect(
      OrgPolicy.of(inTenant)
        .findings()
        .map((f) => f.ruleId),
    ).toEqual(["MC-IDENTIFIER-URI-DOMAIN"]);
    const elsewhere = providerStack();
    OrgPolicy.of(elsewhere).apply({ verifiedDomains: ["contoso.example"] });
    ExistingApi.fromClientId(elsewhere, "Partner", {
      clientId: CLIENT_ID,
      identifierUri: "https://api.fabrikam.example/partner",
      vocabulary: paymentsVocabulary(),
      otherTenant: true,
    });
    expect(OrgPolicy.of(elsewhere).findings()).toEqual([]);
  });

  it("still refuses what Entra refuses everywhere, and an otherTenant that is not a boolean", () => {
    const stack = newStack();
    const e = errorOf(() =>
      ExistingApi.fromClientId(stack, "Partner", {
        clientId: CLIENT_ID,
        identifierUri: "https://api.fabrikam.example/partner?x=1",
        vocabulary: paymentsVocabulary(),
        otherTenant: true,
      }),
    ) as MachineClientsError;
    expect(e.code).toBe("IDENTIFIER_URI_INVALID");
    const bad = errorOf(() =>
      ExistingApi.fromClientId(stack, "Partner", {
        clientId: CLIENT_ID,
        identifierUri: "https://api.fabrikam.example/partner",
        vocabulary: paymentsVocabulary(),
        otherTenant: "yes" as unknown as boolean,
      }),
    ) as MachineClientsError;
    expect(bad.message).toBe(
      'test/Partner: otherTenant must be true or false (got "yes"). Set otherTenant: true for an API registered in another tenant, or leave it out.',
    );
    expect(stack.node.children).toHaveLength(0);
  });
});

describe("an app that uses only defaults", () => {
  it("synthesizes only identifier URIs that no Entra restriction refuses", async () => {
    const stack = providerStack();
    const orders = api(stack);
    api(stack, { displayName: "billing-api" }, "BillingApi");
    client(stack, orders);
    const json = synth(stack);
    const apps = resourcesOf(json, "azuread_application");
    // No application carries a URI of its own; each URI is api://<its own application's id>.
    expect(apps.filter((a) => a.identifier_uris !== undefined)).toEqual([]);
    const uris = resourcesOf(json, "azuread_application_identifier_uri");
    expect(uris).toHaveLength(2);
    for (const u of uris) {
      const app = /^\$\{(azuread_application\.[\w-]+)\.id\}$/.exec(u.application_id)![1];
      expect(u.identifier_uri).toBe(`api://\${${app}.client_id}`);
    }
    // And the checker, which classifies them the same way, finds nothing about them.
    const dir = mkdtempSync(join(tmpdir(), "mcc-defaults-"));
    try {
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
      const result = await checkPaths([dir]);
      expect(result.findings.filter((f) => f.ruleId === "MCC013")).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("attacks on the identifier URI checks", () => {
  it("rejects a refused URI passed through Token.asString (a plain string) when constructed", () => {
    expect(
      errorOf(() => api(newStack(), { identifierUri: Token.asString("api://orders") })).message,
    ).toMatch(/^test\/OrdersApi: identifierUri matches none of /);
  });

  it("rejects a refused URI hidden in a Lazy value, at synth", () => {
    const stack = providerStack();
    api(stack, { identifierUri: Lazy.stringValue({ produce: () => "api://orders" }) });
    expect(errorOf(() => synthValidated(stack)).message).toContain(
      `[test/OrdersApi] MC-IDENTIFIER-URI-PATTERN: identifierUri ${NONE}"orders" is neither a tenant id`,
    );
  });

  it("rejects a literal app id hidden in a Lazy value, at synth", () => {
    const stack = providerStack();
    api(stack, { identifierUri: Lazy.stringValue({ produce: () => `api://${CLIENT_ID}` }) });
    expect(errorOf(() => synthValidated(stack)).message).toContain(
      "identifierUri has a GUID in the {appId} position of api://{appId}",
    );
  });

  it("checks a domain hidden in a token against the policy", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"] });
    api(stack, {
      identifierUri: Lazy.stringValue({ produce: () => "https://api.fabrikam.example/orders" }),
    });
    expect(errorOf(() => synthValidated(stack)).message).toContain("MC-IDENTIFIER-URI-DOMAIN");
  });

  it("keeps the URI clients request fixed: it cannot be reassigned, even through a cast", () => {
    const stack = providerStack();
    const orders = api(stack);
    const billing = client(stack, orders);
    const before = billing.tokenScopeFor(orders);
    expect(() => {
      (orders as { identifierUri: string }).identifierUri = "api://evil.example/x";
    }).toThrow(TypeError);
    expect(billing.tokenScopeFor(orders)).toBe(before);
  });

  it("checks the domains it keeps, not a list changed after apply or a getter's second answer", () => {
    const stack = providerStack();
    let reads = 0;
    const domains = {
      get verifiedDomains() {
        reads++;
        return reads === 1 ? ["contoso.example"] : ["fabrikam.example"];
      },
    };
    OrgPolicy.of(stack).apply(domains as never);
    api(stack, { identifierUri: "https://api.fabrikam.example/orders" });
    expect(errorOf(() => synthValidated(stack)).message).toContain('(declared: "contoso.example")');
    expect(reads).toBe(1);
  });

  it("refuses look-alike hosts of a verified domain", () => {
    for (const identifierUri of [
      "https://contoso.example.fabrikam.example/x",
      "https://evilcontoso.example/x",
      "https://contoso.example@fabrikam.example/x",
    ]) {
      const stack = providerStack();
      OrgPolicy.of(stack).apply({ verifiedDomains: ["contoso.example"] });
      expect(() => {
        api(stack, { identifierUri });
        synthValidated(stack);
      }).toThrow(/MC-IDENTIFIER-URI-DOMAIN|matches none of Microsoft's secure/);
    }
  });
});
