import { Unknown, isUnknown, rfc3339 } from "../expr";
import { CheckRule, RuleResult } from "../types";
import { formatDays, note, result } from "./results";

const ID = "MCC005";

/** MCC005: a password or certificate valid for longer than the policy maximum. */
export const CredentialEndDateTooFar: CheckRule = {
  id: ID,
  name: "CredentialEndDateTooFar",
  severity: "error",
  description:
    "A password or certificate valid for longer than the policy maximum, or already expired when it is created.",
  explanation:
    'A leaked credential stays usable until it expires, so the policy caps validity: --max-secret-days (default 90, the library\'s own limit) for passwords and --max-certificate-days (default 365) for certificates. The end date is evaluated from literal dates, end_date_relative, timeadd(<base>, "<duration>"), time_rotating.rotation_rfc3339, time_offset, tls_self_signed_cert.validity_end_time, and end dates computed from the plan time (the worst case over simulated plans).',
  fix: "Use an end date within the policy maximum (and rotate before then).",
  undecidable:
    "An end date that cannot be evaluated (a variable without default, an unsupported function) or a certificate without end_date (its own expiry applies): a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    const facts = model.credentials;
    for (const c of facts.all()) {
      if (facts.isUnset(c, "end_date") && facts.isUnset(c, "end_date_relative")) {
        if (!c.isPassword) {
          out.push(
            note(
              ID,
              c.at,
              "The certificate's end date (taken from the certificate itself)",
              new Unknown("no end_date is set"),
            ),
          );
        }
        continue;
      }
      const validity = facts.validity(c);
      if (typeof validity === "object" && "createdAt" in validity) {
        out.push(
          result(
            c.at,
            "error",
            `The ${c.noun}'s end_date is ${validity.createdAt}, the time that resource was created (or last rotated): the ${c.noun} has expired by the time it is created.`,
            `Add the validity to it: end_date = timeadd(${validity.createdAt}, "${Math.min(c.max, 60) * 24}h"), or use time_rotating's rotation_rfc3339.`,
          ),
        );
        continue;
      }
      const days = typeof validity === "object" && !isUnknown(validity) ? validity.days : validity;
      if (isUnknown(days)) {
        // MCC006 already reports an end date that changes on every run, unless ignore_changes
        // keeps its first value: then nothing else would mention it.
        if (!facts.endDateChangesEveryRun(c)) out.push(note(ID, c.at, "The end date", days));
      } else if (days > c.max) {
        const when =
          typeof validity === "object" && !isUnknown(validity) && "planTime" in validity
            ? ` when planned at ${rfc3339(validity.planTime)} (the worst case over plans in the next two years)`
            : "";
        out.push(
          result(
            c.at,
            "error",
            `The ${c.noun} is valid for ${formatDays(days)} days${when}, beyond the policy maximum of ${c.max} days.`,
            `Use an end date at most ${c.max} days away (and rotate before then).`,
          ),
        );
      }
    }
    return out;
  },
};
