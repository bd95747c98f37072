import { CertificateValidityRule } from "./certificate-validity";
import { ExplicitOwnersRule } from "./explicit-owners";
import { ForbiddenScopeRule } from "./forbidden-scope";
import { MaxGrantsRule } from "./max-grants";
import { PrivilegedIsolationRule } from "./privileged-isolation";
import { PrivilegedJustificationRule } from "./privileged-justification";
import { PrivilegedSecretValidityRule } from "./privileged-secret-validity";
import { RetiredPermissionRule } from "./retired-permission";
import { SecretValidityRule } from "./secret-validity";
import { SecretsNotAllowedRule } from "./secrets-not-allowed";
import { PolicyRule, PolicyRuleId } from "./types";

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

/** The ids of {@link POLICY_RULES}. */
export const POLICY_RULE_IDS: readonly PolicyRuleId[] = Object.freeze(
  POLICY_RULES.map((r) => r.id),
);
