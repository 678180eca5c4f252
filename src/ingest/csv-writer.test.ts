import { describe, expect, it } from 'vitest';
import { csvRecord } from './csv-writer.js';

describe('csvRecord', () => {
  it('joins plain fields and ends the record with a bare LF', () => {
    expect(csvRecord(['C0000001', 'Jan de Vries', 'nl'])).toBe('C0000001,Jan de Vries,nl\n');
  });

  it('writes null, undefined and empty strings as empty fields', () => {
    expect(csvRecord([null, 'a', undefined, '', 'b'])).toBe(',a,,,b\n');
    expect(csvRecord([])).toBe('\n');
  });

  it('quotes fields containing the delimiter', () => {
    expect(csvRecord(['Jansen, Piet', 'x'])).toBe('"Jansen, Piet",x\n');
  });

  it('quotes and doubles embedded quotes', () => {
    expect(csvRecord(['Café "De Zwaan"'])).toBe('"Café ""De Zwaan"""\n');
    expect(csvRecord(['"'])).toBe('""""\n');
  });

  it('quotes embedded newlines and carriage returns, keeping them as they are', () => {
    expect(csvRecord(['Kerkstraat 1\n1234 AB', 'x'])).toBe('"Kerkstraat 1\n1234 AB",x\n');
    expect(csvRecord(['a\r\nb'])).toBe('"a\r\nb"\n');
    expect(csvRecord(['a\rb'])).toBe('"a\rb"\n');
  });

  it('quotes leading and trailing spaces so readers that trim cannot change the value', () => {
    expect(csvRecord([' leading', 'trailing ', 'in side'])).toBe(
      '" leading","trailing ",in side\n',
    );
  });

  it('only quotes for the delimiter actually in use', () => {
    const fields = ['a,b', 'c;d', 'e\tf'];
    expect(csvRecord(fields)).toBe('"a,b",c;d,e\tf\n');
    expect(csvRecord(fields, { delimiter: ';' })).toBe('a,b;"c;d";e\tf\n');
    expect(csvRecord(fields, { delimiter: '\t' })).toBe('a,b\tc;d\t"e\tf"\n');
  });

  it('quotes leading/trailing tabs for comma and semicolon delimiters', () => {
    expect(csvRecord(['\tx', 'y\t'], { delimiter: ';' })).toBe('"\tx";"y\t"\n');
  });

  it('leaves formula-like cells alone unless asked to neutralise them', () => {
    expect(csvRecord(['=1+2', '-5'])).toBe('=1+2,-5\n');
  });

  describe('with neutraliseFormulas', () => {
    const neutralise = { neutraliseFormulas: true } as const;

    it.each([
      ['=', '=SUM(A1:A2)', "'=SUM(A1:A2)"],
      ['+', '+31 20 123 4567', "'+31 20 123 4567"],
      ['-', '-2+3', "'-2+3"],
      ['@', '@SUM(A1)', "'@SUM(A1)"],
    ])('prefixes a cell starting with %s', (_trigger, input, expected) => {
      expect(csvRecord([input], neutralise)).toBe(`${expected}\n`);
    });

    it('prefixes a cell starting with a tab (and quotes it for the leading whitespace)', () => {
      expect(csvRecord(['\t=1+2'], neutralise)).toBe("'\t=1+2\n");
      expect(csvRecord(['\t=1+2'], { ...neutralise, delimiter: '\t' })).toBe(`"'\t=1+2"\n`);
    });

    it('prefixes a cell starting with a carriage return, inside the quotes', () => {
      expect(csvRecord(['\r=1+2'], neutralise)).toBe(`"'\r=1+2"\n`);
    });

    it('puts the prefix inside the quotes when the cell also needs quoting', () => {
      expect(csvRecord(['=HYPERLINK("http://x.example","klik")'], neutralise)).toBe(
        `"'=HYPERLINK(""http://x.example"",""klik"")"\n`,
      );
    });

    it('also neutralises harmless values such as "-" and negative numbers, by design', () => {
      // Intended: the rule is OWASP's plain prefix rule with no exceptions, so a lone dash
      // or an amount like -12.50 shows up as text in the spreadsheet.
      expect(csvRecord(['-'], neutralise)).toBe("'-\n");
      expect(csvRecord(['-12.50'], neutralise)).toBe("'-12.50\n");
    });

    it('does not touch triggers that are not the first character, or a leading space', () => {
      expect(csvRecord(['a=b', 'x-y', 'mail@example.com', ' =1'], neutralise)).toBe(
        'a=b,x-y,mail@example.com," =1"\n',
      );
    });

    it('keeps empty and missing fields empty', () => {
      expect(csvRecord(['', null, undefined], neutralise)).toBe(',,\n');
    });
  });
});
