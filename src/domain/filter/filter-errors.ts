import { ValidationError } from '../errors.js';

/** 1-based line and column of a 0-based offset (columns count UTF-16 units, like JS indexes). */
export function lineAndColumn(source: string, position: number): { line: number; column: number } {
  const before = source.slice(0, position);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: position - lineStart + 1 };
}

/** Characters shown either side of the caret before a long line is cut with `…`. */
const POINTER_CONTEXT = 60;

/**
 * The line of `source` that holds `position`, with a caret under it. Long lines are cut to a
 * window around the caret, and tabs shown as spaces, so the caret stays aligned in a terminal
 * or a <pre>.
 */
export function renderPointer(source: string, position: number): string {
  const at = Math.max(0, Math.min(position, source.length));
  const lineStart = at === 0 ? 0 : source.lastIndexOf('\n', at - 1) + 1;
  const newline = source.indexOf('\n', at);
  const lineEnd = newline === -1 ? source.length : newline;
  // Code points, so a caret after an emoji lands under the right character.
  const chars = Array.from(source.slice(lineStart, lineEnd).replace(/[\t\r]/g, ' '));
  let caret = Array.from(source.slice(lineStart, at)).length;
  let from = 0;
  let to = chars.length;
  if (caret > POINTER_CONTEXT) from = caret - POINTER_CONTEXT;
  if (to - caret > POINTER_CONTEXT) to = caret + POINTER_CONTEXT;
  let shown = chars.slice(from, to).join('');
  if (from > 0) {
    shown = `…${shown}`;
    caret = caret - from + 1;
  }
  if (to < chars.length) shown = `${shown}…`;
  return `${shown}\n${' '.repeat(caret)}^`;
}

/** What FilterSyntaxError is built from. */
export interface FilterSyntaxErrorInit {
  source: string;
  /** 0-based offset into the filter text. */
  position: number;
  /** What the parser wanted here, e.g. `a value after "="`. */
  expected: string;
  /** What it found, e.g. `the end of the filter`; absent when the problem is not a mismatch. */
  found?: string;
  /** The full explanation when "expected X, found Y" does not say it well. */
  problem?: string;
  /** A suggestion, e.g. `put text in quotes: "web12"`. */
  hint?: string;
}

/**
 * A filter that cannot be parsed. A ValidationError, so the HTTP layer answers 400 with the
 * message; `pointer()` shows where for a terminal or a <pre>.
 */
export class FilterSyntaxError extends ValidationError {
  readonly source: string;
  readonly position: number;
  readonly line: number;
  readonly column: number;
  readonly expected: string;
  readonly found: string | undefined;

  constructor(init: FilterSyntaxErrorInit) {
    const { line, column } = lineAndColumn(init.source, init.position);
    const where = init.source.includes('\n')
      ? `line ${line}, column ${column}`
      : `column ${column}`;
    const what =
      init.problem ?? `expected ${init.expected}${init.found ? `, found ${init.found}` : ''}`;
    const message = `${what} (at ${where})${init.hint ? `; ${init.hint}` : ''}`;
    super(message, [{ field: 'filter', message }]);
    this.source = init.source;
    this.position = init.position;
    this.line = line;
    this.column = column;
    this.expected = init.expected;
    this.found = init.found;
  }

  /** The offending line of the filter with a caret under the position. */
  pointer(): string {
    return renderPointer(this.source, this.position);
  }
}
