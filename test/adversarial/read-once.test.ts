// Options are read once: every factory and construct copies what it is given (each property read
// exactly once), validates the copy and synthesizes from it. Each attack below is a getter or a
// Proxy that answers one thing to the check and another to synthesis, or that throws.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import fc from "fast-check";
import {
  ClientCertificate,
  ClientSecret,
  DelegatedVocabulary,
  ExistingApi,
  FederatedCredential,
  MachineClient,
  MachineClients,
  MachineClientsError,
  MicrosoftGraph,
  OrgPolicy,
  ProtectedApi,
  ScopeVocabulary,
  SecretDelivery,
  Suppressions,
} from "../../src";
import { SecretDelivery as AzurermDelivery } from "../../src/azurerm";
import { createTokenVerifier } from "../../src/verify";
import { JUSTIFICATION, ordersApi, ordersVocabulary, providerStack } from "../constructs/fixtures";
import { configApis } from "../config/fixtures";
import { errorOf, resourcesOf, synth } from "../util";

const paymentsVocabulary = ScopeVocabulary.define({
  "payments.refund": {
    description: "Refund a payment",
    privileged: true,
    id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
  },
});
const PEM = readFileSync(join(__dirname, "../fixtures/client-cert.pem"), "utf8");
const OWNER = "7a3e1c52-90d4-4b8e-a1f6-2c5d8e9b0f13";
const KEY_VAULT =
  "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/contoso-kv";

/** A Proxy over `target` that counts the reads of each property. */
function counting<T extends object>(target: T): { proxy: T; reads: Map<PropertyKey, number> } {
  const reads = new Map<PropertyKey, number>();
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(t, key, receiver);
    },
  });
  return { proxy, reads };
}

/** The properties read more than once (ignoring symbols, which brand checks use). */
function readTwice(reads: Map<PropertyKey, number>): string[] {
  return [...reads].filter(([k, n]) => typeof k === "string" && n > 1).map(([k]) => String(k));
}

/** An object whose property `key` answers `first` on the first read and `then` afterwards. */
function twoFaced<T extends object>(base: T, key: string, first: unknown, then: unknown): T {
  let reads = 0;
  return Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get: () => (reads++ === 0 ? first : then),
  });
}

