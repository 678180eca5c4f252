import type { RowProblem } from './customer.js';
import {
  ATTRIBUTE_COUNT_LIMIT,
  ATTRIBUTE_NAME_LIMIT,
  ATTRIBUTE_VALUE_LIMIT,
  normaliseColumnName,
} from './customer.js';

/** One validated row of an affected list: a customer and what the case means for them. */
export interface AffectedRow {
  line: number;
  externalId: string;
  /** JSON object of impact variables (`impact.domains` in templates). */
  impact: string;
}

/** The CSV header of an affected list: external_id plus any number of impact columns. */
export interface AffectedColumns {
  width: number;
  externalId: number;
  impact: { name: string; index: number }[];
  ignored: number[];
}

/** Maps the header of an affected list; returns the problems that make it unusable. */
export function mapAffectedHeader(
  header: readonly string[],
  ignore: readonly string[] = [],
): AffectedColumns | { problems: string[] } {
  const problems: string[] = [];
  const seen = new Set<string>();
  const columns: AffectedColumns = {
    width: header.length,
    externalId: -1,
    impact: [],
    ignored: [],
  };
  header.forEach((cell, index) => {
    const name = normaliseColumnName(cell);
    if (ignore.includes(name)) return columns.ignored.push(index);
    if (name === '') return problems.push(`column ${index + 1} has no name in the header`);
    if (seen.has(name)) return problems.push(`column "${name}" appears twice`);
    seen.add(name);
    if (name === 'external_id') columns.externalId = index;
    else if (name.length > ATTRIBUTE_NAME_LIMIT)
      problems.push(`column name "${name.slice(0, 20)}…" is too long`);
    else columns.impact.push({ name, index });
  });
  if (columns.externalId < 0)
    problems.push('no external_id column: an affected list names customers by external_id');
  if (columns.impact.length > ATTRIBUTE_COUNT_LIMIT)
    problems.push(`too many impact columns (at most ${ATTRIBUTE_COUNT_LIMIT})`);
  return problems.length ? { problems } : columns;
}

type Result = { ok: AffectedRow } | { problems: RowProblem[] };

/** Validates one CSV row of an affected list. */
export function validateAffectedCsv(
  line: number,
  fields: readonly string[],
  columns: AffectedColumns,
): Result {
  if (fields.length !== columns.width) {
    return {
      problems: [
        {
          field: '(row)',
          reason: `expected ${columns.width} fields as in the header, found ${fields.length}`,
        },
      ],
    };
  }
  const impact: Record<string, string> = {};
  const problems: RowProblem[] = [];
  for (const c of columns.impact) {
    const v = fields[c.index]!.trim();
    if (v.length > ATTRIBUTE_VALUE_LIMIT)
      problems.push({ field: c.name, reason: `longer than ${ATTRIBUTE_VALUE_LIMIT} characters` });
    else if (v !== '') impact[c.name] = v;
  }
  return finish(line, fields[columns.externalId]!.trim(), impact, problems);
}

/** Validates one JSONL object of an affected list; every key but external_id is impact. */
export function validateAffectedJson(
  line: number,
  value: Record<string, unknown>,
  ignore: readonly string[] = [],
): Result {
  const impact: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  let externalId = '';
  for (const [key, raw] of Object.entries(value)) {
    const name = normaliseColumnName(key);
    if (ignore.includes(name)) continue;
    if (name === 'external_id') {
      externalId = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
    } else if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      problems.push({ field: name, reason: 'nested objects are not supported as impact values' });
    } else if (JSON.stringify(raw).length > ATTRIBUTE_VALUE_LIMIT) {
      problems.push({ field: name, reason: `longer than ${ATTRIBUTE_VALUE_LIMIT} characters` });
    } else if (raw !== null && raw !== '') {
      impact[name] = raw;
    }
  }
  return finish(line, externalId, impact, problems);
}

function finish(
  line: number,
  externalId: string,
  impact: Record<string, unknown>,
  problems: RowProblem[],
): Result {
  if (externalId === '')
    problems.unshift({ field: 'external_id', reason: 'missing: every row must name a customer' });
  if (problems.length) return { problems };
  return { ok: { line, externalId, impact: JSON.stringify(impact) } };
}
