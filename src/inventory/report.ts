/**
 * `report`: reads the `machine-clients.json` manifests of a synth output (`cdktf.out`) or one
 * stack directory and renders them for people (Markdown: a table per stack and a Mermaid graph
 * of clients → APIs → permissions) or as one JSON document.
 * Pure TypeScript: no cdktf import.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { describeValue, escapeText } from "../errors";
import { decodeUtf8, FileReadError, formatSize, readRegularFile } from "../files";
import {
  MANIFEST_FILE_NAME,
  MANIFEST_SCHEMA_VERSION,
  ManifestClient,
  ManifestCredential,
  MachineClientManifest,
} from "./manifest-schema";

/** A manifest and the file it was read from. */
export interface LoadedManifest {
  /** The manifest file. */
  readonly file: string;
  /** Its content. */
  readonly manifest: MachineClientManifest;
}

/**
 * Finds and reads the manifests under a path: the file itself, a stack directory holding one,
 * or a synth output directory (`cdktf.out`, searched below), sorted by stack name.
 * @throws Error when the path does not exist, holds no manifest, or a manifest is invalid
 */
export function loadManifests(p: string): LoadedManifest[] {
  const stat = fs.statSync(p);
  const files: string[] = [];
  if (stat.isFile()) files.push(p);
  else {
    const visit = (dir: string, depth: number): void => {
      const direct = path.join(dir, MANIFEST_FILE_NAME);
      if (fs.existsSync(direct)) files.push(direct);
      if (depth >= 4) return;
      const entries = fs.readdirSync(dir, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) {
          visit(path.join(dir, e.name), depth + 1);
        }
      }
    };
    visit(p, 0);
  }
  if (files.length === 0) {
    throw new Error(
      `no ${MANIFEST_FILE_NAME} found under ${p}. Run \`cdktf synth\` first, and pass the output directory (cdktf.out) or one stack's directory (cdktf.out/stacks/<stack>).`,
    );
  }
  return files
    .map((file) => ({ file, manifest: readManifest(file) }))
    .sort((a, b) =>
      a.manifest.stack < b.manifest.stack ? -1 : a.manifest.stack > b.manifest.stack ? 1 : 0,
    );
}

/** The largest manifest read: 64 MiB (tens of thousands of clients). */
const MAX_MANIFEST_SIZE = 64 * 1024 * 1024;

/** A manifest that cannot be reported: the message names the file and what is wrong. */
export class ManifestError extends Error {
  constructor(file: string, problem: string) {
    super(`${escapeText(file, 500)}: ${problem}`);
    this.name = "ManifestError";
  }
}

const text = z.string();
const list = <T extends z.ZodType>(item: T) => z.array(item);
/** The shape `report` reads (schema version 1); unknown fields are allowed (newer writers). */
const manifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  stack: text,
  clients: list(
    z.object({
      displayName: text,
      path: text,
      owners: list(text),
      ownersDefaultToDeployer: z.boolean(),
      flow: text,
      grants: list(
        z.object({
          api: text,
          identifierUri: text,
          scope: text,
          roleId: text,
          privileged: z.boolean(),
          justification: text.optional(),
        }),
      ),
      credentials: list(
        z.object({
          kind: text,
          rotationDays: z.number().optional(),
          validityDays: z.number().optional(),
          slots: z.number().optional(),
          maxApplyGapDays: z.number().optional(),
          rotationOffsetMinutes: z.number().optional(),
          endDate: text.optional(),
          issuer: text.optional(),
          subject: text.optional(),
          audiences: list(text).optional(),
          delivery: text.optional(),
        }),
      ),
      delivery: list(text),
      suppressions: list(z.object({ id: text, reason: text })),
    }),
  ),
});

