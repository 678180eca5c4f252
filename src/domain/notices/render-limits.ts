import { LiquidError } from 'liquidjs';

/**
 * Bounds on rendering one author-written notice part (subject, body, preheader, a public text).
 * Communicators write Liquid; without bounds `{% for a in (1..1000) %}{% for b in (1..1000) %}`
 * blocked the server for 2.5 s and a doubling `append` loop built 42 MB strings.
 *
 * Measured on this machine (2 cores, shared) for every built-in template, nl and en, with the
 * sample variables, by rendering each one (time, output) and searching the smallest
 * `memoryLimit` that still renders it; render-limits.test.ts keeps those margins:
 * - time: 0.01–0.8 ms a render warm; the slowest cold render (first, JIT) 17.5 ms;
 * - LiquidJS memory units (ranges, array filters, escaped and appended text): 153–921;
 * - output: HTML part up to 8,734 characters, plain text up to 2,906.
 * The limits leave ample room for real data (a customer with thousands of listed domains):
 * - time 200 ms per notice render (all its parts together): 11× the slowest cold built-in,
 *   and short enough that a preview of a hostile template cannot hold the event loop long;
 * - memory 1,000,000 units: ~1,000× the built-ins; the nested 1,000 × 1,000 loop charges
 *   1,001,000 (its ranges) and is refused before it runs long;
 * - output 1,000,000 characters per part: ~115× the largest built-in HTML (mail clients clip
 *   far earlier: Gmail at ~100 KB).
 */
export const RENDER_LIMITS = Object.freeze({
  timeMs: 200,
  memory: 1_000_000,
  outputChars: 1_000_000,
});

/** Which render limit a template ran into. */
export type RenderLimit = 'time' | 'memory' | 'output';

/** A render stopped at a limit: deterministic for memory and output, so never worth retrying. */
export class TemplateLimitError extends Error {
  constructor(readonly limit: RenderLimit) {
    super(renderLimitMessage(limit));
    this.name = 'TemplateLimitError';
  }
}

/** Throws TemplateLimitError when a rendered part is larger than the output limit. */
export function checkOutputSize(output: string): string {
  if (output.length > RENDER_LIMITS.outputChars) throw new TemplateLimitError('output');
  return output;
}

/** The limit an error from a render stands for (ours or LiquidJS's), or null. */
export function renderLimitOf(error: unknown): RenderLimit | null {
  if (error instanceof TemplateLimitError) return error.limit;
  if (!(error instanceof Error)) return null;
  // LiquidJS throws an AssertionError (wrapped in a RenderError inside tags) with these texts.
  const message = LiquidError.is(error) ? error.message : error.message;
  if (message.includes('template render limit exceeded')) return 'time';
  if (message.includes('memory alloc limit exceeded')) return 'memory';
  return null;
}

/** What an author reads, in English and Dutch (the service does not know the reader's language). */
export function renderLimitMessage(limit: RenderLimit): string {
  switch (limit) {
    case 'time':
      return (
        `the template takes longer than ${RENDER_LIMITS.timeMs} ms to render (render time limit); ` +
        `use fewer or smaller loops — het sjabloon doet er langer dan ${RENDER_LIMITS.timeMs} ms ` +
        'over om op te maken (tijdslimiet); gebruik minder of kleinere lussen'
      );
    case 'memory':
      return (
        'the template builds too much data (memory limit of ' +
        `${RENDER_LIMITS.memory.toLocaleString('en')} units: ranges, lists, appended text); use ` +
        'smaller ranges or fewer appends — het sjabloon bouwt te veel gegevens op (geheugenlimiet ' +
        `van ${RENDER_LIMITS.memory.toLocaleString('nl')} eenheden: reeksen, lijsten, ` +
        'samengevoegde tekst); gebruik kleinere reeksen of minder append'
      );
    case 'output':
      return (
        'the rendered text is longer than ' +
        `${RENDER_LIMITS.outputChars.toLocaleString('en')} characters (output limit) — de ` +
        `opgemaakte tekst is langer dan ${RENDER_LIMITS.outputChars.toLocaleString('nl')} tekens ` +
        '(uitvoerlimiet)'
      );
  }
}
