import MarkdownIt from 'markdown-it';
import { finishPlainText, renderPlainText } from '../notices/markdown-text.js';

/**
 * Remedy instructions are Markdown without placeholders (like the statements); a letter prints
 * them as plain text with the notice's own rules: paragraphs, "- "/"1. " lists, links as
 * "text (url)". Raw HTML stays text; images are off.
 */
const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
markdown.disable('image');

/** The plain text of remedy instructions, for a letter. */
export function remedyInstructionsText(source: string): string {
  if (source.trim() === '') return '';
  const tokens = markdown.parse(source, {});
  return finishPlainText(
    renderPlainText(tokens, {
      isTagsOnly: () => false,
      sameLink: (text, href) => text === href || `mailto:${text}` === href,
      displayHref: (href) => markdown.normalizeLinkText(href.replace(/^mailto:/, '')),
    }),
  );
}
