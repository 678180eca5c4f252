/**
 * Recursive-descent parser of the affected-set filter language; the grammar is in
 * docs/filter.md. Precedence: not > and > or. Every error names what was expected, what was
 * found and where.
 */
import { normaliseColumnName } from '../customer.js';
import {
  ATTRIBUTES_WORD,
  BUILTIN_FIELDS,
  FILTER_KEYWORDS,
  FILTER_LIMITS,
  type BuiltinField,
  type ComparisonOperator,
  type FieldReference,
  type FilterCondition,
  type FilterExpression,
  type FilterLimits,
  type FilterLiteral,
  type NumberLiteral,
  type StringLiteral,
  type TextOperator,
} from './filter-ast.js';
import { FilterSyntaxError, lineAndColumn } from './filter-errors.js';
import { FilterLexer, describeToken, type FilterSymbol, type FilterToken } from './filter-lexer.js';

/** Parses filter text into an AST; throws FilterSyntaxError with the position of the problem. */
export function parseFilter(source: string, limits: Partial<FilterLimits> = {}): FilterExpression {
  const l: FilterLimits = { ...FILTER_LIMITS, ...limits };
  if (source.length > l.maxLength) {
    throw new FilterSyntaxError({
      source,
      position: l.maxLength,
      expected: `at most ${l.maxLength} characters`,
      problem: `the filter is too long: ${source.length} characters, at most ${l.maxLength}`,
    });
  }
  if (source.trim() === '') {
    throw new FilterSyntaxError({
      source,
      position: 0,
      expected: 'a condition',
      problem: 'the filter is empty: expected a condition, such as plan = "shared"',
    });
  }
  return new Parser(new FilterLexer(source), l).parse();
}

const COMPARISONS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);
const ORDERING: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);
const OPERATORS =
  'an operator (=, !=, <, <=, >, >=, in, contains, starts with, ends with, matches, has, exists; not in, not contains… for the opposite)';
const VALUE = 'a value (a quoted string, a number, true or false)';

function isWord(token: FilterToken, word: string): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === word;
}

function isSymbol(token: FilterToken, symbol: FilterSymbol): boolean {
  return token.kind === 'symbol' && token.text === symbol;
}

/** Joins operands, splicing in nested operands of the same kind: `a and (b and c)` is flat. */
function combine(kind: 'and' | 'or', operands: FilterExpression[]): FilterExpression {
  if (operands.length === 1) return operands[0]!;
  return { kind, operands: operands.flatMap((o) => (o.kind === kind ? o.operands : [o])) };
}

class Parser {
  private depth = 0;
  private previous: FilterToken | null = null;
  private beforePrevious: FilterToken | null = null;

  constructor(
    private readonly lexer: FilterLexer,
    private readonly limits: FilterLimits,
  ) {}

  parse(): FilterExpression {
    const expression = this.parseOr();
    const token = this.lexer.peek();
    if (token.kind === 'end') return expression;
    if (isSymbol(token, ')')) {
      this.fail(token, 'the end of the filter', {
        problem: 'unbalanced ")": there is no "(" for it to close',
      });
    }
    return this.fail(token, 'and, or or the end of the filter', {
      hint: 'join conditions with and / or',
    });
  }

  private parseOr(): FilterExpression {
    const operands = [this.parseAnd()];
    while (isWord(this.lexer.peek(), 'or')) {
      this.next();
      operands.push(this.parseAnd());
    }
    return combine('or', operands);
  }

  private parseAnd(): FilterExpression {
    const operands = [this.parseUnary()];
    while (isWord(this.lexer.peek(), 'and')) {
      this.next();
      operands.push(this.parseUnary());
    }
    return combine('and', operands);
  }

