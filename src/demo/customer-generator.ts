/**
 * Realistic, fictitious customers of a Dutch hosting company, for tests, the demo seed and
 * million-row benchmarks.
 *
 * Every customer is a pure function of (seed, index): each index seeds its own random stream,
 * so generating rows 500 000–999 999 in a separate chunk gives exactly the rows a single run
 * would, and chunks can be generated in parallel. Emails only use the RFC 2606 reserved
 * domains example.com/.net/.org (example.nl is an ordinary registered domain), so a demo
 * pointed at a real mail server can never reach a person. The customers' own `domains` are
 * plausible but invented, and not unique: the registry keys on `external_id`.
 */
import { csvRecord, type CsvDelimiter } from '../ingest/csv-writer.js';
import { GB, IE, NL, type Locale } from './synthetic-locales.js';
import { Rng } from './synthetic-rng.js';

export { asciiFold } from './synthetic-locales.js';

/** One synthetic customer; property order is the CSV column order. */
export interface SyntheticCustomer {
  external_id: string;
  email: string;
  name: string;
  language: 'nl' | 'en';
  street: string;
  postal_code: string;
  city: string;
  country: string;
  plan: string;
  server: string;
  domains: string;
  since: string;
}

/** Column order for CSV output; external_id first because it is the upsert key. */
export const SYNTHETIC_COLUMNS: readonly (keyof SyntheticCustomer)[] = [
  'external_id',
  'email',
  'name',
  'language',
  'street',
  'postal_code',
  'city',
  'country',
  'plan',
  'server',
  'domains',
  'since',
];

/** Seed used when none is given, so `npm start` always seeds the same company. */
export const DEFAULT_SEED = 20_241_001;

/** Share of each hosting plan: mostly cheap shared hosting, few dedicated machines. */
export const PLAN_WEIGHTS: Readonly<Record<string, number>> = {
  shared: 0.55,
  business: 0.2,
  vps: 0.14,
  reseller: 0.06,
  dedicated: 0.05,
};

const DUTCH_SHARE = 0.8;
const IRISH_SHARE_OF_ENGLISH = 0.2;
const BUSINESS_SHARE = 0.15;
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;
const BUSINESS_MAILBOXES = ['info', 'contact', 'admin', 'office'] as const;

const PLANS = Object.keys(PLAN_WEIGHTS);
const PLAN_THRESHOLDS = PLANS.map((_, i) =>
  PLANS.slice(0, i + 1).reduce((sum, plan) => sum + (PLAN_WEIGHTS[plan] ?? 0), 0),
);

// The machine an incident would be scoped to: most customers sit on one of forty shared
// web servers, the rest on a node of the database cluster.
const WEB_SERVERS = Array.from({ length: 40 }, (_, i) => `web${String(i + 1).padStart(2, '0')}`);
const DB_SERVERS = Array.from({ length: 12 }, (_, i) => `db${String(i + 1).padStart(2, '0')}`);

const NL_HOUSE_SUFFIXES = ['A', 'B', 'C', '-1', '-2', '-3', ' bis', '-hs'];

// Precomputed once so that a row picks a string instead of formatting a Date.
const SINCE_DATES = ((): string[] => {
  const dates: string[] = [];
  const end = Date.UTC(2025, 11, 31);
  for (let day = Date.UTC(2002, 0, 1); day <= end; day += 86_400_000) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
})();

function pickPlan(rng: Rng): string {
  const roll = rng.next();
  for (let i = 0; i < PLANS.length - 1; i++) {
    if (roll < (PLAN_THRESHOLDS[i] ?? 1)) return PLANS[i] ?? 'shared';
  }
  return PLANS[PLANS.length - 1] ?? 'shared';
}

function street(rng: Rng, l: Locale): string {
  const name = rng.pick(l.streets);
  // Low house numbers are far more common than high ones.
  const r = rng.next();
  const number = 1 + Math.floor(r * r * 180);
  if (l === NL) {
    return rng.next() < 0.12
      ? `${name} ${number}${rng.pick(NL_HOUSE_SUFFIXES)}`
      : `${name} ${number}`;
  }
  return rng.next() < 0.08 ? `Flat ${1 + rng.int(12)}, ${number} ${name}` : `${number} ${name}`;
}

function domains(rng: Rng, l: Locale, base: string, surname: string): string {
  const tld = rng.pick(l.tlds);
  const first = `${base}.${tld}`;
  const roll = rng.next();
  if (roll < 0.6) return first;
  // People who own a second domain usually have the same name under another TLD.
  const otherTld = tld === l.tlds[0] ? rng.pick(l.otherTlds) : (l.tlds[0] ?? tld);
  const second = `${base}.${otherTld}`;
  if (roll < 0.88) return `${first};${second}`;
  const third = `${surname}-${rng.pick(l.domainWords)}.${tld}`;
  return third === first ? `${first};${second}` : `${first};${second};${third}`;
}

