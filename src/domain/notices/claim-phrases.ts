import type { ClaimFact } from './case-facts.js';

/**
 * The phrase table of one language. All sources are regular-expression text matched against a
 * sentence that is lower-cased, stripped of accents ("geïnformeerd" → "geinformeerd"), with
 * single spaces and straight apostrophes. A pattern is written with single spaces and may use:
 *
 * - `{NAME}`: an entry of `words` (entries may use other entries);
 * - `{W3}`: up to three free words, each followed by its space (so write `{W3}lek`, not
 *   `{W3} lek`). Free words never cross a clause break: a comma or colon before a space, a
 *   semicolon or a bracket.
 *
 * Entries whose name ends in `_` (such as `{ADV_}`, `{INTENT_}`) likewise carry their own
 * trailing space, because they may be empty.
 *
 * Repeat a list of words with `*`, not `{0,3}`: V8 unrolls a bounded repeat of a long
 * alternation, which made compiling the tables take seconds.
 */
export interface ClaimPhrases {
  words: Readonly<Record<string, string>>;
  /** Words that make a clause hypothetical or an instruction: a phrase in it claims nothing. */
  conditional: string;
  /** Words that turn an asserting phrase into a denial ("not yet", "nog niet"). */
  negation: string;
  /** Modal and hedging words: an asserting phrase with one of them claims nothing. */
  hedge: string;
  /** Future auxiliaries: "will have closed" is not done yet. */
  future: string;
  /** Someone other than the sender as the subject right at the phrase ("you have changed"). */
  otherSubject: string;
  /** Others named anywhere in the clause ("the vendor released a version in which …"). */
  thirdParty: string;
  facts: Readonly<Record<ClaimFact, FactPhrases>>;
}

/** The phrases for one fact in one language. */
export interface FactPhrases {
  /** Every phrase of the fact holds one of these words: sentences without one are skipped fast. */
  cue: string;
  /** Context in the clause that makes a phrase no claim about the case ("fixed in version 2"). */
  veto?: string;
  /** Done: perfect or past tense, or a finished state ("the leak is closed"). */
  asserts: readonly string[];
  /** Not done yet: under way, planned, still open ("we are working to close the leak"). */
  denies: readonly string[];
}
