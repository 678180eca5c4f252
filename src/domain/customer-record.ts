import type { Language } from './language.js';
import {
  ATTRIBUTE_COUNT_LIMIT,
  ATTRIBUTE_NAME_LIMIT,
  ATTRIBUTE_VALUE_LIMIT,
  CUSTOMER_FIELDS,
  FIELD_LIMITS,
  PROVIDED,
  isValidEmail,
  normaliseColumnName,
  parseLanguage,
  type CustomerField,
  type CustomerUpsert,
  type RowProblem,
} from './customer.js';

/** How the columns of a CSV header map onto the registry. */
export interface ColumnMap {
  width: number;
  fieldIndex: Partial<Record<CustomerField, number>>;
  attributes: { name: string; index: number }[];
  provided: number;
}

/**
 * Maps a CSV header; returns the problems that make the file unusable as a customer list.
 * `ignore` names columns that are neither fields nor attributes (a rejects file's reason
 * column): they still count towards the width every row must have.
 */
export function mapHeader(
  header: readonly string[],
  options: { ignore?: readonly string[] } = {},
): ColumnMap | { problems: string[] } {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const map: ColumnMap = { width: header.length, fieldIndex: {}, attributes: [], provided: 0 };
  header.forEach((cell, index) => {
    const name = normaliseColumnName(cell);
    if (name === '') {
      problems.push(`column ${index + 1} has no name in the header`);
      return;
    }
    if (options.ignore?.includes(name)) return;
    if (seen.has(name)) {
      problems.push(
        `column "${name}" appears twice (columns ${seen.get(name)! + 1} and ${index + 1})`,
      );
      return;
    }
    seen.set(name, index);
    if ((CUSTOMER_FIELDS as readonly string[]).includes(name)) {
      map.fieldIndex[name as CustomerField] = index;
      if (name !== 'external_id') map.provided |= PROVIDED[name as keyof typeof PROVIDED];
    } else if (name.length > ATTRIBUTE_NAME_LIMIT) {
      problems.push(
        `column "${name.slice(0, 20)}…" has a name longer than ${ATTRIBUTE_NAME_LIMIT} characters`,
      );
    } else {
      map.attributes.push({ name, index });
    }
  });
  if (map.attributes.length > 0) map.provided |= PROVIDED.attributes;
  if (map.attributes.length > ATTRIBUTE_COUNT_LIMIT) {
    problems.push(
      `too many attribute columns (${map.attributes.length}, at most ${ATTRIBUTE_COUNT_LIMIT})`,
    );
  }
  if (map.fieldIndex.external_id === undefined) {
    problems.push(
      `no external_id column: a customer file needs one (columns found: ${header
        .slice(0, 12)
        .map((h) => JSON.stringify(h))
        .join(', ')}${header.length > 12 ? ', …' : ''})`,
    );
  }
  return problems.length > 0 ? { problems } : map;
}

type Result = { ok: CustomerUpsert } | { problems: RowProblem[] };

const SURROGATE = /[\ud800-\udfff]/;
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a value cannot be stored, or null. PostgreSQL holds neither a NUL nor an unpaired
 * surrogate (from a JSON `\ud800` escape) in text or jsonb, and one such value would fail
 * the whole batch there; SQLite would store it, so both engines reject the row instead.
 */
function unstorable(value: string): string | null {
  if (value.includes('\0')) return 'contains a NUL character (U+0000)';
  // The first test is the fast path: almost no value holds a surrogate at all.
  if (SURROGATE.test(value) && UNPAIRED_SURROGATE.test(value)) {
    return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  }
  return null;
}

// C0 controls (CR, LF, TAB…), DEL, C1 controls and the Unicode line and paragraph separators:
// matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Why a name cannot be used, or null. A name goes into the To: header of every notice, where
 * a line break cannot be encoded: the delivery would fail for good at send time. Rejected
 * rather than silently rewritten, so the registry's owner sees and fixes the source record.
 */
function unusableName(value: string): string | null {
  const match = CONTROL.exec(value);
  if (!match) return null;
  const c = match[0];
  const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const what =
    c === '\r' || c === '\n' || c === '\u2028' || c === '\u2029'
      ? 'a line break'
      : c === '\t'
        ? 'a tab'
        : 'a control character';
  return `contains ${what} (${code}); a name must be a single line of text`;
}

/** unstorable() over every key and string inside a JSON value. */
function unstorableJson(value: unknown): string | null {
  if (typeof value === 'string') return unstorable(value);
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const problem = (Array.isArray(value) ? null : unstorable(key)) ?? unstorableJson(inner);
    if (problem) return problem;
  }
  return null;
}

