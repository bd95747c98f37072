import { TerraformStack, Testing } from "cdktf";
import { MachineClientsError, ProtectedApi, ScopeVocabulary } from "../../src";
import { compileErrors } from "./compile";

// The @ts-expect-error lines in test/types/privileged-grant.ts prove that a privileged grant
// without a justification does not compile; this proves that the compiler's message says so
// (and not that the scope does not exist), for ProtectedApi and ExistingApi alike.
const setup = `
import { TerraformStack } from "cdktf";
import { ExistingApi, ProtectedApi, ScopeVocabulary } from "../../src";
declare const stack: TerraformStack;
const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});
const api = new ProtectedApi(stack, "Api", { displayName: "a", identifierUri: "api://x/orders", vocabulary: orders });
const payments = ExistingApi.fromClientId(stack, "Payments", {
  clientId: "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
  identifierUri: "api://contoso.example/payments",
  vocabulary: ScopeVocabulary.define({
    "payments.read": { description: "Read payments", id: "0b6c3a6e-8f43-4b2a-9e0f-1b3d5c7e9f00" },
    "payments.refund": { description: "Refund payments", id: "2c7d4b7f-9a54-4c3b-8f1a-2c4e6d8f0a11", privileged: true },
  }),
});
`;

const sources: Record<string, string> = {
  protectedNoOptions: `${setup}api.grant("orders.admin");`,
  protectedEmptyOptions: `${setup}api.grant("orders.admin", {});`,
  protectedNumber: `${setup}api.grant("orders.admin", { justification: 42 });`,
  protectedUnknown: `${setup}api.grant("orders.delete");`,
  existingNoOptions: `${setup}payments.grant("payments.refund");`,
  existingEmptyOptions: `${setup}payments.grant("payments.refund", {});`,
  valid: `${setup}
    api.grant("orders.read");
    api.grant("orders.read", { justification: "optional for ordinary scopes" });
    api.grant("orders.admin", { justification: "nightly repair job fixes stuck orders" });
    payments.grant("payments.read");
    payments.grant("payments.refund", { justification: "refunds disputed payments (OPS-12)" });
    const s: string = "orders.read";
    api.grant(s as "orders.read");`,
};

const justificationMessage = (scope: string) =>
  `"${scope}" is privileged and can only be granted with a justification. Pass { justification: "<why the client needs it, at least 20 characters>" } as the second argument.`;

let errors: Record<string, string[]>;
beforeAll(() => {
  errors = compileErrors(sources);
});

describe("compile-time messages of grant() for privileged permissions", () => {
  it("compiles justified privileged grants and ordinary grants", () => {
    expect(errors.valid).toEqual([]);
  });

  it.each([
    ["protectedNoOptions", "orders.admin"],
    ["protectedEmptyOptions", "orders.admin"],
    ["existingNoOptions", "payments.refund"],
    ["existingEmptyOptions", "payments.refund"],
  ])("rejects %s, naming the justification", (name, scope) => {
    expect(errors[name]).toHaveLength(1);
    const message = errors[name][0].replace(/\\"/g, '"');
    expect(message).toContain(justificationMessage(scope));
    expect(message).not.toContain("orders.read");
  });

  it("rejects a justification that is not a string, asking for a justification", () => {
    expect(errors.protectedNumber).toHaveLength(1);
    expect(errors.protectedNumber[0].replace(/\\"/g, '"')).toContain(
      justificationMessage("orders.admin"),
    );
  });

  it("still rejects a value outside the vocabulary, listing the grantable values", () => {
    expect(errors.protectedUnknown).toEqual([
      `Argument of type '"orders.delete"' is not assignable to parameter of type '"orders.read"'.`,
    ]);
  });

  it("uses the run-time error's wording", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const api = new ProtectedApi(stack, "Api", {
      displayName: "a",
      identifierUri: "api://contoso.example/orders",
      vocabulary: ScopeVocabulary.define({
        "orders.admin": { description: "Manage all orders", privileged: true },
      }),
    });
    let thrown: unknown;
    try {
      (api.grant as (scope: string) => unknown)("orders.admin");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MachineClientsError);
    expect((thrown as Error).message).toContain(
      '"orders.admin" is privileged and can only be granted with a justification',
    );
  });
});
