import { CheckModel, Instance } from "../model";
import { CheckRule, RuleResult } from "../types";
import { result } from "./results";

/** MCC010: an app role id that changes. */
export const AppRoleIdNotStable: CheckRule = {
  id: "MCC010",
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
        roleId(model, out, inst, role.body.id, "app_role.id");
      }
    }
    for (const inst of model.instancesOf("azuread_application_app_role")) {
      roleId(model, out, inst, inst.block.body.role_id, "role_id");
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
): void {
  if (raw === undefined) return;
  const random = model.mod.refs(raw).find((r) => r.kind === "resource" && r.type === "random_uuid");
  if (random || model.mod.calls(raw).has("uuid")) {
    out.push(
      result(
        inst,
        "error",
        `${attr} comes from ${random ? `random_uuid.${random.name}` : "uuid()"}: an app role id must never change, and assignments point at it.`,
        AppRoleIdNotStable.fix,
      ),
    );
  }
}
