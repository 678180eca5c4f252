import { describe, expect, it } from 'vitest';
import type { FilterExpression } from './filter-ast.js';
import { describeField, describeFilter } from './filter-describe.js';
import { parseFilter } from './filter-parser.js';

/** The tree without source positions, which the canonical text does not preserve. */
function shape(ast: FilterExpression): unknown {
  return JSON.parse(
    JSON.stringify(ast, (key, value: unknown) => (key === 'position' ? undefined : value)),
  );
}

describe('describeFilter', () => {
  it.each([
    [
      'plan = "shared" and server in ["web12","web13"]',
      'plan = "shared" and server in ["web12", "web13"]',
    ],
    [
      "PLAN='shared'  AND  NOT  server   IN['web12']",
      'plan = "shared" and not (server in ["web12"])',
    ],
    ['a = 1 or (b = 2 and c = 3)', 'a = 1 or b = 2 and c = 3'],
    ['(a = 1 or b = 2) and c = 3', '(a = 1 or b = 2) and c = 3'],
    ['not (a = 1 and b = 2) or c exists', 'not (a = 1 and b = 2) or c exists'],
    ['x not in [1, -2.5, 1e21, true]', 'x not in [1, -2.5, 1e+21, true]'],
    ['x != false', 'x != false'],
    ['name contains "Bak\\"ker"', 'name contains "Bak\\"ker"'],
    ["email not ends with '@example.org'", 'email not ends with "@example.org"'],
    ['server matches "web*"', 'server matches "web*"'],
    ["domains has 'a.nl'", 'domains has "a.nl"'],
    ['ports not has 443', 'ports not has 443'],
    ['since not exists', 'since not exists'],
    ['x = "tab\\tnew\\nline\\u0001"', 'x = "tab\\tnew\\nline\\u0001"'],
  ])('prints %j as %j', (source, expected) => {
    expect(describeFilter(parseFilter(source))).toBe(expected);
  });

  it('writes attribute names so that they read back as the same attribute', () => {
    const field = (key: string) => describeField({ kind: 'attribute', key, position: 0 });
    expect(field('plan')).toBe('plan');
    expect(field('web_server')).toBe('web_server');
    expect(field('2fa')).toBe('attributes.2fa');
    expect(field('and')).toBe('attributes.and');
    expect(field('email')).toBe('attributes.email');
    expect(field('attributes')).toBe('attributes.attributes');
    expect(field('say_"hi"')).toBe('attributes["say_\\"hi\\""]');
    expect(field('a.b')).toBe('attributes["a.b"]');
    expect(describeField({ kind: 'field', name: 'postal_code', position: 0 })).toBe('postal_code');
  });

  it('round-trips: parsing the canonical text gives the same tree', () => {
    const sources = [
      'plan = "shared" and server in ["web12", "web13"] or not (domains has "a.nl" and since < "2012")',
      'not not (a = 1 or b = 2) and not c exists',
      'attributes["it\'s"] = \'x\' and attributes.2fa = true and attributes["a.b"] != -0.5',
      'attributes["email"] exists or email ends with "@example.org" or attributes.in = 1',
      'x matches "a*b?" and y not starts with "\\\\" and z not contains "\\u00e9"',
    ];
    for (const source of sources) {
      const ast = parseFilter(source);
      const text = describeFilter(ast);
      expect(shape(parseFilter(text))).toEqual(shape(ast));
      expect(describeFilter(parseFilter(text))).toBe(text);
    }
  });
});
