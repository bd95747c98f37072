import { CheckRule, RuleResult } from "../types";
import { result } from "./results";

/** MCC004: a password without an end date. */
export const CredentialWithoutEndDate: CheckRule = {
  id: "MCC004",
  name: "CredentialWithoutEndDate",
  severity: "error",
  description: "A password with no end date: Entra makes it valid for two years.",
  explanation:
    "Without end_date (or the deprecated end_date_relative) Entra gives a password two years, far beyond the 90-day policy maximum (--max-secret-days) and Microsoft's recommendation of under 12 months; a leaked secret stays usable all that time. An end date that is null (written, or a variable's default) counts as missing.",
  fix: 'Set end_date, e.g. timeadd(time_rotating.x.id, "1440h"), within the policy maximum, and rotate before then.',
  undecidable:
    "An end date that cannot be evaluated is not missing: MCC005 gives the note, naming the expression.",
  check(model) {
    const out: RuleResult[] = [];
    for (const c of model.credentials.passwords()) {
      if (!model.credentials.isUnset(c, "end_date")) continue;
      if (!model.credentials.isUnset(c, "end_date_relative")) continue;
      out.push(
        result(
          c.at,
          "error",
          `The password has no end_date, so Entra makes it valid for two years, beyond the policy maximum of ${c.max} days.`,
          `Set end_date, e.g. timeadd(time_rotating.x.id, "${c.max * 24}h"), within ${c.max} days.`,
        ),
      );
    }
    return out;
  },
};
