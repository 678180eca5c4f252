/**
 * Per-country data for the synthetic customer generator: names, streets, cities with their
 * postcode schemes and domain habits, with everything a row needs folded to ASCII up front
 * so that generating a row is only picking and concatenating.
 */
import type { Rng } from './synthetic-rng.js';
import * as words from './synthetic-words.js';

const FOLD_SPECIAL: Readonly<Record<string, string>> = {
  ı: 'i',
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  þ: 'th',
};

/** Lower-case and fold to ASCII: é → e, ë → e, ß → ss, ı → i; other symbols are kept. */
export function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ıßøæœłđþ]/g, (char) => FOLD_SPECIAL[char] ?? char);
}

/** Letters and digits only, for email local parts and domain labels. */
export function slug(text: string): string {
  return asciiFold(text).replace(/[^a-z0-9]/g, '');
}

export interface City {
  name: string;
  /** Postcode areas (GB) or Eircode routing keys (IE); empty for NL. */
  codes: readonly string[];
  low: number;
  high: number;
}

export interface BusinessTemplate {
  before: string;
  after: string;
  /** Slug pieces around the surname, with and without hyphens: `bakkerij-` / `bakkerij`. */
  hyphenBefore: string;
  hyphenAfter: string;
  compactBefore: string;
  compactAfter: string;
}

export interface Locale {
  language: 'nl' | 'en';
  country: string;
  first: readonly string[];
  firstSlug: readonly string[];
  last: readonly string[];
  lastSlug: readonly string[];
  /** Surname as it starts a business name: "van der Meer" → "Van der Meer". */
  lastCapital: readonly string[];
  businesses: readonly BusinessTemplate[];
  streets: readonly string[];
  cities: readonly City[];
  postcode: (rng: Rng, city: City) => string;
  /** Weighted by repetition; index 0 is the country's own TLD. */
  tlds: readonly string[];
  /** `tlds` without the country's own TLD, for a second domain. */
  otherTlds: readonly string[];
  domainWords: readonly string[];
}

// Words that say what kind of company it is, not who: left out of domain names.
const LEGAL_FORMS = new Set(['bv', 'vof', 'ltd', 'llp', 'the', '']);

function slugWords(text: string): string[] {
  return text
    .split(/[\s&]+/)
    .map(slug)
    .filter((word) => !LEGAL_FORMS.has(word));
}

function businessTemplate(template: string): BusinessTemplate {
  const [before = '', after = ''] = template.split('{S}');
  const b = slugWords(before);
  const a = slugWords(after);
  return {
    before,
    after,
    hyphenBefore: b.map((w) => `${w}-`).join(''),
    hyphenAfter: a.map((w) => `-${w}`).join(''),
    compactBefore: b.join(''),
    compactAfter: a.join(''),
  };
}

function parseCities(entries: readonly string[]): City[] {
  return entries.map((entry) => {
    const [name = '', spec = ''] = entry.split(':');
    const range = /^(\d{4})-(\d{4})$/.exec(spec);
    if (range) return { name, codes: [], low: Number(range[1]), high: Number(range[2]) };
    return { name, codes: spec.split(' '), low: 0, high: 0 };
  });
}

/** Every ordered pair of the given letters, minus the excluded ones. */
function letterPairs(letters: string, excluded: readonly string[] = []): string[] {
  const pairs: string[] = [];
  for (const a of letters) for (const b of letters) pairs.push(a + b);
  return pairs.filter((pair) => !excluded.includes(pair));
}

// PostNL skips F, I, O, Q, U and Y in postcodes and never issues SA, SD or SS.
const NL_POSTCODE_LETTERS = letterPairs('ABCDEGHJKLMNPRSTVWXZ', ['SA', 'SD', 'SS']);
// The inward part of a UK postcode never uses C, I, K, M, O or V.
const GB_INWARD_LETTERS = letterPairs('ABDEFGHJLNPQRSTUWXYZ');
// Eircode identifiers use digits and these letters only, and in practice open with a letter.
const EIRCODE_LETTERS = [...'ACDEFHKNPRTVWXY'];
const EIRCODE_CHARS = [...'0123456789', ...EIRCODE_LETTERS];

function dutchPostcode(rng: Rng, city: City): string {
  return `${city.low + rng.int(city.high - city.low + 1)} ${rng.pick(NL_POSTCODE_LETTERS)}`;
}

function britishPostcode(rng: Rng, city: City): string {
  return `${rng.pick(city.codes)}${1 + rng.int(20)} ${rng.int(10)}${rng.pick(GB_INWARD_LETTERS)}`;
}

function eircode(rng: Rng, city: City): string {
  let unique = rng.pick(EIRCODE_LETTERS);
  for (let i = 0; i < 3; i++) unique += rng.pick(EIRCODE_CHARS);
  return `${rng.pick(city.codes)} ${unique}`;
}

function locale(
  base: Omit<Locale, 'firstSlug' | 'lastSlug' | 'lastCapital' | 'businesses' | 'otherTlds'>,
  businesses: readonly string[],
): Locale {
  return {
    ...base,
    firstSlug: base.first.map(slug),
    lastSlug: base.last.map(slug),
    lastCapital: base.last.map((last) => last.charAt(0).toUpperCase() + last.slice(1)),
    businesses: businesses.map(businessTemplate),
    otherTlds: base.tlds.filter((tld) => tld !== base.tlds[0]),
  };
}

const englishNames = { first: words.EN_FIRST_NAMES, last: words.EN_SURNAMES };

/** Dutch customers. */
export const NL = locale(
  {
    language: 'nl',
    country: 'NL',
    first: words.NL_FIRST_NAMES,
    last: words.NL_SURNAMES,
    streets: words.NL_STREETS,
    cities: parseCities(words.NL_CITIES),
    postcode: dutchPostcode,
    tlds: ['nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'nl', 'com', 'com', 'eu', 'net', 'org'],
    domainWords: words.NL_DOMAIN_WORDS,
  },
  words.NL_BUSINESSES,
);
/** British customers. */
export const GB = locale(
  {
    language: 'en',
    country: 'GB',
    ...englishNames,
    streets: words.GB_STREETS,
    cities: parseCities(words.GB_CITIES),
    postcode: britishPostcode,
    tlds: ['co.uk', 'co.uk', 'co.uk', 'com', 'com', 'com', 'io', 'uk', 'org.uk'],
    domainWords: words.EN_DOMAIN_WORDS,
  },
  words.EN_BUSINESSES,
);
/** Irish customers. */
export const IE = locale(
  {
    language: 'en',
    country: 'IE',
    ...englishNames,
    streets: words.IE_STREETS,
    cities: parseCities(words.IE_CITIES),
    postcode: eircode,
    tlds: ['ie', 'ie', 'ie', 'com', 'com', 'io', 'eu'],
    domainWords: words.EN_DOMAIN_WORDS,
  },
  words.EN_BUSINESSES,
);
