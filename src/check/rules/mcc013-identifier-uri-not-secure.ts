/**
 * MCC013: identifier URIs (`azuread_application.identifier_uris`,
 * `azuread_application_identifier_uri.identifier_uri`) that Entra refuses, or that match none of
 * Microsoft's secure patterns — with the pattern the URI would need. The classification is the
 * library's own (`src/identifier-uri.ts`, shared with the constructs and the org policy); this file
 * turns Terraform expressions into URIs it can classify: `${<application>.client_id}` is the
 * application's id, and `${data.azuread_client_config.<name>.tenant_id}` the tenant's.
 */
import { classifyIdentifierUri, domainProblem } from "../../identifier-uri";
import { Node, TraversalNode, Unknown, isUnknown } from "../expr";
import { APP_TYPES, CheckModel, Instance } from "../model";
import { address, toNode } from "../module";
import { CheckRule, RuleResult, Severity } from "../types";
import { describe, note, result } from "./results";

const ID = "MCC013";

// Stand-ins for the ids a reference will hold, so that the URI can be classified at all.
const APP_ID = "00000000-0000-4000-8000-00000000a991";
const TENANT_ID = "00000000-0000-4000-8000-00000000e7a7";

/** MCC013: an identifier URI that Entra refuses or that matches none of the secure patterns. */
export const IdentifierUriNotSecure: CheckRule = {
  id: ID,
  name: "IdentifierUriNotSecure",
  severity: "error",
  description:
    "An identifier URI that Entra refuses, or that matches none of Microsoft's secure patterns (e.g. api://orders); with --verified-domain and --tenant-id, a domain or tenant id that is not the tenant's.",
  explanation:
    "Entra refuses an identifier URI (identifier_uris of azuread_application, identifier_uri of azuread_application_identifier_uri) of more than 255 characters, with a trailing slash, a wildcard, query or fragment, or a scheme other than api:// or https:// — at apply, after the application was created. The app management policy restrictions nonDefaultUriAddition and uriAdditionWithoutUniqueTenantIdentifier, which tenants and Microsoft switch on, also refuse URIs outside Microsoft's secure patterns (api://{appId}, api://{tenantId}/{appId}, api://{tenantId}/{name}, api://{name}/{appId}, https://[{name}.]{verifiedDomain}/{path}, https://{name}.{verifiedDomain}, api://[{name}.]{verifiedDomain}/{path}): api://orders is not one, and any tenant could claim it. \"api://${<application>.client_id}\" counts as api://{appId} (another application's client id there is an error), and ${data.azuread_client_config.<name>.tenant_id} as the tenant id. Domains and literal tenant ids are checked against --verified-domain (repeatable) and --tenant-id.",
  fix: 'Use the secure default api://{appId} (an azuread_application_identifier_uri with identifier_uri = "api://${<application>.client_id}", and lifecycle { ignore_changes = [identifier_uris] } on the application), api://{tenantId}/<name>, or a URI on a verified domain of the tenant.',
  undecidable:
    "An identifier URI (or list) that cannot be evaluated: a note names the expression. A domain without --verified-domain, a literal tenant id without --tenant-id, and a literal GUID as {appId} (the application's id is known only after apply) are notes too.",
  check(model) {
    const out: RuleResult[] = [];
    for (const at of model.instancesOf("azuread_application")) {
      const raw = at.block.body.identifier_uris;
      if (raw !== undefined && raw !== null) {
        checkList(context(model, at, [address(at.block)], out), raw);
      }
    }
    for (const at of model.instancesOf("azuread_application_identifier_uri")) {
      const raw = at.block.body.identifier_uri;
      if (raw === undefined) continue;
      const ctx = context(model, at, model.appsOf(at.block.body), out);
      checkUri(ctx, toNode(raw), "identifier_uri");
    }
    return out;
  },
};

