import { Liquid, LiquidError, type Template } from 'liquidjs';
import { joinSentenceEnds } from './liquid-sentence-ends.js';
import { RENDER_LIMITS } from './render-limits.js';

/**
 * The Liquid dialect of notice templates: a sandbox. No file system (no `include`, `render`,
 * `layout`), no tags that write markup or keep state across renders, and a filter allow-list
 * without `raw` (which would bypass HTML escaping) or dumps of whole objects (`json`).
 */
export const ALLOWED_TAGS: readonly string[] = [
  'if',
  'unless',
  'case',
  'for',
  'break',
  'continue',
  'assign',
  'comment',
  'raw',
  '#',
];

/** Filters an author may use; anything else is a compile error (strictFilters). */
export const ALLOWED_FILTERS: readonly string[] = [
  // strings
  'append',
  'prepend',
  'capitalize',
  'downcase',
  'upcase',
  'strip',
  'lstrip',
  'rstrip',
  'strip_newlines',
  'strip_html',
  'squish',
  'normalize_whitespace',
  'replace',
  'replace_first',
  'replace_last',
  'remove',
  'remove_first',
  'remove_last',
  'truncate',
  'truncatewords',
  'split',
  'slice',
  'number_of_words',
  'url_encode',
  'url_decode',
  // arrays
  'join',
  'first',
  'last',
  'reverse',
  'sort',
  'sort_natural',
  'uniq',
  'compact',
  'concat',
  'map',
  'where',
  'sum',
  'size',
  'array_to_sentence_string',
  // numbers
  'abs',
  'at_least',
  'at_most',
  'ceil',
  'floor',
  'plus',
  'minus',
  'times',
  'divided_by',
  'modulo',
  'round',
  'to_integer',
  // other
  'date',
  'default',
  'safe_url',
];

/** Name of the filter the compiler puts on placeholders that form a whole link target. */
export const SAFE_URL_FILTER = 'safe_url';

const SAFE_URL = /^(?:https?:\/\/|mailto:)/i;

/** Keeps http(s) and mailto URLs; anything else (`javascript:`, `data:`…) becomes `#`. */
export function safeUrl(value: unknown): string {
  const url = typeof value === 'string' ? value.trim() : '';
  return SAFE_URL.test(url) ? url : '#';
}

/**
 * Every parse goes through here, also `parseAndRender(Sync)` (LiquidJS calls `this.parse`), so
 * the punctuation rule of liquid-sentence-ends.ts holds for every template and render path.
 */
class NoticeLiquid extends Liquid {
  override parse(html: string, filepath?: string): Template[] {
    return joinSentenceEnds(super.parse(html, filepath));
  }
}

/**
 * A Liquid instance for notices. `html` instances escape every output (`outputEscape`), so a
 * substituted value can never become markup; `text` instances (subject, plain-text part) do not.
 * A literal full stop right after a value that ends a sentence is dropped (no "B.V..").
 */
export function createNoticeLiquid(mode: 'html' | 'text'): Liquid {
  const liquid = new NoticeLiquid({
    strictVariables: true,
    strictFilters: true,
    // A reference in `if`/`unless`/`default` may be undefined: that is how optional variables work.
    lenientIf: true,
    ownPropertyOnly: true,
    // In-memory template map: the file-system loader is never consulted.
    templates: {},
    relativeReference: false,
    dynamicPartials: false,
    outputEscape: mode === 'html' ? 'escape' : undefined,
    // Author-controlled input: bound what one parse and one render may cost (render-limits.ts).
    // Callers that render several parts as one notice pass a shared `renderLimit` per call.
    parseLimit: 1_000_000,
    renderLimit: RENDER_LIMITS.timeMs,
    memoryLimit: RENDER_LIMITS.memory,
  });
  for (const name of Object.keys(liquid.tags)) {
    if (!ALLOWED_TAGS.includes(name)) delete liquid.tags[name];
  }
  const keep = new Set(ALLOWED_FILTERS);
  for (const name of Object.keys(liquid.filters)) {
    if (!keep.has(name)) delete liquid.filters[name];
  }
  liquid.registerFilter(SAFE_URL_FILTER, safeUrl);
  return liquid;
}

/** A problem in a template text, positioned 1-based in the text the author wrote. */
export interface TemplateProblem {
  /** Which text of the notice: `subject`, `body` or `preheader`. */
  part: string;
  line: number;
  column: number;
  message: string;
}

/** Turns a LiquidJS parse/tokenize error into a positioned problem. */
export function toTemplateProblem(error: unknown, part: string): TemplateProblem {
  if (LiquidError.is(error) && error.token) {
    const [line = 1, column = 1] = error.token.getPosition();
    // LiquidJS appends ", line:3, col:5" to its messages; we report position as fields.
    const message = error.message.replace(/, line:\d+, col:\d+$/, '');
    return { part, line, column, message: friendlyMessage(message) };
  }
  return {
    part,
    line: 1,
    column: 1,
    message: error instanceof Error ? error.message : String(error),
  };
}

function friendlyMessage(message: string): string {
  const tag = /^tag "([^"]+)" not found$/.exec(message);
  if (tag) return `tag "${tag[1]}" is not allowed in notices (allowed: ${ALLOWED_TAGS.join(', ')})`;
  const filter = /^undefined filter: (.+)$/.exec(message);
  if (filter) return `filter "${filter[1]}" is not allowed in notices`;
  return message;
}

/** Parses a template text and returns the problems (empty when it is valid Liquid). */
export function checkLiquidSyntax(liquid: Liquid, source: string, part: string): TemplateProblem[] {
  try {
    liquid.parse(source);
    return [];
  } catch (error) {
    return [toTemplateProblem(error, part)];
  }
}

/** 1-based line/column of an offset in a text. */
export function positionAt(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
