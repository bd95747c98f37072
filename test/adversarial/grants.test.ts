import fc from "fast-check";
import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import {
  ClientCertificate,
  ClientCredential,
  ClientSecret,
  DELEGATED_SCOPES,
  DelegatedScopeGrant,
  ExistingApi,
  FederatedCredential,
  IApi,
  MachineClient,
  MachineClients,
  MachineClientsError,
  MicrosoftGraph,
  ProtectedApi,
  ScopeGrant,
  ScopeVocabulary,
} from "../../src";
import { rolesAssignedBy } from "../../src/constructs/grant";
import { ordersApi, ordersVocabulary, providerStack } from "../constructs/fixtures";
import { constructPaths, errorOf, newStack, resourcesOf, synth } from "../util";

// Attacks on sealed grants and credentials (issue 10, item 1): only the library mints them, and a
// client re-derives what it synthesizes from the vocabulary (or Graph's table), never from the
// fields of what it is handed. Each attack must fail with a MachineClientsError and leave nothing
// in the construct tree or in the synthesized JSON.

const UUID = "9d7e4a52-1b3c-4d5e-8f60-718293a4b5c6";
/** Microsoft Graph's delegated User.Read (oauth2PermissionScope id). */
const GRAPH_USER_READ_SCOPE_ID = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";
/** What older versions trusted as a grant's brand. */
const OLD_GRANT_BRAND = Symbol.for("cdktf-machine-clients.ScopeGrant");
const OLD_CREDENTIAL_BRAND = Symbol.for("cdktf-machine-clients.ClientCredential");

/** The constructor as a JavaScript caller (or a cast) sees it. */
const Forge = ScopeGrant as unknown as new (...args: unknown[]) => ScopeGrant;

/** Builds a client in `stack` from `access` (and a real credential unless given). */
function client(stack: TerraformStack, access: unknown[], credential?: unknown): MachineClient {
  return new MachineClient(stack, "Sneaky", {
    displayName: "sneaky",
    access: access as ScopeGrant[],
    credential: (credential ?? ClientSecret.rotating()) as ClientCredential,
  });
}

/**
 * Runs the attack and checks the error (code and message) and that nothing was built: the tree
 * is unchanged, and the synthesized stack holds no new client application nor assignment.
 */
function expectRefused(
  stack: TerraformStack,
  attack: () => unknown,
  code: string,
  message: RegExp,
): MachineClientsError {
  const before = constructPaths(stack);
  const assignmentsBefore = resourcesOf(synth(stack), "azuread_app_role_assignment");
  const e = errorOf(attack);
  expect(e).toBeInstanceOf(MachineClientsError);
  expect((e as MachineClientsError).code).toBe(code);
  expect(e.message).toMatch(message);
  expect(constructPaths(stack)).toEqual(before);
  const json = synth(stack);
  expect(resourcesOf(json, "azuread_app_role_assignment")).toEqual(assignmentsBefore);
  expect(resourcesOf(json, "azuread_application").map((a) => a.display_name)).not.toContain(
    "sneaky",
  );
  return e as MachineClientsError;
}

