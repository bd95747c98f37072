/**
 * The manifest lists each client's rule suppressions with their reasons. Suppressions belong to
 * the policy code; it registers a reader here so that the inventory never imports it (and the
 * policy code, free of cdktf, can register without importing the construct layer).
 * Pure TypeScript: no cdktf import.
 */

/** One suppressed rule, as recorded in the manifest. */
export interface SuppressionModel {
  /** The suppressed rule's id. */
  readonly id: string;
  /** Why it is suppressed. */
  readonly reason: string;
}

/** Returns the suppressions that apply to a construct (a machine client), as plain data. */
export type SuppressionsReader = (construct: object) => readonly SuppressionModel[];

let reader: SuppressionsReader | undefined;

/**
 * Registers the function that reads a construct's suppressions, for the manifest. The policy
 * code calls this once; a later call replaces the reader.
 */
export function registerSuppressionsReader(fn: SuppressionsReader | undefined): void {
  reader = fn;
}

/** The suppressions of a construct: empty until a reader is registered. */
export function suppressionsOf(construct: object): readonly SuppressionModel[] {
  return reader ? reader(construct) : [];
}
