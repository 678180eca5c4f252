/**
 * Staged disclosure. Technical detail in a public text is wrapped in an embargo block:
 *
 *     :::embargo until=resolved
 *     The flaw is in the upload handler of …
 *     :::
 *
 * `until` is `resolved` (released when the case is resolved) or a date / date-time
 * (`2027-01-15`, `2027-01-15T09:00:00Z`; a bare date means 00:00 UTC). Until released, the
 * block is absent from everything public; once released, its content is shown in place.
 */

export interface EmbargoBlock {
  condition: string;
  /** The block's content (without the fence lines). */
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export interface ParsedEmbargo {
  /** The text outside every embargo block. */
  openText: string;
  blocks: EmbargoBlock[];
  errors: { line: number; message: string }[];
}

const OPEN = /^\s*:::\s*embargo\b(.*)$/i;
const CLOSE = /^\s*:::\s*$/;
const UNTIL = /^\s*until\s*=\s*(\S+)\s*$/i;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** Normalises an `until` value: 'resolved' or an ISO date(-time); null when invalid. */
export function normaliseCondition(raw: string): string | null {
  const v = raw.trim().replace(/^["']|["']$/g, '');
  if (v.toLowerCase() === 'resolved') return 'resolved';
  if (DATE.test(v) && Number.isFinite(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v))) return v;
  return null;
}

/** The instant a date condition passes, in ms; null for 'resolved'. */
export function conditionInstant(condition: string): number | null {
  if (condition === 'resolved') return null;
  const t = Date.parse(condition.length === 10 ? `${condition}T00:00:00Z` : condition);
  return Number.isFinite(t) ? t : null;
}

/** Splits a Markdown text into its open part and its embargo blocks, with syntax errors. */
export function parseEmbargo(markdown: string): ParsedEmbargo {
  const lines = markdown.split(/\r?\n/);
  const open: string[] = [];
  const blocks: EmbargoBlock[] = [];
  const errors: ParsedEmbargo['errors'] = [];
  let current: { condition: string; line: number; lines: string[] } | null = null;
  lines.forEach((line, i) => {
    const n = i + 1;
    const opening = OPEN.exec(line);
    if (opening) {
      if (current) {
        errors.push({
          line: n,
          message: 'embargo blocks cannot be nested; close the previous one with ::: first',
        });
        return;
      }
      const until = UNTIL.exec(opening[1] ?? '');
      const condition = until ? normaliseCondition(until[1]!) : null;
      if (!condition) {
        errors.push({
          line: n,
          message:
            'an embargo needs until=resolved or until=YYYY-MM-DD, e.g. ":::embargo until=resolved"',
        });
      }
      current = { condition: condition ?? 'resolved', line: n, lines: [] };
      return;
    }
    if (current && CLOSE.test(line)) {
      blocks.push({
        condition: current.condition,
        line: current.line,
        text: current.lines.join('\n'),
      });
      current = null;
      return;
    }
    (current ? current.lines : open).push(line);
  });
  if (current) {
    const c = current as { condition: string; line: number; lines: string[] };
    errors.push({
      line: c.line,
      message: 'embargo block is not closed with a line holding only :::',
    });
    // An unclosed block stays embargoed to the end: failing closed is the safe side.
    blocks.push({ condition: c.condition, line: c.line, text: c.lines.join('\n') });
  }
  return { openText: open.join('\n'), blocks, errors };
}

/** The distinct conditions used in some texts. */
export function embargoConditions(texts: readonly string[]): string[] {
  return [...new Set(texts.flatMap((t) => parseEmbargo(t).blocks.map((b) => b.condition)))];
}

/**
 * The text as the public may see it: released blocks unwrapped in place, the others removed
 * (with the blank lines around them collapsed).
 */
export function applyEmbargo(markdown: string, isReleased: (condition: string) => boolean): string {
  const lines = markdown.split(/\r?\n/);
  const out: string[] = [];
  let inside: { keep: boolean } | null = null;
  for (const line of lines) {
    const opening = OPEN.exec(line);
    if (opening && !inside) {
      const until = UNTIL.exec(opening[1] ?? '');
      const condition = until ? normaliseCondition(until[1]!) : null;
      inside = { keep: condition !== null && isReleased(condition) };
      continue;
    }
    if (inside && CLOSE.test(line)) {
      inside = null;
      continue;
    }
    if (!inside || inside.keep) out.push(line);
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Whether a condition is met now, given the case's resolution. */
export function conditionMet(
  condition: string,
  context: { resolved: boolean; now: number },
): boolean {
  if (condition === 'resolved') return context.resolved;
  const t = conditionInstant(condition);
  return t !== null && context.now >= t;
}
