import { TerraformStack, Testing } from "cdktf";

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

/** The construct path recorded on each resource of a type. */
export function pathsOf(json: TfJson, type: string): string[] {
  return Object.values((json.resource?.[type] ?? {}) as Record<string, TfJson>).map(
    (r) => r["//"].metadata.path,
  );
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
