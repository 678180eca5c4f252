import { describe, expect, it } from 'vitest';
import {
  guessLanguage,
  noticeTextGaps,
  statementsIn,
  statementsInputSchema,
} from './statements.js';

describe('statements', () => {
  it('store one form of a text: CRLF from a browser form is LF', () => {
    const parsed = statementsInputSchema.parse({
      what_you_should_do: { nl: '1. Werk bij.\r\n2. Kijk na.\r\n' },
    });
    expect(parsed.what_you_should_do?.nl).toBe('1. Werk bij.\n2. Kijk na.');
  });

  it('refuse placeholders and control characters, naming why', () => {
    const placeholder = statementsInputSchema.safeParse({
      headline: { en: 'Hi {{ customer.name }}' },
    });
    expect(placeholder.success).toBe(false);
    expect(placeholder.error!.issues[0]!.message).toMatch(/cannot hold placeholders/);
    expect(statementsInputSchema.safeParse({ headline: { en: 'a\u0000b' } }).success).toBe(false);
  });

  it('give one language only: nothing of another fills a gap', () => {
    const all = {
      what_happened: { en: 'Someone got in.' },
      headline: { nl: 'Inbraak', en: 'Break-in' },
    };
    expect(statementsIn(all, 'nl')).toEqual({ headline: 'Inbraak' });
  });

  it('guess the language of a summary', () => {
    expect(guessLanguage('Een aanvaller heeft de gegevens van klanten gekopieerd.')).toBe('nl');
    expect(guessLanguage('An attacker copied the data of our customers.')).toBe('en');
  });
});

describe('noticeTextGaps', () => {
  it('names a needed statement missing in every language', () => {
    expect(noticeTextGaps({})).toEqual([
      { key: 'what_happened', language: 'nl' },
      { key: 'what_happened', language: 'en' },
    ]);
  });

  it('names a statement written in one language only', () => {
    expect(
      noticeTextGaps({
        what_happened: { nl: 'Een lek.', en: 'A leak.' },
        what_we_did: { nl: 'Wij hebben het lek gedicht.' },
      }),
    ).toEqual([{ key: 'what_we_did', language: 'en' }]);
  });

  it('is empty when every text is in both languages', () => {
    expect(noticeTextGaps({ what_happened: { nl: 'Een lek.', en: 'A leak.' } })).toEqual([]);
  });
});
