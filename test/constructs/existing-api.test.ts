import { TerraformStack, Testing } from "cdktf";
import {
  ClientSecret,
  ExistingApi,
  MachineClient,
  MachineClientsError,
  ScopeVocabulary,
} from "../../src";
import { dataOf, errorOf, newStack, resourcesOf, synth } from "../util";

const CLIENT_ID = "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c";
const READ_ID = "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00";
const REFUND_ID = "2c7d4b7f-9a54-4c3b-8f1a-2c4e6d8f0a11";
const vocabulary = () =>
  ScopeVocabulary.define({
    "payments.read": { description: "Read payments", id: READ_ID },
    "payments.refund": { description: "Refund payments", id: REFUND_ID, privileged: true },
  });
const props = () => ({
  clientId: CLIENT_ID,
  identifierUri: "api://contoso.example/payments",
  vocabulary: vocabulary(),
});
const credential = () => ClientSecret.rotating({ rotationDays: 20, validityDays: 60 });
const JUSTIFIED = { justification: "refunds orders cancelled by the support desk" };

describe("ExistingApi.fromClientId", () => {
  it("looks the API's service principal up by client id", () => {
    const stack = newStack();
    const api = ExistingApi.fromClientId(stack, "Payments", props());
    expect(api.clientId).toBe(CLIENT_ID);
    expect(api.apiKey).toBe("api://contoso.example/payments");
    expect(api.defaultScope).toBe("api://contoso.example/payments/.default");
    expect(dataOf(synth(stack), "azuread_service_principal")).toEqual([{ client_id: CLIENT_ID }]);
  });

  it("rejects a vocabulary entry without an id, naming the scope", () => {
    const stack = newStack();
    const e = errorOf(() =>
      ExistingApi.fromClientId(stack, "Payments", {
        ...props(),
        vocabulary: ScopeVocabulary.define({
          "payments.read": { description: "Read payments", id: READ_ID },
          "payments.write": { description: "Write payments" },
        }),
      }),
    ) as MachineClientsError;
    expect(e.code).toBe("ROLE_ID_REQUIRED");
    expect(e.message).toContain('test/Payments › "payments.write"');
    expect(e.message).toContain('"payments.write" declares no id');
    expect(e.message).toContain('Add id: "<app role id>" to "payments.write"');
    expect(stack.node.tryFindChild("Payments")).toBeUndefined();
  });

  it("rejects a client id that is not a UUID", () => {
    const e = errorOf(() =>
      ExistingApi.fromClientId(newStack(), "Payments", { ...props(), clientId: "payments-api" }),
    ) as MachineClientsError;
    expect(e.code).toBe("CLIENT_ID_INVALID");
    expect(e.message).toContain('(got "payments-api")');
  });

  it("rejects an invalid identifier URI", () => {
    const e = errorOf(() =>
      ExistingApi.fromClientId(newStack(), "Payments", {
        ...props(),
        identifierUri: "api://contoso.example/payments/",
      }),
    ) as MachineClientsError;
    expect(e.code).toBe("IDENTIFIER_URI_INVALID");
  });

  it("rejects a vocabulary not made by ScopeVocabulary.define", () => {
    const e = errorOf(() =>
      ExistingApi.fromClientId(newStack(), "Payments", {
        ...props(),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        vocabulary: { "payments.read": { description: "x", id: READ_ID } } as any,
      }),
    ) as MachineClientsError;
    expect(e.code).toBe("VOCABULARY_INVALID");
  });

  it("rejects missing props", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const e = errorOf(() => ExistingApi.fromClientId(newStack(), "Payments", undefined as any));
    expect((e as MachineClientsError).code).toBe("PROPS_MISSING");
  });
});

