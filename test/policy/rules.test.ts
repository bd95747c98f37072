import {
  API_POLICY_RULES,
  GrantModel,
  MachineClientModel,
  POLICY_RULE_IDS,
  POLICY_RULES,
  PolicyRule,
} from "../../src";
import { resolveOrgPolicy } from "../../src/policy/evaluate";
import { CertificateValidityRule } from "../../src/policy/certificate-validity";
import { evaluateClient, formatFinding } from "../../src/policy/evaluate";
import { ExplicitOwnersRule } from "../../src/policy/explicit-owners";
import { ForbiddenScopeRule } from "../../src/policy/forbidden-scope";
import { MaxGrantsRule } from "../../src/policy/max-grants";
import { PrivilegedIsolationRule } from "../../src/policy/privileged-isolation";
import { PrivilegedJustificationRule } from "../../src/policy/privileged-justification";
import { PrivilegedSecretValidityRule } from "../../src/policy/privileged-secret-validity";
import { SecretValidityRule } from "../../src/policy/secret-validity";
import { SecretsNotAllowedRule } from "../../src/policy/secrets-not-allowed";
import { errorOf } from "../util";

const ORDERS = "api://contoso.example/orders";
const BILLING = "api://contoso.example/billing";

function grant(api: string, scope: string, extra: Partial<GrantModel> = {}): GrantModel {
  return { api, identifierUri: api, scope, roleId: "r", privileged: false, ...extra };
}

function client(extra: Partial<MachineClientModel> = {}): MachineClientModel {
  return {
    path: "stack/Client",
    displayName: "client",
    owners: [],
    explicitOwners: false,
    grants: [grant(ORDERS, "orders.read")],
    credentials: [{ kind: "secret", rotationDays: 30, validityDays: 60, slots: 1 }],
    ...extra,
  };
}

const policy = (o = {}) => resolveOrgPolicy("test", o);
const JUSTIFIED = { privileged: true, justification: "nightly repair job needs admin (OPS-1)" };

function check(rule: PolicyRule, c: MachineClientModel, o = {}) {
  return evaluateClient(c, policy(o)).filter((f) => f.ruleId === rule.id);
}

