/**
 * The files `check` reads, found and parsed as Terraform reads them: every `*.tf` and `*.tf.json`
 * of a directory (symbolic links followed, directory loops not), without the files Terraform
 * ignores, parsed with `@cdktf/hcl2json` (HCL) or `JSON.parse`, with each block's header line
 * located through an index built once per file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { HclSyntaxError, parseHclWithLines } from "./hcl";
import { ParsedFile } from "./module";

/** Directories never searched: Terraform's working directory, version control, packages. */
const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform"]);

/** True for the file names `check` reads. */
export function isTerraformFile(name: string): boolean {
  return name.endsWith(".tf") || name.endsWith(".tf.json");
}

/**
 * True for the names Terraform ignores in a module directory: hidden files (`.x.tf`), editor
 * backups (`x.tf~`) and Emacs lock files (`#x.tf#`).
 */
export function isIgnoredFile(name: string): boolean {
  return name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"));
}

/**
 * The Terraform files under a path: the file itself, or every `*.tf` / `*.tf.json` below a
 * directory, sorted. Symbolic links to files are read as Terraform reads them; symbolic links to
 * directories are followed once (a directory reached again, a loop, is not searched again).
 * `.terraform`, `.git` and `node_modules` are skipped, and so are the names Terraform ignores.
 * A link whose target is missing is listed, so that reading it reports the broken link.
 * @throws Error when the path does not exist
 */
export function findTerraformFiles(p: string): string[] {
  const stat = fs.statSync(p);
  if (stat.isFile()) return [p];
  const out: string[] = [];
  const visited = new Set<string>();
  const visit = (dir: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const target = fs.statSync(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          // A broken link: list it if it looks like a Terraform file, so its error is reported.
          if (isTerraformFile(e.name) && !isIgnoredFile(e.name)) out.push(full);
          continue;
        }
      }
      if (isDir) {
        if (!SKIP_DIRS.has(e.name)) visit(full);
      } else if (isFile && isTerraformFile(e.name) && !isIgnoredFile(e.name)) {
        out.push(full);
      }
    }
  };
  visit(p);
  return out;
}

type Hcl2Json = (filename: string, contents: string) => Promise<Record<string, unknown>>;
let hclParser: Hcl2Json | undefined;

/** Loads hcl2json's WebAssembly parser on first use (JSON-only runs never pay for it). */
function hcl(): Hcl2Json {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  hclParser ??= (require("@cdktf/hcl2json") as { parse: Hcl2Json }).parse;
  return hclParser;
}

/** Reads and parses one file: HCL through hcl2json, JSON with JSON.parse. */
export async function parseFile(file: string): Promise<ParsedFile> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") {
      throw new Error("cannot read this file: it is a symbolic link whose target does not exist");
    }
    throw new Error(`cannot read this file: ${err.message}`);
  }
  if (file.endsWith(".json")) {
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (e) {
      throw new Error(`not valid JSON: ${(e as Error).message}`);
    }
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
      throw new Error("not a Terraform JSON configuration (the top level must be an object)");
    }
    return { file, config: config as Record<string, unknown>, lines: jsonLocator(text) };
  }
  let config: Record<string, unknown>;
  try {
    const parsed = parseHclWithLines(text);
    return {
      file,
      config: parsed.config,
      lines: (kind, type, name) => parsed.lines.get(`${kind} ${type} ${name}`),
    };
  } catch (e) {
    if (!(e instanceof HclSyntaxError)) throw e;
    // Syntax the fast reader does not handle, or an error: hcl2json decides, and names it.
    try {
      config = await hcl()(path.basename(file), text);
    } catch (err) {
      throw new Error(`not valid HCL: ${(err as Error).message.replace(/^parse config: /, "")}`);
    }
  }
  return { file, config, lines: hclLocator(text) };
}

/**
 * Finds the line of a block in HCL source, after a successful parse: the first line whose
 * words are `resource "type" "name"` (labels quoted or bare), outside block comments. The index
 * is built once, on first use, in one pass over the text.
 */
