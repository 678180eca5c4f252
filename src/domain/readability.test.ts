import { describe, expect, it } from 'vitest';
import { readability, syllablesEn, syllablesNl, countSentences } from './readability.js';

describe('syllable counters', () => {
  it.each([
    ['cat', 1],
    ['table', 2],
    ['make', 1],
    ['water', 2],
    ['password', 2],
    ['beautiful', 3],
    ['information', 4],
    ['reset', 2],
    ['customers', 3],
  ])('en %s has %i', (word, n) => expect(syllablesEn(word)).toBe(n));

  it.each([
    ['kat', 1],
    ['huis', 1],
    ['tijd', 1],
    ['water', 2],
    ['wachtwoord', 2],
    ['gegevens', 3],
    ['beëindigen', 4],
    ['informatie', 4],
    ['klanten', 2],
    ['ideeën', 3],
  ])('nl %s has %i', (word, n) => expect(syllablesNl(word)).toBe(n));
});

describe('readability', () => {
  it('scores a plain English text by Flesch reading ease', () => {
    // 2 sentences, 10 words, 12 syllables (re-set, pass-word)
    const r = readability('The cat sat on the mat. We reset your password.', 'en')!;
    expect(r.formula).toBe('flesch');
    expect(r).toMatchObject({ words: 10, sentences: 2, syllables: 12 });
    expect(r.score).toBeCloseTo(206.835 - 1.015 * 5 - 84.6 * 1.2, 1);
  });

  it('scores the classic hard sentence low', () => {
    const r = readability(
      'The implementation of comprehensive organisational countermeasures necessitates considerable administrative coordination between interdependent departments.',
      'en',
    )!;
    expect(r.sentences).toBe(1);
    expect(r.score).toBeLessThan(0);
  });

  it('scores Dutch by Flesch–Douma', () => {
    // 2 sentences, 8 words; syllables: we(1) heb(1) ben(1) uw(1) wacht(1)woord(1) ver(1)an(1)derd(1)... counted below
    const text = 'Wij hebben uw wachtwoord gewijzigd. Log opnieuw in.';
    const r = readability(text, 'nl')!;
    expect(r.formula).toBe('flesch-douma');
    expect(r.words).toBe(8);
    expect(r.sentences).toBe(2);
    // wij 1, heb-ben 2, uw 1, wacht-woord 2, ge-wij-zigd 3, log 1, op-nieuw 2, in 1 = 13
    expect(r.syllables).toBe(13);
    expect(r.score).toBeCloseTo(206.835 - 0.93 * 4 - 77 * (13 / 8), 1);
  });

  it('ignores Markdown, placeholders and embargo fences', () => {
    const r = readability(
      '## Wat is er gebeurd?\n\nBeste {{ customer.name }},\n\n:::embargo until=resolved\nDe fout zat in **upload**.\n:::\n\n[Lees meer](https://example.com/a/b)',
      'nl',
    )!;
    expect(r.words).toBeGreaterThan(5);
    expect(countSentences('Een. Twee! Drie?')).toBe(3);
  });

  it('returns null for a text without words', () => {
    expect(readability('  ', 'en')).toBeNull();
  });
});