describe("policy rules", () => {
  it("have stable, unique ids and one-sentence explanations", () => {
    expect(POLICY_RULE_IDS).toEqual([
      "MC-SECRETS-NOT-ALLOWED",
      "MC-SECRET-VALIDITY",
      "MC-CERT-VALIDITY",
      "MC-PRIVILEGED-JUSTIFICATION",
      "MC-PRIVILEGED-SECRET-VALIDITY",
      "MC-PRIVILEGED-ISOLATION",
      "MC-FORBIDDEN-SCOPE",
      "MC-MAX-GRANTS",
      "MC-EXPLICIT-OWNERS",
      "MC-RETIRED-PERMISSION",
      "MC-IDENTIFIER-URI-PATTERN",
      "MC-IDENTIFIER-URI-DOMAIN",
      "MC-IDENTIFIER-URI-TENANT",
    ]);
    for (const r of [...POLICY_RULES, ...API_POLICY_RULES]) {
      expect(r.explanation).toMatch(/^[A-Z][^.]*(\([^)]*\))?\.$/);
    }
  });

  it("finds nothing on a compliant client under the defaults", () => {
    expect(evaluateClient(client(), policy())).toEqual([]);
  });

  describe("MC-SECRET-VALIDITY", () => {
    it("accepts a secret at the maximum", () => {
      expect(check(SecretValidityRule, client(), { maxSecretValidityDays: 60 })).toEqual([]);
    });
    it("rejects a secret valid longer than maxSecretValidityDays", () => {
      const [f, ...rest] = check(SecretValidityRule, client(), { maxSecretValidityDays: 45 });
      expect(rest).toEqual([]);
      expect(f.ruleId).toBe("MC-SECRET-VALIDITY");
      expect(f.path).toBe("stack/Client");
      expect(f.problem).toBe("a client secret is valid for 60 days; the org allows at most 45");
      expect(f.fix).toMatch(/Set validityDays to 45 or less/);
    });
  });

  describe("MC-CERT-VALIDITY", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    it("accepts a certificate within the maximum (validityDays or endDate)", () => {
      const c = client({
        credentials: [
          { kind: "certificate", validityDays: 365 },
          { kind: "certificate", endDate: "2026-12-31T00:00:00Z" },
        ],
      });
      expect(check(CertificateValidityRule, c, { now })).toEqual([]);
    });
    it("rejects a certificate valid longer than maxCertificateValidityDays", () => {
      const c = client({ credentials: [{ kind: "certificate", validityDays: 730 }] });
      const [f] = check(CertificateValidityRule, c, { now });
      expect(f.problem).toBe(
        "a client certificate is valid for 730 days; the org allows at most 365",
      );
    });
    it("rejects a certificate whose endDate is too far away", () => {
      const c = client({ credentials: [{ kind: "certificate", endDate: "2027-06-01T00:00:00Z" }] });
      const [f] = check(CertificateValidityRule, c, { now, maxCertificateValidityDays: 180 });
      expect(f.problem).toBe(
        "a client certificate is valid for 516 days; the org allows at most 180",
      );
      expect(f.value).toBe("2027-06-01T00:00:00Z");
    });
    it("skips an end date only known at apply time", () => {
      const c = client({ credentials: [{ kind: "certificate", endDate: "${TfToken[TOKEN.1]}" }] });
      expect(check(CertificateValidityRule, c, { now })).toEqual([]);
    });
  });

  describe("MC-SECRETS-NOT-ALLOWED", () => {
    it("accepts federated credentials when secrets are forbidden", () => {
      const c = client({ credentials: [{ kind: "federated", issuer: "i", subject: "s" }] });
      expect(check(SecretsNotAllowedRule, c, { allowSecrets: false })).toEqual([]);
    });
    it("rejects a secret when allowSecrets is false", () => {
      const [f] = check(SecretsNotAllowedRule, client(), { allowSecrets: false });
      expect(f.problem).toMatch(
        /holds a client secret; the org allows only federated and certificate/,
      );
      expect(f.fix).toMatch(/federated credential/);
    });
  });

  describe("MC-EXPLICIT-OWNERS", () => {
    it("accepts explicit owners", () => {
      const c = client({ explicitOwners: true, owners: ["11111111-1111-4111-8111-111111111111"] });
      expect(check(ExplicitOwnersRule, c, { requireExplicitOwners: true })).toEqual([]);
    });
    it("accepts defaulted owners when the policy does not require explicit ones", () => {
      expect(check(ExplicitOwnersRule, client())).toEqual([]);
    });
    it("rejects defaulted owners when requireExplicitOwners is true", () => {
      const [f] = check(ExplicitOwnersRule, client(), { requireExplicitOwners: true });
      expect(f.problem).toBe(
        "the client has no explicit owners; it defaults to the deploying principal",
      );
    });
  });

  describe("MC-PRIVILEGED-SECRET-VALIDITY", () => {
    const priv = [grant(ORDERS, "orders.admin", JUSTIFIED)];
    it("accepts a short secret on a privileged client", () => {
      const c = client({
        grants: priv,
        credentials: [{ kind: "secret", rotationDays: 10, validityDays: 30 }],
      });
      expect(check(PrivilegedSecretValidityRule, c)).toEqual([]);
    });
    it("ignores non-privileged clients", () => {
      expect(check(PrivilegedSecretValidityRule, client())).toEqual([]);
    });
    it("rejects a privileged client's secret valid longer than privilegedMaxSecretValidityDays", () => {
      const [f] = check(PrivilegedSecretValidityRule, client({ grants: priv }));
      expect(f.problem).toBe(
        'the client holds privileged "orders.admin" and a secret valid for 60 days; privileged clients may use at most 30',
      );
    });
  });

  describe("MC-PRIVILEGED-ISOLATION", () => {
    const mixed = [grant(ORDERS, "orders.admin", JUSTIFIED), grant(BILLING, "billing.read")];
    it("accepts privileged and non-privileged grants on the same API", () => {
      const c = client({
        grants: [grant(ORDERS, "orders.admin", JUSTIFIED), grant(ORDERS, "orders.read")],
      });
      expect(check(PrivilegedIsolationRule, c)).toEqual([]);
    });
    it("accepts mixing when allowPrivilegedWithOtherApis is true", () => {
      const c = client({ grants: mixed });
      expect(check(PrivilegedIsolationRule, c, { allowPrivilegedWithOtherApis: true })).toEqual([]);
    });
    it("rejects a privileged client that also holds grants on other APIs", () => {
      const [f] = check(PrivilegedIsolationRule, client({ grants: mixed }));
      expect(f.problem).toBe(
        `the client holds privileged grants on ${ORDERS} and also non-privileged grants on other APIs`,
      );
      expect(f.value).toEqual([`${BILLING} billing.read`]);
    });
  });

  describe("MC-PRIVILEGED-JUSTIFICATION", () => {
    it("accepts a justified privileged grant", () => {
      const c = client({ grants: [grant(ORDERS, "orders.admin", JUSTIFIED)] });
      expect(check(PrivilegedJustificationRule, c)).toEqual([]);
    });
    it("rejects a privileged grant without justification", () => {
      const c = client({ grants: [grant(ORDERS, "orders.admin", { privileged: true })] });
      const [f] = check(PrivilegedJustificationRule, c);
      expect(f.problem).toBe(
        `"orders.admin" is privileged and can only be granted with a justification (on ${ORDERS})`,
      );
    });
    it("rejects a privileged grant with a short justification", () => {
      const c = client({
        grants: [grant(ORDERS, "orders.admin", { privileged: true, justification: "because" })],
      });
      const [f] = check(PrivilegedJustificationRule, c);
      expect(f.problem).toMatch(/has 7 visible characters; at least 20 are required/);
    });
  });

  describe("MC-FORBIDDEN-SCOPE", () => {
    it("accepts grants not on the list", () => {
      expect(check(ForbiddenScopeRule, client(), { forbiddenScopes: ["orders.admin"] })).toEqual(
        [],
      );
    });
    it("rejects a forbidden scope in any letter case", () => {
      const [f] = check(ForbiddenScopeRule, client(), { forbiddenScopes: ["ORDERS.READ"] });
      expect(f.problem).toBe(
        `the client is granted "orders.read" on ${ORDERS}, which the org forbids`,
      );
    });
  });

  describe("MC-MAX-GRANTS", () => {
    const two = [grant(ORDERS, "orders.read"), grant(ORDERS, "orders.write")];
    it("accepts clients at the limit, and any count by default", () => {
      expect(check(MaxGrantsRule, client({ grants: two }), { maxGrantsPerClient: 2 })).toEqual([]);
      expect(check(MaxGrantsRule, client({ grants: two }))).toEqual([]);
    });
    it("rejects clients with more grants than maxGrantsPerClient", () => {
      const [f] = check(MaxGrantsRule, client({ grants: two }), { maxGrantsPerClient: 1 });
      expect(f.problem).toBe("the client holds 2 grants; the org allows at most 1");
    });
  });

  it("formats a finding with rule id, what, why and fix", () => {
    const [g] = check(ForbiddenScopeRule, client(), { forbiddenScopes: ["orders.read"] });
    expect(formatFinding(g, true).split("\n")).toEqual([
      `[stack/Client] MC-FORBIDDEN-SCOPE: the client is granted "orders.read" on ${ORDERS}, which the org forbids (got "orders.read").`,
      `    Why: ${ForbiddenScopeRule.explanation}`,
      "    Fix: Remove the grant and use a narrower permission of the API.",
    ]);
  });
});

