import { describe, expect, it } from 'vitest';
import type { FilterExpression } from './filter-ast.js';
import { describeFilter } from './filter-describe.js';
import { parseFilter } from './filter-parser.js';

/** The canonical form: a compact way to assert the shape of the parsed tree. */
const canonical = (source: string) => describeFilter(parseFilter(source));

const attr = (key: string, position: number) => ({ kind: 'attribute', key, position }) as const;
const str = (value: string) => ({ type: 'string', value }) as const;

describe('filter parser', () => {
  it('parses the example from the incident runbook into a typed tree', () => {
    expect(parseFilter('plan = "shared" and server in ["web12", "web13"]')).toEqual({
      kind: 'and',
      operands: [
        { kind: 'compare', field: attr('plan', 0), operator: '=', value: str('shared') },
        {
          kind: 'in',
          field: attr('server', 20),
          values: [str('web12'), str('web13')],
          negated: false,
        },
      ],
    } satisfies FilterExpression);
  });

  it('parses every comparison operator with strings, numbers and booleans', () => {
    for (const op of ['=', '!=', '<', '<=', '>', '>=']) {
      expect(parseFilter(`since ${op} "2011-03-17"`)).toMatchObject({
        kind: 'compare',
        operator: op,
        value: str('2011-03-17'),
      });
      expect(parseFilter(`port ${op} -4.5e2`)).toMatchObject({
        operator: op,
        value: { type: 'number', value: -450 },
      });
    }
    expect(parseFilter('active = TRUE')).toMatchObject({ value: { type: 'boolean', value: true } });
    expect(parseFilter('active != false')).toMatchObject({
      operator: '!=',
      value: { type: 'boolean', value: false },
    });
    expect(parseFilter('n=1')).toMatchObject({ operator: '=', value: { value: 1 } });
    expect(parseFilter('n>=0')).toMatchObject({ operator: '>=', value: { value: 0 } });
    expect(parseFilter('n<-1')).toMatchObject({ operator: '<', value: { value: -1 } });
  });

  it('parses in, not in and lists of mixed literals', () => {
    expect(parseFilter('server not in ["web12", 13, true]')).toMatchObject({
      kind: 'in',
      negated: true,
      values: [str('web12'), { type: 'number', value: 13 }, { type: 'boolean', value: true }],
    });
    expect(parseFilter('x in [ "a" ]')).toMatchObject({ values: [str('a')] });
  });

  it('parses the text operators, has and exists, each with a not form', () => {
    expect(parseFilter('name contains "bakker"')).toMatchObject({
      kind: 'text',
      field: { kind: 'field', name: 'name' },
      operator: 'contains',
      value: 'bakker',
      negated: false,
    });
    expect(parseFilter('email STARTS   WITH "info@"')).toMatchObject({ operator: 'starts with' });
    expect(parseFilter('email ends with "@example.org"')).toMatchObject({ operator: 'ends with' });
    expect(parseFilter('server matches "web1?"')).toMatchObject({ operator: 'matches' });
    expect(parseFilter('name not contains "x"')).toMatchObject({ kind: 'text', negated: true });
    expect(parseFilter('domains has "a.nl"')).toMatchObject({
      kind: 'has',
      value: str('a.nl'),
      negated: false,
    });
    expect(parseFilter('ports not has 443')).toMatchObject({
      kind: 'has',
      value: { type: 'number', value: 443 },
      negated: true,
    });
    expect(parseFilter('since exists')).toMatchObject({ kind: 'exists', negated: false });
    expect(parseFilter('since NOT EXISTS')).toMatchObject({ kind: 'exists', negated: true });
  });

  it('gives not precedence over and, and and over or', () => {
    expect(canonical('a = 1 or b = 2 and c = 3')).toBe('a = 1 or b = 2 and c = 3');
    expect(parseFilter('a = 1 or b = 2 and c = 3')).toMatchObject({
      kind: 'or',
      operands: [{ kind: 'compare' }, { kind: 'and' }],
    });
    expect(parseFilter('not a = 1 and b = 2')).toMatchObject({
      kind: 'and',
      operands: [{ kind: 'not', operand: { kind: 'compare' } }, { kind: 'compare' }],
    });
    expect(canonical('(a = 1 or b = 2) and c = 3')).toBe('(a = 1 or b = 2) and c = 3');
    expect(canonical('not (a = 1 or b = 2)')).toBe('not (a = 1 or b = 2)');
    expect(canonical('not not a exists')).toBe('not not (a exists)');
  });

  it('flattens chains and redundant parentheses', () => {
    expect(parseFilter('a = 1 and (b = 2 and c = 3) and ((d = 4))')).toMatchObject({
      kind: 'and',
      operands: [{}, {}, {}, {}],
    });
    expect(parseFilter('(((a = 1)))')).toMatchObject({ kind: 'compare' });
  });

  it('treats keywords case-insensitively', () => {
    expect(canonical('a = 1 AND b = 2 Or NOT c In [1]')).toBe('a = 1 and b = 2 or not (c in [1])');
  });

  it('resolves built-in fields and normalises names the way the import does', () => {
    for (const name of ['external_id', 'email', 'name', 'language', 'street', 'city', 'country']) {
      expect(parseFilter(`${name} exists`)).toMatchObject({ field: { kind: 'field', name } });
    }
    expect(parseFilter('Postal-Code exists')).toMatchObject({
      field: { kind: 'field', name: 'postal_code' },
    });
    expect(parseFilter('Plan = "x"')).toMatchObject({ field: attr('plan', 0) });
    expect(parseFilter('web-server = "x"')).toMatchObject({ field: attr('web_server', 0) });
    expect(parseFilter('attributes.plan exists')).toMatchObject({ field: attr('plan', 0) });
    expect(parseFilter('attributes.2fa exists')).toMatchObject({ field: attr('2fa', 0) });
    expect(parseFilter('attributes.email exists')).toMatchObject({ field: attr('email', 0) });
    expect(parseFilter('attributes["Support Contract"] exists')).toMatchObject({
      field: attr('support_contract', 0),
    });
    expect(parseFilter(`attributes['say "hi"'] exists`)).toMatchObject({
      field: attr('say_"hi"', 0),
    });
    expect(parseFilter('attributes["and"] exists')).toMatchObject({ field: attr('and', 0) });
    expect(parseFilter('klant_sinds = "2011"')).toMatchObject({ field: attr('klant_sinds', 0) });
    expect(parseFilter('straße = "x"')).toMatchObject({ field: attr('straße', 0) });
  });

  it('decodes quoting and escapes in both quote styles', () => {
    const value = (source: string) => {
      const ast = parseFilter(`x = ${source}`);
      return ast.kind === 'compare' && ast.value.type === 'string' ? ast.value.value : null;
    };
    expect(value(`"it's"`)).toBe("it's");
    expect(value(`'say "hi"'`)).toBe('say "hi"');
    expect(value(`"a\\"b"`)).toBe('a"b');
    expect(value(`'a\\'b'`)).toBe("a'b");
    expect(value(`"back\\\\slash"`)).toBe('back\\slash');
    expect(value(`"tab\\there\\nnew\\r\\b\\f\\/"`)).toBe('tab\there\nnew\r\b\f/');
    expect(value(`"caf\\u00e9 \\ud83d\\ude00"`)).toBe('café 😀');
    expect(value(`"x' or 1=1 --"`)).toBe("x' or 1=1 --");
    expect(value(`""`)).toBe('');
    expect(value(`"  spaced  "`)).toBe('  spaced  ');
  });

  it('accepts any whitespace, including line breaks between tokens', () => {
    expect(canonical('plan = "shared"\n  and\tserver in [\n "web12",\n "web13"\n]\r\n')).toBe(
      'plan = "shared" and server in ["web12", "web13"]',
    );
  });

  it('records the position of every field and not', () => {
    const ast = parseFilter('not a = 1 and  bb exists');
    expect(ast).toMatchObject({
      operands: [
        { kind: 'not', position: 0, operand: { field: { position: 4 } } },
        { field: { position: 15 } },
      ],
    });
  });
});