/** A zod issue path as `clients[0].grants[1].scope`. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) =>
      typeof k === "number" ? `[${k}]` : `${i === 0 ? "" : "."}${escapeText(String(k), 100)}`,
    )
    .join("");
}

function readManifest(file: string): MachineClientManifest {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, MAX_MANIFEST_SIZE);
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    const { reason, detail } = e.failure;
    throw new ManifestError(
      file,
      reason === "not-regular"
        ? `is not a regular file (${detail})`
        : reason === "too-large"
          ? `is larger than ${formatSize(MAX_MANIFEST_SIZE)} (${detail})`
          : `cannot be read (${escapeText(detail, 200)})`,
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) throw new ManifestError(file, `${decoded.problem} (line ${decoded.line})`);
  let data: unknown;
  try {
    data = JSON.parse(decoded.text);
  } catch (e) {
    throw new ManifestError(file, `is not valid JSON: ${escapeText((e as Error).message, 300)}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const what = data === null ? "null" : Array.isArray(data) ? "an array" : describeValue(data);
    throw new ManifestError(file, `holds ${what}, not a machine-client manifest object`);
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== MANIFEST_SCHEMA_VERSION) {
    throw new ManifestError(
      file,
      `${version === undefined ? "has no schemaVersion" : `schemaVersion ${describeValue(version)} is not supported`} (this version reads ${MANIFEST_SCHEMA_VERSION}); use the cdktf-machine-clients version that wrote it.`,
    );
  }
  const checked = manifestSchema.safeParse(data);
  if (!checked.success) {
    const issues = checked.error.issues;
    const shown = issues
      .slice(0, 5)
      .map(
        (i) => `${pathText(i.path) || "(top level)"}: ${i.message.replace(/^Invalid input: /, "")}`,
      );
    throw new ManifestError(
      file,
      `is not a valid machine-client manifest: ${shown.join("; ")}${issues.length > 5 ? `; and ${issues.length - 5} more` : ""}. Run \`cdktf synth\` again to rewrite it.`,
    );
  }
  return data as unknown as MachineClientManifest;
}

/** The manifests as one JSON document. */
export function reportJson(manifests: readonly LoadedManifest[]): string {
  return (
    JSON.stringify(
      { schemaVersion: MANIFEST_SCHEMA_VERSION, stacks: manifests.map((m) => m.manifest) },
      null,
      2,
    ) + "\n"
  );
}

/** The manifests as Markdown: per stack, a table and a Mermaid graph. */
export function reportMarkdown(manifests: readonly LoadedManifest[]): string {
  const out: string[] = ["# Machine clients", ""];
  const total = manifests.reduce((n, m) => n + m.manifest.clients.length, 0);
  out.push(
    `${total} machine client${total === 1 ? "" : "s"} in ${manifests.length} stack${manifests.length === 1 ? "" : "s"}. All use the OAuth 2.0 client credentials flow.`,
    "",
  );
  for (const { manifest } of manifests) {
    out.push(`## Stack ${code(manifest.stack, false)}`, "");
    if (manifest.clients.length === 0) {
      out.push("No machine clients.", "");
      out.push(...lifecycleSection(manifest));
      continue;
    }
    out.push(
      "| Client | Construct path | Owners | API | Permissions | Credentials | Delivery | Suppressions |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const c of manifest.clients) {
      for (const [api, grants] of groupByApi(c)) {
        const perms = grants
          .map(
            (g) =>
              `${code(g.scope)}${g.privileged ? " **privileged**" : ""}${g.justification ? ` (${md(g.justification)})` : ""}${g.renamedFrom ? ` (and its old name ${code(g.renamedFrom.scope)} until retired)` : ""}`,
          )
          .join(", ");
        out.push(
          row([
            md(c.displayName),
            code(c.path),
            c.ownersDefaultToDeployer ? "deploying principal" : md(c.owners.join(", ")),
            md(apiLabel(api, grants[0].api)),
            perms,
            md(c.credentials.map(describeCredential).join("; ")),
            c.delivery.length ? md(c.delivery.join(", ")) : "—",
            c.suppressions.length
              ? md(c.suppressions.map((s) => `${s.id}: ${s.reason}`).join("; "))
              : "—",
          ]),
        );
      }
    }
    out.push("", "```mermaid", ...mermaid(manifest), "```", "");
    out.push(...lifecycleSection(manifest));
  }
  return out.join("\n");
}

/**
 * The stack's retired and renamed permissions: what a vocabulary change left to finish (grants
 * to remove everywhere, entries to remove last). Empty when every role is active.
 */
