import type { Language } from '../language.js';
import type { ClaimPhrases } from './claim-phrases.js';
import { CLAIM_PHRASES_EN } from './claim-phrases-en.js';
import { CLAIM_PHRASES_NL } from './claim-phrases-nl.js';
import { claimSentences } from './claim-sentences.js';

/**
 * The safety net under "claims follow facts": finds sentences in free text (a case statement, a
 * notice) that claim or deny a fact, and checks them against what the case has recorded. It
 * errs towards silence: a false alarm blocks an approval at 3 a.m., so only common, explicit
 * phrasings count, and anything hypothetical, modal, questioned or about someone else is left
 * alone. The phrasings are data, one table per language (claim-phrases-*.ts).
 *
 * Speed: a 3 KB Dutch or English notice takes 0.2–0.45 ms of CPU (0.3–0.9 ms wall clock) once
 * a language's tables are compiled, and compiling them takes 40–75 ms of CPU once per process;
 * measured on the 2-core build machine under a load average of 9 (claims.test.ts keeps a loose
 * bound). Sentences without a fact's cue words skip that fact's patterns, and a pattern spans a
 * few words with bounded free gaps, so the time grows with the length of the text.
 */

import { CLAIM_FACTS, type ClaimFact, type CaseFacts } from './case-facts.js';

// The facts themselves are defined once, next to how a case records them.
export { CLAIM_FACTS, type ClaimFact, type CaseFacts };

/** A sentence that asserts a fact ("we have closed the leak") or denies it ("we are still working to close the leak"). */
export interface ClaimFinding {
  fact: ClaimFact;
  polarity: 'asserts' | 'denies';
  sentence: string;
  language: Language;
}

/** A claim that does not match the facts: asserts a fact not recorded, or denies one that is. */
export interface ClaimMismatch extends ClaimFinding {
  message: string;
}

/** The claims made in a Markdown text, one per sentence and fact, in text order. */
export function findClaims(text: string, language: Language): ClaimFinding[] {
  return locateClaims(text, language).map(({ finding }) => finding);
}

/** The claims in a text that contradict the case's facts, each with an English message. */
export function checkClaims(text: string, language: Language, facts: CaseFacts): ClaimMismatch[] {
  const mismatches: ClaimMismatch[] = [];
  for (const { finding, excerpt } of locateClaims(text, language)) {
    const recorded = facts[finding.fact];
    if (finding.polarity === 'asserts' && !recorded) {
      mismatches.push({
        ...finding,
        message: `says "${excerpt}" but ${missingEvidence(finding.fact)}`,
      });
    } else if (finding.polarity === 'denies' && recorded) {
      mismatches.push({ ...finding, message: `says "${excerpt}" but ${RECORDED[finding.fact]}` });
    }
  }
  return mismatches;
}

const MISSING: Record<ClaimFact, string> = {
  contained: 'the case records no containment',
  resolved: 'the case is not resolved',
  authority_notified: 'no authority report is filed',
  customers_notified: 'the case does not record that the affected customers were notified',
  passwords_reset: 'the case does not record a password reset',
};

const RECORDED: Record<ClaimFact, string> = {
  contained: 'the case was contained',
  resolved: 'the case is resolved',
  authority_notified: 'a report to the authority is filed',
  customers_notified: 'the affected customers were notified',
  passwords_reset: 'the passwords were reset',
};

/** Plain-language name of a fact's missing evidence, for messages: 'no authority report is filed'. */
export function missingEvidence(fact: ClaimFact): string {
  return MISSING[fact];
}

interface LocatedClaim {
  finding: ClaimFinding;
  /** The sentence, or for a long one the words around the claim, for quoting in a message. */
  excerpt: string;
}

interface CompiledFact {
  fact: ClaimFact;
  cue: RegExp;
  veto: RegExp | null;
  asserts: RegExp;
  denies: RegExp;
}

interface CompiledLanguage {
  conditional: RegExp;
  /** A sentence that opens with a condition ("If …, we will …") is hypothetical throughout. */
  opensWithCondition: RegExp;
  negation: RegExp;
  hedge: RegExp;
  future: RegExp;
  otherSubject: RegExp;
  thirdParty: RegExp;
  facts: CompiledFact[];
}

const PHRASES: Record<Language, ClaimPhrases> = { en: CLAIM_PHRASES_EN, nl: CLAIM_PHRASES_NL };
const compiled = new Map<Language, CompiledLanguage>();

