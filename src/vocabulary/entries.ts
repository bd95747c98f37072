import { describeValue, fail } from "../errors";
import { readGuarded } from "../read-once";

/** What differs between the application and the delegated vocabulary when reading definitions. */
export interface EntryRules<E extends { readonly value: string }> {
  /** The API call, for error messages (e.g. `ScopeVocabulary.define`). */
  readonly where: string;
  /** An example definitions object, for the fix of a non-object. */
  readonly example: string;
  /** The problem and fix of an empty vocabulary. */
  readonly empty: { readonly problem: string; readonly fix: string };
  /** Checks a scope value; throws a MachineClientsError when it breaks a rule. */
  checkValue(value: string): void;
  /** Reads one definition; throws a MachineClientsError naming `where` when it is invalid. */
  build(value: string, definition: unknown, where: string): E;
  /** The entry's id, which must be distinct within the vocabulary. */
  idOf(entry: E): string;
  /** The code and wording of a duplicate id. */
  readonly duplicateId: { readonly code: string; problem(id: string, other: string): string };
}

/**
 * Reads a vocabulary's definitions: an object of scope value → definition, non-empty, values
 * distinct ignoring case (Entra compares them so), ids distinct. Returns the entries sorted by
 * value (ordinal) and frozen, so that the output never depends on declaration order.
 */
export function readEntries<E extends { readonly value: string }>(
  definitions: unknown,
  rules: EntryRules<E>,
): readonly E[] {
  const { where: at } = rules;
  if (typeof definitions !== "object" || definitions === null || Array.isArray(definitions)) {
    fail(
      "VOCABULARY_NOT_OBJECT",
      at,
      "expects an object of scope value → definition",
      definitions,
      `Pass e.g. ${rules.example}.`,
    );
  }
  const keys = readGuarded(at, "the definitions", () => Object.keys(definitions));
  if (keys.length === 0)
    fail("VOCABULARY_EMPTY", at, rules.empty.problem, definitions, rules.empty.fix);
  const seenLower = new Map<string, string>();
  const seenIds = new Map<string, string>();
  const entries: E[] = [];
  for (const value of keys) {
    rules.checkValue(value);
    const where = `${at} › ${describeValue(value)}`;
    const twin = seenLower.get(value.toLowerCase());
    if (twin !== undefined) {
      fail(
        "SCOPE_DUPLICATE_CASE",
        where,
        `${describeValue(value)} and ${describeValue(twin)} are the same scope to Entra, which compares values ignoring case`,
        value,
        "Keep one of them.",
      );
    }
    seenLower.set(value.toLowerCase(), value);
    const entry = readGuarded(where, "the definition", () =>
      rules.build(value, (definitions as Record<string, unknown>)[value], where),
    );
    const id = rules.idOf(entry);
    const other = seenIds.get(id);
    if (other !== undefined) {
      fail(
        rules.duplicateId.code,
        where,
        rules.duplicateId.problem(id, other),
        id,
        "Give each scope its own id, or leave `id` out to derive one.",
      );
    }
    seenIds.set(id, value);
    entries.push(entry);
  }
  entries.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return Object.freeze(entries);
}
