import { CheckRule, RuleResult } from "../types";
import { result } from "./results";

/** MCC007: a password that is never replaced before it expires. */
export const PasswordWithoutRotation: CheckRule = {
  id: "MCC007",
  name: "PasswordWithoutRotation",
  severity: "warning",
  description: "A password that is never replaced before it expires.",
  explanation:
    "A password rotates when rotate_when_changed, lifecycle replace_triggered_by, or another argument follows something that changes (a time_rotating, a random_password whose keepers change). Without one it is never replaced, so it expires under its consumers or its end date is stretched to years. Arguments in lifecycle ignore_changes rotate nothing, nor do a random_* / time_static whose keepers / triggers are only Entra object ids or constants.",
  fix: "Add rotate_when_changed = { rotation = time_rotating.x.id } with a time_rotating resource shorter than the validity.",
  undecidable:
    "A rotation trigger that cannot be evaluated: MCC008 gives the note, naming the expression.",
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
