/**
 * The typed AST of an affected-set filter (see docs/filter.md). The parser builds it, the
 * store compiles it to SQL, describeFilter prints it back; nothing else interprets filter
 * text, so the grammar lives in exactly one place.
 */
import { CUSTOMER_FIELDS, type CustomerField } from '../customer.js';

/** The registry's own columns; every other name in a filter is a free attribute. */
export const BUILTIN_FIELDS = CUSTOMER_FIELDS;
export type BuiltinField = CustomerField;

/** Abuse limits: a filter is typed or pasted by a person, never megabytes. */
export interface FilterLimits {
  /** Characters in the filter text. */
  maxLength: number;
  /** Values in one `in [...]` list. */
  maxListSize: number;
  /** Nested parentheses and `not`s. */
  maxDepth: number;
}

/** The limits parseFilter applies unless told otherwise. */
export const FILTER_LIMITS: Readonly<FilterLimits> = Object.freeze({
  maxLength: 4_000,
  maxListSize: 10_000,
  maxDepth: 50,
});

/** A built-in column or an attribute key; `position` is where it starts in the filter text. */
export type FieldReference =
  | { kind: 'field'; name: BuiltinField; position: number }
  | { kind: 'attribute'; key: string; position: number };

export interface StringLiteral {
  type: 'string';
  value: string;
}
export interface NumberLiteral {
  type: 'number';
  value: number;
}
export interface BooleanLiteral {
  type: 'boolean';
  value: boolean;
}
export type FilterLiteral = StringLiteral | NumberLiteral | BooleanLiteral;

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
/** Case-insensitive text tests; `matches` takes a glob with `*` and `?`. */
export type TextOperator = 'contains' | 'starts with' | 'ends with' | 'matches';

/** `field = value`, `field < value`…; `!=` is exactly `not (field = value)`. */
export interface ComparisonExpression {
  kind: 'compare';
  field: FieldReference;
  operator: ComparisonOperator;
  value: FilterLiteral;
}

/** `field in [...]` or `field not in [...]`. */
export interface InExpression {
  kind: 'in';
  field: FieldReference;
  values: FilterLiteral[];
  negated: boolean;
}

/** `field contains "x"`, `starts with`, `ends with`, `matches`, each optionally negated. */
export interface TextExpression {
  kind: 'text';
  field: FieldReference;
  operator: TextOperator;
  value: string;
  negated: boolean;
}

/** `field has "x"`: x is an element of a list value (JSON array, or text split on `;`/`,`). */
export interface HasExpression {
  kind: 'has';
  field: FieldReference;
  value: StringLiteral | NumberLiteral;
  negated: boolean;
}

/** `field exists` / `field not exists`: present and not empty. */
export interface ExistsExpression {
  kind: 'exists';
  field: FieldReference;
  negated: boolean;
}

export interface AndExpression {
  kind: 'and';
  operands: FilterExpression[];
}
export interface OrExpression {
  kind: 'or';
  operands: FilterExpression[];
}
export interface NotExpression {
  kind: 'not';
  operand: FilterExpression;
  position: number;
}

/** A condition on a single field. */
export type FilterCondition =
  ComparisonExpression | InExpression | TextExpression | HasExpression | ExistsExpression;

/** A parsed filter. `and`/`or` are n-ary and never directly contain their own kind. */
export type FilterExpression = AndExpression | OrExpression | NotExpression | FilterCondition;

/** Words with a meaning in the grammar; compared case-insensitively. */
export const FILTER_KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'or',
  'not',
  'in',
  'contains',
  'starts',
  'ends',
  'with',
  'matches',
  'has',
  'exists',
  'true',
  'false',
]);

/** The word that introduces `attributes.key` and `attributes["key"]`. */
export const ATTRIBUTES_WORD = 'attributes';
