/**
 * `report`: reads the `machine-clients.json` manifests of a synth output (`cdktf.out`) or one
 * stack directory and renders them for people (Markdown: a table per stack and a Mermaid graph
 * of clients → APIs → permissions) or as one JSON document.
 * Pure TypeScript: no cdktf import.
 */
import * as fs from "node:fs";
import * as path from "node:path";
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

function readManifest(file: string): MachineClientManifest {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const m = data as MachineClientManifest;
  if (typeof m !== "object" || m === null || !Array.isArray(m.clients)) {
    throw new Error(`${file}: not a machine-client manifest (no "clients" list)`);
  }
  if (m.schemaVersion !== MANIFEST_SCHEMA_VERSION) {
    throw new Error(
      `${file}: schemaVersion ${JSON.stringify(m.schemaVersion)} is not supported (this version reads ${MANIFEST_SCHEMA_VERSION}); use the cdktf-machine-clients version that wrote it.`,
    );
  }
  return m;
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
    out.push(`## Stack \`${manifest.stack}\``, "");
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
              `\`${g.scope}\`${g.privileged ? " **privileged**" : ""}${g.justification ? ` (${g.justification})` : ""}${g.renamedFrom ? ` (and its old name \`${g.renamedFrom.scope}\` until retired)` : ""}`,
          )
          .join(", ");
        out.push(
          row([
            c.displayName,
            `\`${c.path}\``,
            c.ownersDefaultToDeployer ? "deploying principal" : c.owners.join(", "),
            api,
            perms,
            c.credentials.map(describeCredential).join("; "),
            c.delivery.length ? c.delivery.join(", ") : "—",
            c.suppressions.length
              ? c.suppressions.map((s) => `${s.id}: ${s.reason}`).join("; ")
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
  for (const api of manifest.apis ?? []) {
    const where = `${api.identifierUri} (${api.kind === "protected" ? "" : "copy in "}\`${api.path}\`)`;
    for (const r of api.roles) {
      if (r.status === "active") continue;
      const status =
        r.status === "renamed"
          ? `renamed to \`${r.replacedBy}\`: still enabled, and assigned with every grant of \`${r.replacedBy}\` until retired`
          : `retired${r.replacedBy !== undefined ? `, replaced by \`${r.replacedBy}\`` : ""}${r.reason !== undefined ? `: ${r.reason}` : ""}; disabled, remove it once no stack grants it`;
      rows.push(row([where, `\`${r.scope}\``, r.roleId, status]));
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
  if (c.endDate !== undefined) parts.push(`ends ${c.endDate}`);
  if (c.issuer !== undefined) parts.push(`issuer ${c.issuer}`);
  if (c.subject !== undefined) parts.push(`subject ${c.subject}`);
  return parts.join(", ");
}

function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")).join(" | ")} |`;
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
  [...apis.entries()].forEach(([api, scopes], ai) => {
    lines.push(`  subgraph a${ai}["${label(api)}"]`);
    for (const [scope, id] of scopes) lines.push(`    ${id}["${label(scope)}"]`);
    lines.push("  end");
  });
  return [...lines, ...edges];
}

function label(s: string): string {
  return s.replace(/"/g, "#quot;");
}