describe("resolveOrgPolicy", () => {
  it("documents its defaults", () => {
    expect(policy()).toEqual({
      maxSecretValidityDays: 90,
      maxCertificateValidityDays: 365,
      allowSecrets: true,
      requireExplicitOwners: false,
      privilegedMaxSecretValidityDays: 30,
      allowPrivilegedWithOtherApis: false,
      maxGrantsPerClient: Infinity,
      forbiddenScopes: [],
    });
  });
  it("rejects unknown options", () => {
    expect(errorOf(() => policy({ maxSecretDays: 3 })).message).toBe(
      'test: unknown policy option "maxSecretDays" (got "maxSecretDays"). Use one of: maxSecretValidityDays, maxCertificateValidityDays, allowSecrets, requireExplicitOwners, privilegedMaxSecretValidityDays, allowPrivilegedWithOtherApis, maxGrantsPerClient, forbiddenScopes, verifiedDomains, tenantId, now.',
    );
  });
  it("rejects non-integer day limits", () => {
    expect(errorOf(() => policy({ maxSecretValidityDays: 0.5 })).message).toMatch(
      /maxSecretValidityDays must be a whole number, at least 1 \(got 0.5\)/,
    );
  });
  it("rejects non-boolean switches", () => {
    expect(errorOf(() => policy({ allowSecrets: "no" })).message).toMatch(
      /allowSecrets must be true or false/,
    );
  });
  it("rejects forbiddenScopes that are not a list of strings", () => {
    expect(errorOf(() => policy({ forbiddenScopes: "orders.admin" })).message).toMatch(
      /forbiddenScopes must be a list of permission values/,
    );
  });
});