describe("ExistingApi grants", () => {
  it("grant with the adopted role id and a plan-time check of it", () => {
    const stack = newStack();
    const api = ExistingApi.fromClientId(stack, "Payments", props());
    new MachineClient(stack, "Reconciler", {
      displayName: "reconciler",
      access: [api.grant("payments.read"), api.grant("payments.refund", JUSTIFIED)],
      credential: credential(),
    });
    const json = synth(stack);
    const spRef = Object.keys(json.data.azuread_service_principal)[0];
    const assignments = resourcesOf(json, "azuread_app_role_assignment");
    expect(assignments.map((a) => a.app_role_id).sort()).toEqual([READ_ID, REFUND_ID].sort());
    const read = assignments.find((a) => a.app_role_id === READ_ID)!;
    expect(read.resource_object_id).toBe(`\${data.azuread_service_principal.${spRef}.object_id}`);
    expect(read.lifecycle.precondition).toEqual([
      {
        condition: `\${(lower(lookup(data.azuread_service_principal.${spRef}.app_role_ids, "payments.read", "none")) == "${READ_ID}")}`,
        error_message: expect.stringContaining(
          `The API api://contoso.example/payments (client id ${CLIENT_ID}) has no app role "payments.read" with id ${READ_ID}`,
        ),
      },
    ]);
    const [app] = resourcesOf(json, "azuread_application");
    expect(app.required_resource_access).toEqual([
      {
        resource_app_id: CLIENT_ID,
        resource_access: [
          { id: READ_ID, type: "Role" },
          { id: REFUND_ID, type: "Role" },
        ],
      },
    ]);
  });

  it("looks the service principal up in the client's stack when the client is elsewhere", () => {
    const app = Testing.app();
    const shared = new TerraformStack(app, "shared");
    const api = ExistingApi.fromClientId(shared, "Payments", props());
    const other = new TerraformStack(app, "other");
    new MachineClient(other, "Reconciler", {
      displayName: "reconciler",
      access: [api.grant("payments.read")],
      credential: credential(),
    });
    const json = JSON.parse(Testing.synth(other));
    expect(dataOf(json, "azuread_service_principal")).toEqual([{ client_id: CLIENT_ID }]);
    const [assignment] = resourcesOf(json, "azuread_app_role_assignment");
    expect(assignment.resource_object_id).toBe(
      `\${data.azuread_service_principal.ExistingApiServicePrincipal-${CLIENT_ID}.object_id}`,
    );
  });

  it("records privileged grants with their justification", () => {
    const api = ExistingApi.fromClientId(newStack(), "Payments", props());
    expect(api.grant("payments.refund", JUSTIFIED).toModel()).toEqual({
      api: "api://contoso.example/payments",
      identifierUri: "api://contoso.example/payments",
      scope: "payments.refund",
      roleId: REFUND_ID,
      privileged: true,
      justification: JUSTIFIED.justification,
    });
  });

  it("rejects a scope outside the vocabulary", () => {
    const api = ExistingApi.fromClientId(newStack(), "Payments", props());
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const e = errorOf(() => (api as any).grant("payments.write")) as MachineClientsError;
    expect(e.code).toBe("SCOPE_NOT_IN_VOCABULARY");
    expect(e.message).toContain("test/Payments.grant");
  });

  it("rejects a privileged scope without a justification", () => {
    const api = ExistingApi.fromClientId(newStack(), "Payments", props());
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const e = errorOf(() => (api as any).grant("payments.refund")) as MachineClientsError;
    // The same rule and wording as ProtectedApi.grant: both read a ScopeVocabulary.
    expect(e.code).toBe("PRIVILEGED_JUSTIFICATION");
    expect(e.message).toBe(
      'test/Payments.grant: "payments.refund" is privileged and can only be granted with a justification (got undefined). Say why the client needs it in 20 characters or more, e.g. { justification: "nightly reconciliation repairs orders (TICKET-123)" }.',
    );
  });

  it("rejects a justification under 20 characters", () => {
    const api = ExistingApi.fromClientId(newStack(), "Payments", props());
    const e = errorOf(() =>
      api.grant("payments.refund", { justification: "refunds" }),
    ) as MachineClientsError;
    expect(e.code).toBe("PRIVILEGED_JUSTIFICATION");
    expect(e.message).toContain(
      'the justification for privileged "payments.refund" has 7 visible characters; at least 20 are required',
    );
  });
});