describe("forged grants", () => {
  it("does not compile new ScopeGrant(...), and refuses it at run time", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    expectRefused(
      stack,
      () =>
        client(stack, [
          // @ts-expect-error the constructor is private: grants come from api.grant(scope)
          new ScopeGrant(api, "offline_access", UUID, false),
        ]),
      "GRANT_FORGED",
      /^new ScopeGrant: grants are made by the library only.* \(got "offline_access"\)\. Get grants from api\.grant\(scope\)/,
    );
  });

  it("refuses a forged Microsoft Graph User.Read (delegated) grant", () => {
    const stack = newStack();
    expectRefused(
      stack,
      () =>
        client(stack, [
          new Forge(MicrosoftGraph.api, "User.Read", GRAPH_USER_READ_SCOPE_ID, false),
        ]),
      "GRANT_FORGED",
      /\(got "User\.Read"\)/,
    );
  });

  it("refuses a plain object carrying the old brand and a grant's fields", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const fake = Object.defineProperty(
      { api, scope: "offline_access", roleId: UUID, privileged: false, key: "x#offline_access" },
      OLD_GRANT_BRAND,
      { value: true },
    );
    expect(ScopeGrant.isScopeGrant(fake)).toBe(false);
    expectRefused(
      stack,
      () => client(stack, [fake]),
      "ACCESS_NOT_A_GRANT",
      /^test\/Sneaky: access takes only grants made by api\.grant\(scope\); this object was not made by the library/,
    );
  });

  it("refuses Object.create(ScopeGrant.prototype) with a grant's fields", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const fake = Object.create(ScopeGrant.prototype, {
      api: { value: api },
      scope: { value: "orders.admin" },
      roleId: { value: UUID },
      privileged: { value: false },
    }) as ScopeGrant;
    expect(fake instanceof ScopeGrant).toBe(false);
    expectRefused(
      stack,
      () => client(stack, [fake]),
      "ACCESS_NOT_A_GRANT",
      /not made by the library/,
    );
  });

  it("refuses a JavaScript subclass of ScopeGrant", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    class Evil extends Forge {
      public constructor() {
        super(api, "offline_access", UUID, false);
      }
    }
    expectRefused(stack, () => client(stack, [new Evil()]), "GRANT_FORGED", /offline_access/);
  });

  it("cannot redefine a real grant's fields, and a Proxy or copy that changes them is refused", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const real = api.grant("orders.read");
    expect(() => Object.defineProperty(real, "scope", { value: "offline_access" })).toThrow(
      TypeError,
    );
    expect(() => Object.defineProperty(real, "roleId", { get: () => UUID })).toThrow(TypeError);
    expect(() => Object.setPrototypeOf(real, {})).toThrow(TypeError);
    expect(real.scope).toBe("orders.read");
    const proxied = new Proxy(real, {
      get: (t, p, r) => (p === "scope" ? "offline_access" : Reflect.get(t, p, r)),
    });
    const inherited = Object.create(real, { privileged: { value: false } }) as ScopeGrant;
    for (const fake of [proxied, inherited, { ...real }]) {
      expectRefused(
        stack,
        () => client(stack, [fake]),
        "ACCESS_NOT_A_GRANT",
        /not made by the library/,
      );
    }
  });

  it("refuses a privileged grant whose justification a Proxy hides, and re-derives privileged", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const admin = api.grant("orders.admin", { justification: "nightly repair job fixes orders" });
    const unprivileged = new Proxy(admin, {
      get: (t, p, r) => (p === "privileged" ? false : Reflect.get(t, p, r)),
    });
    expectRefused(stack, () => client(stack, [unprivileged]), "ACCESS_NOT_A_GRANT", /not made/);
  });

  it("refuses a grant made for API A passed as being on API B", () => {
    const stack = newStack();
    const a = ordersApi(stack, "A");
    const b = new ProtectedApi(stack, "B", {
      displayName: "b",
      vocabulary: ScopeVocabulary.define({ "b.read": { description: "Read b" } }),
    });
    const onA = a.grant("orders.admin", { justification: "nightly repair job fixes orders" });
    const asB = new Proxy(onA, { get: (t, p, r) => (p === "api" ? b : Reflect.get(t, p, r)) });
    expectRefused(stack, () => client(stack, [asB]), "ACCESS_NOT_A_GRANT", /not made/);
    expectRefused(
      stack,
      () => client(stack, [{ ...onA, api: b }]),
      "ACCESS_NOT_A_GRANT",
      /not made/,
    );
    // Minting on B from A's vocabulary: refused at the mint.
    expectRefused(
      stack,
      () =>
        client(stack, [
          ScopeGrant.fromVocabulary(b, ordersVocabulary, "orders.admin", {
            justification: "nightly repair job fixes orders",
          }),
        ]),
      "GRANT_VOCABULARY_MISMATCH",
      /^ScopeGrant\.fromVocabulary: the vocabulary is not the one of test\/B/,
    );
  });

  it("cannot replace the checks: statics and methods of ScopeGrant are frozen", () => {
    expect(() => {
      (ScopeGrant as unknown as { isScopeGrant: () => boolean }).isScopeGrant = () => true;
    }).toThrow(TypeError);
    expect(() => {
      (ScopeGrant.prototype as unknown as { toModel: () => unknown }).toModel = () => ({});
    }).toThrow(TypeError);
    expect(() =>
      Object.defineProperty(ScopeGrant, Symbol.hasInstance, { value: () => true }),
    ).toThrow(TypeError);
    expect(ScopeGrant.isScopeGrant({})).toBe(false);
  });

  it("refuses a transitional grant handed to onAssignment when it is put in access", () => {
    const stack = providerStack();
    const vocabulary = ScopeVocabulary.define({
      "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
    });
    const handed: ScopeGrant[] = [];
    const ext = new ExternalApi(stack, "Ext", vocabulary, (g) => handed.push(g));
    new MachineClient(stack, "Ok", {
      displayName: "ok",
      access: [ext.grant("orders.view")],
      credential: ClientSecret.rotating(),
    });
    const old = handed.find((g) => g.scope === "orders.read")!;
    expect(ScopeGrant.isScopeGrant(old)).toBe(true);
    expectRefused(
      stack,
      () => client(stack, [old]),
      "SCOPE_RENAMED",
      /^test\/Sneaky: orders\.read was renamed to orders\.view/,
    );
  });

  it("refuses a Proxy whose every trap throws with a MachineClientsError", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const hostile = new Proxy(api.grant("orders.read"), {
      get: () => {
        throw new Error("trap");
      },
      ownKeys: () => {
        throw new Error("trap");
      },
      getPrototypeOf: () => {
        throw new Error("trap");
      },
      getOwnPropertyDescriptor: () => {
        throw new Error("trap");
      },
    });
    expectRefused(stack, () => client(stack, [hostile]), "ACCESS_NOT_A_GRANT", /not made/);
  });

  it("refuses a forged delegated grant as delegated", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const forged = new DelegatedScopeGrant(api, "orders.read.user", UUID);
    expectRefused(
      stack,
      () => client(stack, [forged]),
      "ACCESS_DELEGATED_GRANT",
      /delegated scope/,
    );
  });
});

