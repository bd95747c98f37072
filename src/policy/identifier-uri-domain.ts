import { describeValue } from "../errors";
import { classifyIdentifierUri, domainProblem } from "../identifier-uri";
import { ApiPolicyRule } from "./types";

/**
 * MC-IDENTIFIER-URI-DOMAIN: an `https://` or domain-based `api://` identifier URI is on a verified
 * domain of the tenant (the policy's `verifiedDomains`), or a subdomain of one. Entra refuses
 * another host at apply (`HostNameNotOnVerifiedDomain`, or the identifier URI restrictions), after
 * the application was created. Without a declared list the domain cannot be checked: a warning.
 */
export const IdentifierUriDomainRule: ApiPolicyRule = {
  id: "MC-IDENTIFIER-URI-DOMAIN",
  info: "Domain-based identifier URIs are on a verified domain of the tenant.",
  explanation:
    "Entra accepts an https:// or domain-based api:// identifier URI only on a verified domain of the tenant or a subdomain of one, and says so only at apply, after the application was created.",
  fix: "List the tenant's verified domains in the org policy (verifiedDomains) and use one of them, or use api://{appId} or api://{tenantId}/{name}.",
  checkApi(api, policy) {
    if (api.identifierUriSource !== "literal") return [];
    const found = classifyIdentifierUri(api.identifierUri);
    if (!found.ok || found.domain === undefined) return [];
    const alternative =
      api.kind === "existing"
        ? "check the URI with the API's owners"
        : "leave identifierUri out for the secure default api://{appId}";
    if (policy.verifiedDomains === undefined) {
      return [
        {
          severity: "warning",
          problem: `the domain ${describeValue(found.domain.host)} of the identifier URI could not be checked: the org policy declares no verifiedDomains`,
          value: api.identifierUri,
          fix: `Declare the tenant's verified domains, e.g. OrgPolicy.of(app).apply({ verifiedDomains: [${describeValue(found.domain.host)}] }), or ${alternative}.`,
        },
      ];
    }
    const problem = domainProblem(found.domain, policy.verifiedDomains);
    if (problem === undefined) return [];
    return [
      {
        problem: `the identifier URI's host ${problem}`,
        value: api.identifierUri,
        fix: `Use a verified domain of the tenant (Entra admin center › Domain names) and list it in verifiedDomains, or ${alternative}.`,
      },
    ];
  },
};
