/**
 * Vocabulary changes against the real `terraform` binary, through the tier's harness
 * (harness.ts: provider resources become built-in `terraform_data` stand-ins): the first program
 * is applied, and the second is planned. What the plan says about each app role assignment
 * (create, delete, replace, or a move) is Terraform's own answer, not a model of it.
 */
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
import { PlannedChange, TfJson, Workspace } from "./harness";

/** Any plan time: nothing here depends on it. */
const NOW = Date.UTC(2026, 10, 30) / 1000;

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

/** Applies `before`, plans `after`, and returns what the plan does to each resource. */
async function planChange(
  before: Program,
  after: Program,
  adjust: (converted: TfJson) => TfJson = (c) => c,
  adjustAfter: (converted: TfJson) => TfJson = (c) => c,
) {
  const ws = Workspace.create("vocabulary");
  try {
    ws.write(synthProgram(before), adjust);
    await ws.apply(NOW);
    const afterJson = synthProgram(after);
    ws.write(afterJson, adjustAfter);
    return { changes: await ws.plan(NOW, { noOps: true }), afterJson };
  } finally {
    ws.remove();
  }
}

/** The planned actions of the assignments, the API's application and its replication wait. */
function summary(changes: readonly PlannedChange[]) {
  const out: Record<string, string[]> = { assignments: [], api: [], wait: [] };
  for (const { address, actions } of changes) {
    const action = actions.join("+");
    if (address.includes("azuread_app_role_assignment__")) out.assignments.push(action);
    else if (address.includes("azuread_application__OrdersApi")) out.api.push(action);
    else if (address.includes("time_sleep__")) out.wait.push(action);
  }
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

describe("vocabulary changes planned by the real terraform binary", () => {
  it("a change of letter case updates the API in place and touches no assignment", async () => {
    const after: Program = {
      vocabulary: {
        "Orders.Read": { description: "Read orders" },
        "orders.write": { description: "Create and update orders" },
        "orders.export": { description: "Export orders" },
      },
      clients: { Billing: ["Orders.Read"], Ops: ["orders.write", "orders.export"] },
    };
    const { changes } = await planChange(base, after);
    expect(summary(changes)).toEqual({
      assignments: ["no-op", "no-op", "no-op"],
      api: ["update"],
      wait: ["no-op"],
    });
  });

  it("a description change updates the API in place and touches no assignment", async () => {
    const after: Program = {
      ...base,
      vocabulary: { ...base.vocabulary, "orders.read": { description: "Read every order" } },
    };
    expect(summary((await planChange(base, after)).changes)).toEqual({
      assignments: ["no-op", "no-op", "no-op"],
      api: ["update"],
      wait: ["no-op"],
    });
  });

  it("retiring a permission deletes its assignment only: none is replaced", async () => {
    const after: Program = {
      vocabulary: {
        ...base.vocabulary,
        "orders.export": { description: "Export orders", retired: { replacedBy: "orders.read" } },
      },
      clients: { Billing: ["orders.read"], Ops: ["orders.write"] },
    };
    const { changes } = await planChange(base, after);
    expect(summary(changes)).toEqual({
      assignments: ["delete", "no-op", "no-op"],
      api: ["update"],
      // The set of assignable roles changed: the wait is replaced (it waits only on create).
      wait: ["delete+create"],
    });
    const deleted = changes.filter((c) => c.actions.join() === "delete");
    expect(deleted.map((c) => c.address)).toEqual([
      expect.stringContaining("azuread_app_role_assignment__Ops_Grant-"),
    ]);
  });

  it("renaming adds the new assignment and keeps the old one: nothing is deleted or replaced", async () => {
    const after: Program = {
      vocabulary: {
        "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
        "orders.write": { description: "Create and update orders" },
        "orders.export": { description: "Export orders" },
      },
      clients: { Billing: ["orders.view"], Ops: ["orders.write", "orders.export"] },
    };
    const { changes, afterJson } = await planChange(base, after);
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
    const { moved: _moved, ...rest } = converted; // eslint-disable-line @typescript-eslint/no-unused-vars
    return { ...rest, resource: { terraform_data: resources } };
  };

  it("(control) without the moved blocks, upgrading would replace every assignment", async () => {
    const withoutMoves = ({ moved: _moved, ...c }: TfJson): TfJson => c;
    const { changes } = await planChange(base, base, legacy, withoutMoves);
    expect(summary(changes).assignments).toEqual([
      "create",
      "create",
      "create",
      "delete",
      "delete",
      "delete",
    ]);
  });

  it("upgrading from 0.1's addresses moves every assignment and replaces none", async () => {
    const { changes } = await planChange(base, base, legacy);
    const assignments = changes.filter((c) => c.address.includes("azuread_app_role_assignment__"));
    expect(assignments).toHaveLength(3);
    for (const c of assignments) {
      expect(c.actions).toEqual(["no-op"]);
      expect(c.movedFrom).toMatch(
        /^terraform_data\.azuread_app_role_assignment__(Billing|Ops)_Grant-[0-9a-f]{8}-orders(read|write|export)_[0-9A-F]{8}$/,
      );
    }
  });
});
