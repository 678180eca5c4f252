/** Helpers shared by the CSV and JSONL readers for finding and counting line terminators. */

export const LF = 0x0a;
export const CR = 0x0d;

/** Marks "not found" with a number larger than any string index, so `<` comparisons work. */
export const NONE = 0x3fffffff;

/** Returns the index of `search` at or after `from`, or NONE. */
export function indexOrNone(text: string, search: string, from: number): number {
  const i = text.indexOf(search, from);
  return i === -1 ? NONE : i;
}

/** Returns the index of the next '\n' or '\r' at or after `from`, or NONE. */
export function findLineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (lf === -1) return cr === -1 ? NONE : cr;
  return cr === -1 || lf < cr ? lf : cr;
}

/** Counts line breaks in text[from, to), taking '\r\n' as one break. */
export function countLineBreaks(text: string, from: number, to: number): number {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) breaks++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) breaks++;
  }
  return breaks;
}

/** Rewrites '\r\n' and lone '\r' to '\n' (the `raw` of a multi-line record uses '\n'). */
export function normalizeLineBreaks(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

/** Tells whether a line holds nothing but spaces and tabs (a blank line, not a record). */
export function isBlankLine(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 0x20 && line.trim() === '');
}
