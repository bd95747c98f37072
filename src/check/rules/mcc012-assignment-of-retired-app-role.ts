import { Unknown, isUnknown } from "../expr";
import { CheckModel, Instance, pathKey } from "../model";
import { Bindings } from "../module";
import { CheckRule, RuleResult } from "../types";
import { note, result } from "./results";
import { isGuid } from "../../identifier-uri";

const ID = "MCC012";

/** An app role as its application declares it. */
interface DeclaredRole {
  readonly id: string;
  readonly value?: string;
  readonly enabled: boolean;
}

/**
 * MCC012: an assignment of an app role that the API's application, declared in the same module,
 * has disabled (retired) or no longer declares. Across stacks, `check` reads the same from this
 * library's machine-clients.json (../retired-roles.ts).
 */
export const AssignmentOfRetiredAppRole: CheckRule = {
  id: ID,
  name: "AssignmentOfRetiredAppRole",
  severity: "error",
  description:
    "An app role assignment of a role that the API's application declares disabled (retired) or no longer declares.",
  explanation:
    "Disabling an app role does not revoke it: Entra keeps passing it in the tokens of every holder until their assignment is removed, so a retired role must lose its assignments before (or when) it is disabled. An assignment of a role the application no longer declares fails. Checked where the API's application is in the same module; across stacks, from this library's machine-clients.json, which records each stack's APIs and grants.",
  fix: "Remove the assignment (and every other one of the role, in every stack); remove the role only once no stack assigns it.",
  undecidable:
    "An assigned role id, or the application's app roles, that cannot be evaluated (dynamic blocks over unknown collections, counted app role resources): a note names the expression.",
  check(model) {
    const out: RuleResult[] = [];
    for (const at of model.instancesOf("azuread_app_role_assignment")) {
      const b = at.block.body;
      for (const sp of model.spsReferencedBy(b.resource_object_id)) {
        for (const appAddr of model.appOfSp(sp)) {
          const roles = declaredRoles(model, appAddr);
          if (roles === undefined) continue; // not an application of this module
          if (isUnknown(roles)) {
            out.push(note(ID, at, `The app roles of ${appAddr}`, roles));
            continue;
          }
          const assigned = assignedRole(model, b.app_role_id, at.bindings, appAddr, roles);
          if (isUnknown(assigned)) {
            out.push(note(ID, at, "app_role_id", assigned));
          } else if (assigned !== null) {
            const r = report(at, appAddr, assigned);
            if (r) out.push(r);
          }
        }
      }
    }
    return out;
  },
};

/** The assigned role: a literal id, or a look-up of the application's `app_role_ids`. */
function assignedRole(
  model: CheckModel,
  raw: unknown,
  bindings: Bindings,
  appAddr: string,
  roles: readonly DeclaredRole[],
): { id?: string; value?: string; role?: DeclaredRole } | Unknown | null {
  const value = model.mod.eval(raw, bindings);
  if (typeof value === "string" && isGuid(value)) {
    return { id: value, role: roles.find((r) => r.id === value.toLowerCase()) };
  }
  // azuread_application.<api>.app_role_ids["<value>"]: the role is found by its value.
  const lookup = model.mod
    .refs(raw, bindings)
    .find((r) => `${r.type}.${r.name}` === appAddr && r.path[0] === "app_role_ids");
  if (lookup) {
    const v = pathKey(model.mod, lookup.path, 1, bindings);
    if (isUnknown(v)) return v;
    if (typeof v === "string") return { value: v, role: roles.find((r) => r.value === v) };
  }
  if (isUnknown(value)) return value;
  return null; // a literal that is no role id: the provider refuses it
}

function report(
  at: Instance,
  appAddr: string,
  assigned: { id?: string; value?: string; role?: DeclaredRole },
): RuleResult | undefined {
  const what =
    assigned.id !== undefined ? `app role id ${assigned.id}` : `app role "${assigned.value}"`;
  if (!assigned.role) {
    return result(
      at,
      "error",
      `${at.address} assigns ${what}, which ${appAddr} does not declare: the role was removed (or the ${assigned.id !== undefined ? "id" : "value"} is wrong), so the assignment fails.`,
      "Remove the assignment (and every other one of the role, in every stack) before removing the role; or declare the role again.",
    );
  }
  if (assigned.role.enabled) return undefined;
  const named = assigned.role.value ? `"${assigned.role.value}" ` : "";
  return result(
    at,
    "error",
    `${at.address} assigns app role ${named}(${assigned.role.id}), which ${appAddr} declares disabled (retired): disabling a role does not revoke it, so the client keeps it in its tokens while this assignment exists.`,
    "Remove the assignment; remove the role only once no stack assigns it.",
  );
}

/**
 * The app roles an application of this module declares (its `app_role` blocks and
 * `azuread_application_app_role` resources): id, value and enabled. `undefined` for an address
 * that is not an `azuread_application` of this module; an Unknown when they cannot be evaluated.
 */
function declaredRoles(
  model: CheckModel,
  appAddr: string,
): readonly DeclaredRole[] | Unknown | undefined {
  const app = model.mod.block(appAddr);
  if (!app || app.type !== "azuread_application") return undefined;
  const out: DeclaredRole[] = [];
  const read = (
    body: Record<string, unknown>,
    bindings: Bindings,
    idKey: string,
  ): Unknown | undefined => {
    const id = model.mod.eval(body[idKey], bindings);
    const enabled = body.enabled === undefined ? true : model.mod.eval(body.enabled, bindings);
    const value = body.value === undefined ? undefined : model.mod.eval(body.value, bindings);
    if (isUnknown(id)) return id;
    if (isUnknown(enabled)) return enabled;
    if (typeof id !== "string" || typeof enabled !== "boolean") {
      return new Unknown(`an app role of ${appAddr} has no literal id or enabled flag`);
    }
    out.push({ id: id.toLowerCase(), enabled, ...(typeof value === "string" ? { value } : {}) });
    return undefined;
  };
  for (const role of model.blocks(app.body, "app_role", new Map())) {
    if (role.unknownIteration) {
      return new Unknown(`the app roles come from a dynamic block over ${role.unknownIteration}`);
    }
    const u = read(role.body, role.bindings, "id");
    if (u) return u;
  }
  for (const inst of model.instancesOf("azuread_application_app_role")) {
    if (!model.appsOf(inst.block.body).includes(appAddr)) continue;
    const u = read(inst.block.body, inst.bindings, "role_id");
    if (u) return u;
  }
  return out;
}