export function hclLocator(text: string): ParsedFile["lines"] {
  let index: Map<string, number> | undefined;
  return (kind, type, name) => {
    index ??= indexHcl(text);
    return index.get(`${kind} ${type} ${name}`);
  };
}

function indexHcl(text: string): Map<string, number> {
  const index = new Map<string, number>();
  let inComment = false;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end).trim();
    start = end + 1;
    if (inComment) {
      const close = line.indexOf("*/");
      if (close < 0) continue;
      inComment = false;
      line = line.slice(close + 2).trim();
    }
    if (line.startsWith("/*") && !line.includes("*/")) {
      inComment = true;
      continue;
    }
    if (!line.startsWith("resource") && !line.startsWith("data")) continue;
    const words = labels(line);
    if (words.length >= 3 && (words[0] === "resource" || words[0] === "data")) {
      const key = `${words[0]} ${words[1]} ${words[2]}`;
      if (!index.has(key)) index.set(key, lineNo);
    }
  }
  return index;
}

/** The leading words of a line: identifiers and quoted labels, up to `{`. */
function labels(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length && out.length < 3) {
    const c = line[i];
    if (c === " " || c === "\t") i++;
    else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) break;
      out.push(line.slice(i + 1, end));
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < line.length && /[A-Za-z0-9_-]/.test(line[j])) j++;
      out.push(line.slice(i, j));
      i = j;
    } else break;
  }
  return out;
}

/**
 * Finds the line of a block in Terraform JSON: the line of its `"name"` key under
 * `"resource"` / `"data"` → `"type"` at the top level. One pass over the text, on first use,
 * records every block's line (arrays between the levels are allowed, as Terraform allows them).
 */
export function jsonLocator(text: string): ParsedFile["lines"] {
  let index: Map<string, number> | undefined;
  return (kind, type, name) => {
    index ??= indexJson(text);
    return index.get(`${kind} ${type} ${name}`);
  };
}

function indexJson(text: string): Map<string, number> {
  const index = new Map<string, number>();
  /** For each open object: the keys from the top to it (arrays are transparent). */
  const stack: { readonly object: boolean; readonly path: readonly string[] }[] = [];
  let pendingKey: string | undefined;
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 34) {
      // A string: find its end, counting nothing (JSON strings hold no raw newlines).
      let j = i + 1;
      let escaped = false;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          j++;
          escaped = true;
        } else if (d === 34) break;
      }
      const raw = text.slice(i + 1, j);
      i = j + 1;
      // A key when the next non-blank character is a colon.
      let k = i;
      while (
        k < n &&
        (text[k] === " " || text[k] === "\t" || text[k] === "\r" || text[k] === "\n")
      ) {
        if (text[k] === "\n") line++;
        k++;
      }
      if (text[k] === ":" && stack.length > 0 && stack[stack.length - 1].object) {
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        const keyPath = [...stack[stack.length - 1].path, key];
        if (keyPath.length === 3 && (keyPath[0] === "resource" || keyPath[0] === "data")) {
          const id = keyPath.join(" ");
          if (!index.has(id)) index.set(id, line);
        }
        pendingKey = key;
        i = k + 1;
      } else {
        i = k;
      }
    } else if (c === 123 || c === 91) {
      // { or [: a container under the pending key (or the current path, in an array).
      const parent = stack[stack.length - 1];
      const base = parent ? parent.path : [];
      const keyPath = parent?.object && pendingKey !== undefined ? [...base, pendingKey] : base;
      // Only the first three levels matter: deeper ones keep the path short and cheap.
      stack.push({ object: c === 123, path: keyPath.length > 3 ? keyPath.slice(0, 4) : keyPath });
      pendingKey = undefined;
      i++;
    } else if (c === 125 || c === 93) {
      stack.pop();
      pendingKey = undefined;
      i++;
    } else {
      i++;
    }
  }
  return index;
}
