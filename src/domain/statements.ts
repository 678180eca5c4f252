import { z } from 'zod';
import { LANGUAGES, type Language } from './language.js';

/**
 * The customer-facing texts of a case, each written per language. Notices are assembled from
 * them, so what a case says is written once per language and reviewed once, and nothing in one
 * language ever lands in a notice of another. Statements are Markdown without placeholders:
 * they say what is true of the whole case; what differs per recipient comes from `impact.*`.
 */
export const STATEMENT_KEYS = [
  'headline',
  'what_happened',
  'what_we_did',
  'what_it_means',
  'what_you_should_do',
  'contact',
  'public_statement',
  'press_statement',
] as const;
export const statementKeySchema = z.enum(STATEMENT_KEYS);
export type StatementKey = z.infer<typeof statementKeySchema>;

/** Who reads a statement: customer notices, the public notice, the press statement. */
export const STATEMENT_AUDIENCES: Readonly<Record<StatementKey, readonly string[]>> = {
  headline: ['affected', 'public', 'press'],
  what_happened: ['affected', 'public', 'press'],
  what_we_did: ['affected', 'public', 'press'],
  what_it_means: ['affected', 'public'],
  what_you_should_do: ['affected', 'public'],
  contact: ['affected', 'public', 'press'],
  public_statement: ['public'],
  press_statement: ['press'],
};

/** Names for people, per language of the interface. */
export const STATEMENT_LABELS: Readonly<Record<StatementKey, Record<Language, string>>> = {
  headline: { en: 'headline', nl: 'kop' },
  what_happened: { en: 'what happened', nl: 'wat er is gebeurd' },
  what_we_did: { en: 'what we have done', nl: 'wat wij hebben gedaan' },
  what_it_means: { en: 'what it means for you', nl: 'wat het voor u betekent' },
  what_you_should_do: { en: 'what you should do', nl: 'wat u moet doen' },
  contact: { en: 'how to reach us', nl: 'hoe u ons bereikt' },
  public_statement: { en: 'public statement', nl: 'publieke verklaring' },
  press_statement: { en: 'press statement', nl: 'verklaring voor de pers' },
};

/** What each statement is for, shown next to its field in the editor. */
export const STATEMENT_HINTS: Readonly<Record<StatementKey, Record<Language, string>>> = {
  headline: {
    en: 'One line, no full stop: the title of the notice and the public page.',
    nl: 'Eén regel, zonder punt: de titel van het bericht en de publieke pagina.',
  },
  what_happened: {
    en: 'Plain words: what happened, when, to which systems — no internal names.',
    nl: 'In gewone woorden: wat er gebeurde, wanneer, bij welke systemen — geen interne namen.',
  },
  what_we_did: {
    en: 'Only what is done. Claims such as "we closed the leak" need the milestone on record.',
    nl: 'Alleen wat gedaan is. Beweringen als "we hebben het lek gedicht" vragen de mijlpaal.',
  },
  what_it_means: {
    en: 'The likely consequences for the reader.',
    nl: 'De waarschijnlijke gevolgen voor de lezer.',
  },
  what_you_should_do: {
    en: 'Concrete steps, as a numbered list.',
    nl: 'Concrete stappen, als genummerde lijst.',
  },
  contact: {
    en: 'Optional: how to reach you about this case (else the organisation’s contact details).',
    nl: 'Optioneel: hoe men u over deze zaak bereikt (anders de contactgegevens uit de instellingen).',
  },
  public_statement: {
    en: 'What the security page says to everyone.',
    nl: 'Wat de beveiligingspagina aan iedereen vertelt.',
  },
  press_statement: {
    en: 'A quotable statement for journalists.',
    nl: 'Een citeerbare verklaring voor journalisten.',
  },
};

/** No placeholders or tags in a statement: it is the same for every reader. */
export const LIQUID = /\{\{|\{%|%\}|\}\}/;

export const statementTextSchema = z.preprocess(
  // Browsers post textarea line breaks as CRLF: one form of a text, one hash.
  (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value),
  z
    .string()
    .trim()
    .max(10_000, 'must be at most 10,000 characters')
    .refine((t) => !LIQUID.test(t), {
      message:
        'statements cannot hold placeholders ({{ }} or {% %}); personal details belong in the notice',
    })
    // eslint-disable-next-line no-control-regex
    .refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t), {
      message: 'contains a control character',
    }),
);

/** One case's statements: per key, per language; an empty text removes it. */
export const statementsInputSchema = z.partialRecord(
  statementKeySchema,
  z.partialRecord(z.enum(LANGUAGES), statementTextSchema),
);
export type StatementsInput = z.infer<typeof statementsInputSchema>;

/** The statements of a case as read: key → language → text. */
export type CaseStatements = Partial<Record<StatementKey, Partial<Record<Language, string>>>>;

/** The statements in one language, for one render: key → text. */
export type LanguageStatements = Partial<Record<StatementKey, string>>;

/** The texts of one language; keys without a text in it are left out (never another language). */
export function statementsIn(all: CaseStatements, language: Language): LanguageStatements {
  const out: LanguageStatements = {};
  for (const key of STATEMENT_KEYS) {
    const text = all[key]?.[language];
    if (text) out[key] = text;
  }
  return out;
}

const DUTCH = new Set(
  'de het een van en is zijn wij we niet op bij voor dat die er heeft hebben werd'.split(' '),
);
const ENGLISH = new Set(
  'the a of and is are we not on at for that this was were has have been'.split(' '),
);

/** The language a text is written in, by counting common words; Dutch when undecided. */
export function guessLanguage(text: string): Language {
  let nl = 0;
  let en = 0;
  for (const word of text.toLowerCase().split(/[^a-zà-ÿ]+/)) {
    if (DUTCH.has(word)) nl++;
    if (ENGLISH.has(word)) en++;
  }
  return en > nl ? 'en' : 'nl';
}

/** Statements the built-in customer notice cannot go without, in every language. */
export const CUSTOMER_NOTICE_NEEDS: readonly StatementKey[] = ['what_happened'];

/**
 * What the case's texts lack for a customer notice in every language: a needed statement not
 * written in a language, or any statement written in one language and not the other. Said at
 * creation, so the gap is not first met at approval.
 */
export function noticeTextGaps(
  statements: CaseStatements,
): { key: StatementKey; language: Language }[] {
  const gaps: { key: StatementKey; language: Language }[] = [];
  for (const key of STATEMENT_KEYS) {
    const texts = statements[key] ?? {};
    const written = LANGUAGES.some((l) => texts[l]?.trim());
    if (!written && !CUSTOMER_NOTICE_NEEDS.includes(key)) continue;
    for (const language of LANGUAGES) if (!texts[language]?.trim()) gaps.push({ key, language });
  }
  return gaps;
}
