import { fail } from "../errors";
import { MAX_DISPLAY_NAME_LENGTH } from "../limits";
import { isToken } from "../tokens";
import { isUuid } from "../vocabulary";

/** Checks a display name: a non-empty string of at most {@link MAX_DISPLAY_NAME_LENGTH} characters. */
export function checkDisplayName(where: string, value: unknown): void {
  if (isToken(value)) return;
  if (typeof value !== "string" || value.trim().length === 0) {
    fail(
      "DISPLAY_NAME_INVALID",
      where,
      "displayName must be a non-empty string",
      value,
      'Name the app as people will find it in the Entra portal, e.g. "billing-sync".',
    );
  }
  if (value.length > MAX_DISPLAY_NAME_LENGTH) {
    fail(
      "DISPLAY_NAME_TOO_LONG",
      where,
      `displayName is ${value.length} characters; Entra allows at most ${MAX_DISPLAY_NAME_LENGTH} for a single-tenant app registration`,
      value,
      `Shorten it to ${MAX_DISPLAY_NAME_LENGTH} characters or fewer.`,
    );
  }
}

/** Checks `owners`: absent (the deploying principal), or a non-empty list of object ids. */
export function checkOwners(where: string, owners: unknown): void {
  if (owners === undefined || isToken(owners)) return;
  if (!Array.isArray(owners) || owners.length === 0) {
    fail(
      "OWNERS_INVALID",
      where,
      "owners must be a non-empty list of object ids; an empty list leaves the app without an owner",
      owners,
      "List the owners' object ids, or leave owners out to make the deploying principal the owner.",
    );
  }
  const seen = new Set<string>();
  for (const owner of owners) {
    if (isToken(owner)) continue;
    if (!isUuid(owner)) {
      fail(
        "OWNER_NOT_OBJECT_ID",
        where,
        "each owner must be an object id (UUID) of a user or service principal",
        owner,
        "Use the object id, not a name or an e-mail address.",
      );
    }
    if (seen.has(owner.toLowerCase())) {
      fail("OWNER_DUPLICATE", where, "owner is listed twice", owner, "List each owner once.");
    }
    seen.add(owner.toLowerCase());
  }
}

/** The path a construct will have once created under `scope` with `id` (for errors before `super()`). */
export function futurePath(scope: { node: { path: string } }, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/**
 * Pins `keys` of `target` as own, read-only, non-configurable properties holding their current
 * values: a getter is read once, a method is the class's own function. Grants and clients read an
 * API's identity through these (client id, key, service principal, assignment hook), so nothing
 * can swap them afterwards, not even through a cast or `Object.defineProperty`.
 */
export function sealProperties(target: object, keys: readonly string[]): void {
  for (const key of keys) {
    const own = Object.getOwnPropertyDescriptor(target, key);
    if (own !== undefined && !own.configurable) continue;
    const value: unknown = (target as Record<string, unknown>)[key];
    Object.defineProperty(target, key, { value, writable: false, configurable: false });
  }
}
