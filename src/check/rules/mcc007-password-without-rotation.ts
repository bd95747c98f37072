import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

const ID = "MCC007";

/** MCC007: a password that is never replaced before it expires. */
export const PasswordWithoutRotation: CheckRule = {
  id: ID,
  name: "PasswordWithoutRotation",
  severity: "warning",
  description:
    "A password that is never replaced before it expires, or whose secret never changes when it is.",
  explanation:
    "A password rotates when rotate_when_changed, lifecycle replace_triggered_by, or another argument follows something that changes (a time_rotating, a random_password whose keepers change). Without one it is never replaced, so it expires under its consumers or its end date is stretched to years. Arguments in lifecycle ignore_changes rotate nothing, nor do a random_* / time_static whose keepers / triggers are only Entra object ids or constants. A password whose secret text is pinned (value = a literal or a random_password without changing keepers, azuread v1) is replaced on schedule but registers the same secret again.",
  fix: "Add rotate_when_changed = { rotation = time_rotating.x.id } with a time_rotating resource shorter than the validity.",
  undecidable:
    "A secret value from a variable or another resource, whose changes cannot be known: a note names it. A rotation trigger that cannot be evaluated: MCC008 gives the note.",
  check(model) {
    const out: RuleResult[] = [];
    for (const c of model.credentials.passwords()) {
      const rotation = model.credentials.rotation(c);
      if (rotation.kind === "trigger-ignored") {
        out.push(
          result(
            c.at,
            "warning",
            "rotate_when_changed is listed in lifecycle ignore_changes, so its changes are ignored and the password is never replaced before it expires.",
            "Remove rotate_when_changed (and end_date) from ignore_changes, so that the time_rotating trigger replaces the password.",
          ),
        );
      } else if (rotation.kind === "pinned") {
        out.push(
          result(
            c.at,
            "warning",
            `The password is replaced on schedule, but its value is pinned to ${rotation.by}, which never changes: each replacement registers the same secret again, so the secret never rotates.`,
            "Leave value out so that Entra generates a new secret (azuread v2 and later), or give the random_password keepers = { rotation = time_rotating.x.id }.",
          ),
        );
      } else if (rotation.kind === "value-unknown") {
        out.push(note(ID, c.at, "Whether the password's secret ever changes", rotation.why));
      } else if (rotation.kind === "no-trigger") {
        out.push(
          result(
            c.at,
            "warning",
            "The password has no rotate_when_changed trigger, so it is never replaced before it expires.",
            PasswordWithoutRotation.fix,
          ),
        );
      }
    }
    return out;
  },
};