/** An API implemented outside the library (the IApi extension point). */
class ExternalApi extends Construct implements IApi {
  public readonly apiKey = "api://contoso.example/ext";
  public readonly identifierUri = "api://contoso.example/ext";
  public readonly clientId = "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c";
  public constructor(
    scope: Construct,
    id: string,
    public readonly vocabulary: ScopeVocabulary,
    private readonly hook?: (g: ScopeGrant) => void,
  ) {
    super(scope, id);
  }
  public servicePrincipalObjectIdFor(_consumer: IConstruct): string {
    return "7b1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c";
  }
  public onAssignment(_a: unknown, grant: ScopeGrant): void {
    this.hook?.(grant);
  }
  public grant(scope: string, options?: { justification?: string }): ScopeGrant {
    return ScopeGrant.fromVocabulary(this, this.vocabulary, scope, options);
  }
}

describe("the IApi extension point mints through ScopeGrant.fromVocabulary", () => {
  const payments = ScopeVocabulary.define({
    "payments.read": { description: "Read payments" },
    "payments.admin": { description: "Manage payments", privileged: true },
  });

  it("works end to end: the grant synthesizes the vocabulary's role", () => {
    const stack = newStack();
    const ext = new ExternalApi(stack, "Payments", payments);
    const g = ext.grant("payments.read");
    expect(rolesAssignedBy(g)).toEqual([
      { scope: "payments.read", roleId: payments.get("payments.read").roleId, transitional: false },
    ]);
    new MachineClient(stack, "Client", {
      displayName: "c",
      access: [g],
      credential: ClientSecret.rotating(),
    });
    const json = synth(stack);
    expect(resourcesOf(json, "azuread_app_role_assignment")).toEqual([
      expect.objectContaining({ app_role_id: payments.get("payments.read").roleId }),
    ]);
  });

  it("applies the same checks as api.grant()", () => {
    const stack = newStack();
    const ext = new ExternalApi(stack, "Payments", payments);
    expect((errorOf(() => ext.grant("offline_access")) as MachineClientsError).code).toBe(
      "DELEGATED_SCOPE",
    );
    expect((errorOf(() => ext.grant("payments.admin")) as MachineClientsError).code).toBe(
      "PRIVILEGED_JUSTIFICATION",
    );
    expect((errorOf(() => ext.grant("Payments.read")) as MachineClientsError).message).toMatch(
      /Did you mean "payments\.read"\?/,
    );
  });

  it("refuses a forged vocabulary (Object.create(ScopeVocabulary.prototype))", () => {
    const stack = newStack();
    const fake = Object.create(ScopeVocabulary.prototype) as ScopeVocabulary;
    expect(fake instanceof ScopeVocabulary).toBe(false);
    const e = errorOf(() =>
      ScopeGrant.fromVocabulary(new ExternalApi(stack, "E", payments), fake, "x"),
    );
    expect((e as MachineClientsError).code).toBe("VOCABULARY_INVALID");
    expect(e.message).toMatch(
      /^ScopeGrant\.fromVocabulary: vocabulary must be made by ScopeVocabulary\.define/,
    );
  });

  it("binds an API without a vocabulary property to the vocabulary of its first grant", () => {
    const stack = newStack();
    const bare = {
      node: stack.node,
      apiKey: "api://contoso.example/bare",
      identifierUri: "api://contoso.example/bare",
      clientId: "8f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
      servicePrincipalObjectIdFor: () => "7b1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
    } as unknown as IApi;
    ScopeGrant.fromVocabulary(bare, payments, "payments.read");
    const other = ScopeVocabulary.define({ "payments.read": { description: "d", id: UUID } });
    const e = errorOf(() => ScopeGrant.fromVocabulary(bare, other, "payments.read"));
    expect((e as MachineClientsError).code).toBe("GRANT_VOCABULARY_MISMATCH");
  });

  it("refuses to mint Microsoft Graph permissions from a vocabulary", () => {
    const stack = newStack();
    const graphLike = ScopeVocabulary.define({ "User.Read2": { description: "d", id: UUID } });
    for (const api of [
      MicrosoftGraph.api,
      Object.assign(new ExternalApi(stack, "G1", graphLike), {}) as IApi,
    ]) {
      const target =
        api === MicrosoftGraph.api
          ? api
          : new Proxy(api, {
              get: (t, p, r) =>
                p === "clientId" ? MicrosoftGraph.CLIENT_ID.toUpperCase() : Reflect.get(t, p, r),
            });
      const e = errorOf(() => ScopeGrant.fromVocabulary(target, graphLike, "User.Read2"));
      expect((e as MachineClientsError).code).toBe("GRANT_GRAPH_NOT_VOCABULARY");
      expect(e.message).toMatch(/Use MicrosoftGraph\.grant/);
    }
  });
});

