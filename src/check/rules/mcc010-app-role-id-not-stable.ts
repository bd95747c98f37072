import { isUnknown } from "../expr";
import { CheckModel, Instance } from "../model";
import { Bindings } from "../module";
import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";

const ID = "MCC010";

/** MCC010: an app role id that changes. */
export const AppRoleIdNotStable: CheckRule = {
  id: ID,
  name: "AppRoleIdNotStable",
  severity: "error",
  description: "An app role id from random_uuid or uuid().",
  explanation:
    "An app role's id must never change: assignments point at it, and Entra refuses to update or delete an enabled role. A random_uuid is replaced whenever it is tainted, recreated or its keepers change, and uuid() changes on every run.",
  fix: 'Use a fixed UUID written in the configuration, or one derived from the role\'s value (e.g. uuidv5("url", "<identifier uri>/<value>")).',
  undecidable: "A role id that cannot be evaluated: a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    for (const inst of model.instancesOf("azuread_application")) {
      for (const role of model.blocks(inst.block.body, "app_role", inst.bindings)) {
        roleId(model, out, inst, role.body.id, "app_role.id", role.bindings);
      }
    }
    for (const inst of model.instancesOf("azuread_application_app_role")) {
      roleId(model, out, inst, inst.block.body.role_id, "role_id", inst.bindings);
    }
    return out;
  },
};

function roleId(
  model: CheckModel,
  out: RuleResult[],
  inst: Instance,
  raw: unknown,
  attr: string,
  bindings: Bindings,
): void {
  if (raw === undefined) return;
  const value = model.mod.eval(raw, bindings);
  // The value's origin finds random_uuid through locals, for expressions and iterators; the
  // references find it where the value is something else again (a conditional, a function).
  const origin = isUnknown(value) ? value.origin : undefined;
  const random =
    origin?.type === "random_uuid"
      ? origin
      : model.mod
          .refs(raw, bindings)
          .find((r) => r.kind === "resource" && r.type === "random_uuid");
  if (random || model.mod.calls(raw).has("uuid")) {
    out.push(
      result(
        inst,
        "error",
        `${attr} comes from ${random ? `random_uuid.${random.name}` : "uuid()"}: an app role id must never change, and assignments point at it.`,
        AppRoleIdNotStable.fix,
      ),
    );
  } else if (isUnknown(value)) {
    out.push(note(ID, inst, attr, value));
  }
}
