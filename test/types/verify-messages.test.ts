import { compileErrors } from "./compile";

// test/types/verify.ts proves that these calls do not compile; this test proves that the
// compiler's message names what is wrong: the misspelt role, or the missing reason.
const header = `import { createTokenVerifier, requireRoles, ScopeVocabulary } from "../../src/verify";
const orders = ScopeVocabulary.define({
  "orders.read": { description: "Read orders" },
  "orders.admin": { description: "Manage all orders", privileged: true },
});
const verifier = createTokenVerifier({ tenantId: "t", audience: "a", vocabulary: orders });
export async function handler(header: string) {
  const caller = await verifier.verify(header);
`;

describe("compile-time messages of role checks", () => {
  let errors: Record<string, string[]>;
  beforeAll(() => {
    errors = compileErrors({
      valid: `${header}caller.require("orders.read"); caller.require("orders.admin", { reason: "bulk repair of any order" }); }`,
      typo: `${header}caller.require("orders.raed"); }`,
      noReason: `${header}caller.require("orders.admin"); }`,
      middlewareNoReason: `${header}} requireRoles(verifier, "orders.admin");`,
      anyNoReason: `${header}caller.requireAny(["orders.read", "orders.admin"]); }`,
    });
  });

  it("compiles the valid program without errors (the harness works)", () => {
    expect(errors.valid).toEqual([]);
  });

  it("rejects a misspelt role, listing the vocabulary's values", () => {
    expect(errors.typo).toEqual([
      `Argument of type '"orders.raed"' is not assignable to parameter of type '"orders.read" | "orders.admin"'.`,
    ]);
  });

  it("rejects a privileged role without a reason by naming the missing argument", () => {
    expect(errors.noReason).toEqual(["Expected 2 arguments, but got 1."]);
    expect(errors.anyNoReason).toEqual(["Expected 2 arguments, but got 1."]);
    expect(errors.middlewareNoReason).toEqual(["Expected 3 arguments, but got 2."]);
  });
});
