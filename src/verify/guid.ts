/**
 * Entra ids (tenant, client, object) are GUIDs in 8-4-4-4-12 hexadecimal form. Microsoft's own
 * ids do not follow RFC 4122's version bits (e.g. `00000003-0000-0000-c000-000000000000`), so the
 * check is the shape only.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a string in GUID form (any letter case), except the nil GUID. */
export function isGuid(value: unknown): value is string {
  return typeof value === "string" && GUID.test(value) && !/^[0-]+$/.test(value);
}
