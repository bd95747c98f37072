import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

const ID = "MCC006";

/** MCC006: a credential argument that changes on every run. */
export const CredentialChangesEveryRun: CheckRule = {
  id: ID,
  name: "CredentialChangesEveryRun",
  severity: "error",
  description:
    "A credential argument built from timestamp(), plantimestamp() or uuid() that changes between two plans a minute apart.",
  explanation:
    "Every argument of a password or certificate forces a new one, so an argument that differs between two plans a minute apart replaces the credential on every apply, breaking its consumers each time. Values keyed on a calendar period of the plan time (floor(unix / period)) stay the same between close plans and are rotation triggers instead; arguments that lifecycle ignore_changes keeps are not replaced.",
  fix: 'Compute it from a time_rotating resource instead, e.g. end_date = timeadd(time_rotating.x.id, "1440h") with rotate_when_changed = { rotation = time_rotating.x.id }.',
  undecidable:
    "A plan-time value that cannot be evaluated at the simulated plans changes on every run where the time reaches it through functions that keep its changes (timeadd, format, templates, hashes); otherwise a note names the expression that could not be evaluated.",
  check(model) {
    const out: RuleResult[] = [];
    for (const c of model.credentials.all()) {
      for (const { attr, fn, undecided } of model.credentials.everyRunArguments(c)) {
        if (undecided) {
          out.push(note(ID, c.at, `Whether ${attr} changes on every run`, undecided));
          continue;
        }
        out.push(
          result(
            c.at,
            "error",
            `${attr} is built from ${fn}(), which changes on every run; every argument of a ${c.noun} forces a new one, so it is replaced on every apply.`,
            CredentialChangesEveryRun.fix,
          ),
        );
      }
    }
    return out;
  },
};
