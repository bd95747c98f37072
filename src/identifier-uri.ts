/**
 * Identifier URIs (application ID URIs) as Entra accepts them, as pure functions over a literal
 * URI: Entra's general rules, and Microsoft's secure patterns from "Restrictions on identifier URIs
 * of Microsoft Entra applications" — the only URIs that the app management policy restrictions
 * `nonDefaultUriAddition` and `uriAdditionWithoutUniqueTenantIdentifier` (Graph
 * `identifierUriConfiguration`) let an application add, whether the tenant or Microsoft switched
 * them on.
 *
 * Pure TypeScript at the bottom of the layers (beside `errors.ts` and `model.ts`): the constructs,
 * the org policy and `check` classify URIs with the same code.
 */
import { describeValue } from "./errors";

/** Entra's maximum length of an identifier URI, in characters. */
export const MAX_IDENTIFIER_URI_LENGTH = 255;

/** The stable id of one of Microsoft's secure identifier URI patterns. */
export type IdentifierUriPatternId =
  | "api-app-id"
  | "api-tenant-app-id"
  | "api-tenant-name"
  | "api-name-app-id"
  | "https-domain-path"
  | "https-subdomain"
  | "api-domain-path";

/** One of Microsoft's secure identifier URI patterns. */
export interface IdentifierUriPattern {
  /** The stable id. */
  readonly id: IdentifierUriPatternId;
  /** The pattern, e.g. `api://{tenantId}/{name}`; `[…]` marks an optional part. */
  readonly template: string;
  /** An example URI of the pattern. */
  readonly example: string;
}

/**
 * Microsoft's secure identifier URI patterns. `{appId}` is the application's own client id,
 * `{tenantId}` the tenant's id, `{verifiedDomain}` a verified domain of the tenant (a custom domain
 * or the initial `<tenant>.onmicrosoft.com` domain), `{name}` and `{path}` free text.
 */
export const IDENTIFIER_URI_PATTERNS: readonly IdentifierUriPattern[] = Object.freeze(
  (
    [
      ["api-app-id", "api://{appId}", "api://00001111-aaaa-2222-bbbb-3333cccc4444"],
      [
        "api-tenant-app-id",
        "api://{tenantId}/{appId}",
        "api://aaaabbbb-0000-cccc-1111-dddd2222eeee/00001111-aaaa-2222-bbbb-3333cccc4444",
      ],
      [
        "api-tenant-name",
        "api://{tenantId}/{name}",
        "api://aaaabbbb-0000-cccc-1111-dddd2222eeee/orders",
      ],
      [
        "api-name-app-id",
        "api://{name}/{appId}",
        "api://orders/00001111-aaaa-2222-bbbb-3333cccc4444",
      ],
      [
        "https-domain-path",
        "https://[{name}.]{verifiedDomain}/{path}",
        "https://contoso.com/orders",
      ],
      ["https-subdomain", "https://{name}.{verifiedDomain}", "https://orders.contoso.com"],
      ["api-domain-path", "api://[{name}.]{verifiedDomain}/{path}", "api://contoso.com/orders"],
    ] as const
  ).map(([id, template, example]) => Object.freeze({ id, template, example })),
);

/** The patterns as one line, for messages. */
export const SECURE_PATTERNS_TEXT = IDENTIFIER_URI_PATTERNS.map((p) => p.template).join(", ");

/** The host a pattern requires to be a verified domain of the tenant (or under one). */
export interface DomainRequirement {
  /** The URI's host, in lower case. */
  readonly host: string;
  /** True when the host must be a subdomain of a verified domain, not the domain itself. */
  readonly subdomainOnly: boolean;
}

/** A URI that matches one of the secure patterns, with what the pattern requires of it. */
export interface SecureIdentifierUri {
  /** The URI matches a secure pattern. */
  readonly ok: true;
  /** The pattern it matches. */
  readonly pattern: IdentifierUriPattern;
  /** The GUID in the `{tenantId}` position, which must be the tenant's id. */
  readonly tenantId?: string;
  /** The GUID in the `{appId}` position, which must be the application's own client id. */
  readonly appId?: string;
  /** The host that must be (under) a verified domain of the tenant. */
  readonly domain?: DomainRequirement;
}