/** One resource instance's identifier URIs being checked. */
interface Context {
  readonly model: CheckModel;
  readonly at: Instance;
  /** The applications (`type.name`) the URI is on: its own `client_id` may appear as `{appId}`. */
  readonly ownApps: readonly string[];
  /** The tenant's verified domains (`--verified-domain`); absent: domains give a note. */
  readonly verifiedDomains?: readonly string[];
  /** The tenant's id, lower case (`--tenant-id`); absent: literal tenant ids give a note. */
  readonly tenantId?: string;
  report(severity: Severity, message: string, fix: string): void;
  unknown(attr: string, why: Unknown): void;
}

function context(
  model: CheckModel,
  at: Instance,
  ownApps: readonly string[],
  out: RuleResult[],
): Context {
  const { verifiedDomains, tenantId } = model.options;
  return {
    model,
    at,
    ownApps,
    ...(verifiedDomains ? { verifiedDomains } : {}),
    ...(tenantId ? { tenantId: tenantId.toLowerCase() } : {}),
    report: (severity, message, fix) => out.push(result(at, severity, message, fix)),
    unknown: (attr, why) => out.push(note(ID, at, attr, why)),
  };
}

/** Checks the value of `identifier_uris` (a list) on an application. */
function checkList(ctx: Context, raw: unknown): void {
  const node = toNode(raw);
  if (node.t === "list") {
    node.items.forEach((item, i) => checkUri(ctx, item, `identifier_uris[${i}]`));
    return;
  }
  const list = ctx.model.mod.evalNode(node, ctx.at.bindings);
  if (Array.isArray(list)) {
    list.forEach((v, i) =>
      isUnknown(v)
        ? ctx.unknown(`identifier_uris[${i}]`, v)
        : checkUri(ctx, { t: "lit", v }, `identifier_uris[${i}]`),
    );
  } else if (list !== null) {
    ctx.unknown("identifier_uris", isUnknown(list) ? list : new Unknown(`it is ${describe(list)}`));
  }
}

/** Checks one identifier URI expression. */
function checkUri(ctx: Context, node: Node, attr: string): void {
  const uri = uriOf(ctx, node);
  if (isUnknown(uri)) return ctx.unknown(attr, uri);
  const found = classifyIdentifierUri(uri.text, attr);
  const shown = JSON.stringify(uri.shown);
  if (!found.ok) {
    ctx.report(
      "error",
      `${found.problem} (got ${shown}).`,
      found.kind === "insecure"
        ? `Use a URI in a secure pattern: ${wouldNeed(uri.text)}, or the secure default api://{appId} (an azuread_application_identifier_uri with identifier_uri = "api://\${<application>.client_id}", and lifecycle { ignore_changes = [identifier_uris] } on the application).`
        : (found.fix ?? "Correct the URI."),
    );
    return;
  }
  if (found.appId === APP_ID) {
    const foreign = uri.apps.filter((a) => !ctx.ownApps.includes(a));
    if (ctx.ownApps.length > 0 && foreign.length > 0) {
      ctx.report(
        "error",
        `${attr} puts the client id of ${foreign.join(", ")} in the {appId} position of ${found.pattern.template}, but Entra only accepts the application's own id there (got ${shown}).`,
        `Use the client id of ${ctx.ownApps.join(", ")}.`,
      );
    }
  } else if (found.appId !== undefined) {
    ctx.report(
      "note",
      `${attr} has the literal GUID ${found.appId} in the {appId} position of ${found.pattern.template}, which must be the application's own client id; that id is known only after apply, so MCC013 could not check it (got ${shown}).`,
      'Write it as "api://${<application>.client_id}" (with azuread_application_identifier_uri), so that it is always the application\'s own id.',
    );
  }
  if (found.tenantId !== undefined && found.tenantId !== TENANT_ID) {
    if (ctx.tenantId === undefined) {
      ctx.report(
        "note",
        `${attr} names tenant ${found.tenantId}, which could not be checked without --tenant-id (got ${shown}).`,
        "Pass --tenant-id <tenant id>, or write the tenant id as ${data.azuread_client_config.<name>.tenant_id}.",
      );
    } else if (found.tenantId !== ctx.tenantId) {
      ctx.report(
        "error",
        `${attr} names tenant ${found.tenantId}, not ${ctx.tenantId} (--tenant-id); Entra accepts only the tenant's own id there (got ${shown}).`,
        "Use the tenant's id, e.g. ${data.azuread_client_config.<name>.tenant_id}.",
      );
    }
  }
  if (found.domain !== undefined) {
    if (ctx.verifiedDomains === undefined) {
      ctx.report(
        "note",
        `${attr} is on ${JSON.stringify(found.domain.host)}, which must be a verified domain of the tenant (or under one); it could not be checked without --verified-domain (got ${shown}).`,
        "Pass the tenant's verified domains with --verified-domain <domain> (repeatable).",
      );
    } else {
      const problem = domainProblem(found.domain, ctx.verifiedDomains);
      if (problem !== undefined) {
        ctx.report(
          "error",
          `${attr}'s host ${problem}; Entra refuses it at apply (got ${shown}).`,
          "Use a verified domain of the tenant, or the secure default api://{appId}.",
        );
      }
    }
  }
}

