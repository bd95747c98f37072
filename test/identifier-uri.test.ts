import fc from "fast-check";
import {
  IDENTIFIER_URI_PATTERNS,
  MAX_IDENTIFIER_URI_LENGTH,
  SECURE_PATTERNS_TEXT,
  classifyIdentifierUri,
  domainProblem,
  verifiedDomainProblem,
} from "../src/identifier-uri";

const TENANT = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
const APP = "00001111-aaaa-2222-bbbb-3333cccc4444";
const NONE = `identifierUri matches none of Microsoft's secure identifier URI patterns (${SECURE_PATTERNS_TEXT}): `;

describe("classifyIdentifierUri", () => {
  it("lists Microsoft's secure patterns once each, frozen", () => {
    expect(IDENTIFIER_URI_PATTERNS.map((p) => p.template)).toEqual([
      "api://{appId}",
      "api://{tenantId}/{appId}",
      "api://{tenantId}/{name}",
      "api://{name}/{appId}",
      "https://[{name}.]{verifiedDomain}/{path}",
      "https://{name}.{verifiedDomain}",
      "api://[{name}.]{verifiedDomain}/{path}",
    ]);
    expect(Object.isFrozen(IDENTIFIER_URI_PATTERNS)).toBe(true);
    expect(Object.isFrozen(IDENTIFIER_URI_PATTERNS[0])).toBe(true);
    // Each pattern's own example is classified as that pattern.
    for (const p of IDENTIFIER_URI_PATTERNS) {
      expect(classifyIdentifierUri(p.example)).toMatchObject({ ok: true, pattern: p });
    }
  });

  it.each([
    [`api://${APP}`, "api://{appId}", { appId: APP }],
    [`api://${TENANT}/${APP}`, "api://{tenantId}/{appId}", { tenantId: TENANT, appId: APP }],
    [`api://${TENANT}/orders`, "api://{tenantId}/{name}", { tenantId: TENANT }],
    [`api://${TENANT}/orders/v2`, "api://{tenantId}/{name}", { tenantId: TENANT }],
    [`api://${TENANT.toUpperCase()}/orders`, "api://{tenantId}/{name}", { tenantId: TENANT }],
    [`api://productapi/${APP}`, "api://{name}/{appId}", { appId: APP }],
    [
      "https://contoso.com/productsapi",
      "https://[{name}.]{verifiedDomain}/{path}",
      { domain: { host: "contoso.com", subdomainOnly: false } },
    ],
    [
      "https://product.contoso.com/productsapi",
      "https://[{name}.]{verifiedDomain}/{path}",
      { domain: { host: "product.contoso.com", subdomainOnly: false } },
    ],
    [
      "https://contoso.onmicrosoft.com/productsapi",
      "https://[{name}.]{verifiedDomain}/{path}",
      { domain: { host: "contoso.onmicrosoft.com", subdomainOnly: false } },
    ],
    [
      "https://product.contoso.com",
      "https://{name}.{verifiedDomain}",
      { domain: { host: "product.contoso.com", subdomainOnly: true } },
    ],
    [
      "api://contoso.example/orders",
      "api://[{name}.]{verifiedDomain}/{path}",
      { domain: { host: "contoso.example", subdomainOnly: false } },
    ],
    [
      "api://Orders.Contoso.Example/orders",
      "api://[{name}.]{verifiedDomain}/{path}",
      { domain: { host: "orders.contoso.example", subdomainOnly: false } },
    ],
  ])("classifies %s as %s", (uri, template, extra) => {
    const found = classifyIdentifierUri(uri);
    expect(found).toEqual({
      ok: true,
      pattern: IDENTIFIER_URI_PATTERNS.find((p) => p.template === template),
      ...extra,
    });
  });

  it(`accepts ${MAX_IDENTIFIER_URI_LENGTH} characters and rejects one more`, () => {
    const at = (n: number) => `api://${TENANT}/${"a".repeat(n - 7 - TENANT.length)}`;
    expect(at(MAX_IDENTIFIER_URI_LENGTH)).toHaveLength(255);
    expect(classifyIdentifierUri(at(255)).ok).toBe(true);
    expect(classifyIdentifierUri(at(256))).toEqual({
      ok: false,
      kind: "invalid",
      problem: "identifierUri is 256 characters; Entra allows at most 255",
      fix: "Shorten it.",
    });
  });

  it.each([
    ["a non-string", 42, "identifierUri must be a non-empty string"],
    ["an empty string", "", "identifierUri must be a non-empty string"],
    ["a space", "api://contoso.example/my orders", "identifierUri must not contain whitespace"],
    ["a tab", "api://contoso.example/\torders", "identifierUri must not contain whitespace"],
    ["a Cyrillic look-alike", "https://cоntoso.example/orders", "identifierUri must be ASCII"],
    ["a control character", "api://contoso.example/\u0000", "identifierUri must be ASCII"],
    ["a zero-width space", "api://contoso.example/\u200border", "identifierUri must be ASCII"],
    [
      "no scheme",
      "contoso.example/orders",
      'identifierUri must start with "api://" or "https://" followed by a host or id',
    ],
    [
      "http",
      "http://contoso.example/orders",
      'identifierUri must start with "api://" or "https://" followed by a host or id',
    ],
    [
      "an upper-case scheme",
      "API://contoso.example/orders",
      'identifierUri must start with "api://" or "https://" followed by a host or id',
    ],
    [
      "a scheme alone",
      "api://",
      'identifierUri must start with "api://" or "https://" followed by a host or id',
    ],
    [
      "an empty host",
      "https:///orders",
      'identifierUri must start with "api://" or "https://" followed by a host or id',
    ],
    [
      "a trailing slash",
      "api://contoso.example/orders/",
      'identifierUri must not end with "/" (the token scope appends "/.default")',
    ],
    [
      "a wildcard",
      "https://*.contoso.example/orders",
      'identifierUri must not contain "*", "?" or "#" (wildcards, queries and fragments)',
    ],
    [
      "a query",
      "https://contoso.example/orders?v=2",
      'identifierUri must not contain "*", "?" or "#" (wildcards, queries and fragments)',
    ],
    [
      "a fragment",
      "https://contoso.example/orders#x",
      'identifierUri must not contain "*", "?" or "#" (wildcards, queries and fragments)',
    ],
    [
      "a /.default suffix",
      "api://contoso.example/orders/.default",
      'identifierUri must not end with "/.default"; that suffix belongs to the token request',
    ],
  ])("rejects %s as invalid in every tenant", (_name, uri, problem) => {
    expect(classifyIdentifierUri(uri)).toMatchObject({ ok: false, kind: "invalid", problem });
  });

  it("rejects a trailing slash or /.default with the fixed URI as the fix", () => {
    expect(classifyIdentifierUri("api://contoso.example/orders//")).toMatchObject({
      fix: 'Use "api://contoso.example/orders".',
    });
    expect(classifyIdentifierUri("api://contoso.example/orders/.DEFAULT")).toMatchObject({
      fix: 'Use "api://contoso.example/orders".',
    });
  });

  it.each([
    [
      "api://<name> (the old portal default)",
      "api://orders",
      `"orders" is neither a tenant id, an app id nor a verified domain, so any tenant could claim the same URI`,
    ],
    [
      "api://<name>/<path>",
      "api://orders/read",
      `"orders" is neither a tenant id, an app id nor a verified domain, so any tenant could claim the same URI`,
    ],
    [
      "api://<domain> without a path",
      "api://contoso.example",
      `"api://<domain>" needs a path (api://[{name}.]{verifiedDomain}/{path})`,
    ],
    [
      "a host that is not a DNS name",
      "api://my_api/orders",
      `its host "my_api" is neither a GUID nor a DNS name (letters, digits, "-" and ".")`,
    ],
    [
      "a host with a trailing dot",
      "api://contoso.example./orders",
      `its host "contoso.example." is neither a GUID nor a DNS name (letters, digits, "-" and ".")`,
    ],
    [
      "user information that hides the host",
      "https://contoso.example@evil.example/orders",
      `its host "contoso.example@evil.example" carries user information ("@"), which hides the real host`,
    ],
    ["a port", "https://contoso.example:8443/orders", `its host "contoso.example:8443" has a port`],
    [
      "an empty path segment",
      "api://contoso.example//orders",
      `its path has an empty segment ("//")`,
    ],
    [
      "https:// on a single-label host",
      "https://orders/api",
      `an https:// identifier URI needs a host on a verified domain of the tenant, not "orders"`,
    ],
    [
      "https:// on a GUID",
      `https://${TENANT}/orders`,
      `an https:// identifier URI needs a host on a verified domain of the tenant, not "${TENANT}"`,
    ],
  ])("rejects %s as outside the secure patterns, naming them", (_name, uri, reason) => {
    expect(classifyIdentifierUri(uri)).toMatchObject({
      ok: false,
      kind: "insecure",
      problem: NONE + reason,
    });
  });

  it("names the field it checks", () => {
    expect(classifyIdentifierUri("api://orders", "identifier_uris[0]")).toMatchObject({
      problem: expect.stringMatching(/^identifier_uris\[0\] matches none of /),
    });
  });

  it("never throws, and accepts only URIs that keep Entra's general rules", () => {
    const uriChars = fc.constantFrom(..."apihts:/.-_~@?#*% 0123456789abcdefXYZ\u043e\u200b\u0000");
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: uriChars, maxLength: 60 }),
          fc
            .tuple(fc.constantFrom("api://", "https://"), fc.string({ unit: uriChars }))
            .map(([a, b]) => a + b),
          fc.anything(),
        ),
        (uri) => {
          const found = classifyIdentifierUri(uri);
          if (!found.ok) return;
          const s = uri as string;
          expect(s.length).toBeLessThanOrEqual(MAX_IDENTIFIER_URI_LENGTH);
          expect(s).toMatch(/^(api|https):\/\/[\x21-\x7E]+$/);
          expect(s).not.toMatch(/[*?#]|\/$|\/\/.*\/\//);
          // No user information ("@") in the host; after the first "/" it is part of the path.
          expect(s).not.toMatch(/^[a-z]+:\/\/[^/]*@/);
          if (found.domain) expect(found.domain.host).toMatch(/^[a-z0-9.-]+$/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("domainProblem", () => {
  const on = (host: string) => ({ host, subdomainOnly: false });
  const under = (host: string) => ({ host, subdomainOnly: true });

  it("accepts a verified domain and its subdomains, ignoring case", () => {
    expect(domainProblem(on("contoso.example"), ["contoso.example"])).toBeUndefined();
    expect(domainProblem(on("orders.contoso.example"), ["Contoso.Example"])).toBeUndefined();
    expect(domainProblem(under("orders.contoso.example"), ["contoso.example"])).toBeUndefined();
    expect(
      domainProblem(on("contoso.onmicrosoft.com"), ["contoso.onmicrosoft.com"]),
    ).toBeUndefined();
  });

  it("rejects a host on no verified domain, listing the declared ones", () => {
    expect(domainProblem(on("fabrikam.example"), ["contoso.example", "contoso.com"])).toBe(
      '"fabrikam.example" is not on a verified domain of the tenant (declared: "contoso.example", "contoso.com")',
    );
  });

  it("rejects look-alikes that only end with the domain's letters", () => {
    expect(domainProblem(on("evilcontoso.example"), ["contoso.example"])).toMatch(
      /is not on a verified domain/,
    );
    expect(domainProblem(on("contoso.example.evil.example"), ["contoso.example"])).toMatch(
      /is not on a verified domain/,
    );
  });

  it("rejects https://<verified domain> without a path", () => {
    expect(domainProblem(under("contoso.example"), ["contoso.example"])).toBe(
      '"https://contoso.example" is a verified domain without a path, which matches no secure pattern (https://{verifiedDomain}/{path} needs a path)',
    );
    expect(domainProblem(under("contoso.example"), ["example"])).toBeUndefined();
  });
});

describe("verifiedDomainProblem", () => {
  it("accepts custom and initial domains", () => {
    for (const d of ["contoso.com", "Contoso.Example", "contoso.onmicrosoft.com", "a.b.c.d"]) {
      expect(verifiedDomainProblem(d)).toBeUndefined();
    }
  });

  it.each([
    ["a URL", "https://contoso.com"],
    ["a wildcard", "*.contoso.com"],
    ["a single label", "contoso"],
    ["a path", "contoso.com/orders"],
    ["a trailing dot", "contoso.com."],
    ["a look-alike", "cоntoso.com"],
    ["a number", 42],
  ])("rejects %s", (_name, d) => {
    expect(verifiedDomainProblem(d)).toBe(
      "each verified domain must be a DNS name such as contoso.com (no scheme, path or wildcard)",
    );
  });

  it("rejects the parent domain every tenant shares", () => {
    expect(verifiedDomainProblem("onmicrosoft.com")).toBe(
      "onmicrosoft.com is shared by every tenant; list your tenant's own initial domain, e.g. contoso.onmicrosoft.com",
    );
    expect(verifiedDomainProblem("PARTNER.onmschina.cn")).toMatch(/is shared by every tenant/);
  });
});
