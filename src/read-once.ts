/**
 * Read-once snapshots of the options and props a caller passes in. Every factory and construct
 * copies what it is given, reading each property exactly once, and then validates and
 * synthesizes from the copy only: a getter (or a Proxy) that answers differently on a second read
 * cannot swap a checked value for an unchecked one. A getter or Proxy trap that throws surfaces
 * as a {@link MachineClientsError} naming where and which property, never as a foreign error.
 *
 * Pure TypeScript (no cdktf import).
 */
import { MachineClientsError, NO_VALUE, describeValue, escapeText, fail } from "./errors";

/** The most items a list in options or props may hold (far above any Entra limit). */
export const MAX_LIST_LENGTH = 10_000;

const READ_FIX =
  "Pass plain values (an object literal, an array), not getters or Proxies that throw.";

/**
 * Runs `read`, turning anything it throws other than a {@link MachineClientsError} into one that
 * names `where` and `what` was being read.
 */
export function readGuarded<T>(where: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof MachineClientsError) throw e;
    return fail(
      "OPTION_UNREADABLE",
      where,
      `reading ${escapeText(what, 200)} threw ${describeValue(e)}`,
      NO_VALUE,
      READ_FIX,
    );
  }
}

/**
 * A frozen copy of the properties `keys` of `value`, each read exactly once (a missing one is
 * `undefined`). `value` must be an object (callers check that first, with their own message).
 * @param name how messages name the object, e.g. `props` or `options`
 */
export function readProps<K extends string>(
  where: string,
  value: object,
  keys: readonly K[],
  name: string,
): { readonly [P in K]: unknown } {
  const copy = Object.create(null) as Record<K, unknown>;
  for (const key of keys) {
    copy[key] = readGuarded(where, `${name}.${key}`, () => readOwn(value, key));
  }
  return Object.freeze(copy);
}

/** The error of an options or props argument that is not an object: the caller's own wording. */
export interface NotAnObject {
  readonly code: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * {@link readProps} of an argument that must be an object: anything else fails with the
 * caller's `notAnObject` code, problem and fix, showing the value given.
 */
export function readObject<K extends string>(
  where: string,
  value: unknown,
  keys: readonly K[],
  name: string,
  notAnObject: NotAnObject,
): { readonly [P in K]: unknown } {
  if (typeof value !== "object" || value === null) {
    fail(notAnObject.code, where, notAnObject.problem, value, notAnObject.fix);
  }
  return readProps(where, value, keys, name);
}

/**
 * `value[key]`, read once, except that a value `value` only inherits from `Object.prototype` is
 * absent: a polluted prototype (`Object.prototype.preventDestroy = false`, set by a vulnerable
 * dependency) cannot supply an option nobody passed. Properties of the object itself and of its
 * own classes' prototypes (getters included) are read as usual.
 */
export function readOwn(value: object, key: PropertyKey): unknown {
  const v: unknown = (value as Record<PropertyKey, unknown>)[key];
  if (
    v !== undefined &&
    Object.prototype.hasOwnProperty.call(Object.prototype, key) &&
    (Object.prototype as unknown as Record<PropertyKey, unknown>)[key] === v &&
    !Object.prototype.hasOwnProperty.call(value, key)
  ) {
    return undefined;
  }
  return v;
}

/** True when `value` is an array (a Proxy over one included); a revoked Proxy is reported. */
export function isList(where: string, name: string, value: unknown): value is readonly unknown[] {
  return readGuarded(where, name, () => Array.isArray(value));
}

/**
 * A frozen copy of the array `value`: its `length` read once, then each element once, by index
 * (never through an iterator, which the array could override). Anything that is not an array is
 * returned as it is, for the caller's own check to report.
 * @param name how messages name the list, e.g. `props.access`
 * @throws MachineClientsError when the list holds more than {@link MAX_LIST_LENGTH} items
 */
export function readList(where: string, name: string, value: unknown): unknown {
  if (!isList(where, name, value)) return value;
  const length = readGuarded(where, `${name}.length`, () => value.length);
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_LIST_LENGTH) {
    fail(
      "LIST_TOO_LONG",
      where,
      `${escapeText(name, 200)} must hold at most ${MAX_LIST_LENGTH} items`,
      length,
      "Split the declaration.",
    );
  }
  const copy: unknown[] = [];
  for (let i = 0; i < length; i++) {
    copy.push(readGuarded(where, `${name}[${i}]`, () => value[i]));
  }
  return Object.freeze(copy);
}

/**
 * A frozen copy of a plain record of strings (e.g. tags): its own enumerable string keys listed
 * once, each value read once. Anything that is not a non-array object is returned as it is.
 */
export function readRecord(where: string, name: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || isList(where, name, value)) return value;
  const keys = readGuarded(where, name, () => Object.keys(value));
  const copy = Object.create(null) as Record<string, unknown>;
  if (keys.length > MAX_LIST_LENGTH) {
    fail(
      "LIST_TOO_LONG",
      where,
      `${escapeText(name, 200)} must hold at most ${MAX_LIST_LENGTH} entries`,
      keys.length,
      "Split the declaration.",
    );
  }
  for (const key of keys) {
    copy[key] = readGuarded(
      where,
      `${name}[${describeValue(key)}]`,
      () => (value as Record<string, unknown>)[key],
    );
  }
  return Object.freeze(copy);
}

/**
 * A copy of a `Date` made from one read of its time, or `value` as it is when it is not a Date.
 * (`Date.prototype.getTime` is called directly, so an overridden `getTime` is never run.)
 */
export function readDate(where: string, name: string, value: unknown): unknown {
  const isDate = readGuarded(where, name, () => value instanceof Date);
  if (!isDate) return value;
  const time = readGuarded(where, name, () => Date.prototype.getTime.call(value as Date));
  return new Date(time);
}
