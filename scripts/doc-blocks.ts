import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Generated blocks of the documentation: the lines of a Markdown page between `<!-- <marker> -->` and
 * `<!-- /<marker> -->` (e.g. `sample:report`, `rotation-table:cadences`) are written by a script from real
 * runs, never by hand. The same code regenerates them in a test and compares with the page, so a page cannot go
 * stale without a failing test.
 */
export interface GeneratedBlock {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** The marker name, e.g. `sample:report`. */
  readonly marker: string;
  /** The block's content, without the marker lines. */
  readonly content: string;
}

export const ROOT = path.join(__dirname, "..");

/**
 * Replaces the generated block `marker` of a Markdown page with `content`.
 * @throws Error when the page has no such block
 */
export function replaceGenerated(page: string, marker: string, content: string): string {
  const open = `<!-- ${marker} -->`;
  const close = `<!-- /${marker} -->`;
  const start = page.indexOf(open);
  const end = page.indexOf(close);
  if (start < 0 || end < start) throw new Error(`no ${open} … ${close} block in the page`);
  return `${page.slice(0, start + open.length)}\n\n${content.trim()}\n\n${page.slice(end)}`;
}

/** The pages as they would be with `blocks` in place: file (relative to the root) → text, for the files named. */
export function withGenerated(blocks: readonly GeneratedBlock[]): Map<string, string> {
  const pages = new Map<string, string>();
  for (const block of blocks) {
    const text = pages.get(block.file) ?? fs.readFileSync(path.join(ROOT, block.file), "utf8");
    pages.set(block.file, replaceGenerated(text, block.marker, block.content));
  }
  return pages;
}

/** Writes `blocks` into their pages; returns the files that changed. */
export function writeGenerated(blocks: readonly GeneratedBlock[]): string[] {
  const changed: string[] = [];
  for (const [file, text] of withGenerated(blocks)) {
    const full = path.join(ROOT, file);
    if (fs.readFileSync(full, "utf8") !== text) {
      fs.writeFileSync(full, text);
      changed.push(file);
    }
  }
  return changed;
}
