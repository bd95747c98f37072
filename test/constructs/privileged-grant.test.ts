import { MachineClientsError } from "../../src";
import { errorOf, newStack } from "../util";
import { JUSTIFICATION, ordersApi } from "./fixtures";

// Casts below stand for JavaScript callers: the compiler rejects these calls (test/types/).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

describe("ProtectedApi.grant of privileged scopes", () => {
  it("records the justification on the grant and its model", () => {
    const api = ordersApi(newStack());
    const grant = api.grant("orders.admin", { justification: JUSTIFICATION });
    expect(grant.privileged).toBe(true);
    expect(grant.toModel()).toMatchObject({ privileged: true, justification: JUSTIFICATION });
  });

  it("rejects a privileged scope without justification", () => {
    const api = ordersApi(newStack());
    const e = errorOf(() => (api as Loose).grant("orders.admin")) as MachineClientsError;
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.code).toBe("PRIVILEGED_JUSTIFICATION");
    expect(e.message).toBe(
      'test/OrdersApi.grant: "orders.admin" is privileged and can only be granted with a justification (got undefined). Say why the client needs it in 20 characters or more, e.g. { justification: "nightly reconciliation repairs orders (TICKET-123)" }.',
    );
  });

  it("rejects a justification under 20 characters", () => {
    const api = ordersApi(newStack());
    const e = errorOf(() => api.grant("orders.admin", { justification: "  needed for ops   " }));
    expect(e.message).toContain(
      'justification for privileged "orders.admin" has 12 visible characters; at least 20 are required (spaces, invisible and formatting characters do not count) (got "  needed for ops   ")',
    );
  });

  it("rejects a justification that is not a string", () => {
    const api = ordersApi(newStack());
    const e = errorOf(() => (api as Loose).grant("orders.admin", { justification: 42 }));
    expect(e.message).toMatch(
      /justification for privileged "orders.admin" must be a string \(got 42\)/,
    );
    const f = errorOf(() => (api as Loose).grant("orders.read", { justification: 42 }));
    expect(f.message).toMatch(/justification must be a string \(got 42\)/);
  });

  it("rejects options that are not an object", () => {
    const api = ordersApi(newStack());
    const e = errorOf(() => (api as Loose).grant("orders.read", "because"));
    expect(e.message).toMatch(/grant options must be an object \(got "because"\)/);
  });

  it("accepts a non-privileged scope with or without justification", () => {
    const api = ordersApi(newStack());
    expect(api.grant("orders.read").justification).toBeUndefined();
    expect(api.grant("orders.read", { justification: "x" }).justification).toBe("x");
  });
});