function locateClaims(text: string, language: Language): LocatedClaim[] {
  const table = compiledFor(language);
  const claims: LocatedClaim[] = [];
  for (const sentence of claimSentences(text)) {
    // A question asks; it claims nothing ("Hebben we het lek gedicht?").
    if (/\?["')\]’”]*$/.test(sentence)) continue;
    const normal = normalise(sentence);
    if (table.opensWithCondition.test(normal)) continue;
    for (const fact of table.facts) {
      if (!fact.cue.test(normal)) continue;
      const found = classify(normal, fact, table);
      if (!found) continue;
      claims.push({
        finding: { fact: fact.fact, polarity: found.polarity, sentence, language },
        excerpt: excerpt(sentence, normal, found.start, found.end),
      });
    }
  }
  return claims;
}

interface Classified {
  polarity: 'asserts' | 'denies';
  start: number;
  end: number;
}

/** The one polarity of a fact in a sentence; none when it is absent or both are said. */
function classify(s: string, fact: CompiledFact, table: CompiledLanguage): Classified | null {
  let result: Classified | null = null;
  for (const [regex, phrase] of [
    [fact.asserts, 'asserts'],
    [fact.denies, 'denies'],
  ] as const) {
    for (const match of s.matchAll(regex)) {
      const start = match.index;
      const end = start + match[0].length;
      const polarity = polarityOf(s, start, end, phrase, fact, table);
      if (!polarity) continue;
      if (result && result.polarity !== polarity) return null;
      result ??= { polarity, start, end };
    }
  }
  return result;
}

function polarityOf(
  s: string,
  start: number,
  end: number,
  phrase: 'asserts' | 'denies',
  fact: CompiledFact,
  table: CompiledLanguage,
): 'asserts' | 'denies' | null {
  const [clauseStart, clauseEnd] = clauseAround(s, start, end);
  const before = s.slice(clauseStart, start);
  const match = s.slice(start, end);
  if (table.conditional.test(before + match)) return null;
  if (fact.veto?.test(s.slice(clauseStart, clauseEnd))) return null;
  if (table.thirdParty.test(before + match)) return null;
  // The subject sits right before the phrase or opens it ("you have", "hebben u").
  const subject = `${lastWords(before, 2)} ${firstWords(match, 2)}`;
  if (table.otherSubject.test(subject)) return null;
  if (phrase === 'denies') return 'denies';
  const near = `${lastWords(before, 2)} ${match}`;
  if (table.hedge.test(near)) return null;
  if (table.negation.test(near)) return 'denies';
  if (table.future.test(near)) return 'denies';
  return 'asserts';
}

/** The clause (between commas, semicolons, colons, brackets, quotes, dashes) around a match. */
function clauseAround(s: string, start: number, end: number): [number, number] {
  let a = start;
  while (a > 0 && !isClauseBreak(s, a - 1)) a--;
  let b = end;
  while (b < s.length && !isClauseBreak(s, b)) b++;
  return [a, b];
}

function isClauseBreak(s: string, i: number): boolean {
  const c = s[i];
  if (c === ',' || c === ':') return s[i + 1] === ' '; // not "1,5" or "14:00"
  return c === ';' || c === '(' || c === ')' || c === '"' || c === '—' || c === '–';
}

function lastWords(text: string, n: number): string {
  return text.trimEnd().split(' ').slice(-n).join(' ');
}

function firstWords(text: string, n: number): string {
  return text.split(' ').slice(0, n).join(' ');
}

/**
 * Lower case, no accents, straight apostrophes, and each Liquid placeholder one opaque word (so
 * "{{ case.reference }}" is no "case" and "{{ customer.name }}" no "customer"); the same length
 * as the sentence when it can be.
 */
function normalise(sentence: string): string {
  const lower = sentence
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\{\{[^}]{0,200}\}\}/g, (placeholder) => 'x'.repeat(placeholder.length));
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  return lower.normalize('NFD').replace(/\p{M}/gu, '');
}

const EXCERPT_MAX = 120;

function excerpt(sentence: string, normal: string, start: number, end: number): string {
  const whole = sentence.replace(/[.!]+$/, '');
  if (whole.length <= EXCERPT_MAX) return whole;
  // Offsets are into the normalised text; they hold for the original when lengths agree.
  if (normal.length !== sentence.length) return `${whole.slice(0, EXCERPT_MAX - 1).trimEnd()}…`;
  let from = Math.max(0, start - 40);
  let to = Math.min(whole.length, end + 30);
  if (from > 0) from = Math.min(start, sentence.indexOf(' ', from) + 1 || start);
  if (to < whole.length) to = Math.max(end, sentence.lastIndexOf(' ', to));
  return `${from > 0 ? '…' : ''}${whole.slice(from, to).trim()}${to < whole.length ? '…' : ''}`;
}

function compiledFor(language: Language): CompiledLanguage {
  let table = compiled.get(language);
  if (!table) {
    table = compile(PHRASES[language]);
    compiled.set(language, table);
  }
  return table;
}

// V8 runs a regular expression in its bytecode interpreter first and compiles it to machine
// code later, unless the subject is long (1,000 characters or more). These patterns backtrack
// a lot, so a few interpreted runs cost more than compiling: one run over a long blank subject
// (which fails at once everywhere) makes the first real notice run at full speed. Measured on the
// loaded build machine: first use of a language 450 ms CPU without this, 55 ms with it.
const WARM_UP = ' '.repeat(1024);

function compile(phrases: ClaimPhrases): CompiledLanguage {
  const expand = (source: string, depth = 0): string =>
    source.replace(/\{([A-Z_]+?)(\d*)\}/g, (_all, name: string, count: string) => {
      if (name === 'W' && count !== '') return `(?:[^ ;()]*[^ ,;:()] ){0,${count}}`;
      const word = phrases.words[name + count];
      if (word === undefined || depth > 8) throw new Error(`claim phrases: unknown {${name}}`);
      return `(?:${expand(word, depth + 1)})`;
    });
  const phraseRegex = (patterns: readonly string[]): RegExp => {
    const regex = new RegExp(`\\b(?:${patterns.map((p) => expand(p)).join('|')})\\b`, 'g');
    regex.test(WARM_UP);
    return regex;
  };
  return {
    conditional: new RegExp(phrases.conditional),
    opensWithCondition: new RegExp(`^["'(]?(?:${phrases.conditional})`),
    negation: new RegExp(phrases.negation),
    hedge: new RegExp(phrases.hedge),
    future: new RegExp(phrases.future),
    otherSubject: new RegExp(phrases.otherSubject),
    thirdParty: new RegExp(phrases.thirdParty),
    facts: CLAIM_FACTS.map((fact) => {
      const f = phrases.facts[fact];
      return {
        fact,
        cue: new RegExp(f.cue),
        veto: f.veto ? new RegExp(f.veto) : null,
        asserts: phraseRegex(f.asserts),
        denies: phraseRegex(f.denies),
      };
    }),
  };
}
