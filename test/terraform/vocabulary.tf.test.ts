/**
 * Vocabulary changes against the real `terraform` binary: the synthesized stack's provider
 * resources become built-in `terraform_data` stand-ins (no provider is downloaded), the first
 * program is applied, and the second is planned. What the plan says about each app role
 * assignment (create, delete, replace, or a move) is Terraform's own answer, not a model of it.
 *
 * Self-contained on purpose: the shared real-Terraform harness (test/terraform/harness.ts,
 * issue 11) had not landed when this was written; the conversion below does only what these
 * scenarios need and follows the same conventions (stand-in `terraform_data.<type>__<name>`,
 * `input` holding the arguments, `triggers_replace` the arguments that force a new resource).
 * It fails, never skips, without `terraform` on PATH.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import {
  FederatedCredential,
  MachineClient,
  ProtectedApi,
  ScopeDefinitions,
  ScopeGrant,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";

type TfJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Arguments that force a new resource in the real providers (azuread 3.7.0, time 0.13). */
const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  azuread_app_role_assignment: ["app_role_id", "principal_object_id", "resource_object_id"],
  azuread_service_principal: ["client_id"],
  azuread_application_federated_identity_credential: ["application_id"],
  time_sleep: ["triggers"],
};

const standIn = (type: string, name: string) => `${type}__${name}`;

/** The synthesized stack with every provider resource replaced by a terraform_data stand-in. */
function convert(stack: TfJson): TfJson {
  const types = new Map<string, string>(); // "type.name" → stand-in name
  for (const [type, byName] of Object.entries<TfJson>(stack.resource)) {
    for (const name of Object.keys(byName)) types.set(`${type}.${name}`, standIn(type, name));
  }
  const ref = /\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)*)\}/g;
  const rewrite = (v: unknown): unknown => {
    if (typeof v === "string") {
      return v.replace(ref, (whole, data, type, name) => {
        if (data) return `stand-in for ${whole.slice(2, -1)}`;
        const s = types.get(`${type}.${name}`);
        // Every attribute read across resources here is computed by the provider (ids):
        // the stand-in's id, which changes whenever it is replaced.
        return s ? `\${terraform_data.${s}.id}` : whole;
      });
    }
    if (Array.isArray(v)) return v.map(rewrite);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    }
    return v;
  };
  // A resource address (in depends_on and moved blocks, whose `from` is in no configuration).
  const address = (a: string) => {
    const [type, name] = a.split(".");
    return type === "terraform_data" ? a : `terraform_data.${standIn(type, name)}`;
  };
  const resources: TfJson = {};
  for (const [type, byName] of Object.entries<TfJson>(stack.resource)) {
    for (const [name, body] of Object.entries<TfJson>(byName)) {
      const { lifecycle, depends_on: dependsOn, ...rest } = body;
      delete rest["//"];
      const input = rewrite(rest) as TfJson;
      const data: TfJson = { input };
      const forceNew = (FORCE_NEW[type] ?? []).filter((k) => input[k] !== undefined);
      if (forceNew.length > 0) {
        data.triggers_replace = Object.fromEntries(
          forceNew.map((k) => [
            k,
            typeof input[k] === "string" ? input[k] : JSON.stringify(input[k]),
          ]),
        );
      }
      if (lifecycle?.prevent_destroy !== undefined) {
        data.lifecycle = { prevent_destroy: lifecycle.prevent_destroy };
      }
      if (Array.isArray(dependsOn)) data.depends_on = dependsOn.map(address);
      resources[standIn(type, name)] = data;
    }
  }
  return {
    resource: { terraform_data: resources },
    ...(stack.moved
      ? {
          moved: stack.moved.map((m: { from: string; to: string }) => ({
            from: address(m.from),
            to: address(m.to),
          })),
        }
      : {}),
  };
}

