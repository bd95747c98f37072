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

/** Where a construct is built, and the point in the shared-construct log when it started. */
export interface ConstructionStart {
  readonly scope: IConstruct;
  readonly stack: TerraformStack | undefined;
  /** The length of the stack's shared-construct log when construction started. */
  readonly mark: number;
}

/**
 * Per stack, every construct the library adds at stack level on behalf of a construct (the
 * deployer's `azuread_client_config`, service principal lookups), in creation order: what an undo
 * removes besides the construct itself. Shared constructs are few (per stack and API, not per
 * client), so a mark is O(1) where copying the stack's children was O(clients) per construct.
 */
const SHARED = new WeakMap<TerraformStack, IConstruct[]>();

function sharedLog(stack: TerraformStack): IConstruct[] {
  let log = SHARED.get(stack);
  if (!log) SHARED.set(stack, (log = []));
  return log;
}

/** Records a construct the library added at the level of `stack`, for {@link undoConstruction}. */
export function recordSharedConstruct(stack: TerraformStack, construct: IConstruct): void {
  sharedLog(stack).push(construct);
}

/**
 * Checks that the construct `id` can be created under `scope` (constructs would otherwise throw a
 * plain Error from inside `super()`), and marks the shared-construct log before it is built.
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
  return { scope, stack, mark: stack ? sharedLog(stack).length : 0 };
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

/** Removes the construct `id` from its scope, and every shared construct recorded since `start`. */
export function removeConstruction(start: ConstructionStart, id: string): void {
  start.scope.node.tryRemoveChild(id);
  for (const shared of start.stack ? sharedLog(start.stack).splice(start.mark) : []) {
    const parent = shared.node.scope;
    if (parent !== undefined && parent.node.tryFindChild(shared.node.id) === shared) {
      parent.node.tryRemoveChild(shared.node.id);
    }
  }
}
