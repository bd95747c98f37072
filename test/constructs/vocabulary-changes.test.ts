import { TerraformStack, Testing } from "cdktf";
import {
  ClientSecret,
  MachineClient,
  ProtectedApi,
  ScopeDefinitions,
  ScopeGrant,
  ScopeVocabulary,
  deriveRoleId,
} from "../../src";
import { TfJson } from "../util";

// For each change to a vocabulary, exactly which resources two synths (before, after) add,
// remove or change: the plan Terraform would make. No change of letter case or description
// replaces an assignment, and the safe sequences of docs/changing-a-vocabulary.md never
// delete an assignment that a client still needs.

const JUSTIFIED = { justification: "nightly repair job fixes stuck orders (OPS-17)" };

interface Program {
  readonly vocabulary: ScopeDefinitions;
  /** Each client's grants (client id → scopes). */
  readonly clients: Readonly<Record<string, readonly string[]>>;
}

/** Resources of one synth: "type.name" → configuration without metadata. */
function synthProgram(p: Program): Map<string, TfJson> {
  const stack = new TerraformStack(Testing.app(), "orders");
  const api = new ProtectedApi(stack, "OrdersApi", {
    displayName: "orders-api",
    identifierUri: "api://contoso.example/orders",
    vocabulary: ScopeVocabulary.define(p.vocabulary as never) as unknown as ScopeVocabulary,
  });
  const grant = (s: string): ScopeGrant =>
    (api as unknown as { grant(s: string, o?: object): ScopeGrant }).grant(
      s,
      p.vocabulary[s]?.privileged ? JUSTIFIED : undefined,
    );
  for (const [id, scopes] of Object.entries(p.clients)) {
    new MachineClient(stack, id, {
      displayName: id.toLowerCase(),
      access: scopes.map(grant),
      credential: ClientSecret.rotating(),
    });
  }
  const json = JSON.parse(Testing.synth(stack));
  const out = new Map<string, TfJson>();
  for (const [type, byName] of Object.entries(json.resource as Record<string, TfJson>)) {
    for (const [name, config] of Object.entries(byName as Record<string, TfJson>)) {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { "//": _meta, ...rest } = config;
      out.set(`${type}.${name}`, rest);
    }
  }
  return out;
}

/** What changes between two programs, by readable resource kind (see `label`). */
function changes(before: Program, after: Program) {
  const a = synthProgram(before);
  const b = synthProgram(after);
  const added = [...b.keys()].filter((k) => !a.has(k)).map((k) => label(k, b.get(k)!));
  const removed = [...a.keys()].filter((k) => !b.has(k)).map((k) => label(k, a.get(k)!));
  const changed = [...a.keys()]
    .filter((k) => b.has(k) && JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)))
    .map((k) => label(k, b.get(k)!));
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

const ROLE_NAMES = new Map(
  ["orders.read", "orders.view", "orders.write", "orders.admin"].map((v) => [deriveRoleId(v), v]),
);

/** "assignment Billing orders.read", "application OrdersApi", "time_sleep OrdersApi", … */
function label(address: string, config: TfJson): string {
  const [type, name] = address.split(".");
  const owner = name.split("_")[0];
  if (type === "azuread_app_role_assignment") {
    return `assignment ${owner} ${ROLE_NAMES.get(config.app_role_id) ?? config.app_role_id}`;
  }
  return `${type.replace(/^azuread_/, "")} ${owner}`;
}

const base: Program = {
  vocabulary: {
    "orders.read": { description: "Read orders" },
    "orders.write": { description: "Create and update orders" },
    "orders.admin": { description: "Manage all orders", privileged: true },
  },
  clients: { Billing: ["orders.read"], Ops: ["orders.write", "orders.admin"] },
};

const withVocabulary = (p: Program, vocabulary: ScopeDefinitions, clients = p.clients) => ({
  vocabulary,
  clients,
});