  private parseUnary(): FilterExpression {
    const token = this.lexer.peek();
    if (isWord(token, 'not')) {
      this.enter(this.next());
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'not', operand, position: token.position };
    }
    if (isSymbol(token, '(')) {
      this.enter(this.next());
      const inner = this.parseOr();
      const close = this.lexer.peek();
      if (!isSymbol(close, ')')) {
        this.fail(close, `and, or or ")" to close the "(" at ${this.where(token.position)}`);
      }
      this.next();
      this.depth--;
      return inner;
    }
    if (token.kind !== 'word') {
      return this.fail(token, `a condition (a field name, not or "(")${this.after()}`, {
        hint:
          token.kind === 'string'
            ? 'field names are not quoted; for a name with spaces write attributes["…"]'
            : undefined,
      });
    }
    return this.parseCondition(this.parseField());
  }

  private parseField(): FieldReference {
    const token = this.next();
    const word = token.text.toLowerCase();
    if (FILTER_KEYWORDS.has(word)) {
      this.fail(token, `a field name${this.after(token)}`, {
        found: `the keyword "${token.text}"`,
        hint: `for an attribute with that name write attributes.${word}`,
      });
    }
    if (word !== ATTRIBUTES_WORD) {
      const name = normaliseColumnName(token.text);
      return (BUILTIN_FIELDS as readonly string[]).includes(name)
        ? { kind: 'field', name: name as BuiltinField, position: token.position }
        : { kind: 'attribute', key: name, position: token.position };
    }
    const next = this.next();
    let raw: string;
    let keyToken: FilterToken;
    if (isSymbol(next, '.')) {
      keyToken = this.next();
      if (keyToken.kind !== 'word' || keyToken.position !== next.position + 1) {
        this.fail(keyToken, 'an attribute name right after "attributes."');
      }
      raw = keyToken.text;
    } else if (isSymbol(next, '[')) {
      keyToken = this.next();
      if (keyToken.kind !== 'string') {
        this.fail(keyToken, 'a quoted attribute name after "attributes["', {
          hint: 'write attributes["name with spaces"]',
        });
      }
      raw = keyToken.value;
      const close = this.next();
      if (!isSymbol(close, ']')) this.fail(close, '"]" after the attribute name');
    } else {
      return this.fail(
        next,
        '"." or "[" after "attributes" (attributes.plan or attributes["plan"])',
      );
    }
    // The import stores names normalised (`Support Contract` → `support_contract`), so the
    // filter looks them up the same way.
    const key = normaliseColumnName(raw);
    if (key === '') {
      this.fail(keyToken, 'an attribute name', { problem: 'the attribute name is empty' });
    }
    return { kind: 'attribute', key, position: token.position };
  }

  private parseCondition(field: FieldReference): FilterCondition {
    const token = this.next();
    if (token.kind === 'symbol' && COMPARISONS.has(token.text)) {
      const operator = token.text as ComparisonOperator;
      if (isSymbol(this.lexer.peek(), '[')) {
        this.fail(this.lexer.peek(), `a single value after "${operator}"`, {
          hint: 'to compare with a list write in [...] or not in [...]',
        });
      }
      const valueToken = this.lexer.peek();
      const value = this.parseLiteral();
      if (ORDERING.has(operator) && value.type === 'boolean') {
        this.fail(valueToken, `a number or a string after "${operator}"`, {
          problem: `"${operator}" compares numbers or text, not true or false`,
        });
      }
      return { kind: 'compare', field, operator, value };
    }
    const word = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (word === 'not') {
      const negated = this.next();
      const what = negated.kind === 'word' ? negated.text.toLowerCase() : '';
      if (!['in', 'exists', 'contains', 'starts', 'ends', 'matches', 'has'].includes(what)) {
        this.fail(
          negated,
          'in, exists, contains, starts with, ends with, matches or has after "not"',
        );
      }
      return this.parseKeywordCondition(field, what, true);
    }
    if (['in', 'exists', 'contains', 'starts', 'ends', 'matches', 'has'].includes(word)) {
      return this.parseKeywordCondition(field, word, false);
    }
    return this.fail(token, `${OPERATORS}${this.after(token)}`, {
      hint: word === 'is' ? 'for a missing value write not exists; to compare write =' : undefined,
    });
  }

  private parseKeywordCondition(
    field: FieldReference,
    word: string,
    negated: boolean,
  ): FilterCondition {
    switch (word) {
      case 'in':
        return { kind: 'in', field, values: this.parseList(), negated };
      case 'exists':
        return { kind: 'exists', field, negated };
      case 'has': {
        const token = this.next();
        if (token.kind !== 'string' && token.kind !== 'number') {
          this.fail(token, `a quoted string or a number after "has"`, this.quoteHint(token));
        }
        const value: StringLiteral | NumberLiteral =
          token.kind === 'string'
            ? { type: 'string', value: token.value }
            : { type: 'number', value: token.value };
        return { kind: 'has', field, value, negated };
      }
      default: {
        let operator = word as TextOperator;
        if (word === 'starts' || word === 'ends') {
          const withToken = this.next();
          if (!isWord(withToken, 'with')) this.fail(withToken, `"with" after "${word}"`);
          operator = `${word} with`;
        }
        const token = this.next();
        if (token.kind !== 'string') {
          this.fail(token, `a quoted string after "${operator}"`, this.quoteHint(token));
        }
        return { kind: 'text', field, operator, value: token.value, negated };
      }
    }
  }

  private parseList(): FilterLiteral[] {
    const open = this.next();
    if (!isSymbol(open, '[')) {
      this.fail(open, `a list in square brackets after "in", such as ["web12", "web13"]`);
    }
    if (isSymbol(this.lexer.peek(), ']')) {
      this.fail(this.lexer.peek(), 'at least one value in the list', {
        problem: 'the list is empty: give at least one value',
      });
    }
    const values: FilterLiteral[] = [];
    for (;;) {
      if (values.length >= this.limits.maxListSize) {
        this.fail(this.lexer.peek(), `at most ${this.limits.maxListSize} values in a list`, {
          problem: `the list is too long: at most ${this.limits.maxListSize} values`,
        });
      }
      values.push(this.parseLiteral());
      const separator = this.next();
      if (isSymbol(separator, ']')) return values;
      if (!isSymbol(separator, ',')) {
        this.fail(
          separator,
          `"," or "]" to close the list opened at ${this.where(open.position)}`,
          {
            hint:
              separator.kind === 'string' || separator.kind === 'number'
                ? 'separate values with commas'
                : undefined,
          },
        );
      }
    }
  }

  private parseLiteral(): FilterLiteral {
    const token = this.next();
    if (token.kind === 'string') return { type: 'string', value: token.value };
    if (token.kind === 'number') return { type: 'number', value: token.value };
    if (isWord(token, 'true')) return { type: 'boolean', value: true };
    if (isWord(token, 'false')) return { type: 'boolean', value: false };
    return this.fail(token, `${VALUE}${this.after(token)}`, this.quoteHint(token));
  }

  private quoteHint(token: FilterToken): { hint?: string } {
    return token.kind === 'word' || token.kind === 'number'
      ? { hint: `put text in quotes: "${token.text}"` }
      : {};
  }

  private next(): FilterToken {
    const token = this.lexer.next();
    this.beforePrevious = this.previous;
    this.previous = token;
    return token;
  }

  /** ` after "x"`, naming the token consumed before `token` (default: the last one consumed). */
  private after(token?: FilterToken): string {
    const before = token && token === this.previous ? this.beforePrevious : this.previous;
    return before && before.kind !== 'end' ? ` after "${before.text}"` : '';
  }

  private enter(token: FilterToken): void {
    this.depth++;
    if (this.depth > this.limits.maxDepth) {
      this.fail(token, `at most ${this.limits.maxDepth} levels of nesting`, {
        problem: `the filter nests too deeply: at most ${this.limits.maxDepth} levels of parentheses and not`,
      });
    }
  }

  private where(position: number): string {
    const { line, column } = lineAndColumn(this.lexer.source, position);
    return this.lexer.source.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  }

  private fail(
    token: FilterToken,
    expected: string,
    extra: { found?: string; problem?: string; hint?: string | undefined } = {},
  ): never {
    const { found = describeToken(token), problem, hint } = extra;
    return this.lexer.fail(token.position, expected, found, { problem, hint });
  }
}
