#!/usr/bin/env node
// `npm run generate:graph [-- <data dir>] [--date YYYY-MM-DD] [--out <file>]`: writes
// src/graph/permissions.generated.ts (or --out) from the Microsoft Graph permission exports
// (the repository's data/ folder by default).
//
// Inputs: graph-application-permissions.csv and graph-delegated-permissions.csv, each with the
// columns `id` and `value` (in any order; other columns are ignored), RFC 4180 quoting, LF or CRLF
// line ends, an optional UTF-8 byte order mark. The snapshot date is read from the data
// directory's README.md ("snapshot of YYYY-MM-DD") unless given with `--date YYYY-MM-DD`.
//
// The output is deterministic (sorted ordinally by name, no timestamps) so that re-running the
// generator on the same export changes nothing, and test/graph/generator.test.ts can check that
// the committed file is exactly what the generator makes of the CSV.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const APPLICATION_FILE = "graph-application-permissions.csv";
const DELEGATED_FILE = "graph-delegated-permissions.csv";
const DEFAULT_DATA_DIR = path.resolve(__dirname, "..", "data");
const OUTPUT = path.resolve(__dirname, "..", "src", "graph", "permissions.generated.ts");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits CSV text into rows of fields (RFC 4180: quoted fields, "" escapes, CRLF or LF). */
function parseCsv(text, file) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`${file}: unterminated quoted field at the end of the file`);
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ""));
}

/** Reads the `id` and `value` columns of one export; checks ids are UUIDs and names unique. */
function readPermissions(text, file) {
  const [header, ...rows] = parseCsv(text, file);
  if (!header) throw new Error(`${file}: the file is empty`);
  const names = header.map((h) => h.trim().toLowerCase());
  const idCol = names.indexOf("id");
  const valueCol = names.indexOf("value");
  if (idCol < 0 || valueCol < 0) {
    throw new Error(
      `${file}: expected the columns "id" and "value", got ${JSON.stringify(header)}`,
    );
  }
  const byName = new Map();
  const seenIds = new Set();
  rows.forEach((r, n) => {
    const line = n + 2;
    const id = (r[idCol] ?? "").trim().toLowerCase();
    const value = (r[valueCol] ?? "").trim();
    if (!UUID.test(id)) throw new Error(`${file}:${line}: id ${JSON.stringify(id)} is not a UUID`);
    if (!/^[\x21-\x7e]+$/.test(value)) {
      throw new Error(`${file}:${line}: value ${JSON.stringify(value)} is not a permission name`);
    }
    if (byName.has(value)) throw new Error(`${file}:${line}: ${value} is listed twice`);
    if (seenIds.has(id)) throw new Error(`${file}:${line}: id ${id} is listed twice`);
    byName.set(value, id);
    seenIds.add(id);
  });
  return byName;
}

/**
 * The application permission to suggest for a delegated-only name, or null: `<name>.All` (e.g.
 * User.Read → User.Read.All), else `<name>` without `.Shared` (Mail.Send.Shared → Mail.Send).
 */
function suggestionFor(name, application) {
  if (application.has(`${name}.All`)) return `${name}.All`;
  if (name.endsWith(".Shared") && application.has(name.slice(0, -".Shared".length))) {
    return name.slice(0, -".Shared".length);
  }
  return null;
}

const ordinal = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** One `key: value,` (or `;`) member line, laid out as prettier (width 100) would. */
function property(key, value, end) {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  const v = JSON.stringify(value);
  const line = `  ${k}: ${v}${end}`;
  return line.length <= 100 || end === ";" ? line : `  ${k}:\n    ${v}${end}`;
}

