import { normaliseColumnName } from '../customer.js';
import {
  ATTRIBUTES_WORD,
  BUILTIN_FIELDS,
  FILTER_KEYWORDS,
  type FieldReference,
  type FilterExpression,
  type FilterLiteral,
} from './filter-ast.js';

const BARE = /^[\p{L}_][\p{L}\p{M}\p{N}_-]*$/u;
const DOTTED = /^[\p{L}\p{M}\p{N}_-]+$/u;

/**
 * The canonical text of a filter, for display and the audit log: lower-case keywords,
 * double-quoted strings, `not (…)` always parenthesised, parentheses elsewhere only where
 * precedence needs them. Parsing the result gives the same AST back.
 */
export function describeFilter(ast: FilterExpression): string {
  return print(ast, 0);
}

/** A field as it would be written: `plan`, `attributes.2fa`, `attributes["a b"]`. */
export function describeField(field: FieldReference): string {
  if (field.kind === 'field') return field.name;
  const { key } = field;
  // A bare name must read back as this attribute: not a keyword, built-in or `attributes`.
  const reparses = normaliseColumnName(key) === key;
  if (
    reparses &&
    BARE.test(key) &&
    !FILTER_KEYWORDS.has(key) &&
    key !== ATTRIBUTES_WORD &&
    !(BUILTIN_FIELDS as readonly string[]).includes(key)
  ) {
    return key;
  }
  if (reparses && DOTTED.test(key)) return `${ATTRIBUTES_WORD}.${key}`;
  return `${ATTRIBUTES_WORD}[${JSON.stringify(key)}]`;
}

/** A literal as it would be written: `"shared"`, `42`, `true`. */
export function describeLiteral(literal: FilterLiteral): string {
  if (literal.type === 'string') return JSON.stringify(literal.value);
  return String(literal.value);
}

// Binding strength: or < and < not < a condition.
const OR = 1;
const AND = 2;
const NOT = 3;

function print(node: FilterExpression, context: number): string {
  switch (node.kind) {
    case 'or':
      return wrap(node.operands.map((o) => print(o, OR)).join(' or '), context > OR);
    case 'and':
      return wrap(node.operands.map((o) => print(o, AND)).join(' and '), context > AND);
    case 'not':
      // Always in parentheses: `not plan = "x"` is valid but reads as if `not` bound to `plan`.
      return `not ${node.operand.kind === 'not' ? print(node.operand, NOT) : `(${print(node.operand, 0)})`}`;
    case 'compare':
      return `${describeField(node.field)} ${node.operator} ${describeLiteral(node.value)}`;
    case 'in':
      return `${describeField(node.field)} ${node.negated ? 'not in' : 'in'} [${node.values
        .map(describeLiteral)
        .join(', ')}]`;
    case 'text':
    case 'has':
      return `${describeField(node.field)} ${node.negated ? 'not ' : ''}${
        node.kind === 'has' ? 'has' : node.operator
      } ${node.kind === 'has' ? describeLiteral(node.value) : JSON.stringify(node.value)}`;
    case 'exists':
      return `${describeField(node.field)} ${node.negated ? 'not exists' : 'exists'}`;
  }
}

function wrap(text: string, parenthesise: boolean): string {
  return parenthesise ? `(${text})` : text;
}
