import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { FilterSyntaxError, lineAndColumn, renderPointer } from './filter-errors.js';
import { parseFilter } from './filter-parser.js';

/** The error parseFilter throws for `source` (fails the test if it parses). */
function errorOf(source: string, limits = {}): FilterSyntaxError {
  try {
    parseFilter(source, limits);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${source}`);
}

describe('filter syntax errors', () => {
  it('points a caret at the problem and names what was expected', () => {
    const error = errorOf('plan = "shared" and sever in ["web12"');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.name).toBe('FilterSyntaxError');
    expect(error.position).toBe(37);
    expect([error.line, error.column]).toEqual([1, 38]);
    expect(error.expected).toBe('"," or "]" to close the list opened at column 30');
    expect(error.found).toBe('the end of the filter');
    expect(error.message).toBe(
      'expected "," or "]" to close the list opened at column 30, found the end of the filter (at column 38)',
    );
    expect(error.pointer()).toBe(
      ['plan = "shared" and sever in ["web12"', '                                     ^'].join(
        '\n',
      ),
    );
    expect(error.errors).toEqual([{ field: 'filter', message: error.message }]);
  });

  it.each([
    ['', 0, /^the filter is empty/],
    ['   \n ', 0, /^the filter is empty/],
    ['plan =', 6, /^expected a value .* after "=", found the end of the filter/],
    [
      'plan = "shared" and',
      19,
      /^expected a condition .* after "and", found the end of the filter/,
    ],
    ['plan = "shared" or ', 19, /^expected a condition .* after "or", found the end of the filter/],
    ['not', 3, /^expected a condition .* after "not"/],
    ['plan', 4, /^expected an operator .* after "plan", found the end/],
    ['plan "shared"', 5, /^expected an operator .* found the string "shared"/],
    ['plan in', 7, /^expected a list in square brackets after "in"/],
    ['plan starts "x"', 12, /^expected "with" after "starts", found the string "x"/],
    [
      'plan contains shared',
      14,
      /^expected a quoted string after "contains", found "shared".*put text in quotes: "shared"/,
    ],
    ['plan has', 8, /^expected a quoted string or a number after "has"/],
    ['plan not = "x"', 9, /^expected in, exists, contains.* after "not", found "="/],
    ['plan = shared', 7, /^expected a value .*found "shared".*put text in quotes: "shared"/],
    ['plan = ["a"]', 7, /^expected a single value after "=".*in \[\.\.\.\]/],
    ['plan < true', 7, /^"<" compares numbers or text, not true or false/],
    ['(plan = "x"', 11, /^expected and, or or "\)" to close the "\(" at column 1, found the end/],
    ['((plan = "x")', 13, /^expected and, or or "\)" to close the "\(" at column 1/],
    ['plan = "x")', 10, /^unbalanced "\)": there is no "\(" for it to close/],
    ['()', 1, /^expected a condition .* found "\)"/],
    ['plan = "x" server = "y"', 11, /^expected and, or or the end of the filter, found "server"/],
    ['x in []', 6, /^the list is empty/],
    [
      'x in ["a" "b"]',
      10,
      /^expected "," or "\]" .*found the string "b".*separate values with commas/,
    ],
    ['x in ["a",]', 10, /^expected a value .* after ",", found "\]"/],
    ['x in ["a",,"b"]', 10, /^expected a value .* after ",", found ","/],
    ['x in ["a"', 9, /^expected "," or "\]" to close the list opened at column 6/],
    ['x in "a", "b"', 5, /^expected a list in square brackets/],
    ['x = "abc', 4, /^unterminated string: expected a closing "/],
    ['x = \'abc" and y = 1', 4, /^unterminated string: expected a closing '/],
    ['x = "ab\nc"', 4, /^unterminated string/],
    ['x = "a\\qb"', 6, /^expected a known escape .* found "\\q"/],
    ['x = "\\u12"', 5, /^expected four hex digits after \\u/],
    ['x = "\\u0000"', 4, /cannot contain U\+0000/],
    ['x = "\\ud800"', 4, /half of a \\u surrogate pair/],
    ['x = 007', 4, /^a number cannot start with 0 \(007\).*quote it: "007"/],
    ['x = 1.', 5, /^expected digits after the decimal point/],
    ['x = 12abc', 4, /^a name cannot start with a digit/],
    ['x = 1e999', 4, /out of range/],
    ['x == 1', 2, /^"==" is not part of the filter language.*use =/],
    ['x <> 1', 2, /^"<>" is not part of the filter language.*use !=/],
    ['a = 1 && b = 2', 6, /use and/],
    ['a = 1 || b = 2', 6, /use or/],
    ['!a exists', 0, /use not/],
    ['x = \u201cy\u201d', 4, /straight quotes/],
    ['x = 1 ; y = 2', 6, /^expected a field name, a value or an operator, found the character ";"/],
    ['x is null', 2, /^expected an operator.*write not exists/],
    ['and = 1', 0, /^expected a field name, found the keyword "and".*attributes\.and/],
    ['x = 1 and or = 2', 10, /^expected a field name after "and", found the keyword "or"/],
    ['attributes = 1', 11, /^expected "\." or "\[" after "attributes"/],
    ['attributes. plan = 1', 12, /^expected an attribute name right after "attributes\."/],
    ['attributes[plan] = 1', 11, /^expected a quoted attribute name after "attributes\["/],
    ['attributes["plan" = 1', 18, /^expected "\]" after the attribute name/],
    ['attributes["  "] = 1', 11, /^the attribute name is empty/],
    ['"plan" = "x"', 0, /field names are not quoted/],
  ])('rejects %j at %i', (source, position, message) => {
    const error = errorOf(source);
    expect(error.message).toMatch(message);
    expect(error.position).toBe(position);
  });

  it('reports line and column in a multi-line filter and points into that line', () => {
    const error = errorOf('plan = "shared"\n  and server in ["web12" "web13"]');
    expect([error.position, error.line, error.column]).toEqual([41, 2, 26]);
    expect(error.message).toContain('(at line 2, column 26)');
    expect(error.message).toContain('opened at line 2, column 17');
    expect(error.pointer()).toBe(
      ['  and server in ["web12" "web13"]', `${' '.repeat(25)}^`].join('\n'),
    );
  });

  it('reports the left-most problem first', () => {
    expect(errorOf('x = = "abc').position).toBe(4);
    expect(errorOf('x = "abc" = "def').position).toBe(10);
  });
});

describe('filter limits', () => {
  it('rejects a filter longer than 4,000 characters, pointing at the first extra one', () => {
    const source = `plan in [${Array.from({ length: 800 }, (_, i) => `"s${i}"`).join(',')}]`;
    expect(source.length).toBeGreaterThan(4_000);
    const error = errorOf(source);
    expect(error.message).toMatch(/^the filter is too long: \d+ characters, at most 4000/);
    expect(error.position).toBe(4_000);
    expect(() => parseFilter(source.slice(0, 3_990).replace(/,"[^"]*$/, ']'))).not.toThrow();
  });

  it('rejects a list of more than 10,000 values at the first value too many', () => {
    const values = Array.from({ length: 10_001 }, (_, i) => String(i));
    const source = `n in [${values.join(',')}]`;
    const error = errorOf(source, { maxLength: 100_000 });
    expect(error.message).toMatch(/^the list is too long: at most 10000 values/);
    expect(error.position).toBe(source.lastIndexOf(',') + 1);
    expect(() =>
      parseFilter(`n in [${values.slice(1).join(',')}]`, { maxLength: 100_000 }),
    ).not.toThrow();
  });

  it('rejects nesting deeper than 50 parentheses or nots, without exhausting the stack', () => {
    const parens = (n: number) => `${'('.repeat(n)}a = 1${')'.repeat(n)}`;
    expect(() => parseFilter(parens(50))).not.toThrow();
    const error = errorOf(parens(51));
    expect(error.message).toMatch(/^the filter nests too deeply: at most 50 levels/);
    expect(error.position).toBe(50);
    expect(errorOf(`${'not '.repeat(51)}a = 1`).position).toBe(200);
    expect(errorOf(`${'not ('.repeat(26)}a = 1${')'.repeat(26)}`).position).toBe(125);
    expect(errorOf('('.repeat(3_999)).message).toMatch(/nests too deeply/);
  });

  it('takes smaller limits from the caller', () => {
    expect(errorOf('x in [1, 2, 3]', { maxListSize: 2 }).position).toBe(12);
    expect(errorOf('x = 1', { maxLength: 3 }).position).toBe(3);
    expect(errorOf('not x exists', { maxDepth: 0 }).position).toBe(0);
  });
});

describe('pointer rendering', () => {
  it('puts the caret at the start, the end and past the end of a line', () => {
    expect(renderPointer('abc', 0)).toBe('abc\n^');
    expect(renderPointer('abc', 3)).toBe('abc\n   ^');
    expect(renderPointer('ab\ncd', 2)).toBe('ab\n  ^');
    expect(renderPointer('ab\ncd', 3)).toBe('cd\n^');
    expect(renderPointer('\nab', 0)).toBe('\n^');
  });

  it('keeps the caret aligned after tabs and characters outside the BMP', () => {
    expect(renderPointer('\tx = 😀 and', 8)).toBe(' x = 😀 and\n       ^');
  });

  it('cuts a long line to a window around the caret', () => {
    const line = `${'a'.repeat(200)}X${'b'.repeat(200)}`;
    const [text, caret] = renderPointer(line, 200).split('\n');
    expect(text).toBe(`…${'a'.repeat(60)}X${'b'.repeat(59)}…`);
    expect(caret).toBe(`${' '.repeat(61)}^`);
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('a\nbc\nd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('a\nbc\nd', 3)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('a\nbc\nd', 5)).toEqual({ line: 3, column: 1 });
  });
});
