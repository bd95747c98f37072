import { Construct } from "constructs";
import {
  ClientSecret,
  MachineClient,
  MachineClientsError,
  OrgPolicy,
  Suppressions,
} from "../../src";
import { errorOf } from "../util";
import { ordersApi, providerStack } from "./fixtures";

const REASON = "legacy batch job, split tracked in OPS-42";

describe("Suppressions", () => {
  it("exposes the declared suppressions as plain data", () => {
    const stack = providerStack();
    Suppressions.add(stack, [{ id: "MC-MAX-GRANTS", reason: `  ${REASON} ` }]);
    Suppressions.add(stack, [
      { id: "MC-EXPLICIT-OWNERS", reason: "owners set by the CMDB sync job" },
    ]);
    expect(Suppressions.of(stack)).toEqual([
      { id: "MC-MAX-GRANTS", reason: REASON },
      { id: "MC-EXPLICIT-OWNERS", reason: "owners set by the CMDB sync job" },
    ]);
    const group = new Construct(stack, "Group");
    expect(Suppressions.of(group)).toEqual([]);
    expect(Suppressions.applyingTo(group)).toEqual([
      { id: "MC-MAX-GRANTS", reason: REASON, declaredAt: "test" },
      { id: "MC-EXPLICIT-OWNERS", reason: "owners set by the CMDB sync job", declaredAt: "test" },
    ]);
  });

  it("covers the clients under the construct, the nearest reason winning", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ maxGrantsPerClient: 1 });
    const api = ordersApi(stack);
    const group = new Construct(stack, "Group");
    Suppressions.add(stack, [{ id: "MC-MAX-GRANTS", reason: "stack-wide exception (OPS-1)" }]);
    Suppressions.add(group, [{ id: "MC-MAX-GRANTS", reason: REASON }]);
    new MachineClient(group, "Two", {
      displayName: "two",
      access: [api.grant("orders.read"), api.grant("orders.write")],
      credential: ClientSecret.rotating(),
    });
    const [f] = OrgPolicy.of(stack).findings();
    expect(f.ruleId).toBe("MC-MAX-GRANTS");
    expect(f.suppressed).toEqual({ reason: REASON, declaredAt: "test/Group" });
  });

  it("does not suppress other rules", () => {
    const stack = providerStack();
    OrgPolicy.of(stack).apply({ allowSecrets: false });
    const api = ordersApi(stack);
    const c = new MachineClient(stack, "C", {
      displayName: "c",
      access: [api.grant("orders.read")],
      credential: ClientSecret.rotating(),
    });
    Suppressions.add(c, [{ id: "MC-MAX-GRANTS", reason: REASON }]);
    expect(
      OrgPolicy.of(stack)
        .findings()
        .map((f) => [f.ruleId, f.suppressed]),
    ).toEqual([["MC-SECRETS-NOT-ALLOWED", undefined]]);
  });

  it("rejects an unknown rule id", () => {
    const e = errorOf(() =>
      Suppressions.add(providerStack(), [{ id: "MC-NOPE" as never, reason: REASON }]),
    );
    expect(e).toBeInstanceOf(MachineClientsError);
    expect(e.message).toMatch(
      /^test › Suppressions.add › suppressions\[0\]: the suppression names no rule of the org policy \(got "MC-NOPE"\). Use one of: MC-SECRETS-NOT-ALLOWED, /,
    );
  });

  it("rejects a reason under 10 characters", () => {
    const e = errorOf(() =>
      Suppressions.add(providerStack(), [{ id: "MC-MAX-GRANTS", reason: " too short " }]),
    );
    expect(e.message).toMatch(
      /the reason for suppressing MC-MAX-GRANTS has 8 visible characters; at least 10 are required \(spaces, invisible and formatting characters do not count\) \(got " too short "\)/,
    );
  });

  it("rejects a rule suppressed twice on the same construct", () => {
    const stack = providerStack();
    Suppressions.add(stack, [{ id: "MC-MAX-GRANTS", reason: REASON }]);
    expect(
      errorOf(() => Suppressions.add(stack, [{ id: "MC-MAX-GRANTS", reason: REASON }])).message,
    ).toMatch(/rule MC-MAX-GRANTS is already suppressed on this construct/);
    expect(
      errorOf(() =>
        Suppressions.add(stack, [
          { id: "MC-CERT-VALIDITY", reason: REASON },
          { id: "MC-CERT-VALIDITY", reason: REASON },
        ]),
      ).message,
    ).toMatch(/rule MC-CERT-VALIDITY is suppressed twice/);
  });

  it("rejects an empty list, unknown properties and non-constructs", () => {
    const stack = providerStack();
    expect(errorOf(() => Suppressions.add(stack, [])).message).toMatch(
      /suppressions must be a non-empty list of \{ id, reason \}/,
    );
    expect(
      errorOf(() =>
        Suppressions.add(stack, [{ id: "MC-MAX-GRANTS", reason: REASON, scope: "x" } as never]),
      ).message,
    ).toMatch(/unknown property "scope"/);
    expect(errorOf(() => Suppressions.add("stack" as never, [])).message).toMatch(
      /^Suppressions.add: suppressions are added to a construct/,
    );
  });
});