function buildCustomer(rng: Rng, index: number): SyntheticCustomer {
  const number = index + 1;
  const roll = rng.next();
  const l =
    roll < DUTCH_SHARE ? NL : roll < 1 - (1 - DUTCH_SHARE) * IRISH_SHARE_OF_ENGLISH ? GB : IE;
  const li = rng.int(l.last.length);
  const surname = l.lastSlug[li] ?? '';
  let name: string;
  let local: string;
  let domainBase: string;
  if (rng.next() < BUSINESS_SHARE) {
    const t = rng.pick(l.businesses);
    name = `${t.before}${l.lastCapital[li]}${t.after}`;
    const compact = t.compactBefore + surname + t.compactAfter;
    local = `${rng.pick(BUSINESS_MAILBOXES)}.${compact}${number}`;
    domainBase = rng.next() < 0.5 ? compact : t.hyphenBefore + surname + t.hyphenAfter;
  } else {
    const fi = rng.int(l.first.length);
    const given = l.firstSlug[fi] ?? '';
    name = `${l.first[fi]} ${l.last[li]}`;
    // The customer number ends every local part and names hold no digits, so the trailing
    // digits are unique per customer: no set of a million seen addresses is needed.
    const style = rng.int(4);
    if (style === 0) local = `${given}.${surname}${number}`;
    else if (style === 1) local = `${given.charAt(0)}.${surname}${number}`;
    else if (style === 2) local = `${given}${surname}${number}`;
    else local = `${surname}.${given}${number}`;
    const domainStyle = rng.int(4);
    if (domainStyle === 0) domainBase = given + surname;
    else if (domainStyle === 1) domainBase = `${given}-${surname}`;
    else domainBase = `${surname}-${rng.pick(l.domainWords)}`;
  }
  const city = rng.pick(l.cities);
  const r = rng.next();
  return {
    external_id: `C${String(number).padStart(7, '0')}`,
    email: `${local}@${rng.pick(EMAIL_DOMAINS)}`,
    name,
    language: l.language,
    street: street(rng, l),
    postal_code: l.postcode(rng, city),
    city: city.name,
    country: l.country,
    plan: pickPlan(rng),
    server: rng.next() < 0.85 ? rng.pick(WEB_SERVERS) : rng.pick(DB_SERVERS),
    domains: domains(rng, l, domainBase, surname),
    // sqrt skews towards recent sign-ups, as for a company that keeps growing.
    since: SINCE_DATES[Math.floor(Math.sqrt(r) * SINCE_DATES.length)] ?? '2025-12-31',
  };
}

function assertWholeNumber(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
}

/**
 * Yield `count` customers starting at 0-based `startIndex`; customer i has external_id
 * C{i+1, seven digits} and is the same whatever chunk it is generated in.
 */
export function* generateCustomers(
  count: number,
  seed: number = DEFAULT_SEED,
  startIndex = 0,
): Generator<SyntheticCustomer> {
  assertWholeNumber(count, 'count');
  assertWholeNumber(startIndex, 'startIndex');
  const rng = new Rng();
  const seed32 = seed >>> 0;
  for (let i = startIndex; i < startIndex + count; i++) {
    rng.reseed(seed32, i);
    yield buildCustomer(rng, i);
  }
}

/** Yield a CSV header line, then one `\n`-terminated line per customer. */
export function* customersToCsv(
  count: number,
  seed: number = DEFAULT_SEED,
  options?: { delimiter?: CsvDelimiter },
): Generator<string> {
  const csvOptions = { delimiter: options?.delimiter ?? ',' };
  yield csvRecord(SYNTHETIC_COLUMNS, csvOptions);
  const fields: string[] = [];
  for (const customer of generateCustomers(count, seed)) {
    for (let i = 0; i < SYNTHETIC_COLUMNS.length; i++) {
      fields[i] = customer[SYNTHETIC_COLUMNS[i] as keyof SyntheticCustomer];
    }
    yield csvRecord(fields, csvOptions);
  }
}

/** Yield one `\n`-terminated JSON object per customer (JSON Lines). */
export function* customersToJsonl(count: number, seed: number = DEFAULT_SEED): Generator<string> {
  for (const customer of generateCustomers(count, seed)) yield `${JSON.stringify(customer)}\n`;
}