describe("forged credentials", () => {
  const brandedObject = () =>
    Object.defineProperty(
      {
        kind: "secret",
        validate: () => undefined,
        describe: () => ({ kind: "secret" }),
        bind: () => ({ kind: "secret", secretValue: "hunter2" }),
      },
      OLD_CREDENTIAL_BRAND,
      { value: true },
    );

  it.each([
    ["a plain object with the old brand", brandedObject],
    ["Object.create(ClientSecret.prototype)", () => Object.create(ClientSecret.prototype)],
    [
      "a Proxy of a real secret",
      () => new Proxy(ClientSecret.rotating(), { get: (t, p, r) => Reflect.get(t, p, r) }),
    ],
    ["a spread copy of a real secret", () => ({ ...ClientSecret.rotating() })],
    [
      "a JavaScript subclass of ClientSecret",
      () => {
        const Base = ClientSecret as unknown as new () => object;
        class Mine extends Base {}
        return new Mine();
      },
    ],
  ])("refuses %s", (_name, make) => {
    const stack = newStack();
    const api = ordersApi(stack);
    const fake = make();
    expect(ClientCredential.isClientCredential(fake)).toBe(false);
    expectRefused(
      stack,
      () => client(stack, [api.grant("orders.read")], fake),
      "CREDENTIAL_INVALID",
      /^test\/Sneaky: credential must be made by a credential factory/,
    );
  });

  it("accepts every library factory, and instanceof tells the classes apart", () => {
    const secret = ClientSecret.rotating();
    const federated = FederatedCredential.githubActions({
      organization: "contoso",
      repository: "app",
      environment: "prod",
    });
    expect(ClientCredential.isClientCredential(secret)).toBe(true);
    expect(ClientCredential.isClientCredential(federated)).toBe(true);
    expect(secret instanceof ClientSecret).toBe(true);
    expect(secret instanceof FederatedCredential).toBe(false);
    expect(federated instanceof ClientCredential).toBe(true);
    expect(Object.create(ClientCertificate.prototype) instanceof ClientCertificate).toBe(false);
  });

  it("cannot replace a credential class's checks", () => {
    expect(() => {
      (ClientCredential as unknown as { isClientCredential: () => boolean }).isClientCredential =
        () => true;
    }).toThrow(TypeError);
    expect(() => {
      (ClientSecret.prototype as unknown as { validate: () => void }).validate = () => undefined;
    }).toThrow(TypeError);
  });
});

