import { classifyIdentifierUri } from "../identifier-uri";
import { ApiPolicyRule } from "./types";

/**
 * MC-IDENTIFIER-URI-TENANT: a literal `api://{tenantId}/…` identifier URI carries the tenant's id
 * (the policy's `tenantId`). Entra accepts a GUID there only if it is the tenant's (or the app's)
 * id. Without a declared tenant id it cannot be checked: a warning.
 */
export const IdentifierUriTenantRule: ApiPolicyRule = {
  id: "MC-IDENTIFIER-URI-TENANT",
  info: "Tenant-scoped identifier URIs carry the tenant's id.",
  explanation:
    "Entra accepts a GUID after api:// only if it is the tenant's or the application's own id, and says so only at apply, after the application was created.",
  fix: "Declare the tenant's id in the org policy (tenantId) and use it after api://, or use api://{appId}.",
  checkApi(api, policy) {
    if (api.identifierUriSource !== "literal") return [];
    const found = classifyIdentifierUri(api.identifierUri);
    if (!found.ok || found.tenantId === undefined) return [];
    const helper =
      api.kind === "existing"
        ? "check the URI with the API's owners"
        : 'use ProtectedApi.tenantScopedUri(scope, "<name>"), which takes the tenant id from the provider';
    if (policy.tenantId === undefined) {
      return [
        {
          severity: "warning",
          problem: `the tenant id ${found.tenantId} of the identifier URI could not be checked: the org policy declares no tenantId`,
          value: api.identifierUri,
          fix: `Declare the tenant, e.g. OrgPolicy.of(app).apply({ tenantId: "${found.tenantId}" }), or ${helper}.`,
        },
      ];
    }
    if (found.tenantId === policy.tenantId) return [];
    return [
      {
        problem: `the identifier URI carries tenant id ${found.tenantId}, not the org's tenant ${policy.tenantId}`,
        value: api.identifierUri,
        fix: `Use the tenant's id (api://${policy.tenantId}/…), or ${helper}.`,
      },
    ];
  },
};
