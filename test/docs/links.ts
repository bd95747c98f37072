import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/** A relative Markdown link: the file it is in, its line, and its target relative to the repository root. */
export interface Link {
  readonly file: string;
  readonly line: number;
  /** The target file relative to the repository root (the linking file itself for `#anchor`). */
  readonly target: string;
  /** The heading anchor, without `#`, if any. */
  readonly anchor?: string;
  /** The link as written. */
  readonly raw: string;
}

/** The lines of `text` outside fenced code blocks, with inline code spans blanked out unless `keepCode`. */
function proseLines(text: string, keepCode = false): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (open && line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, "") === "")
        fence = undefined;
      return;
    }
    if (open) {
      fence = open[1];
      return;
    }
    out.push({ line: i + 1, text: keepCode ? line : line.replace(/(`+)[\s\S]*?\1/g, "") });
  });
  return out;
}

/** The relative links (`[text](target)`) of a Markdown file; URLs with a scheme and mail links are skipped. */
export function linksOf(file: string, text: string): Link[] {
  const links: Link[] = [];
  for (const { line, text: prose } of proseLines(text)) {
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const raw = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) continue;
      const [target, anchor] = raw.split("#", 2);
      const resolved = target
        ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), decodeURIComponent(target)))
        : file;
      links.push({ file, line, target: resolved.split(path.sep).join("/"), anchor, raw });
    }
  }
  return links;
}

/** The anchors GitHub gives the headings of a Markdown text (lower case, punctuation dropped, `-n` for repeats). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text: line } of proseLines(text, true)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]
      .toLowerCase()
      .replace(/<[^>]*>/g, "")
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
    // An explicit anchor in the heading (`<a id="mcc001"></a>`), which GitHub keeps as written.
    for (const m of heading[1].matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** The links of `file` whose target file or heading does not exist, as `<file>:<line>: <link> (<why>)`. */
export function brokenLinks(file: string, text: string): string[] {
  const broken: string[] = [];
  for (const link of linksOf(file, text)) {
    const full = path.join(ROOT, link.target);
    if (link.target !== file && !fs.existsSync(full)) {
      broken.push(`${file}:${link.line}: ${link.raw} (no such file)`);
      continue;
    }
    if (link.anchor === undefined || !link.target.endsWith(".md")) continue;
    const page = link.target === file ? text : fs.readFileSync(full, "utf8");
    if (!anchorsOf(page).has(link.anchor)) {
      broken.push(`${file}:${link.line}: ${link.raw} (no such heading in ${link.target})`);
    }
  }
  return broken;
}