/** A URI Entra refuses (`invalid`), or one outside every secure pattern (`insecure`). */
export interface RefusedIdentifierUri {
  /** The URI is refused. */
  readonly ok: false;
  /**
   * `invalid`: breaks Entra's general rules, refused in every tenant. `insecure`: matches none of
   * the secure patterns, refused wherever the identifier URI restrictions are on.
   */
  readonly kind: "invalid" | "insecure";
  /** What is wrong, in a phrase that follows the field name (e.g. "must not end with …"). */
  readonly problem: string;
  /** How to fix it, where it depends on the URI; callers add the general fix. */
  readonly fix?: string;
}

/** What {@link classifyIdentifierUri} finds. */
export type IdentifierUriClass = SecureIdentifierUri | RefusedIdentifierUri;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`, "i");

/** True for a GUID in Entra's sense: any 8-4-4-4-12 hexadecimal string (not only RFC 4122). */
export function isGuid(value: unknown): boolean {
  return typeof value === "string" && GUID.test(value);
}

/**
 * Classifies a literal identifier URI: Entra's general rules first (a string of at most 255
 * printable ASCII characters, `api://` or `https://` and a host, no trailing `/`, no `*`, `?` or
 * `#`, not ending in `/.default`), then Microsoft's secure patterns.
 * @param field the name to put before each problem, e.g. `identifierUri`
 */