/** The pattern an insecure URI would need, built from its own name where it has one. */
function wouldNeed(uri: string): string {
  const m = /^(api|https):\/\/([^/]*)(\/.*)?$/.exec(uri);
  const host = m?.[2] ?? "";
  const path = m?.[3] ?? "";
  const tenantScoped = (name: string) =>
    `api://{tenantId}/${name} ("api://\${data.azuread_client_config.<name>.tenant_id}/${name}")`;
  if (m?.[1] === "api" && /^[A-Za-z0-9-]+$/.test(host)) return tenantScoped(`${host}${path}`);
  if (m?.[1] === "api" && host.includes(".") && path === "") {
    return `api://${host}/<name> (with ${host} a verified domain)`;
  }
  if (m?.[1] === "https")
    return `https://<name>.<verified domain> or https://<verified domain>/<path>`;
  return tenantScoped("<name>");
}

interface Uri {
  /** The URI with the stand-in ids, for classification. */
  readonly text: string;
  /** The URI as written, for messages. */
  readonly shown: string;
  /** The applications whose client id the URI contains. */
  readonly apps: readonly string[];
}

/** A URI expression as text: literals, a template of literals and known references. */
function uriOf(ctx: Context, node: Node): Uri | Unknown {
  const parts = node.t === "tmpl" ? node.parts : [node];
  let text = "";
  let shown = "";
  const apps: string[] = [];
  for (const part of parts) {
    const id = part.t === "trav" ? idReference(part) : undefined;
    if (id?.kind === "app") {
      text += APP_ID;
      shown += `\${${id.app}.client_id}`;
      apps.push(id.app);
      continue;
    }
    if (id?.kind === "tenant") {
      text += TENANT_ID;
      shown += `\${data.azuread_client_config.${id.name}.tenant_id}`;
      continue;
    }
    const v = ctx.model.mod.evalNode(part, ctx.at.bindings);
    if (isUnknown(v)) return v;
    if (typeof v !== "string" && typeof v !== "number") {
      return new Unknown(`the identifier URI is ${describe(v)}`);
    }
    text += String(v);
    shown += String(v);
  }
  return { text, shown, apps };
}

/** `<application>.client_id` (or the older `application_id`), or the client config's tenant id. */
function idReference(
  n: TraversalNode,
): { kind: "app"; app: string } | { kind: "tenant"; name: string } | undefined {
  const names = n.path.filter((p): p is string => typeof p === "string");
  const [root, ...rest] = n.root === "resource" ? names : [n.root, ...names];
  if (APP_TYPES.includes(root) && rest.length === 2) {
    if (rest[1] === "client_id" || rest[1] === "application_id") {
      return { kind: "app", app: `${root}.${rest[0]}` };
    }
  }
  if (
    root === "data" &&
    rest.length === 3 &&
    rest[0] === "azuread_client_config" &&
    rest[2] === "tenant_id"
  ) {
    return { kind: "tenant", name: rest[1] };
  }
  return undefined;
}
