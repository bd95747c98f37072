import { CertificateValidityRule } from "./certificate-validity";
import { ExplicitOwnersRule } from "./explicit-owners";
import { ForbiddenScopeRule } from "./forbidden-scope";
import { IdentifierUriDomainRule } from "./identifier-uri-domain";
import { IdentifierUriPatternRule } from "./identifier-uri-pattern";
import { IdentifierUriTenantRule } from "./identifier-uri-tenant";
import { MaxGrantsRule } from "./max-grants";
import { PrivilegedIsolationRule } from "./privileged-isolation";
import { PrivilegedJustificationRule } from "./privileged-justification";
import { PrivilegedSecretValidityRule } from "./privileged-secret-validity";
import { RetiredPermissionRule } from "./retired-permission";
import { SecretValidityRule } from "./secret-validity";
import { SecretsNotAllowedRule } from "./secrets-not-allowed";
import { ApiPolicyRule, PolicyRule, PolicyRuleId } from "./types";

// Each rule object is exported: frozen, so that no caller can replace a rule's check.
for (const rule of [
  CertificateValidityRule,
  ExplicitOwnersRule,
  ForbiddenScopeRule,
  IdentifierUriDomainRule,
  IdentifierUriPatternRule,
  IdentifierUriTenantRule,
  MaxGrantsRule,
  PrivilegedIsolationRule,
  PrivilegedJustificationRule,
  PrivilegedSecretValidityRule,
  RetiredPermissionRule,
  SecretValidityRule,
  SecretsNotAllowedRule,
]) {
  Object.freeze(rule);
}

/** Every rule of the org policy, in the order findings are reported. Rule ids never change. */
export const POLICY_RULES: readonly PolicyRule[] = Object.freeze([
  SecretsNotAllowedRule,
  SecretValidityRule,
  CertificateValidityRule,
  PrivilegedJustificationRule,
  PrivilegedSecretValidityRule,
  PrivilegedIsolationRule,
  ForbiddenScopeRule,
  MaxGrantsRule,
  ExplicitOwnersRule,
  RetiredPermissionRule,
]);

/** Every rule of the org policy about APIs, in the order findings are reported. Ids never change. */
export const API_POLICY_RULES: readonly ApiPolicyRule[] = Object.freeze([
  IdentifierUriPatternRule,
  IdentifierUriDomainRule,
  IdentifierUriTenantRule,
]);

/** The ids of {@link POLICY_RULES} and {@link API_POLICY_RULES}: what suppressions may name. */
export const POLICY_RULE_IDS: readonly PolicyRuleId[] = Object.freeze([
  ...POLICY_RULES.map((r) => r.id),
  ...API_POLICY_RULES.map((r) => r.id),
]);
