import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

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
    "An end date that is null only under a condition that cannot be evaluated (var.x ? … : null): a note names the condition. Any other end date that cannot be evaluated is set: MCC005 gives its note.",
  check(model) {
    const out: RuleResult[] = [];
    const facts = model.credentials;
    for (const c of facts.passwords()) {
      if (!facts.isUnset(c, "end_date_relative")) continue;
      if (!facts.isUnset(c, "end_date")) {
        const maybe = facts.mayBeNull(c, "end_date");
        if (maybe) out.push(note("MCC004", c.at, "Whether the password has an end date", maybe));
        continue;
      }
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
