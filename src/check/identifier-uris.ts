/**
 * MCC012: identifier URIs (`azuread_application.identifier_uris`,
 * `azuread_application_identifier_uri.identifier_uri`) that Entra refuses, or that match none of
 * Microsoft's secure patterns — with the pattern the URI would need. The classification is the
 * library's own (`src/identifier-uri.ts`); this file turns Terraform expressions into URIs it can
 * classify: `${<application>.client_id}` is the application's id, and
 * `${data.azuread_client_config.<name>.tenant_id}` the tenant's.
 */
import { classifyIdentifierUri, domainProblem } from "../identifier-uri";
import { Node, TraversalNode, Unknown, isUnknown } from "./expr";
import { Bindings, ModuleContext, toNode } from "./module";

/** The rule's description, for `--help`, SARIF and the README. */
export const IDENTIFIER_URI_RULE = {
  id: "MCC012",
  name: "IdentifierUriNotSecure",
  severity: "error",
  description:
    "An identifier URI that Entra refuses (more than 255 characters, a trailing slash, a wildcard, query or fragment, a scheme other than api:// or https://), or that matches none of Microsoft's secure patterns (e.g. api://orders, which any tenant could claim and the identifier URI restrictions refuse); with --verified-domain and --tenant-id, also a domain or tenant id that is not the tenant's.",
} as const;

/** What the rule needs of the checker: the module, the instance, and where findings go. */
export interface IdentifierUriContext {
  readonly mod: ModuleContext;
  readonly bindings: Bindings;
  /** The applications (`type.name`) the URI is on: its own `client_id` may appear as `{appId}`. */
  readonly ownApps: readonly string[];
  /** The tenant's verified domains (`--verified-domain`); absent: domains give a note. */
  readonly verifiedDomains?: readonly string[];
  /** The tenant's id (`--tenant-id`); absent: literal tenant ids give a note. */
  readonly tenantId?: string;
  report(severity: "error" | "note", message: string, fix: string): void;
}

// Stand-ins for the ids a reference will hold, so that the URI can be classified at all.
const APP_ID = "00000000-0000-4000-8000-00000000a991";
const TENANT_ID = "00000000-0000-4000-8000-00000000e7a7";
const APP_TYPES = ["azuread_application", "azuread_application_registration"];

/** Checks the value of `identifier_uris` (a list) on an application. */
export function checkIdentifierUriList(ctx: IdentifierUriContext, raw: unknown): void {
  if (raw === undefined || raw === null) return;
  const node = toNode(raw);
  if (node.t === "list") {
    node.items.forEach((item, i) => checkIdentifierUri(ctx, item, `identifier_uris[${i}]`));
    return;
  }
  const list = ctx.mod.evalNode(node, ctx.bindings);
  if (Array.isArray(list)) {
    list.forEach((v, i) =>
      isUnknown(v)
        ? unknown(ctx, `identifier_uris[${i}]`, v)
        : checkIdentifierUri(ctx, { t: "lit", v }, `identifier_uris[${i}]`),
    );
  } else if (list !== null) {
    unknown(
      ctx,
      "identifier_uris",
      isUnknown(list) ? list : new Unknown(`it is ${describe(list)}`),
    );
  }
}

/** Checks one identifier URI expression. */
export function checkIdentifierUri(ctx: IdentifierUriContext, node: Node, attr: string): void {
  const uri = uriOf(ctx, node);
  if (isUnknown(uri)) return unknown(ctx, attr, uri);
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
      `${attr} has the literal GUID ${found.appId} in the {appId} position of ${found.pattern.template}, which must be the application's own client id; that id is known only after apply, so MCC012 could not check it (got ${shown}).`,
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
    } else if (found.tenantId !== ctx.tenantId.toLowerCase()) {
      ctx.report(
        "error",
        `${attr} names tenant ${found.tenantId}, not ${ctx.tenantId.toLowerCase()} (--tenant-id); Entra accepts only the tenant's own id there (got ${shown}).`,
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

function unknown(ctx: IdentifierUriContext, attr: string, why: Unknown): void {
  ctx.report(
    "note",
    `${attr} cannot be known statically (${why.why}), so MCC012 was not checked here.`,
    "Review it by hand; where the value comes from a variable, a default lets the check evaluate it.",
  );
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
function uriOf(ctx: IdentifierUriContext, node: Node): Uri | Unknown {
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
    const v = ctx.mod.evalNode(part, ctx.bindings);
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

function describe(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