/** An object whose property `key` throws a foreign error when read. */
function throwing<T extends object>(base: T, key: string): T {
  return Object.defineProperty({ ...base }, key, {
    enumerable: true,
    get: () => {
      throw new TypeError("getter exploded");
    },
  });
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function clientWith(credential: unknown, stack = providerStack()) {
  const api = ordersApi(stack);
  new MachineClient(stack, "Client", {
    displayName: "client",
    access: [api.grant("orders.read")],
    credential: credential as ClientSecret,
  });
  return { stack, json: synth(stack) };
}

/** The error of `fn`, checked to be a MachineClientsError naming `where` and `property`. */
function readError(fn: () => unknown, where: string, property: string): MachineClientsError {
  const e = errorOf(fn);
  expect(e).toBeInstanceOf(MachineClientsError);
  const error = e as MachineClientsError;
  expect(error.code).toBe("OPTION_UNREADABLE");
  expect(error.message).toContain(where);
  expect(error.message).toContain(property);
  expect(error.message).toContain("getter exploded");
  return error;
}

describe("ClientSecret.rotating reads its options once", () => {
  it("a validityDays getter answering 60 then 3650 does not synthesize a 10-year secret", () => {
    const options = twoFaced({ rotationDays: 30 }, "validityDays", 60, 3650);
    const { json } = clientWith(ClientSecret.rotating(options));
    const passwords = resourcesOf(json, "azuread_application_password");
    expect(passwords).toHaveLength(2);
    for (const p of passwords) expect(p.end_date).toBe('${timeadd(plantimestamp(), "1440h")}');
  });

  it("a rotationDays getter answering 30 then 1 keeps the validated schedule", () => {
    const secret = ClientSecret.rotating(twoFaced({ validityDays: 60 }, "rotationDays", 30, 1));
    expect(secret.rotationDays).toBe(30);
    expect(secret.maxApplyGapDays).toBe(30);
  });

  it("reads each option at most once", () => {
    const { proxy, reads } = counting({
      rotationDays: 30,
      validityDays: 60,
      scheduleKey: "orders/Client",
      delivery: SecretDelivery.output(),
    });
    clientWith(ClientSecret.rotating(proxy));
    expect(readTwice(reads)).toEqual([]);
    expect(reads.get("validityDays")).toBe(1);
  });

  it("is frozen: a cast cannot change a validated value", () => {
    const secret = ClientSecret.rotating();
    expect(() => {
      (secret as unknown as { validityDays: number }).validityDays = 3650;
    }).toThrow(TypeError);
    expect(secret.validityDays).toBe(60);
  });

  it("reports a throwing getter as a MachineClientsError naming the option", () => {
    readError(
      () => ClientSecret.rotating(throwing({}, "validityDays")),
      "ClientSecret.rotating",
      "options.validityDays",
    );
  });

  it("refuses options that are not an object", () => {
    const e = errorOf(() => ClientSecret.rotating(null as never)) as MachineClientsError;
    expect(e.code).toBe("SECRET_OPTIONS_INVALID");
    expect(e.message).toBe(
      "ClientSecret.rotating: options must be an object (got null). Write e.g. ClientSecret.rotating({ rotationDays: 30, validityDays: 60 }), or leave the options out.",
    );
  });
});

describe("grant justifications are read once", () => {
  const long = "nightly repair job fixes stuck orders (OPS-17)";

  it("ProtectedApi.grant keeps the justification it checked, not an empty second read", () => {
    const api = ordersApi(providerStack());
    const grant = api.grant("orders.admin", twoFaced({}, "justification", long, "") as never);
    expect(grant.justification).toBe(long);
    expect(grant.toModel().justification).toBe(long);
  });

  it("ExistingApi.grant keeps the justification it checked", () => {
    const stack = providerStack();
    const api = ExistingApi.fromClientId(stack, "Payments", {
      clientId: "11111111-2222-4333-8444-555555555555",
      identifierUri: "api://payments.contoso.example",
      vocabulary: paymentsVocabulary,
    });
    const grant = api.grant("payments.refund", twoFaced({}, "justification", long, "") as never);
    expect(grant.justification).toBe(long);
  });

  it("MicrosoftGraph.grant keeps the justification it checked, reading it once", () => {
    const { proxy, reads } = counting(twoFaced({}, "justification", long, ""));
    const grant = MicrosoftGraph.grant("Mail.Send", proxy as { justification: string });
    expect(grant.justification).toBe(long);
    expect(reads.get("justification")).toBe(1);
  });

  it("reports a throwing justification getter as a MachineClientsError", () => {
    const api = ordersApi(providerStack());
    readError(
      () => api.grant("orders.admin", throwing({}, "justification") as never),
      "test/OrdersApi.grant",
      "options.justification",
    );
    readError(
      () => MicrosoftGraph.grant("Mail.Send", throwing({}, "justification") as never),
      "MicrosoftGraph.grant",
      "options.justification",
    );
  });
});

describe("FederatedCredential factories read their options once", () => {
  const github = { organization: "contoso", repository: "billing", environment: "production" };

  it("a custom subject answering a good subject then repo:* synthesizes the good one", () => {
    const options = twoFaced(
      { issuer: "https://token.actions.githubusercontent.com" },
      "subject",
      "repo:contoso/billing:environment:production",
      "repo:*",
    );
    const { json } = clientWith(FederatedCredential.custom(options as never));
    const [fic] = resourcesOf(json, "azuread_application_federated_identity_credential");
    expect(fic.subject).toBe("repo:contoso/billing:environment:production");
  });

  it("an audience answering the default then * synthesizes the default", () => {
    const options = twoFaced(
      { issuer: "https://issuer.contoso.example", subject: "job-1" },
      "audiences",
      ["api://AzureADTokenExchange"],
      ["*"],
    );
    const { json } = clientWith(FederatedCredential.custom(options as never));
    const [fic] = resourcesOf(json, "azuread_application_federated_identity_credential");
    expect(fic.audiences).toEqual(["api://AzureADTokenExchange"]);
  });

  it("an audiences array whose element changes after the check keeps the checked one", () => {
    let reads = 0;
    const audiences = new Proxy(["api://AzureADTokenExchange"], {
      get(t, key, receiver) {
        if (key === "0") return reads++ === 0 ? "api://AzureADTokenExchange" : "*";
        return Reflect.get(t, key, receiver);
      },
    });
    const credential = FederatedCredential.custom({
      issuer: "https://issuer.contoso.example",
      subject: "job-1",
      audiences,
    });
    const { json } = clientWith(credential);
    const [fic] = resourcesOf(json, "azuread_application_federated_identity_credential");
    expect(fic.audiences).toEqual(["api://AzureADTokenExchange"]);
    expect(reads).toBe(1);
  });

  it("a GitHub organization answering contoso then * is validated as the value used", () => {
    const { proxy, reads } = counting(twoFaced(github, "organization", "contoso", "*"));
    const { json } = clientWith(FederatedCredential.githubActions(proxy));
    const [fic] = resourcesOf(json, "azuread_application_federated_identity_credential");
    expect(fic.subject).toBe("repo:contoso/billing:environment:production");
    expect(readTwice(reads)).toEqual([]);
  });

  it("a GitHub organization answering * then contoso is refused, whatever it says later", () => {
    const credential = FederatedCredential.githubActions(
      twoFaced(github, "organization", "con*", "contoso"),
    );
    const e = errorOf(() => clientWith(credential)) as MachineClientsError;
    expect(e.code).toBe("GITHUB_NAME_INVALID");
  });

  it("a Kubernetes namespace read once", () => {
    const { proxy, reads } = counting(
      twoFaced(
        { issuer: "https://oidc.contoso.example", serviceAccount: "sync" },
        "namespace",
        "billing",
        "*",
      ),
    );
    const { json } = clientWith(FederatedCredential.kubernetes(proxy as never));
    const [fic] = resourcesOf(json, "azuread_application_federated_identity_credential");
    expect(fic.subject).toBe("system:serviceaccount:billing:sync");
    expect(readTwice(reads)).toEqual([]);
  });

  it("reports a throwing getter as a MachineClientsError naming the option", () => {
    readError(
      () =>
        FederatedCredential.custom(throwing({ issuer: "https://x.example" }, "subject") as never),
      "FederatedCredential.custom",
      "options.subject",
    );
  });
});

describe("ClientCertificate.fromPem reads its options once", () => {
  const expiry = Date.parse(new X509Certificate(PEM).validTo);

  it("an end date past the certificate's expiry on a second read is never synthesized", () => {
    const good = inDays(30);
    const late = new Date(expiry + 365 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const options = twoFaced({ maxValidityDays: 100_000 }, "endDate", good, late);
    const cert = ClientCertificate.fromPem(PEM, options as never);
    const { json } = clientWith(cert);
    const [resource] = resourcesOf(json, "azuread_application_certificate");
    expect(resource.end_date).toBe(good);
    expect(cert.describe().endDate).toBe(good);
  });

  it("a Date changed after the factory call changes nothing", () => {
    const endDate = new Date(inDays(30));
    const cert = ClientCertificate.fromPem(PEM, { endDate });
    const first = cert.endDate;
    endDate.setTime(expiry + 365 * 86_400_000);
    expect(cert.endDate).toBe(first);
  });

  it("reports a throwing getter as a MachineClientsError naming the option", () => {
    readError(
      () => ClientCertificate.fromPem(PEM, throwing({}, "endDate") as never),
      "ClientCertificate.fromPem",
      "options.endDate",
    );
  });
});

describe("secret deliveries read their options once", () => {
  it("a key vault secret name answering a good name then a bad one synthesizes the good one", () => {
    const options = twoFaced(
      { keyVaultId: KEY_VAULT },
      "secretName",
      "billing-secret",
      "bad name!",
    );
    const { json } = clientWith(
      ClientSecret.rotating({ delivery: AzurermDelivery.keyVault(options as never) }),
    );
    const [secret] = resourcesOf(json, "azurerm_key_vault_secret");
    expect(secret.name).toBe("billing-secret");
  });

  it("key vault tags are copied once and checked", () => {
    const tags = { owner: "billing" };
    const delivery = AzurermDelivery.keyVault({ keyVaultId: KEY_VAULT, secretName: "s", tags });
    tags.owner = "mallory";
    const { json } = clientWith(ClientSecret.rotating({ delivery }));
    expect(resourcesOf(json, "azurerm_key_vault_secret")[0].tags).toEqual({ owner: "billing" });
    const bad = AzurermDelivery.keyVault({
      keyVaultId: KEY_VAULT,
      secretName: "s",
      tags: { owner: 1 as unknown as string },
    });
    const e = errorOf(() => clientWith(ClientSecret.rotating({ delivery: bad })));
    expect((e as MachineClientsError).code).toBe("KEY_VAULT_TAGS_INVALID");
  });

  it("reports a throwing getter as a MachineClientsError naming the option", () => {
    readError(
      () => AzurermDelivery.keyVault(throwing({ keyVaultId: KEY_VAULT }, "secretName") as never),
      "SecretDelivery.keyVault",
      "options.secretName",
    );
    readError(
      () => SecretDelivery.output(throwing({}, "outputName")),
      "SecretDelivery.output",
      "options.outputName",
    );
  });
});

describe("MachineClient reads its props once", () => {
  function setup() {
    const stack = providerStack();
    const api = ordersApi(stack);
    return { stack, api };
  }

  it("reads each prop at most once", () => {
    const { stack, api } = setup();
    const { proxy, reads } = counting({
      displayName: "client",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
      owners: [OWNER],
      preventDestroy: true,
    });
    new MachineClient(stack, "Client", proxy);
    synth(stack);
    expect(readTwice(reads)).toEqual([]);
  });

  it("a display name answering a good name then an empty one synthesizes the good one", () => {
    const { stack, api } = setup();
    const props = twoFaced(
      { access: [api.grant("orders.read")], credential: ClientSecret.rotating() },
      "displayName",
      "client",
      "",
    );
    const client = new MachineClient(stack, "Client", props as never);
    expect(client.displayName).toBe("client");
    const app = resourcesOf(synth(stack), "azuread_application").find(
      (a) => a.display_name === "client",
    );
    expect(app).toBeDefined();
  });

  it("owners answering an object id then a name synthesizes the checked owner", () => {
    const { stack, api } = setup();
    const props = twoFaced(
      {
        displayName: "client",
        access: [api.grant("orders.read")],
        credential: ClientSecret.rotating(),
      },
      "owners",
      [OWNER],
      ["mallory@contoso.example"],
    );
    new MachineClient(stack, "Client", props as never);
    const app = resourcesOf(synth(stack), "azuread_application").find(
      (a) => a.display_name === "client",
    )!;
    expect(app.owners).toEqual([OWNER]);
  });

  it("an owners array changed after construction changes nothing", () => {
    const { stack, api } = setup();
    const owners = [OWNER];
    const client = new MachineClient(stack, "Client", {
      displayName: "client",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
      owners,
    });
    owners.push("mallory");
    expect(client.toModel().owners).toEqual([OWNER]);
  });

  it("an access array whose iterator hides an element cannot smuggle it past the checks", () => {
    const { stack, api } = setup();
    const read = api.grant("orders.read");
    const forged = { api, scope: "offline_access", roleId: OWNER, privileged: false };
    const access = [read, forged];
    Object.defineProperty(access, Symbol.iterator, {
      value: function* () {
        yield read;
      },
    });
    const e = errorOf(
      () =>
        new MachineClient(stack, "Client", {
          displayName: "client",
          access: access as never,
          credential: ClientSecret.rotating(),
        }),
    ) as MachineClientsError;
    expect(e.code).toBe("ACCESS_NOT_A_GRANT");
    expect(stack.node.tryFindChild("Client")).toBeUndefined();
  });

  it("an access Proxy whose length grows between reads is read once, by index", () => {
    const { stack, api } = setup();
    const read = api.grant("orders.read");
    let lengthReads = 0;
    const access = new Proxy([read, api.grant("orders.admin", { justification: JUSTIFICATION })], {
      get(t, key, receiver) {
        if (key === "length") return lengthReads++ === 0 ? 1 : 2;
        return Reflect.get(t, key, receiver);
      },
    });
    const client = new MachineClient(stack, "Client", {
      displayName: "client",
      access,
      credential: ClientSecret.rotating(),
    });
    expect(lengthReads).toBe(1);
    expect(client.grants.map((g) => g.scope)).toEqual(["orders.read"]);
    expect(resourcesOf(synth(stack), "azuread_app_role_assignment")).toHaveLength(1);
  });

  it("keeps its own frozen copies of the grants and credentials", () => {
    const { stack, api } = setup();
    const client = new MachineClient(stack, "Client", {
      displayName: "client",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    expect(Object.isFrozen(client.grants)).toBe(true);
    expect(Object.isFrozen(client.credentials)).toBe(true);
  });

  it.each([
    ["displayName", "props.displayName"],
    ["access", "props.access"],
    ["credential", "props.credential"],
    ["owners", "props.owners"],
  ])(
    "reports a throwing %s getter as a MachineClientsError naming the path and property, leaving nothing",
    (key, property) => {
      const { stack, api } = setup();
      const before = stack.node.findAll().length;
      const props = throwing(
        {
          displayName: "client",
          access: [api.grant("orders.read")],
          credential: ClientSecret.rotating(),
        },
        key,
      );
      readError(() => new MachineClient(stack, "Client", props as never), "test/Client", property);
      expect(stack.node.findAll().length).toBe(before);
    },
  );

  it("refuses a Proxy in access whose traps throw, as a MachineClientsError naming access", () => {
    const { stack, api } = setup();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new TypeError("getter exploded");
        },
        getPrototypeOf() {
          throw new TypeError("getter exploded");
        },
      },
    );
    const before = stack.node.findAll().length;
    const e = errorOf(
      () =>
        new MachineClient(stack, "Client", {
          displayName: "client",
          access: [api.grant("orders.read"), hostile as never],
          credential: ClientSecret.rotating(),
        }),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expect((e as MachineClientsError).code).toBe("ACCESS_NOT_A_GRANT");
    expect(e.message).toContain("test/Client");
    expect(stack.node.findAll().length).toBe(before);
  });
});

describe("ProtectedApi and ExistingApi read their props once", () => {
  it("ProtectedApi reads each prop at most once", () => {
    const stack = providerStack();
    const { proxy, reads } = counting({
      displayName: "orders-api",
      vocabulary: ordersVocabulary,
      owners: [OWNER],
      preventDestroy: true,
      roleReplicationDelaySeconds: 30,
    });
    new ProtectedApi(stack, "Api", proxy);
    synth(stack);
    expect(readTwice(reads)).toEqual([]);
  });

  it("a ProtectedApi display name answering a name then 300 characters synthesizes the name", () => {
    const stack = providerStack();
    const props = twoFaced(
      { vocabulary: ordersVocabulary },
      "displayName",
      "orders-api",
      "x".repeat(300),
    );
    const api = new ProtectedApi(stack, "Api", props as never);
    expect(api.displayName).toBe("orders-api");
    const names = resourcesOf(synth(stack), "azuread_application").map((a) => a.display_name);
    expect(names).toEqual(["orders-api"]);
  });

  it("ExistingApi keeps the client id it checked", () => {
    const stack = providerStack();
    const props = twoFaced(
      { identifierUri: "api://payments.contoso.example", vocabulary: paymentsVocabulary },
      "clientId",
      "11111111-2222-4333-8444-555555555555",
      "not-a-client-id",
    );
    const api = ExistingApi.fromClientId(stack, "Payments", props as never);
    expect(api.clientId).toBe("11111111-2222-4333-8444-555555555555");
  });

  it("reports throwing getters as MachineClientsErrors naming the path and property", () => {
    const stack = providerStack();
    readError(
      () =>
        new ProtectedApi(
          stack,
          "Api",
          throwing({ displayName: "orders-api", vocabulary: ordersVocabulary }, "owners") as never,
        ),
      "test/Api",
      "props.owners",
    );
    readError(
      () =>
        ExistingApi.fromClientId(
          stack,
          "Payments",
          throwing({ identifierUri: "api://payments.contoso.example" }, "clientId") as never,
        ),
      "test/Payments",
      "props.clientId",
    );
    expect(stack.node.tryFindChild("Api")).toBeUndefined();
    expect(stack.node.tryFindChild("Payments")).toBeUndefined();
  });
});

describe("vocabulary definitions are read once", () => {
  it("a delegated scope id answering a UUID then another value keeps the UUID", () => {
    const id = "0d3c1f5e-7a2b-4c8d-9e6f-1a2b3c4d5e6f";
    const definition = twoFaced(
      { adminConsentDisplayName: "Read stock", adminConsentDescription: "Reads stock levels" },
      "id",
      id,
      "not-a-uuid",
    );
    const vocabulary = DelegatedVocabulary.define({ "stock.read.user": definition } as never);
    expect(vocabulary.scopes[0].id).toBe(id);
  });

  it("reports a throwing definition getter as a MachineClientsError naming the scope", () => {
    readError(
      () => ScopeVocabulary.define(throwing({}, "orders.read") as never),
      'ScopeVocabulary.define › "orders.read"',
      "the definition",
    );
    readError(
      () =>
        DelegatedVocabulary.define({
          "stock.read.user": throwing(
            { adminConsentDisplayName: "Read" },
            "adminConsentDescription",
          ),
        } as never),
      "DelegatedVocabulary.define",
      "definition.adminConsentDescription",
    );
  });
});

describe("config files and the org policy read their options once", () => {
  const YAML =
    "clients:\n  - name: job\n    access:\n      - api: orders\n        scope: orders.read\n    credential:\n      type: secret\n";

  it("MachineClients.fromText reads each option at most once", () => {
    const stack = providerStack();
    const { proxy, reads } = counting({ apis: configApis(stack), id: "jobs" });
    const group = MachineClients.fromText(stack, "jobs.yaml", YAML, proxy);
    expect(group.node.id).toBe("jobs");
    expect(readTwice(reads)).toEqual([]);
  });

  it("an id answering a good id then a taken one is the id used", () => {
    const stack = providerStack();
    const options = twoFaced({ apis: configApis(stack) }, "id", "jobs", "OrdersApi");
    const group = MachineClients.fromText(stack, "jobs.yaml", YAML, options as never);
    expect(group.node.id).toBe("jobs");
  });

  it("reports a throwing getter as a MachineClientsError", () => {
    const stack = providerStack();
    readError(
      () => MachineClients.fromText(stack, "jobs.yaml", YAML, throwing({}, "apis") as never),
      "MachineClients.fromFile",
      "options.apis",
    );
  });

  it("OrgPolicy.apply reports a throwing getter as a MachineClientsError", () => {
    const stack = providerStack();
    readError(
      () => OrgPolicy.of(stack).apply(throwing({}, "maxGrantsPerClient") as never),
      "OrgPolicy.of(test).apply",
      "maxGrantsPerClient",
    );
  });

  it("Suppressions.add reports a throwing reason getter as a MachineClientsError", () => {
    const stack = providerStack();
    readError(
      () => Suppressions.add(stack, [throwing({ id: "MC-MAX-GRANTS" }, "reason") as never]),
      "suppressions[0]",
      "the suppression",
    );
  });

  it("OrgPolicy.apply copies a Date option", () => {
    const stack = providerStack();
    const now = new Date("2030-01-01T00:00:00Z");
    OrgPolicy.of(stack).apply({ now });
    now.setTime(0);
    const api = ordersApi(stack);
    const client = new MachineClient(stack, "Client", {
      displayName: "client",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    expect(OrgPolicy.effectiveFor(client)?.now?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
  });
});

describe("createTokenVerifier reads its options once", () => {
  const base = {
    tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    audience: "11111111-2222-4333-8444-555555555555",
    vocabulary: ordersVocabulary,
  };

  it("reads each option at most once", () => {
    const { proxy, reads } = counting({ ...base, clockSkewSeconds: 30 });
    createTokenVerifier(proxy);
    expect(readTwice(reads)).toEqual([]);
  });

  it("reports a throwing getter as a MachineClientsError", () => {
    readError(
      () => createTokenVerifier(throwing(base, "audience")),
      "createTokenVerifier",
      "options",
    );
  });
});

describe("read-once properties", () => {
  // Any values, valid or not: whatever the factory decides, no option is read twice.
  const anyValue = fc.oneof(
    fc.integer({ min: -10, max: 400 }),
    fc.string({ maxLength: 12 }),
    fc.constant(undefined),
    fc.constant(null),
    fc.boolean(),
  );

  it("ClientSecret.rotating and its validation read each option at most once", () => {
    fc.assert(
      fc.property(
        fc.record({ rotationDays: anyValue, validityDays: anyValue, scheduleKey: anyValue }),
        (options) => {
          const { proxy, reads } = counting(options);
          try {
            ClientSecret.rotating(proxy as never).validate("test/Client");
          } catch (e) {
            expect(e).toBeInstanceOf(MachineClientsError);
          }
          expect(readTwice(reads)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("FederatedCredential.custom and its validation read each option at most once", () => {
    fc.assert(
      fc.property(
        fc.record({
          issuer: fc.oneof(anyValue, fc.constant("https://issuer.contoso.example")),
          subject: anyValue,
          audiences: fc.oneof(fc.constant(undefined), fc.array(anyValue, { maxLength: 2 })),
        }),
        (options) => {
          const { proxy, reads } = counting(options);
          try {
            FederatedCredential.custom(proxy as never).validate("test/Client");
          } catch (e) {
            expect(e).toBeInstanceOf(MachineClientsError);
          }
          expect(readTwice(reads)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a getter's later answers never reach the synthesized secret", () => {
    fc.assert(
      fc.property(fc.integer({ min: 91, max: 100_000 }), (later) => {
        const secret = ClientSecret.rotating(twoFaced({}, "validityDays", 60, later));
        secret.validate("test/Client");
        expect(secret.validityDays).toBe(60);
        expect(secret.describe().validityDays).toBe(60);
      }),
      { numRuns: 50 },
    );
  });
});
