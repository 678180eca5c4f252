/**
 * Plain-language scores (GDPR Art. 34 asks for "clear and plain language"). English uses
 * Flesch reading ease, Dutch the Flesch–Douma adaptation:
 *
 *   Flesch (en):  206.835 − 1.015 × words/sentence − 84.6 × syllables/word
 *   Douma  (nl):  206.835 − 0.93  × words/sentence − 0.77 × syllables/100 words
 *
 * Higher is easier: 60–70 is plain language for a general audience. Markdown markup, Liquid
 * tags and embargo fences are not counted; placeholders count as one short word.
 */

export type ReadabilityLanguage = 'nl' | 'en';

export interface ReadabilityScore {
  language: ReadabilityLanguage;
  formula: 'flesch' | 'flesch-douma';
  score: number;
  words: number;
  sentences: number;
  syllables: number;
  wordsPerSentence: number;
  syllablesPerWord: number;
}

/** The readable prose of a Markdown text: no markup, code, links targets or template tags. */
export function proseOf(markdown: string): string {
  return markdown
    .replace(/^\s*:::.*$/gm, '')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/\{%[\s\S]*?%\}/g, ' ')
    .replace(/\{\{[\s\S]*?\}\}/g, ' x ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' link ')
    .replace(/`[^`]*`/g, ' code ')
    .replace(/^\s{0,3}#{1,6}\s+(.*)$/gm, '$1.')
    .replace(/^\s*([-*+]|\d+[.)])\s+(.*)$/gm, '$2.')
    .replace(/[*_>|#\\]/g, ' ')
    .replace(/\.\.+/g, '.');
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

/** Splits prose into sentences (ends at . ! ? ; or a blank line). */
export function countSentences(prose: string): number {
  const parts = prose.split(/[.!?;:]+(?=\s|$)|\n\s*\n/u).filter((s) => /[\p{L}\p{N}]/u.test(s));
  return Math.max(1, parts.length);
}

/** English syllables: vowel groups, minus a silent final e, at least one. */
export function syllablesEn(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return 1;
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  const groups = w.match(/[aeiouy]+/g);
  return Math.max(1, groups?.length ?? 1);
}

/**
 * Dutch syllables: vowel groups, where "ij" counts as a vowel, and a diaeresis (ë, ï, ö, ü)
 * starts a new syllable (beëindigen: be-ëin-di-gen).
 */
export function syllablesNl(word: string): number {
  const w = word
    .toLowerCase()
    .replace(/ij/g, 'y')
    .replace(/[áàâ]/g, 'a')
    .replace(/[éèê]/g, 'e')
    .replace(/[íì]/g, 'i')
    .replace(/[óò]/g, 'o')
    .replace(/[úù]/g, 'u');
  let count = 0;
  let inVowel = false;
  for (const ch of w) {
    const diaeresis = 'ëïöü'.includes(ch);
    const vowel = diaeresis || 'aeiouy'.includes(ch);
    if (vowel && (!inVowel || diaeresis)) count++;
    inVowel = vowel;
  }
  return Math.max(1, count);
}

/** The score of a text in a language, one decimal; null for a text without words. */
export function readability(
  markdown: string,
  language: ReadabilityLanguage,
): ReadabilityScore | null {
  const prose = proseOf(markdown);
  const words = prose.match(WORD) ?? [];
  if (words.length === 0) return null;
  const sentences = countSentences(prose);
  const count = language === 'nl' ? syllablesNl : syllablesEn;
  const syllables = words.reduce((sum, w) => sum + count(w), 0);
  const wps = words.length / sentences;
  const spw = syllables / words.length;
  const score =
    language === 'nl' ? 206.835 - 0.93 * wps - 77 * spw : 206.835 - 1.015 * wps - 84.6 * spw;
  return {
    language,
    formula: language === 'nl' ? 'flesch-douma' : 'flesch',
    score: Math.round(score * 10) / 10,
    words: words.length,
    sentences,
    syllables,
    wordsPerSentence: Math.round(wps * 10) / 10,
    syllablesPerWord: Math.round(spw * 100) / 100,
  };
}

/** The default threshold: below it, the text is flagged as hard to read. */
export const DEFAULT_READABILITY_THRESHOLD = 60;
