/**
 * What a reviewer can read of a text: the rule behind justifications and suppression reasons.
 * Pure TypeScript. Internal: the public names are in `justification.ts`.
 */

// Characters that show nothing on their own: controls, format characters (zero-width spaces and
// joiners, word joiner, BOM, bidi marks, tags), separators and spaces, combining marks, default
// ignorable code points (variation selectors, Hangul fillers, soft hyphen), private-use,
// unassigned and lone surrogate code points, and the blank Braille pattern.
const INVISIBLE =
  /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}\p{M}\p{Default_Ignorable_Code_Point}\s\u2800]$/u;

// Rejected outright: control characters other than tab, line feed and carriage return (which
// count as white space), and the bidirectional formatting characters that reorder what is shown.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const segmenter =
  typeof Intl !== "undefined" && typeof Intl.Segmenter === "function"
    ? new Intl.Segmenter("en", { granularity: "grapheme" })
    : undefined;

/**
 * The number of visible characters of `text`: user-perceived characters (grapheme clusters)
 * holding at least one code point that shows something. White space, control and format
 * characters (zero-width spaces, joiners, bidi marks), combining marks on their own, variation
 * selectors and other default-ignorable code points count for nothing.
 */
export function visibleLength(text: string): number {
  const clusters = segmenter
    ? Array.from(segmenter.segment(text), (s) => s.segment)
    : Array.from(text);
  let n = 0;
  for (const cluster of clusters) {
    if (Array.from(cluster).some((ch) => !INVISIBLE.test(ch))) n++;
  }
  return n;
}

/**
 * The first control or bidirectional formatting character of `text` that a reason may not hold,
 * as `U+XXXX`; `undefined` when there is none.
 */
export function forbiddenCharacter(text: string): string | undefined {
  const m = FORBIDDEN.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

/**
 * What is wrong with a reason `text` (already known to be a string) that must show at least
 * `min` characters: a forbidden character, or too few visible ones; `undefined` when it is fine.
 * @param what how the problem names the text, e.g. `the justification for privileged "x"`
 */
export function reasonProblem(what: string, text: string, min: number): string | undefined {
  const bad = forbiddenCharacter(text);
  if (bad !== undefined) {
    return `${what} holds the control or bidirectional formatting character ${bad}, which can hide or reorder what a reviewer reads`;
  }
  const length = visibleLength(text);
  if (length < min) {
    return `${what} has ${length} visible characters; at least ${min} are required (spaces, invisible and formatting characters do not count)`;
  }
  return undefined;
}
