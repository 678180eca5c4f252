import { trustedHtml, type SafeHtml } from './html.js';

/** A rendered notice body, adapted to sit inside the personal page. */
export interface PageNoticeContent {
  body: SafeHtml;
  /** The items of the notice's numbered list (its "what you should do" steps), if it has one. */
  steps: SafeHtml[];
}

// The notice compiler (domain/notices/markdown-template.ts) gives every element an inline
// style for mail clients. The page has its own stylesheet, and its CSP allows no inline
// style attributes. Substituted values are escaped (a `"` is `&quot;`), so this pattern only
// ever meets real attributes.
const STYLE_ATTRIBUTE = / style="[^"]*"/g;
const HEADING_TAG = /<(\/?)h([1-5])>/g;
const ORDERED_LIST = /<ol(?: start="\d+")?>\n?([\s\S]*?)<\/ol>/g;
const LIST_ITEM = /<li>([\s\S]*?)<\/li>/g;

/**
 * Adapts trusted notice HTML (the output of a compiled notice template: Markdown with html off,
 * every value escaped) for the page: no inline styles, headings one level down so they nest
 * under the page's own section heading, and the first flat numbered list as checklist steps.
 */
export function pageNoticeContent(contentHtml: string): PageNoticeContent {
  const unstyled = contentHtml.replace(STYLE_ATTRIBUTE, '');
  const body = unstyled.replace(HEADING_TAG, (_m, close: string, level: string) => {
    return `<${close}h${Number(level) + 1}>`;
  });
  let steps: SafeHtml[] = [];
  for (const list of unstyled.matchAll(ORDERED_LIST)) {
    const items = list[1] ?? '';
    // A nested list would be cut in half by the non-greedy match: no checklist from it.
    if (/<[ou]l\b/.test(items)) continue;
    steps = [...items.matchAll(LIST_ITEM)].map((m) => trustedHtml(unwrapParagraph(m[1] ?? '')));
    break;
  }
  return { body: trustedHtml(body), steps };
}

/** A loose list's item is one `<p>`: the checklist shows its text inline next to the box. */
function unwrapParagraph(item: string): string {
  const single = /^\s*<p>([\s\S]*?)<\/p>\s*$/.exec(item);
  return single && !single[1]!.includes('<p>') ? single[1]!.trim() : item.trim();
}
