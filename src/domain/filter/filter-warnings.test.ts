import { describe, expect, it } from 'vitest';
import { renderPointer } from './filter-errors.js';
import { parseFilter } from './filter-parser.js';
import { filterWarnings } from './filter-warnings.js';

const KEYS = ['plan', 'server', 'domains', 'since'];

describe('filter warnings', () => {
  it('names an attribute that no customer has, with a suggestion, at its position', () => {
    const source = 'plan = "shared" and sever in ["web12"]';
    const warnings = filterWarnings(parseFilter(source), { attributeKeys: KEYS });
    expect(warnings).toEqual([
      { message: 'no customer has the attribute "sever" (did you mean server?)', position: 20 },
    ]);
    expect(renderPointer(source, warnings[0]!.position)).toBe(`${source}\n${' '.repeat(20)}^`);
    expect(filterWarnings(parseFilter('colour exists'), { attributeKeys: KEYS })).toEqual([
      { message: 'no customer has the attribute "colour"', position: 0 },
    ]);
  });

  it('checks attribute names only when the caller knows them', () => {
    expect(filterWarnings(parseFilter('sever = "x"'))).toEqual([]);
  });

  it('warns about language values other than nl and en', () => {
    expect(filterWarnings(parseFilter('language = "de"'))).toEqual([
      { message: 'language is always one of nl, en; "de" matches no customer', position: 0 },
    ]);
    expect(
      filterWarnings(parseFilter('language in ["nl", "NL", 1]')).map((w) => w.message),
    ).toEqual([
      'language is always one of nl, en; "NL" matches no customer',
      'language is always one of nl, en; 1 matches no customer',
    ]);
    expect(filterWarnings(parseFilter('language != "en" or language in ["nl"]'))).toEqual([]);
  });

  it('warns when a built-in field is written as an attribute', () => {
    expect(filterWarnings(parseFilter('not attributes.email exists'))).toEqual([
      {
        message:
          'attributes.email is a free attribute, which imports never create; the built-in field is email',
        position: 4,
      },
    ]);
  });
});