/** A Terraform working directory driven step by step. */
class Workspace {
  public readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "mcc-vocabulary-tf-"));

  public write(config: TfJson): void {
    fs.writeFileSync(path.join(this.dir, "main.tf.json"), JSON.stringify(config, null, 2));
  }

  public tf(...args: string[]): string {
    return execFileSync("terraform", args, {
      cwd: this.dir,
      encoding: "utf8",
      env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  public apply(): void {
    this.tf("init", "-input=false", "-no-color");
    this.tf("apply", "-auto-approve", "-input=false", "-no-color");
  }

  /** The plan's changes: address → actions (and the address it moved from, if any). */
  public plan(): Map<string, { actions: string[]; movedFrom?: string }> {
    this.tf("plan", "-out=plan.bin", "-input=false", "-no-color");
    const plan = JSON.parse(this.tf("show", "-json", "plan.bin"));
    return new Map(
      (plan.resource_changes as TfJson[]).map((c) => [
        c.address,
        {
          actions: c.change.actions,
          ...(c.previous_address ? { movedFrom: c.previous_address } : {}),
        },
      ]),
    );
  }

  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Program {
  readonly vocabulary: ScopeDefinitions;
  readonly clients: Readonly<Record<string, readonly string[]>>;
}

function synthProgram(p: Program): TfJson {
  const stack = new TerraformStack(Testing.app(), "orders");
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: ScopeVocabulary.define(p.vocabulary as never) as unknown as ScopeVocabulary,
  });
  const grant = (s: string) => (api as unknown as { grant(s: string): ScopeGrant }).grant(s);
  for (const [id, scopes] of Object.entries(p.clients)) {
    new MachineClient(stack, id, {
      displayName: id.toLowerCase(),
      access: scopes.map(grant),
      // Federated: no provider function in the stack, so every resource has a stand-in.
      credential: FederatedCredential.githubActions({
        organization: "contoso",
        repository: id.toLowerCase(),
        ref: "refs/heads/main",
      }),
    });
  }
  return JSON.parse(Testing.synth(stack));
}

const base: Program = {
  vocabulary: {
    "orders.read": { description: "Read orders" },
    "orders.write": { description: "Create and update orders" },
    "orders.export": { description: "Export orders" },
  },
  clients: { Billing: ["orders.read"], Ops: ["orders.write", "orders.export"] },
};

/** Applies `before`, plans `after`, and returns what the plan does to each kind of resource. */
function planChange(
  before: Program,
  after: Program,
  adjust: (converted: TfJson) => TfJson = (c) => c,
  adjustAfter: (converted: TfJson) => TfJson = (c) => c,
) {
  const ws = new Workspace();
  try {
    ws.write(adjust(convert(synthProgram(before))));
    ws.apply();
    const afterJson = synthProgram(after);
    ws.write(adjustAfter(convert(afterJson)));
    return { changes: ws.plan(), afterJson };
  } finally {
    ws.remove();
  }
}

/** The planned actions of the assignments, the API's application and its replication wait. */
function summary(changes: Map<string, { actions: string[]; movedFrom?: string }>) {
  const out: Record<string, string[]> = { assignments: [], api: [], wait: [] };
  for (const [address, c] of changes) {
    const action = c.actions.join("+");
    if (address.includes("azuread_app_role_assignment__")) out.assignments.push(action);
    else if (address.includes("azuread_application__OrdersApi")) out.api.push(action);
    else if (address.includes("time_sleep__")) out.wait.push(action);
  }
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

describe("vocabulary changes planned by the real terraform binary", () => {
  it("a change of letter case updates the API in place and touches no assignment", () => {
    const after: Program = {
      vocabulary: {
        "Orders.Read": { description: "Read orders" },
        "orders.write": { description: "Create and update orders" },
        "orders.export": { description: "Export orders" },
      },
      clients: { Billing: ["Orders.Read"], Ops: ["orders.write", "orders.export"] },
    };
    const { changes } = planChange(base, after);
    expect(summary(changes)).toEqual({
      assignments: ["no-op", "no-op", "no-op"],
      api: ["update"],
      wait: ["no-op"],
    });
  });

  it("a description change updates the API in place and touches no assignment", () => {
    const after: Program = {
      ...base,
      vocabulary: { ...base.vocabulary, "orders.read": { description: "Read every order" } },
    };
    expect(summary(planChange(base, after).changes)).toEqual({
      assignments: ["no-op", "no-op", "no-op"],
      api: ["update"],
      wait: ["no-op"],
    });
  });

  it("retiring a permission deletes its assignment only: none is replaced", () => {
    const after: Program = {
      vocabulary: {
        ...base.vocabulary,
        "orders.export": { description: "Export orders", retired: { replacedBy: "orders.read" } },
      },
      clients: { Billing: ["orders.read"], Ops: ["orders.write"] },
    };
    const { changes } = planChange(base, after);
    expect(summary(changes)).toEqual({
      assignments: ["delete", "no-op", "no-op"],
      api: ["update"],
      // The set of assignable roles changed: the wait is replaced (it waits only on create).
      wait: ["delete+create"],
    });
    const deleted = [...changes].filter(([, c]) => c.actions.join() === "delete");
    expect(deleted.map(([a]) => a)).toEqual([
      expect.stringContaining("azuread_app_role_assignment__Ops_Grant-"),
    ]);
  });

  it("renaming adds the new assignment and keeps the old one: nothing is deleted or replaced", () => {
    const after: Program = {
      vocabulary: {
        "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
        "orders.write": { description: "Create and update orders" },
        "orders.export": { description: "Export orders" },
      },
      clients: { Billing: ["orders.view"], Ops: ["orders.write", "orders.export"] },
    };
    const { changes, afterJson } = planChange(base, after);
    expect(summary(changes)).toEqual({
      assignments: ["create", "no-op", "no-op", "no-op"],
      api: ["update"],
      wait: ["delete+create"],
    });
    // The new assignment is created after the wait, which follows the API's update.
    const created = Object.values<TfJson>(afterJson.resource.azuread_app_role_assignment).find(
      (a) => a.app_role_id === deriveRoleId("orders.view"),
    )!;
    expect(created.depends_on).toEqual([
      expect.stringMatching(/^time_sleep\.OrdersApi_RoleReplication_/),
    ]);
  });

  // The state as 0.1 left it: the same resources at the addresses 0.1 gave the assignments
  // (the moved blocks' `from`), without moves.
  const legacy = (converted: TfJson): TfJson => {
    const resources: TfJson = { ...converted.resource.terraform_data };
    for (const m of converted.moved as { from: string; to: string }[]) {
      const to = m.to.replace("terraform_data.", "");
      const from = m.from.replace("terraform_data.", "");
      resources[from] = resources[to];
      delete resources[to];
    }
    return { resource: { terraform_data: resources } };
  };

  it("(control) without the moved blocks, upgrading would replace every assignment", () => {
    const withoutMoves = (c: TfJson): TfJson => ({ resource: c.resource });
    const { changes } = planChange(base, base, legacy, withoutMoves);
    expect(summary(changes).assignments).toEqual([
      "create",
      "create",
      "create",
      "delete",
      "delete",
      "delete",
    ]);
  });

  it("upgrading from 0.1's addresses moves every assignment and replaces none", () => {
    const { changes } = planChange(base, base, legacy);
    const assignments = [...changes].filter(([a]) => a.includes("azuread_app_role_assignment__"));
    expect(assignments).toHaveLength(3);
    for (const [, c] of assignments) {
      expect(c.actions).toEqual(["no-op"]);
      expect(c.movedFrom).toMatch(
        /^terraform_data\.azuread_app_role_assignment__(Billing|Ops)_Grant-[0-9a-f]{8}-orders(read|write|export)_[0-9A-F]{8}$/,
      );
    }
  });
});
