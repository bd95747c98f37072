import { Unknown } from "../expr";
import { EVERY_RUN, findUnknown, usesVariables } from "../credential-facts";
import { CheckRule, RuleResult } from "../types";
import { describe, note, result } from "./results";

const ID = "MCC008";

/** MCC008: a rotation trigger that can never change. */
export const PasswordRotationConstant: CheckRule = {
  id: ID,
  name: "PasswordRotationConstant",
  severity: "warning",
  description:
    "A password whose rotate_when_changed trigger is a constant, so it can never change.",
  explanation:
    "rotate_when_changed replaces the password when its value changes. Literals, a time_static or random_* without triggers / keepers, or a plan-time value that stays the same over the next two years never change, so the password is never rotated although it looks as if it were.",
  fix: "Refer to a time_rotating resource: rotate_when_changed = { rotation = time_rotating.x.id }.",
  undecidable:
    "A trigger that only a variable changes (rotation by hand), or one that cannot be evaluated: a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    const mod = model.mod;
    const facts = model.credentials;
    for (const c of facts.passwords()) {
      const rotation = facts.rotation(c);
      if (rotation.kind !== "trigger") continue;
      const trigger = rotation.trigger;
      if (EVERY_RUN.some((f) => mod.calls(trigger).has(f))) {
        const series = facts.planTimeSeries(trigger, c.at.bindings);
        // Unknown or changing on every apply: MCC006 said it; a calendar period: a real trigger.
        if (!series || series.everyRun || series.changes) continue;
        out.push(
          result(
            c.at,
            "warning",
            `rotate_when_changed depends on the plan time but stays ${describe(series.values[0])} over every plan in the next two years, so it never triggers a rotation.`,
            "Key it on a shorter calendar period of the plan time, or refer to a time_rotating resource: rotate_when_changed = { rotation = time_rotating.x.id }.",
          ),
        );
        continue;
      }
      const refs = mod.refs(trigger).filter((r) => !facts.isConstantRef(r));
      if (refs.length > 0) continue;
      const usesVar = usesVariables(mod, trigger);
      if (usesVar) {
        out.push(
          note(
            ID,
            c.at,
            "Whether rotate_when_changed ever changes",
            new Unknown(`it depends only on ${usesVar}, which changes only when someone sets it`),
          ),
        );
        continue;
      }
      const value = mod.eval(trigger, c.at.bindings);
      // Constant references (a time_static) are unknown until apply but never change; anything
      // else unknown (an unknown for_each's each.value) may.
      const unknownPart = mod.refs(trigger).length === 0 ? findUnknown(value) : undefined;
      if (unknownPart) {
        out.push(note(ID, c.at, "rotate_when_changed", unknownPart));
        continue;
      }
      out.push(
        result(
          c.at,
          "warning",
          `rotate_when_changed is a constant (${describe(value)}), so it never triggers a rotation.`,
          PasswordRotationConstant.fix,
        ),
      );
    }
    return out;
  },
};
