// Types of bench/synth-workload.js, for test/bench/synth-workload.test.ts.
import { TerraformStack } from "cdktf";

/** One of the two APIs of the workload. */
export interface WorkloadApi {
  readonly id: string;
  readonly displayName: string;
  readonly identifierUri: string;
  readonly scopes: Record<string, { description: string; privileged?: boolean }>;
}

/** The two APIs every client is granted on. */
export const APIS: readonly WorkloadApi[];

/** Declares the workload with the library module `lib` (the built lib/ or src/). */
export function buildWithLibrary(lib: unknown, stack: TerraformStack, n: number): void;

/** Declares the same resources by hand with the provider classes. */
export function buildRaw(stack: TerraformStack, n: number): void;