function lifecycleSection(manifest: MachineClientManifest): string[] {
  const rows: string[] = [];
  for (const api of Array.isArray(manifest.apis) ? manifest.apis : []) {
    const where = `${md(api.identifierUri)} (${api.kind === "protected" ? "" : "copy in "}${code(api.path)})`;
    for (const r of Array.isArray(api.roles) ? api.roles : []) {
      if (r.status === "active") continue;
      const by = r.replacedBy !== undefined ? code(r.replacedBy) : undefined;
      const status =
        r.status === "renamed"
          ? `renamed to ${by}: still enabled, and assigned with every grant of ${by} until retired`
          : `retired${by !== undefined ? `, replaced by ${by}` : ""}${r.reason !== undefined ? `: ${md(r.reason)}` : ""}; disabled, remove it once no stack grants it`;
      rows.push(row([where, code(r.scope), md(r.roleId), status]));
    }
  }
  if (rows.length === 0) return [];
  return [
    "### Retired and renamed permissions",
    "",
    "| API | Permission | Role id | Status |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ];
}

function groupByApi(c: ManifestClient): [string, ManifestClient["grants"][number][]][] {
  const groups = new Map<string, ManifestClient["grants"][number][]>();
  for (const g of c.grants)
    groups.set(g.identifierUri, [...(groups.get(g.identifierUri) ?? []), g]);
  return [...groups.entries()];
}

/** A credential in a few words: `secret, rotates every 30 d, valid 60 d`. */
export function describeCredential(c: ManifestCredential): string {
  const parts: string[] = [c.kind];
  if (c.rotationDays !== undefined) parts.push(`rotates every ${c.rotationDays} d`);
  if (c.validityDays !== undefined) parts.push(`valid ${c.validityDays} d`);
  if (c.slots !== undefined && c.slots > 1) parts.push(`${c.slots} slots`);
  if (typeof c.rotationOffsetMinutes === "number" && Number.isFinite(c.rotationOffsetMinutes)) {
    parts.push(`offset ${formatOffset(c.rotationOffsetMinutes)}`);
  }
  if (c.endDate !== undefined) parts.push(`ends ${c.endDate}`);
  if (c.issuer !== undefined) parts.push(`issuer ${c.issuer}`);
  if (c.subject !== undefined) parts.push(`subject ${c.subject}`);
  return parts.join(", ");
}

/**
 * A rotation offset as days and UTC time after 1970-01-01T00:00Z: `12 d 04:34`. The client's
 * slots are due at that point of each rotation period.
 */
export function formatOffset(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${Math.floor(m / 1440)} d ${pad(Math.floor((m % 1440) / 60))}:${pad(m % 60)}`;
}

/** A table row of cells already escaped with {@link md} or {@link code}. */
function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** User text on one line: line breaks become spaces, other control and bidi characters `\uXXXX`. */
function oneLine(s: string): string {
  return escapeText(String(s).replace(/\r\n|[\r\n\u2028\u2029]/g, " "), 1000);
}

const MARKDOWN_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "`": "\\`",
  "*": "\\*",
  _: "\\_",
  "[": "\\[",
  "]": "\\]",
  "~": "\\~",
  "|": "\\|",
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
};

/** User text for Markdown (a table cell or a paragraph): no markup, no HTML, no line break. */
function md(s: string): string {
  return oneLine(s).replace(/[\\`*_[\]~|<>&]/g, (c) => MARKDOWN_ESCAPES[c]);
}

/**
 * User text as a Markdown code span: fenced with one backtick more than its longest run of
 * backticks; in a table, `|` is escaped (GitHub splits cells before it reads code spans).
 */
function code(s: string, inTable = true): string {
  let text = oneLine(s);
  if (inTable) text = text.replace(/\|/g, "\\|");
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A Mermaid flowchart: each client points at the permissions it holds, grouped by API. */
function mermaid(manifest: MachineClientManifest): string[] {
  const lines = ["flowchart LR"];
  const apis = new Map<string, Map<string, string>>();
  const edges: string[] = [];
  manifest.clients.forEach((c, ci) => {
    lines.push(`  c${ci}["${label(c.displayName)}"]`);
    for (const g of c.grants) {
      let scopes = apis.get(g.identifierUri);
      if (!scopes) {
        scopes = new Map();
        apis.set(g.identifierUri, scopes);
      }
      const ai = [...apis.keys()].indexOf(g.identifierUri);
      if (!scopes.has(g.scope)) scopes.set(g.scope, `a${ai}s${scopes.size}`);
      edges.push(`  c${ci} --> ${scopes.get(g.scope)}`);
    }
  });
  const keys = new Map(
    manifest.clients.flatMap((c) => c.grants.map((g) => [g.identifierUri, g.api])),
  );
  [...apis.entries()].forEach(([api, scopes], ai) => {
    lines.push(`  subgraph a${ai}["${label(apiLabel(api, keys.get(api) ?? api))}"]`);
    for (const [scope, id] of scopes) lines.push(`    ${id}["${label(scope)}"]`);
    lines.push("  end");
  });
  return [...lines, ...edges];
}

/**
 * How an API is named in the report: its identifier URI, or for the default `api://{appId}`
 * (a reference to the `azuread_application_identifier_uri` the library adds) the words
 * `api://{appId} of <construct path>`, which a reader can place.
 */
function apiLabel(identifierUri: string, key: string): string {
  return /^\$\{azuread_application_identifier_uri\.[^}]+\.identifier_uri\}$/.test(identifierUri)
    ? `api://{appId} of ${key}`
    : identifierUri;
}

/**
 * User text as a quoted Mermaid label: on one line, and every character that could end the
 * label, start an entity or markup (`"`, `#`, brackets, `<`, backticks...) written as a Mermaid
 * entity code (`#quot;`, `#91;`).
 */
function label(s: string): string {
  return oneLine(s).replace(/[^A-Za-z0-9 .,:;/_+=@?!'~$%*-]/gu, (c) =>
    c === '"' ? "#quot;" : `#${c.codePointAt(0)};`,
  );
}