describe("which resources a vocabulary change touches", () => {
  it("a change of letter case updates the API's app role in place, and nothing else", () => {
    const after = withVocabulary(
      base,
      {
        "Orders.Read": { description: "Read orders" },
        "orders.write": { description: "Create and update orders" },
        "orders.admin": { description: "Manage all orders", privileged: true },
      },
      { Billing: ["Orders.Read"], Ops: ["orders.write", "orders.admin"] },
    );
    expect(changes(base, after)).toEqual({
      added: [],
      removed: [],
      changed: ["application OrdersApi"],
    });
  });

  it("a description or display name change updates the API's app role in place, and nothing else", () => {
    const after = withVocabulary(base, {
      ...base.vocabulary,
      "orders.read": { description: "Read every order", displayName: "Read orders" },
    });
    expect(changes(base, after)).toEqual({
      added: [],
      removed: [],
      changed: ["application OrdersApi"],
    });
  });

  describe("renaming orders.read to orders.view", () => {
    // Step 1: add the new name and move the grants (grant("orders.read") no longer compiles).
    const step1 = withVocabulary(
      base,
      {
        "orders.view": { description: "Read orders", renamedFrom: "orders.read" },
        "orders.write": { description: "Create and update orders" },
        "orders.admin": { description: "Manage all orders", privileged: true },
      },
      { Billing: ["orders.view"], Ops: ["orders.write", "orders.admin"] },
    );
    // Step 2: retire the old name.
    const step2 = withVocabulary(step1, {
      ...step1.vocabulary,
      "orders.view": {
        description: "Read orders",
        renamedFrom: { value: "orders.read", retired: true },
      },
    });
    // Step 3: remove it.
    const step3 = withVocabulary(step1, {
      ...step1.vocabulary,
      "orders.view": { description: "Read orders" },
    });

    it("1. adds the new role and the new assignment, keeping the old assignment", () => {
      expect(changes(base, step1)).toEqual({
        added: ["assignment Billing orders.view"],
        removed: [],
        // The API gains a role (and waits for it to replicate); the client requests both.
        changed: ["application Billing", "application OrdersApi", "time_sleep OrdersApi"],
      });
    });

    it("2. disables the old role and deletes only the old assignment", () => {
      expect(changes(step1, step2)).toEqual({
        added: [],
        removed: ["assignment Billing orders.read"],
        changed: ["application Billing", "application OrdersApi", "time_sleep OrdersApi"],
      });
    });

    it("3. removes the disabled old role, and nothing else", () => {
      expect(changes(step2, step3)).toEqual({
        added: [],
        removed: [],
        changed: ["application OrdersApi"],
      });
    });
  });

  describe("retiring orders.admin", () => {
    // Step 1: retire it; grant("orders.admin") no longer compiles, so this program's grants
    // go in the same change (other stacks remove theirs next: MC-RETIRED-PERMISSION, MCC012).
    const retired = withVocabulary(
      base,
      {
        ...base.vocabulary,
        "orders.admin": {
          description: "Manage all orders",
          privileged: true,
          retired: { replacedBy: "orders.write" },
        },
      },
      { Billing: ["orders.read"], Ops: ["orders.write"] },
    );
    // Step 2: remove the entry once no stack grants it.
    const removed = withVocabulary(
      retired,
      {
        "orders.read": { description: "Read orders" },
        "orders.write": { description: "Create and update orders" },
      },
      retired.clients,
    );

    it("1. disables the role and deletes its assignments, keeping the others", () => {
      expect(changes(base, retired)).toEqual({
        added: [],
        removed: ["assignment Ops orders.admin"],
        changed: ["application Ops", "application OrdersApi", "time_sleep OrdersApi"],
      });
    });

    it("2. removes the disabled role, and nothing else", () => {
      expect(changes(retired, removed)).toEqual({
        added: [],
        removed: [],
        changed: ["application OrdersApi"],
      });
    });
  });

  it("removing an entry nobody grants updates the API only (and its replication trigger)", () => {
    const unused: Program = { ...base, clients: { Billing: ["orders.read"] } };
    const after = withVocabulary(unused, {
      "orders.read": { description: "Read orders" },
      "orders.admin": { description: "Manage all orders", privileged: true },
    });
    expect(changes(unused, after)).toEqual({
      added: [],
      removed: [],
      changed: ["application OrdersApi", "time_sleep OrdersApi"],
    });
  });

  it("adding a role and its first grant in one change waits for it: the assignment depends on the wait", () => {
    const after = withVocabulary(
      base,
      { ...base.vocabulary, "orders.export": { description: "Export orders" } },
      { ...base.clients, Billing: ["orders.read", "orders.export"] },
    );
    const diff = changes(base, after);
    expect(diff.changed).toEqual([
      "application Billing",
      "application OrdersApi",
      "time_sleep OrdersApi",
    ]);
    expect(diff.added).toHaveLength(1);
    const resources = synthProgram(after);
    const [, assignment] = [...resources].find(
      ([, r]) => r.app_role_id === deriveRoleId("orders.export"),
    )!;
    expect(assignment.depends_on).toEqual([
      [...resources.keys()].find((k) => k.startsWith("time_sleep.")),
    ]);
  });
});