/** Validates one CSV record against the header map. Hot path: no allocations beyond the row. */
export function validateCsvCustomer(
  line: number,
  fields: readonly string[],
  map: ColumnMap,
): Result {
  if (fields.length !== map.width) {
    return {
      problems: [
        {
          field: '(row)',
          reason: `expected ${map.width} fields as in the header, found ${fields.length}`,
        },
      ],
    };
  }
  const get = (f: CustomerField): string | undefined => {
    const i = map.fieldIndex[f];
    return i === undefined ? undefined : fields[i];
  };
  let attributes = '{}';
  if (map.attributes.length > 0) {
    const attrs: Record<string, string | null> = {};
    for (const a of map.attributes) {
      const v = fields[a.index]!.trim();
      attrs[a.name] = v === '' ? null : v;
    }
    attributes = JSON.stringify(attrs);
  }
  return buildUpsert(line, get, map.provided, attributes, map.attributes, fields);
}

/** Validates one JSONL object: known keys are fields, every other key is an attribute. */
export function validateJsonCustomer(line: number, value: Record<string, unknown>): Result {
  const problems: RowProblem[] = [];
  const strings: Partial<Record<CustomerField, string>> = {};
  const attrs: Record<string, unknown> = {};
  let provided = 0;
  let attrCount = 0;
  for (const [key, raw] of Object.entries(value)) {
    const name = normaliseColumnName(key);
    if ((CUSTOMER_FIELDS as readonly string[]).includes(name)) {
      if (raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
        problems.push({ field: name, reason: 'must be a string' });
        continue;
      }
      strings[name as CustomerField] = raw === null ? '' : String(raw);
      if (name !== 'external_id') provided |= PROVIDED[name as keyof typeof PROVIDED];
      continue;
    }
    attrCount++;
    provided |= PROVIDED.attributes;
    const bad = unstorable(name) ?? unstorableJson(raw);
    if (bad) {
      problems.push({ field: name, reason: bad });
    } else if (name.length > ATTRIBUTE_NAME_LIMIT) {
      problems.push({
        field: name.slice(0, 20) + '…',
        reason: `attribute name longer than ${ATTRIBUTE_NAME_LIMIT} characters`,
      });
    } else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      problems.push({ field: name, reason: 'nested objects are not supported as attributes' });
    } else if (JSON.stringify(raw).length > ATTRIBUTE_VALUE_LIMIT) {
      problems.push({ field: name, reason: `longer than ${ATTRIBUTE_VALUE_LIMIT} characters` });
    } else {
      attrs[name] = raw === '' ? null : raw;
    }
  }
  if (attrCount > ATTRIBUTE_COUNT_LIMIT) {
    problems.push({
      field: '(row)',
      reason: `too many attributes (${attrCount}, at most ${ATTRIBUTE_COUNT_LIMIT})`,
    });
  }
  const result = buildUpsert(line, (f) => strings[f], provided, JSON.stringify(attrs), [], []);
  if ('problems' in result) problems.unshift(...result.problems);
  return problems.length > 0 ? { problems } : result;
}

function buildUpsert(
  line: number,
  get: (f: CustomerField) => string | undefined,
  provided: number,
  attributes: string,
  attributeColumns: { name: string; index: number }[],
  fields: readonly string[],
): Result {
  let problems: RowProblem[] | undefined;
  const fail = (field: string, reason: string): null => {
    (problems ??= []).push({ field, reason });
    return null;
  };
  const text = (f: CustomerField): string | null => {
    const raw = get(f);
    if (raw === undefined) return null;
    const v = raw.trim();
    const bad = unstorable(v);
    if (bad) return fail(f, bad);
    if (v.length > FIELD_LIMITS[f])
      return fail(f, `longer than ${FIELD_LIMITS[f]} characters (${v.length})`);
    return v === '' ? null : v;
  };
  const externalId = text('external_id');
  if (externalId === null && !problems)
    fail('external_id', 'missing: every customer needs an external_id');
  let email = text('email');
  if (email !== null) {
    if (!isValidEmail(email))
      email = fail('email', `not a valid email address: ${JSON.stringify(email)}`);
    else email = lowerDomain(email);
  }
  const languageRaw = text('language');
  let language: Language | null = null;
  if (languageRaw !== null) {
    language = parseLanguage(languageRaw);
    if (language === null)
      fail('language', `unknown language ${JSON.stringify(languageRaw)} (expected nl or en)`);
  }
  let name = text('name');
  if (name !== null) {
    const bad = unusableName(name);
    if (bad) name = fail('name', bad);
  }
  const street = text('street');
  const postalCode = text('postal_code');
  const city = text('city');
  let country = text('country');
  if (country !== null && country.length === 2) country = country.toUpperCase();
  for (const a of attributeColumns) {
    const v = fields[a.index]!;
    const bad = unstorable(v);
    if (bad) fail(a.name, bad);
    else if (v.length > ATTRIBUTE_VALUE_LIMIT)
      fail(a.name, `longer than ${ATTRIBUTE_VALUE_LIMIT} characters (${v.length})`);
  }
  if (problems) return { problems };
  return {
    ok: {
      line,
      externalId: externalId!,
      email,
      name,
      // An empty language cell means "not given": keep the existing one or use the default.
      language,
      street,
      postalCode,
      city,
      country,
      attributes,
      provided: language === null ? provided & ~PROVIDED.language : provided,
    },
  };
}

function lowerDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return email.slice(0, at) + email.slice(at).toLowerCase();
}