/** Renders the TypeScript module from the two exports' texts. */
function generate({ applicationCsv, delegatedCsv, snapshotDate }) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(snapshotDate ?? "")) {
    throw new Error(`snapshot date must be YYYY-MM-DD, got ${JSON.stringify(snapshotDate)}`);
  }
  const application = readPermissions(applicationCsv, APPLICATION_FILE);
  const delegated = readPermissions(delegatedCsv, DELEGATED_FILE);
  const appNames = [...application.keys()].sort(ordinal);
  const delegatedOnly = [...delegated.keys()].filter((n) => !application.has(n)).sort(ordinal);
  const q = JSON.stringify;
  const out = [];
  out.push(
    "// GENERATED by scripts/generate-graph.js from the Microsoft Graph permission exports",
    `// ${APPLICATION_FILE} and ${DELEGATED_FILE} (snapshot ${snapshotDate}).`,
    "// Do not edit: run `npm run generate:graph` on a newer export.",
    "",
    "/** Where the Microsoft Graph permission table comes from. */",
    "export const GRAPH_PERMISSIONS_SOURCE = Object.freeze({",
    `  applicationFile: ${q(APPLICATION_FILE)},`,
    `  delegatedFile: ${q(DELEGATED_FILE)},`,
    `  snapshotDate: ${q(snapshotDate)},`,
    `  applicationCount: ${appNames.length},`,
    `  delegatedCount: ${delegated.size},`,
    `  delegatedOnlyCount: ${delegatedOnly.length},`,
    "} as const);",
    "",
    "/**",
    ` * Every Microsoft Graph application permission name (${appNames.length} in this snapshot). A union of`,
    " * literals, so that checking a name against it is a single lookup for the compiler.",
    " */",
    "export type GraphApplicationPermission =",
    ...appNames.map((n, i) => `  | ${q(n)}${i === appNames.length - 1 ? ";" : ""}`),
    "",
    "/** The app role id of each Graph application permission. */",
    "export type GraphApplicationPermissionIds = { readonly [P in GraphApplicationPermission]: string };",
    "",
    "/**",
    " * Every Microsoft Graph application permission (app role `value` → app role `id`), sorted by",
    " * name. The ids are Microsoft's and stable; the grant checks them against the tenant at plan time.",
    " */",
    "export const GRAPH_APPLICATION_PERMISSION_IDS: GraphApplicationPermissionIds = Object.freeze({",
    ...appNames.map((n) => property(n, application.get(n), ",")),
    "});",
    "",
    "/**",
    " * Microsoft Graph permission names that exist only as delegated permissions (user sign-in),",
    " * mapped to the application permission to use instead, or `null` where there is none.",
    " */",
    "export type GraphDelegatedOnlySuggestions = {",
    ...delegatedOnly.map((n) => property(n, suggestionFor(n, application), ";")),
    "};",
    "",
    "/** The delegated-only names and their suggestions, at run time. */",
    "export const GRAPH_DELEGATED_ONLY_PERMISSIONS: GraphDelegatedOnlySuggestions = Object.freeze({",
    ...delegatedOnly.map((n) => property(n, suggestionFor(n, application), ",")),
    "});",
    "",
    "/**",
    ` * Every Microsoft Graph delegated permission (oauth2PermissionScope \`id\` → \`value\`, ${delegated.size} in`,
    " * this snapshot), sorted by id: the checker recognises delegated ids in configurations with it.",
    " */",
    "export const GRAPH_DELEGATED_PERMISSION_IDS: Readonly<Record<string, string>> = Object.freeze({",
    ...[...delegated.entries()]
      .sort(([, a], [, b]) => ordinal(a, b))
      .map(([name, id]) => property(id, name, ",")),
    "});",
    "",
  );
  return out.join("\n");
}

/** The snapshot date written in the data directory's README.md, if any. */
function readSnapshotDate(dataDir) {
  const readme = path.join(dataDir, "README.md");
  if (!fs.existsSync(readme)) return undefined;
  const m = /snapshot\s+of\s+(\d{4}-\d{2}-\d{2})/.exec(fs.readFileSync(readme, "utf8"));
  return m ? m[1] : undefined;
}

/** Generates from a data directory; returns the module text. */
function generateFromDir(dataDir = DEFAULT_DATA_DIR, snapshotDate = readSnapshotDate(dataDir)) {
  return generate({
    applicationCsv: fs.readFileSync(path.join(dataDir, APPLICATION_FILE), "utf8"),
    delegatedCsv: fs.readFileSync(path.join(dataDir, DELEGATED_FILE), "utf8"),
    snapshotDate,
  });
}

function main(argv) {
  const args = [...argv];
  const option = (name) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const value = args[at + 1];
    if (value === undefined) throw new Error(`${name} needs a value`);
    args.splice(at, 2);
    return value;
  };
  const date = option("--date");
  const out = path.resolve(option("--out") ?? OUTPUT);
  const dataDir = path.resolve(args[0] ?? DEFAULT_DATA_DIR);
  const text = generateFromDir(dataDir, date ?? readSnapshotDate(dataDir));
  fs.writeFileSync(out, text);
  console.log(`wrote ${path.relative(process.cwd(), out)} from ${dataDir}`);
}

module.exports = {
  APPLICATION_FILE,
  DELEGATED_FILE,
  DEFAULT_DATA_DIR,
  OUTPUT,
  parseCsv,
  readPermissions,
  suggestionFor,
  generate,
  generateFromDir,
  readSnapshotDate,
};

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`generate-graph: ${e.message}`);
    process.exit(1);
  }
}
