/**
 * The construct ids of app role assignments, in one place: what makes an assignment's Terraform
 * address, and so whether a change to a vocabulary or an API replaces it.
 *
 * An assignment is keyed on the API and the app role's **id** — never on the permission's value —
 * so that a change of letter case, description or display name updates the role in place and
 * leaves every assignment untouched (Terraform would otherwise delete and re-create it, and a
 * client of an API that requires assignment cannot get tokens in between).
 *
 * The API's part of the key is the most stable identity known at synth:
 * 1. its application (client) id when it is a literal UUID (`ExistingApi`, `MicrosoftGraph`): the
 *    one thing about an Entra app that never changes, so renaming the construct or changing the
 *    identifier URI leaves assignments alone;
 * 2. else its identifier URI when it is a literal (a `ProtectedApi` with an explicit URI): unique
 *    in the tenant and independent of construct paths, so renaming or moving the API construct
 *    only moves the API's own application and service principal;
 * 3. else its construct path (a `ProtectedApi` whose URI is only known at apply, e.g. the
 *    `api://{appId}` default): the API's own resources are addressed by the same path, so nothing
 *    changes it without moving the API itself.
 *
 * Up to version 0.1 the key was the identifier URI (or the path) and the permission's value;
 * {@link legacyAssignmentId} recomputes that id so that `MachineClient` can tell Terraform the
 * assignment moved (a `moved` block) instead of replacing it.
 */
import { createHash } from "node:crypto";
import { contentHash } from "../credentials/ids";
import { IApi } from "./grant";
import { isGuid } from "../identifier-uri";
import { isToken } from "../tokens";

/** The API's part of an assignment's construct id (see the module comment). */
export function assignmentApiKey(api: IApi): string {
  const clientId: unknown = api.clientId;
  // Any 8-4-4-4-12 GUID: Microsoft's first-party client ids carry no RFC 4122 version bits.
  if (typeof clientId === "string" && isGuid(clientId)) return clientId.toLowerCase();
  if (!isToken(api.identifierUri)) return api.identifierUri.toLowerCase();
  return api.node.path;
}

/** The construct id of the assignment of role `roleId` of `api`, under its client. */
export function assignmentId(api: IApi, roleId: string): string {
  return `Grant-${apiHash(assignmentApiKey(api))}-${roleId.toLowerCase()}`;
}

/**
 * 64 bits of the SHA-256 of the API's key: two APIs whose keys differ never share an assignment
 * address in practice (a 32-bit hash collides within minutes of searching).
 */
function apiHash(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex").slice(0, 16);
}

/**
 * The construct id that version 0.1 gave the assignment of permission `scope` of `api`: the
 * identifier URI (or the construct path where the URI is a token) and the value as written.
 */
export function legacyAssignmentId(api: IApi, scope: string): string {
  const key = isToken(api.identifierUri) ? api.node.path : api.identifierUri;
  return `Grant-${contentHash(key)}-${scope}`;
}
