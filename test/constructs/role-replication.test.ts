import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import {
  ClientSecret,
  DEFAULT_ROLE_REPLICATION_DELAY_SECONDS,
  MachineClient,
  MachineClientsError,
  ProtectedApi,
  ProtectedApiProps,
  ScopeDefinitions,
  ScopeGrant,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { providerStack } from "./fixtures";
import { errorOf, newStack, resourcesOf, synth, TfJson } from "../util";

/** An API whose vocabulary is built at run time (so typed as any vocabulary). */
function api(
  stack: TerraformStack,
  defs: ScopeDefinitions,
  extra: Partial<ProtectedApiProps> = {},
): ProtectedApi {
  return new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: ScopeVocabulary.define(defs as never) as unknown as ScopeVocabulary,
    ...extra,
  });
}

const sleepOf = (json: TfJson) => {
  const sleeps = Object.entries(json.resource?.time_sleep ?? {});
  expect(sleeps.length).toBeLessThanOrEqual(1);
  return sleeps[0] as [string, TfJson] | undefined;
};

describe("waiting for Entra to replicate new app roles", () => {
  it("synthesizes a time_sleep after the API, triggered by the enabled role ids", () => {
    const stack = newStack();
    const a = api(stack, {
      "orders.write": { description: "w" },
      "orders.read": { description: "r" },
      "orders.old": { description: "o", retired: true },
    });
    const [, sleep] = sleepOf(synth(stack))!;
    expect(sleep.create_duration).toBe(`${DEFAULT_ROLE_REPLICATION_DELAY_SECONDS}s`);
    expect(DEFAULT_ROLE_REPLICATION_DELAY_SECONDS).toBe(60);
    expect(sleep.triggers).toEqual({
      enabled_app_role_ids: [deriveRoleId("orders.read"), deriveRoleId("orders.write")]
        .sort()
        .join(","),
    });
    expect(sleep.depends_on).toEqual([
      `azuread_application.${a.application.friendlyUniqueId}`,
      `azuread_service_principal.${a.servicePrincipal.friendlyUniqueId}`,
    ]);
  });

  it("orders every assignment of the API in its stack after the wait", () => {
    const stack = newStack();
    const a = api(stack, { "orders.read": { description: "r" } });
    new MachineClient(stack, "C", {
      displayName: "c",
      access: [a.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    const [assignment] = resourcesOf(synth(stack), "azuread_app_role_assignment");
    expect(assignment.depends_on).toEqual([`time_sleep.${a.roleReplication!.friendlyUniqueId}`]);
  });

  it("leaves assignments in other stacks to the stack order (the API's stack applies first)", () => {
    const app = Testing.app();
    const apiStack = providerStack(app, "api");
    const a = api(apiStack, { "orders.read": { description: "r" } });
    const clients = providerStack(app, "clients");
    new MachineClient(clients, "C", {
      displayName: "c",
      access: [a.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    app.synth();
    const json = JSON.parse(
      readFileSync(join(app.outdir, "stacks", "clients", "cdk.tf.json"), "utf8"),
    );
    const [assignment] = resourcesOf(json, "azuread_app_role_assignment");
    expect(assignment.depends_on).toBeUndefined();
    // The client's stack reads the API's service principal from the API's stack, so cdktf
    // deploys the API's stack — its wait included — first.
    expect(assignment.resource_object_id).toContain("data.terraform_remote_state.cross-stack");
    expect(clients.dependencies).toContain(apiStack);
  });

  it("keeps the same triggers for case, description and display name changes", () => {
    const triggers = (defs: ScopeDefinitions) => {
      const stack = newStack();
      api(stack, defs);
      return sleepOf(synth(stack))![1].triggers;
    };
    const before = triggers({ "orders.read": { description: "Read orders" } });
    expect(
      triggers({ "Orders.Read": { description: "Read all orders", displayName: "Read" } }),
    ).toEqual(before);
    // A new role, or the new name of a rename, waits again.
    expect(
      triggers({ "orders.read": { description: "r" }, "orders.write": { description: "w" } }),
    ).not.toEqual(before);
    expect(
      triggers({ "orders.view": { description: "r", renamedFrom: "orders.read" } }),
    ).not.toEqual(before);
  });

  it("turns off with roleReplicationDelaySeconds: 0", () => {
    const stack = newStack();
    const a = api(
      stack,
      { "orders.read": { description: "r" } },
      { roleReplicationDelaySeconds: 0 },
    );
    new MachineClient(stack, "C", {
      displayName: "c",
      access: [a.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    const json = synth(stack);
    expect(a.roleReplication).toBeUndefined();
    expect(json.resource.time_sleep).toBeUndefined();
    expect(resourcesOf(json, "azuread_app_role_assignment")[0].depends_on).toBeUndefined();
  });

  it.each([-1, 1.5, 3601, "60"])(
    "rejects roleReplicationDelaySeconds %p, creating nothing",
    (v) => {
      const stack = newStack();
      const e = errorOf(() =>
        api(
          stack,
          { "orders.read": { description: "r" } },
          {
            roleReplicationDelaySeconds: v as number,
          },
        ),
      ) as MachineClientsError;
      expect(e.code).toBe("ROLE_REPLICATION_DELAY_INVALID");
      expect(e.message).toMatch(
        /^test\/OrdersApi: roleReplicationDelaySeconds must be a whole number of seconds from 0 to 3600 \(got .*\)\. Leave it out \(60\), or set 0 to turn the wait off\.$/,
      );
      expect(stack.node.children).toHaveLength(0);
    },
  );

  it("reads roleReplicationDelaySeconds once: a getter cannot slip an invalid value past the check", () => {
    let reads = 0;
    const props = {
      displayName: "orders-api",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define({ "orders.read": { description: "r" } }),
      get roleReplicationDelaySeconds() {
        return reads++ === 0 ? 30 : -5;
      },
    };
    const a = new ProtectedApi(newStack(), "OrdersApi", props);
    expect(reads).toBe(1);
    expect(a.roleReplication!.createDurationInput).toBe("30s");
  });

  it("rejects at synth a stack without the time provider, naming the way out", () => {
    const stack = newStack();
    new AzureadProvider(stack, "azuread", {});
    api(stack, { "orders.read": { description: "r" } });
    expect(() => Testing.synth(stack, true)).toThrow(
      "test/OrdersApi: the API waits for Entra to replicate new app roles before assigning them (a time_sleep), so the stack must declare the time provider.",
    );
  });

  it("names each need of the time provider once: the API's wait and a client's rotation", () => {
    const stack = newStack();
    new AzureadProvider(stack, "azuread", {});
    const a = api(stack, { "orders.read": { description: "r" } });
    const grant = (s: string) => (a as unknown as { grant(s: string): ScopeGrant }).grant(s);
    for (const id of ["Billing", "Reporting"]) {
      new MachineClient(stack, id, {
        displayName: id.toLowerCase(),
        access: [grant("orders.read")],
        credential: ClientSecret.rotating(),
      });
    }
    const message = errorOf(() => Testing.synth(stack, true)).message;
    expect(message.match(/must declare the time provider/g)).toHaveLength(2);
    expect(message).toContain("test/OrdersApi: the API waits for Entra to replicate");
    expect(message).toContain("test/Billing › ClientSecret.rotating: the two-slot schedule");
    expect(message).not.toContain("test/Reporting");
  });

  it("passes the check with the time provider, or without the wait", () => {
    const withProvider = providerStack();
    api(withProvider, { "orders.read": { description: "r" } });
    expect(() => Testing.synth(withProvider, true)).not.toThrow();
    const without = newStack();
    new AzureadProvider(without, "azuread", {});
    api(without, { "orders.read": { description: "r" } }, { roleReplicationDelaySeconds: 0 });
    expect(() => Testing.synth(without, true)).not.toThrow();
  });
});
