/**
 * Nothing half-built: a construct validates everything it can before `super()`, and whatever
 * can still fail after it (code outside the library, such as an `IApi` implementation) is undone
 * by {@link undoConstruction}: the construct is removed from its parent, and so is every construct
 * it added to its stack (shared lookups, the deployer data source), so that a failed declaration
 * leaves nothing in the tree, the synthesized JSON or `machine-clients.json`.
 */
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { MachineClientsError, NO_VALUE, describeValue, fail } from "../errors";

/** What the tree looked like before a construct was built under `scope`. */
export interface ConstructionStart {
  readonly scope: IConstruct;
  readonly stack: TerraformStack | undefined;
  readonly stackChildren: ReadonlySet<IConstruct>;
}

/**
 * Checks that the construct `id` can be created under `scope` (constructs would otherwise throw a
 * plain Error from inside `super()`), and records the stack's children before it is built.
 * @throws MachineClientsError when `id` is not a string or is already taken under `scope`
 */
export function startConstruction(scope: IConstruct, id: string, where: string): ConstructionStart {
  if (typeof id !== "string") {
    fail(
      "CONSTRUCT_ID_INVALID",
      where,
      "the construct id must be a string",
      id,
      'Pass an id such as "BillingSync".',
    );
  }
  // constructs turns "/" into "--": "a/b" and "a--b" are the same id.
  const sanitized = id.split("/").join("--");
  if (scope.node.tryFindChild(sanitized) !== undefined) {
    fail(
      "CONSTRUCT_ID_TAKEN",
      where,
      `${describeValue(scope.node.path || "the app")} already holds a construct with this id${sanitized !== id ? ` (as ${describeValue(sanitized)}: "/" becomes "--")` : ""}`,
      id,
      "Give each construct its own id.",
    );
  }
  let stack: TerraformStack | undefined;
  try {
    stack = TerraformStack.of(scope);
  } catch {
    stack = undefined; // not in a stack: cdktf reports it when the construct is created
  }
  return { scope, stack, stackChildren: new Set(stack?.node.children ?? []) };
}

/**
 * Removes the construct `id` from its scope, and every construct added to the stack since
 * `start`, then throws `error` as a {@link MachineClientsError} naming `where`.
 */
export function undoConstruction(
  start: ConstructionStart,
  id: string,
  where: string,
  error: unknown,
): never {
  removeConstruction(start, id);
  if (error instanceof MachineClientsError) throw error;
  return fail(
    "CONSTRUCTION_FAILED",
    where,
    `building the construct failed, and it was removed from the tree: ${describeValue(error)}`,
    NO_VALUE,
    "Check the values and the API implementations passed in; if they are valid, report this.",
  );
}

/** Removes the construct `id` from its scope, and every construct added to the stack since `start`. */
export function removeConstruction(start: ConstructionStart, id: string): void {
  start.scope.node.tryRemoveChild(id);
  if (start.stack) {
    for (const child of start.stack.node.children) {
      if (!start.stackChildren.has(child)) start.stack.node.tryRemoveChild(child.node.id);
    }
  }
}
