import { Testing } from "cdktf";
import { IntegrationsStack } from "../../examples/integrations";
import { PolicyStack } from "../../examples/policy";
import { PolicyViolationsStack } from "../../examples/policy-violations";
import { OrgPolicy } from "../../src";
import { SecretValidityRule } from "../../src/policy/secret-validity";
import { errorOf, resourcesOf } from "../util";
import { POLICY_RULES } from "../../src";

const why = (id: string) => POLICY_RULES.find((r) => r.id === id)!.explanation;

describe("examples/policy.ts", () => {
  it("synthesizes under the org policy, reporting its suppressed finding", () => {
    const stack = new PolicyStack(Testing.app(), "policy");
    const json = JSON.parse(Testing.synth(stack, true));
    const api = resourcesOf(json, "azuread_application").find(
      (a) => a.display_name === "orders-api",
    )!;
    expect(api.api.oauth2_permission_scope.map((s: { value: string }) => s.value)).toEqual([
      "orders.read.user",
    ]);
    const findings = OrgPolicy.of(stack).findings();
    expect(findings.map((f) => [f.path, f.ruleId, f.suppressed?.reason])).toEqual([
      [
        "policy/LegacyReporting",
        "MC-SECRET-VALIDITY",
        "vendor reporting tool reloads its secret quarterly; replacement tracked in OPS-42",
      ],
    ]);
    const warnings = stack.reporting.node.metadata.filter((m) => m.type === "@cdktf/warn");
    expect(warnings.map((m) => String(m.data).split("\n")[0])).toEqual([
      "[suppressed] MC-SECRET-VALIDITY: a client secret is valid for 90 days; the org allows at most 60 (got 90).",
    ]);
  });
});

describe("examples/integrations.yaml", () => {
  it("synthesizes the file's clients under the org policy", () => {
    const stack = new IntegrationsStack(Testing.app(), "integrations");
    const json = JSON.parse(Testing.synth(stack, true));
    expect([...stack.integrations.clients.keys()]).toEqual([
      "billing-sync",
      "warehouse-feed",
      "stock-sync",
      "order-repair",
    ]);
    expect(
      resourcesOf(json, "azuread_application")
        .map((a) => a.display_name)
        .sort(),
    ).toEqual(["Billing sync", "order-repair", "orders-api", "stock-sync", "warehouse-feed"]);
    expect(resourcesOf(json, "azuread_app_role_assignment")).toHaveLength(5);
    expect(
      resourcesOf(json, "azuread_application_federated_identity_credential")
        .map((f) => f.subject)
        .sort(),
    ).toEqual([
      "repo:contoso/warehouse:environment:production",
      "system:serviceaccount:stock:stock-sync",
    ]);
    // Three clients with secrets, two passwords each; no time_rotating.
    expect(resourcesOf(json, "azuread_application_password")).toHaveLength(6);
    expect(json.resource.time_rotating).toBeUndefined();
    expect(OrgPolicy.of(stack).findings()).toEqual([]);
  });
});

describe("examples/policy-violations.ts", () => {
  it("fails synth with the full violation report", () => {
    const stack = new PolicyViolationsStack(Testing.app(), "violations");
    const report = errorOf(() => Testing.synth(stack, true)).message;
    expect(report).toBe(
      [
        "Validation failed with the following errors:",
        '  [violations/OpsTool] MC-PRIVILEGED-SECRET-VALIDITY: the client holds privileged "orders.admin" and a secret valid for 60 days; privileged clients may use at most 30 (got 60).',
        `    Why: ${why("MC-PRIVILEGED-SECRET-VALIDITY")}`,
        "    Fix: Set validityDays to 30 or less, or use a federated credential.",
        '  [violations/OpsTool] MC-PRIVILEGED-ISOLATION: the client holds privileged grants on violations/OrdersApi and also non-privileged grants on other APIs (got ["violations/BillingApi billing.read"]).',
        `    Why: ${why("MC-PRIVILEGED-ISOLATION")}`,
        "    Fix: Move the privileged grants to a dedicated client, or set allowPrivilegedWithOtherApis: true in the org policy.",
        "  [violations/OpsTool] MC-EXPLICIT-OWNERS: the client has no explicit owners; it defaults to the deploying principal (got []).",
        `    Why: ${why("MC-EXPLICIT-OWNERS")}`,
        "    Fix: Set owners to the object ids of the people or groups responsible for the client.",
        "  [violations/Everything] MC-SECRET-VALIDITY: a client secret is valid for 90 days; the org allows at most 60 (got 90).",
        `    Why: ${SecretValidityRule.explanation}`,
        "    Fix: Set validityDays to 60 or less (with rotationDays below it), or use a federated credential.",
        '  [violations/Everything] MC-PRIVILEGED-SECRET-VALIDITY: the client holds privileged "orders.admin" and a secret valid for 90 days; privileged clients may use at most 30 (got 90).',
        `    Why: ${why("MC-PRIVILEGED-SECRET-VALIDITY")}`,
        "    Fix: Set validityDays to 30 or less, or use a federated credential.",
        '  [violations/Everything] MC-PRIVILEGED-ISOLATION: the client holds privileged grants on violations/OrdersApi and also non-privileged grants on other APIs (got ["violations/BillingApi billing.read"]).',
        `    Why: ${why("MC-PRIVILEGED-ISOLATION")}`,
        "    Fix: Move the privileged grants to a dedicated client, or set allowPrivilegedWithOtherApis: true in the org policy.",
        "  [violations/Everything] MC-MAX-GRANTS: the client holds 4 grants; the org allows at most 3 (got 4).",
        `    Why: ${why("MC-MAX-GRANTS")}`,
        "    Fix: Split the client into clients per job, each with only the grants that job needs.",
        "",
        "If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration.",
        "",
      ].join("\n"),
    );
  });
});
