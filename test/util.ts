import { TerraformOutput, TerraformResource, TerraformStack, Testing } from "cdktf";
import { IConstruct } from "constructs";

/** A fresh app and stack for one test. */
export function newStack(id = "test"): TerraformStack {
  return new TerraformStack(Testing.app(), id);
}

/** The stack's synthesized Terraform JSON, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = Record<string, any>;
export function synth(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack));
}

/** The resources of one type, as a list of their configurations (metadata removed). */
export function resourcesOf(json: TfJson, type: string): TfJson[] {
  return Object.values((json.resource?.[type] ?? {}) as Record<string, TfJson>).map(stripMeta);
}

/** The data sources of one type, as a list of their configurations (metadata removed). */
export function dataOf(json: TfJson, type: string): TfJson[] {
  return Object.values((json.data?.[type] ?? {}) as Record<string, TfJson>).map(stripMeta);
}

/** The paths of every construct under `scope`, for checking that nothing was half-built. */
export function constructPaths(scope: IConstruct): string[] {
  return scope.node.findAll().map((c) => c.node.path);
}

/** The Terraform expression for an attribute of a resource, e.g. "${azuread_application.x.client_id}". */
export function ref(resource: TerraformResource, attribute: string): string {
  return `\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.${attribute}}`;
}

function stripMeta(r: TfJson): TfJson {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { "//": _meta, ...rest } = r;
  return rest;
}

/** Runs `fn` and returns the error it throws (fails the test when it does not throw). */
export function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to throw, but it returned");
}

let resolveCounter = 0;
/** What a token (or any value) resolves to in `stack`'s synthesized JSON. */
export function resolveIn(stack: TerraformStack, value: unknown): unknown {
  const id = `ResolveInTest${resolveCounter++}`;
  new TerraformOutput(stack, id, { value });
  try {
    return synth(stack).output[id].value;
  } finally {
    stack.node.tryRemoveChild(id);
  }
}
