import { classifyIdentifierUri, isGuid } from "../identifier-uri";
import { ApiPolicyRule } from "./types";

/**
 * MC-IDENTIFIER-URI-PATTERN: an API's literal identifier URI matches one of Microsoft's secure
 * patterns, and a GUID in its `{appId}` position is the API's client id. A `ProtectedApi` refuses
 * such a URI outright (Entra would refuse to add it); this rule covers APIs registered elsewhere
 * (`ExistingApi`), whose URI was set before the restrictions and may be kept with a suppression.
 */
export const IdentifierUriPatternRule: ApiPolicyRule = {
  id: "MC-IDENTIFIER-URI-PATTERN",
  info: "APIs are identified by URIs in Microsoft's secure patterns.",
  explanation:
    "An identifier URI without the tenant id, the app id or a verified domain can be claimed by an app in another tenant, and Entra's identifier URI restrictions refuse to add one (Restrictions on identifier URIs of Microsoft Entra applications).",
  fix: "Use api://{appId} (the default when identifierUri is left out), api://{tenantId}/{name}, or a URI on a verified domain of the tenant.",
  checkApi(api) {
    if (api.identifierUriSource !== "literal") return [];
    const found = classifyIdentifierUri(api.identifierUri);
    const fix =
      api.kind === "existing"
        ? "Ask the API's owners for a URI in one of these patterns (api://<client id> is always accepted) and use it here, or suppress MC-IDENTIFIER-URI-PATTERN on this API with the reason."
        : "Leave identifierUri out for the secure default api://{appId}.";
    if (!found.ok) return [{ problem: found.problem, value: api.identifierUri, fix }];
    if (found.appId !== undefined && api.kind === "protected") {
      return [
        {
          problem: `identifierUri has a GUID in the {appId} position of ${found.pattern.template}, but the application's id is only known once it is created`,
          value: api.identifierUri,
          fix,
        },
      ];
    }
    const clientId = api.clientId?.toLowerCase();
    if (found.appId !== undefined && isGuid(clientId) && found.appId !== clientId) {
      return [
        {
          problem: `the GUID in the {appId} position of ${found.pattern.template} is not the API's client id ${clientId}; Entra only accepts the application's own id there`,
          value: api.identifierUri,
          fix,
        },
      ];
    }
    return [];
  },
};
