/** Runs the rules over one module: builds the model once, then each rule reads it. */
import { CheckModel } from "./model";
import { ModuleContext } from "./module";
import { CHECK_RULES } from "./rules";
import { CheckRule, Finding, RuleOptions } from "./types";

/** Runs `rules` (by default every rule) over one module; findings in rule order, duplicates dropped. */
export function checkModule(
  mod: ModuleContext,
  options: RuleOptions,
  rules: readonly CheckRule[] = CHECK_RULES,
): Finding[] {
  const model = new CheckModel(mod, options);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    for (const r of rule.check(model)) {
      const key = `${rule.id}|${r.at.address}|${r.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        ruleId: rule.id,
        severity: r.severity,
        file: r.at.block.file,
        ...(r.at.block.line !== undefined ? { line: r.at.block.line } : {}),
        address: r.at.address,
        message: r.message,
        fix: r.fix,
      });
    }
  }
  return findings;
}
