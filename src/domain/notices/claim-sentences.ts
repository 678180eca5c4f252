/**
 * Markdown (with Liquid) to plain sentences, for the claim detector. Deliberately a line scanner
 * and a handful of linear regexes rather than markdown-it: it runs over every notice at
 * approval, and a sentence only has to read right, not render right.
 */

// Words that end in a full stop without ending the sentence. Dotted forms ("b.v.", "e.g.",
// "d.w.z.") and single initials are recognised by shape; "etc." is left out on purpose: it
// usually does end the sentence.
const ABBREVIATIONS = new Set([
  'art',
  'bijv',
  'bv',
  'ca',
  'cf',
  'dhr',
  'dr',
  'drs',
  'evt',
  'excl',
  'fig',
  'incl',
  'ing',
  'ir',
  'jl',
  'mevr',
  'mr',
  'mrs',
  'ms',
  'mw',
  'no',
  'nr',
  'prof',
  'resp',
  'st',
  'tel',
  'vgl',
  'vs',
  'zgn',
]);

const FENCE = /^ {0,3}(?:```|~~~)/;
const CONTAINER = /^ {0,3}:::/; // custom containers such as `:::embargo until=resolved`
const RULE = /^ {0,3}(?:(?:[-*_] *){3,}|=+ *|-+ *)$/; // thematic break or setext underline
const REFERENCE = /^ {0,3}\[[^\]]+\]: /;
const QUOTE = /^ {0,3}(?:> ?)+/;
const HEADING = /^ {0,3}#{1,6}(?: +|$)/;
const LIST_ITEM = /^ *(?:[-*+]|\d{1,9}[.)]) +/;
const TABLE_DELIMITER = /^[ |:-]+$/;
// A Liquid tag is a block switch: `{% if %}…{% else %}…` holds two different sentences. Tags
// are bounded in length so an unclosed `{%` costs one short look-ahead, not a scan to the end.
const LIQUID_TAG = /\{%[^%]{0,500}%\}/g;

/** The sentences of a Markdown text, markup removed, whitespace collapsed, in order. */
export function claimSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const block of markdownBlocks(text.replace(LIQUID_TAG, '\n\n'))) {
    splitSentences(cleanInline(block), sentences);
  }
  return sentences;
}

/** Paragraphs, headings, list items and table cells: units no sentence runs across. */
function markdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) blocks.push(current.join(' '));
    current = [];
  };
  let inFence = false;
  for (const raw of text.split('\n')) {
    if (FENCE.test(raw)) {
      flush();
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    let line = raw.replace(QUOTE, '').replace(/\\$/, '').trimEnd();
    if (line.trim() === '' || CONTAINER.test(line) || RULE.test(line) || REFERENCE.test(line)) {
      flush();
      continue;
    }
    if (HEADING.test(line)) {
      flush();
      blocks.push(line.replace(HEADING, '').replace(/ +#+$/, ''));
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flush();
      line = line.replace(LIST_ITEM, '');
    }
    if (line.trimStart().startsWith('|')) {
      flush();
      if (!TABLE_DELIMITER.test(line)) blocks.push(...line.split('|'));
      continue;
    }
    current.push(line.trim());
  }
  flush();
  return blocks;
}

/** Links keep their text, images their alt text; emphasis, code marks and tags go. */
function cleanInline(block: string): string {
  return block
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]*)>/gi, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/(?<!\\)(?:\*+|~~|`+)/g, '')
    .replace(/(?<![\\\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

// A run of terminators with any closing quotes or brackets, followed by a space or the end.
const TERMINATOR = /[.!?…]+["')\]’”]*(?= |$)/g;

function splitSentences(block: string, out: string[]): void {
  let start = 0;
  for (const match of block.matchAll(TERMINATOR)) {
    const end = match.index + match[0].length;
    if (!endsSentence(block, match.index, match[0], end)) continue;
    push(block.slice(start, end), out);
    start = end;
  }
  push(block.slice(start), out);
}

function push(sentence: string, out: string[]): void {
  const trimmed = sentence.trim();
  // A lone "." left where a Liquid tag split a sentence is no sentence.
  if (/\p{L}/u.test(trimmed)) out.push(trimmed);
}

function endsSentence(block: string, at: number, terminator: string, end: number): boolean {
  // "approx. ten", "o.a. de": a lower-case word after the stop continues the sentence.
  const next = block.slice(end + 1, end + 2);
  if (next !== '' && next !== next.toUpperCase()) return false;
  if (!terminator.startsWith('.') || terminator.startsWith('..')) return true;
  const wordStart = block.lastIndexOf(' ', at - 1) + 1;
  const word = block.slice(wordStart, at).replace(/^["'(‘“]+/, '');
  if (ABBREVIATIONS.has(word.toLowerCase())) return false;
  // "B.V.", "N.V.", "e.g." (the last dot is the terminator) and initials such as "J." (upper
  // case only: Dutch sentences end in "voor u." all the time).
  return !/^(?:\p{L}\.)+\p{L}$|^\p{Lu}$/u.test(word);
}
