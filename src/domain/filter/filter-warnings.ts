import { LANGUAGES } from '../language.js';
import { BUILTIN_FIELDS, type FilterCondition, type FilterExpression } from './filter-ast.js';
import { describeField, describeLiteral } from './filter-describe.js';

/** Something legal that probably does not do what was meant; shown, never fatal. */
export interface FilterWarning {
  message: string;
  /** 0-based offset of the field the warning is about. */
  position: number;
}

/** What the caller knows about the registry, for sharper warnings. */
export interface FilterWarningContext {
  /** The attribute names present in the registry (listAttributeKeys). */
  attributeKeys?: readonly string[];
}

/**
 * Warnings about a valid filter: a language other than nl/en, an attribute no customer has
 * (with a did-you-mean), a built-in field written as an attribute.
 */
export function filterWarnings(
  ast: FilterExpression,
  context: FilterWarningContext = {},
): FilterWarning[] {
  const warnings: FilterWarning[] = [];
  const known = context.attributeKeys ? new Set(context.attributeKeys) : null;
  const seen = new Set<string>();
  for (const condition of conditionsOf(ast)) {
    const { field } = condition;
    const warn = (message: string) => {
      const key = `${field.position}:${message}`;
      if (!seen.has(key)) warnings.push({ message, position: field.position });
      seen.add(key);
    };
    if (field.kind === 'field') {
      if (field.name === 'language') languageWarnings(condition, warn);
      continue;
    }
    if ((BUILTIN_FIELDS as readonly string[]).includes(field.key)) {
      warn(
        `${describeField(field)} is a free attribute, which imports never create; the built-in field is ${field.key}`,
      );
    } else if (known && !known.has(field.key)) {
      const guess = closest(field.key, [...known]);
      warn(
        `no customer has the attribute "${field.key}"${guess ? ` (did you mean ${guess}?)` : ''}`,
      );
    }
  }
  return warnings;
}

function languageWarnings(condition: FilterCondition, warn: (message: string) => void): void {
  const values =
    condition.kind === 'compare' && (condition.operator === '=' || condition.operator === '!=')
      ? [condition.value]
      : condition.kind === 'in'
        ? condition.values
        : [];
  for (const value of values) {
    if (value.type !== 'string' || !(LANGUAGES as readonly string[]).includes(value.value)) {
      warn(
        `language is always one of ${LANGUAGES.join(', ')}; ${describeLiteral(value)} matches no customer`,
      );
    }
  }
}

function* conditionsOf(node: FilterExpression): Generator<FilterCondition> {
  if (node.kind === 'and' || node.kind === 'or') {
    for (const operand of node.operands) yield* conditionsOf(operand);
  } else if (node.kind === 'not') {
    yield* conditionsOf(node.operand);
  } else {
    yield node;
  }
}

/** The candidate within a small edit distance of `word`, if any. */
function closest(word: string, candidates: readonly string[]): string | null {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost);
    }
    row = next;
  }
  return row[b.length]!;
}
