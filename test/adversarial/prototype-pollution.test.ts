import { Testing } from "cdktf";
import {
  ClientSecret,
  FederatedCredential,
  MachineClient,
  MachineClientsError,
  MicrosoftGraph,
} from "../../src";
import { JUSTIFICATION, ordersApi, providerStack } from "../constructs/fixtures";
import { errorOf, TfJson } from "../util";

// A vulnerable dependency that merges untrusted JSON can set properties on Object.prototype.
// Every plain options object then "has" them. The library reads the options you pass as their
// own properties (and your classes' getters): a polluted prototype cannot supply an option that
// nobody passed, such as a justification, `preventDestroy: false` or extra owners.

const POLLUTED = Object.prototype as unknown as Record<string, unknown>;

function withPollution<T>(values: Record<string, unknown>, fn: () => T): T {
  for (const [k, v] of Object.entries(values)) POLLUTED[k] = v;
  try {
    return fn();
  } finally {
    for (const k of Object.keys(values)) delete POLLUTED[k];
  }
}

const REASON = "because the prototype says so, which is long enough";

function resourcesOf(stack: ReturnType<typeof providerStack>, type: string): TfJson[] {
  return Object.values<TfJson>(JSON.parse(Testing.synth(stack)).resource[type] ?? {});
}

describe("a polluted Object.prototype", () => {
  it("does not justify a privileged grant that was given no justification", () => {
    const api = ordersApi(providerStack());
    const e = withPollution({ justification: REASON }, () =>
      errorOf(() =>
        (api as unknown as { grant(s: string, o: object): unknown }).grant("orders.admin", {}),
      ),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expect((e as MachineClientsError).code).toBe("PRIVILEGED_JUSTIFICATION");
    expect(e.message).toContain("orders.admin");
  });

  it("does not justify a tier-0 Microsoft Graph grant", () => {
    const e = withPollution({ justification: REASON }, () =>
      errorOf(() =>
        (MicrosoftGraph as unknown as { grant(p: string, o: object): unknown }).grant(
          "Application.ReadWrite.All",
          {},
        ),
      ),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.message).toContain("Application.ReadWrite.All");
  });

  it("still reads a justification passed as an own property", () => {
    const api = ordersApi(providerStack());
    const grant = withPollution({ justification: REASON }, () =>
      api.grant("orders.admin", { justification: JUSTIFICATION }),
    );
    expect(grant.justification).toBe(JUSTIFICATION);
  });

  it("does not turn off prevent_destroy nor add owners to a client", () => {
    const stack = providerStack();
    const api = ordersApi(stack);
    withPollution(
      { preventDestroy: false, owners: ["11111111-2222-3333-4444-555555555555"] },
      () =>
        new MachineClient(stack, "Client", {
          displayName: "client",
          access: [api.grant("orders.read")],
          credential: ClientSecret.rotating(),
        }),
    );
    const client = resourcesOf(stack, "azuread_application").find(
      (a) => a.display_name === "client",
    )!;
    expect(client.lifecycle.prevent_destroy).toBe(true);
    expect(client.owners).toEqual([
      expect.stringMatching(/^\$\{data\.azuread_client_config\.\w+\.object_id\}$/),
    ]);
  });

  it("does not change a secret's rotation or validity", () => {
    const stack = providerStack();
    const api = ordersApi(stack);
    const secret = withPollution({ rotationDays: 45, validityDays: 90 }, () =>
      ClientSecret.rotating(),
    );
    expect([secret.rotationDays, secret.validityDays]).toEqual([30, 60]);
    new MachineClient(stack, "Client", {
      displayName: "client",
      access: [api.grant("orders.read")],
      credential: secret,
    });
    const passwords = resourcesOf(stack, "azuread_application_password");
    expect(passwords.map((p) => p.end_date)).toEqual([
      '${timeadd(plantimestamp(), "1440h")}',
      '${timeadd(plantimestamp(), "1440h")}',
    ]);
  });

  it("does not widen a federated credential's audiences", () => {
    const credential = withPollution({ audiences: ["*"] }, () =>
      FederatedCredential.githubActions({
        organization: "contoso",
        repository: "billing",
        ref: "refs/heads/main",
      }),
    );
    expect(credential.describe().audiences).toEqual(["api://AzureADTokenExchange"]);
  });

  it("leaves options of a class with getters working", () => {
    class Options {
      get rotationDays(): number {
        return 20;
      }
      get validityDays(): number {
        return 45;
      }
    }
    const secret = ClientSecret.rotating(new Options());
    expect([secret.rotationDays, secret.validityDays]).toEqual([20, 45]);
  });
});
