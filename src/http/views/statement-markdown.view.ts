import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { trustedHtml, type SafeHtml } from './html.js';

/**
 * Statements (src/domain/statements.ts) on the personal page: Markdown written by the case's
 * communicators, without placeholders. Raw HTML is off, so a statement can never become
 * markup; images are off (nothing loads from anywhere, and the CSP would refuse it); links
 * are http(s) and mailto only — anything else stays visible as the text it was written as.
 * The notice compiler's Markdown (domain/notices/markdown-template.ts) is a Liquid template
 * generator with mail styles, so it does not fit here; the rules are the same.
 */
const ALLOWED_LINK = /^(?:https?:\/\/|mailto:)/i;

const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
markdown.disable('image');
markdown.validateLink = (url: string) => ALLOWED_LINK.test(url.trim());

/**
 * A statement as HTML inside a page section: headings moved down so that `#` nests under the
 * section's h2 (h3 and lower, h6 at most).
 */
export function statementHtml(source: string): SafeHtml {
  const rendered = markdown
    .render(source)
    .replace(
      /<(\/?)h([1-6])>/g,
      (_m, close: string, level: string) => `<${close}h${Math.min(6, Number(level) + 2)}>`,
    );
  return trustedHtml(rendered);
}

/** The text of inline tokens, without markup. */
function inlineText(token: Token): string {
  let text = '';
  for (const child of token.children ?? []) {
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') text += ' ';
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** The plain text of the first paragraph that is not a heading, or ''. */
export function firstParagraphText(source: string): string {
  const tokens = markdown.parse(source, {});
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.type === 'paragraph_open' && tokens[i + 1]!.type === 'inline') {
      const text = inlineText(tokens[i + 1]!);
      if (text !== '') return text;
    }
  }
  return '';
}

/** Whether a statement is one paragraph and nothing else (no list, heading or second paragraph). */
export function isSingleParagraph(source: string): boolean {
  const blocks = markdown.parse(source, {}).filter((t) => t.level === 0 && t.nesting !== -1);
  return blocks.length === 1 && blocks[0]!.type === 'paragraph_open';
}

/** The plain text of each item of the first ordered list (or, failing that, bullet list). */
export function listItemsText(source: string): string[] {
  const tokens = markdown.parse(source, {});
  for (const listType of ['ordered_list_open', 'bullet_list_open']) {
    const start = tokens.findIndex((t) => t.type === listType);
    if (start === -1) continue;
    const items: string[] = [];
    let depth = 0;
    for (let i = start; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.type === 'ordered_list_open' || t.type === 'bullet_list_open') depth++;
      if (t.type === 'ordered_list_close' || t.type === 'bullet_list_close') {
        if (--depth === 0) break;
      }
      // The first inline of each top-level item is that item's text.
      if (t.type === 'list_item_open' && depth === 1) {
        const inline = tokens.slice(i + 1).find((n) => n.type === 'inline');
        if (inline) items.push(inlineText(inline));
      }
    }
    return items.filter((s) => s !== '');
  }
  return [];
}

/**
 * At most two sentences and about `max` characters of a text: the summary line of the page.
 * A first sentence longer than that is cut at a word and ends in "…".
 */
export function shortSummary(text: string, language: string, max = 240): string {
  const segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
  let out = '';
  let count = 0;
  for (const { segment } of segmenter.segment(text)) {
    const next = `${out}${segment}`;
    if (count > 0 && next.trim().length > max) break;
    out = next;
    if (++count === 2) break;
  }
  out = out.trim();
  if (out.length <= max) return out;
  const cut = out.lastIndexOf(' ', max - 1);
  return `${out.slice(0, cut > max / 2 ? cut : max - 1).replace(/[\s,;:]+$/, '')}…`;
}
