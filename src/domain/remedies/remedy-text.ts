import MarkdownIt from 'markdown-it';
import { finishPlainText, renderPlainText } from '../notices/markdown-text.js';

/**
 * Remedy instructions are Markdown without placeholders (like the statements); a letter prints
 * them as plain text with the notice's own rules: paragraphs, "- "/"1. " lists, links as
 * "text (url)". Raw HTML stays text; images are off.
 */
const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
markdown.disable('image');

// Every letter of a batch prints the same few remedies: converting once per text, not once per
// letter, keeps the letters' speed (the conversion is most of a remedy's cost per letter).
const converted = new Map<string, string>();
const CACHE_SIZE = 256;

/** The plain text of remedy instructions, for a letter. */
export function remedyInstructionsText(source: string): string {
  const known = converted.get(source);
  if (known !== undefined) return known;
  const text = convert(source);
  if (converted.size >= CACHE_SIZE) converted.delete(converted.keys().next().value!);
  converted.set(source, text);
  return text;
}

function convert(source: string): string {
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