export function classifyIdentifierUri(uri: unknown, field = "identifierUri"): IdentifierUriClass {
  const invalid = (problem: string, fix?: string): RefusedIdentifierUri => ({
    ok: false,
    kind: "invalid",
    problem: `${field} ${problem}`,
    ...(fix !== undefined ? { fix } : {}),
  });
  const insecure = (problem: string, fix?: string): RefusedIdentifierUri => ({
    ok: false,
    kind: "insecure",
    problem: `${field} matches none of Microsoft's secure identifier URI patterns (${SECURE_PATTERNS_TEXT}): ${problem}`,
    ...(fix !== undefined ? { fix } : {}),
  });

  if (typeof uri !== "string" || uri.length === 0) return invalid("must be a non-empty string");
  if (uri.length > MAX_IDENTIFIER_URI_LENGTH) {
    return invalid(
      `is ${uri.length} characters; Entra allows at most ${MAX_IDENTIFIER_URI_LENGTH}`,
      "Shorten it.",
    );
  }
  if (/\s/.test(uri)) return invalid("must not contain whitespace");
  if (/[^\x21-\x7E]/.test(uri)) return invalid("must be ASCII");
  const scheme = /^(api|https):\/\/(?=[^/])/.exec(uri);
  if (!scheme) {
    return invalid('must start with "api://" or "https://" followed by a host or id');
  }
  if (uri.endsWith("/")) {
    return invalid(
      'must not end with "/" (the token scope appends "/.default")',
      `Use ${describeValue(uri.replace(/\/+$/, ""))}.`,
    );
  }
  if (/[*?#]/.test(uri)) {
    return invalid('must not contain "*", "?" or "#" (wildcards, queries and fragments)');
  }
  if (/\/\.default$/i.test(uri)) {
    return invalid(
      'must not end with "/.default"; that suffix belongs to the token request',
      `Use ${describeValue(uri.replace(/\/\.default$/i, ""))}.`,
    );
  }

  const rest = uri.slice(scheme[0].length);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const segments = slash < 0 ? [] : rest.slice(slash + 1).split("/");
  if (authority.includes("@")) {
    return insecure(
      `its host ${describeValue(authority)} carries user information ("@"), which hides the real host`,
    );
  }
  if (authority.includes(":")) {
    return insecure(`its host ${describeValue(authority)} has a port`, "Remove the port.");
  }
  if (segments.some((s) => s.length === 0)) {
    return insecure('its path has an empty segment ("//")');
  }
  const host = authority.toLowerCase();
  const secure = (
    id: IdentifierUriPatternId,
    extra: Omit<SecureIdentifierUri, "ok" | "pattern"> = {},
  ): SecureIdentifierUri => ({
    ok: true,
    pattern: IDENTIFIER_URI_PATTERNS.find((p) => p.id === id)!,
    ...extra,
  });
  const oneGuidSegment = segments.length === 1 && isGuid(segments[0]);

  if (scheme[1] === "api") {
    if (isGuid(host)) {
      if (segments.length === 0) return secure("api-app-id", { appId: host });
      if (oneGuidSegment) {
        return secure("api-tenant-app-id", { tenantId: host, appId: segments[0].toLowerCase() });
      }
      return secure("api-tenant-name", { tenantId: host });
    }
    if (!HOST.test(host)) {
      return insecure(
        `its host ${describeValue(authority)} is neither a GUID nor a DNS name (letters, digits, "-" and ".")`,
      );
    }
    if (oneGuidSegment) return secure("api-name-app-id", { appId: segments[0].toLowerCase() });
    if (host.includes(".")) {
      if (segments.length > 0) {
        return secure("api-domain-path", { domain: { host, subdomainOnly: false } });
      }
      return insecure(
        `"api://<domain>" needs a path (api://[{name}.]{verifiedDomain}/{path})`,
        `Add a path, e.g. ${describeValue(`${uri}/api`)}.`,
      );
    }
    return insecure(
      `${describeValue(authority)} is neither a tenant id, an app id nor a verified domain, so any tenant could claim the same URI`,
    );
  }

  // https://
  if (!HOST.test(host) || !host.includes(".") || isGuid(host)) {
    return insecure(
      `an https:// identifier URI needs a host on a verified domain of the tenant, not ${describeValue(authority)}`,
    );
  }
  if (segments.length === 0) {
    return secure("https-subdomain", { domain: { host, subdomainOnly: true } });
  }
  return secure("https-domain-path", { domain: { host, subdomainOnly: false } });
}

/**
 * Whether `requirement`'s host is on one of `verifiedDomains` (compared ignoring case): the domain
 * itself or a subdomain of it, or only a subdomain where the pattern says so.
 * @returns `undefined` when it is, otherwise what is wrong (a phrase)
 */
export function domainProblem(
  requirement: DomainRequirement,
  verifiedDomains: readonly string[],
): string | undefined {
  const host = requirement.host.toLowerCase();
  const domains = verifiedDomains.map((d) => d.toLowerCase());
  if (domains.some((d) => host.endsWith(`.${d}`))) return undefined;
  if (domains.includes(host)) {
    if (!requirement.subdomainOnly) return undefined;
    return `"https://${host}" is a verified domain without a path, which matches no secure pattern (https://{verifiedDomain}/{path} needs a path)`;
  }
  return `${describeValue(host)} is not ${requirement.subdomainOnly ? "under" : "on"} a verified domain of the tenant (declared: ${domains.map((d) => describeValue(d)).join(", ")})`;
}

/** Parent domains shared by every tenant's initial domain: never a tenant's verified domain. */
const SHARED_PARENT_DOMAINS = ["onmicrosoft.com", "partner.onmschina.cn"];

/**
 * Checks one entry of a verified-domain list: a DNS name of at least two labels (e.g.
 * `contoso.com`, `contoso.onmicrosoft.com`), no scheme, path or wildcard.
 * @returns `undefined` when valid, otherwise what is wrong (a phrase)
 */
export function verifiedDomainProblem(domain: unknown): string | undefined {
  if (typeof domain !== "string" || !HOST.test(domain) || !domain.includes(".")) {
    return "each verified domain must be a DNS name such as contoso.com (no scheme, path or wildcard)";
  }
  if (SHARED_PARENT_DOMAINS.includes(domain.toLowerCase())) {
    return `${domain} is shared by every tenant; list your tenant's own initial domain, e.g. contoso.${domain}`;
  }
  return undefined;
}
