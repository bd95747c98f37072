import { v5 as uuidv5 } from "uuid";
import { isGuid } from "../identifier-uri";

/**
 * The fixed namespace under which app role ids are derived: UUIDv5 of the name
 * `cdktf-machine-clients/app-role-id` under the RFC 4122 URL namespace. It never changes: changing
 * it would change every derived role id, and Entra refuses to update or delete an enabled role.
 */
export const ROLE_ID_NAMESPACE = "bb32304d-e960-5972-9540-9b53107e1da7";

/**
 * Derives the app role id of a permission value: UUIDv5 of the value in lower case under
 * {@link ROLE_ID_NAMESPACE}. Only the value goes in — not the API, the construct path, the time or
 * the declaration order — so the id survives construct renames, identifier URI changes and
 * re-ordering. Lower case, because Entra compares values case-insensitively: a change of letter
 * case only is an in-place update of the same role.
 */
export function deriveRoleId(scopeValue: string): string {
  return uuidv5(scopeValue.toLowerCase(), ROLE_ID_NAMESPACE);
}

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * True for a non-nil GUID in 8-4-4-4-12 hexadecimal form (any letter case, any version and
 * variant): every id Entra accepts for a client, an app role or an owner. Microsoft's first-party
 * ids do not follow RFC 4122 (Exchange Online's client id is `00000002-0000-0ff1-ce00-000000000000`),
 * so the check is the shape only ({@link isGuid}).
 */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && isGuid(value) && value.toLowerCase() !== NIL_UUID;
}
