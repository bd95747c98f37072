/**
 * Scanning HCL text: where a quoted string or a bracketed expression ends. Shared by the HCL reader
 * (hcl.ts) and the expression parser (expr.ts), so both read `${…}`, `%{…}`, their `$${`/`%%{`
 * escapes and nested strings the same way.
 */

/** Index of the closing quote of the string opening at `open`, honouring escapes and `${…}`. */
export function skipString(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "\n") return -1;
    if ((c === "$" || c === "%") && s[i + 1] === "{") {
      if (s[i - 1] === c && s[i - 2] !== c) {
        // $${ / %%{: a literal, not an interpolation
        i++;
        continue;
      }
      const end = skipBraces(s, i + 1);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (c === '"') return i;
  }
  return -1;
}

/** Index of the `}` closing the `{` at `open`, skipping strings and nested brackets. */
export function skipBraces(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = skipString(s, i);
      if (i < 0) return -1;
    } else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