describe("the existing grant paths still work", () => {
  it("ProtectedApi, MicrosoftGraph and ExistingApi grants synthesize their roles", () => {
    const stack = providerStack();
    const api = ordersApi(stack);
    const existing = ExistingApi.fromClientId(stack, "Exchange", {
      clientId: "00000002-0000-0ff1-ce00-000000000000",
      identifierUri: "https://outlook.office365.com",
      vocabulary: ScopeVocabulary.define({
        "Exchange.ManageAsApp": {
          description: "Manage Exchange As Application",
          id: "dc50a0fb-09a3-484d-be87-e023b12c6440",
        },
      }),
    });
    new MachineClient(stack, "Ok", {
      displayName: "ok",
      access: [
        api.grant("orders.read"),
        MicrosoftGraph.grant("User.Read.All"),
        existing.grant("Exchange.ManageAsApp"),
      ],
      credential: ClientSecret.rotating(),
    });
    const ids = resourcesOf(synth(stack), "azuread_app_role_assignment").map((a) => a.app_role_id);
    expect(ids.sort()).toEqual(
      [
        ordersVocabulary.get("orders.read").roleId,
        "df021288-bdef-4463-88db-98f22de89214",
        "dc50a0fb-09a3-484d-be87-e023b12c6440",
      ].sort(),
    );
  });

  it("a config file still grants through the sealed path", () => {
    const stack = providerStack();
    const api = ordersApi(stack);
    const group = MachineClients.fromText(
      stack,
      "clients.yaml",
      "clients:\n  - name: sync\n    access: [{ api: orders, scope: orders.read }]\n    credential: { type: secret }\n",
      { apis: { orders: api } },
    );
    const c = group.clients.get("sync")!;
    expect(c.grants.every((g) => ScopeGrant.isScopeGrant(g))).toBe(true);
    expect(c.grants.map((g) => g.scope)).toEqual(["orders.read"]);
  });
});

/** Look-alikes of the ASCII letters in delegated scope names (Cyrillic, Greek, Kelvin, long s…). */
const LOOK_ALIKES: Record<string, string[]> = {
  a: ["а", "ɑ", "ａ"],
  c: ["с", "ϲ"],
  d: ["ԁ"],
  e: ["е", "ё"],
  i: ["і", "ı"],
  k: ["K", "κ"],
  l: ["ӏ", "ℓ"],
  m: ["ｍ"],
  n: ["ո"],
  o: ["о", "ο", "０"],
  p: ["р", "ρ"],
  r: ["г"],
  s: ["ѕ", "ſ"],
  t: ["т"],
  u: ["υ", "ս"],
  _: ["＿", "‗"],
};

/** A delegated scope name in any letter case, some letters swapped for look-alikes. */
const delegatedVariant = fc.constantFrom(...DELEGATED_SCOPES).chain((name) =>
  fc.array(fc.nat(), { minLength: name.length, maxLength: name.length }).map((picks) =>
    [...name]
      .map((ch, i) => {
        const alts = [ch.toLowerCase(), ch.toUpperCase(), ...(LOOK_ALIKES[ch] ?? [])];
        return alts[picks[i] % alts.length];
      })
      .join(""),
  ),
);

describe("properties: delegated scope names never get through", () => {
  it("no case variant or look-alike is accepted by define, grant() or MicrosoftGraph.grant", () => {
    const stack = newStack();
    const api = ordersApi(stack) as unknown as { grant(s: string): ScopeGrant };
    const ext = new ExternalApi(stack, "Ext", ordersVocabulary);
    const graph = MicrosoftGraph as unknown as { grant(s: string): ScopeGrant };
    fc.assert(
      fc.property(delegatedVariant, (name) => {
        for (const attempt of [
          () => ScopeVocabulary.define({ [name]: { description: "d" } } as never),
          () => api.grant(name),
          () => ext.grant(name),
          () => graph.grant(name),
          () => new Forge(api, name, UUID, false),
        ]) {
          expect(errorOf(attempt)).toBeInstanceOf(MachineClientsError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("no forged grant of a variant is synthesized, whatever its shape", () => {
    const stack = newStack();
    const api = ordersApi(stack);
    const real = api.grant("orders.read");
    fc.assert(
      fc.property(delegatedVariant, fc.integer({ min: 0, max: 2 }), (name, shape) => {
        const fake =
          shape === 0
            ? Object.defineProperty(
                { api, scope: name, roleId: UUID, privileged: false },
                OLD_GRANT_BRAND,
                {
                  value: true,
                },
              )
            : shape === 1
              ? Object.create(ScopeGrant.prototype, { api: { value: api }, scope: { value: name } })
              : new Proxy(real, {
                  get: (t, p, r) => (p === "scope" ? name : Reflect.get(t, p, r)),
                });
        const e = errorOf(() => client(stack, [fake])) as MachineClientsError;
        expect(e.code).toBe("ACCESS_NOT_A_GRANT");
        expect(stack.node.tryFindChild("Sneaky")).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
