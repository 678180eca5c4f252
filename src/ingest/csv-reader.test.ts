import { describe, expect, it } from 'vitest';
import type { CsvLimits } from './csv-reader.js';
import { CsvParser } from './csv-reader.js';
import type { CsvDelimiter } from './format-detect.js';
import type { SourceRecord } from './source-record.js';
import { INVALID_UTF8_REASON } from './source-record.js';

function parse(
  chunks: string[],
  delimiter: CsvDelimiter = ',',
  limits?: Partial<CsvLimits>,
): SourceRecord[] {
  const parser = new CsvParser({ delimiter, checkUtf8: true, limits });
  const out: SourceRecord[] = [];
  for (const chunk of chunks) parser.push(chunk, out);
  parser.end(out);
  return out;
}

function csv(line: number, raw: string, fields: string[]): SourceRecord {
  return { line, raw, kind: 'csv', fields };
}

function quoting(line: number, raw: string, column: number, problem: string): SourceRecord {
  const reason = `malformed quoting in column ${column}: ${problem}`;
  return { line, raw, kind: 'error', reason, column };
}

/** Every way of cutting the text in two, plus one character per chunk. */
function chunkings(text: string): string[][] {
  const result: string[][] = [[...text]];
  for (let i = 0; i <= text.length; i++) result.push([text.slice(0, i), text.slice(i)]);
  return result;
}

describe('CsvParser', () => {
  it('reads simple records with their physical line numbers', () => {
    expect(parse(['id,name\n1,Ann\n2,Bob\n'])).toEqual([
      csv(1, 'id,name', ['id', 'name']),
      csv(2, '1,Ann', ['1', 'Ann']),
      csv(3, '2,Bob', ['2', 'Bob']),
    ]);
  });

  it('accepts \\r\\n and lone \\r, counts blank lines and yields a last line without newline', () => {
    expect(parse(['id,name\r\n\r\n1,Ann\r2,Bob\n\n   \n3,Cy'])).toEqual([
      csv(1, 'id,name', ['id', 'name']),
      csv(3, '1,Ann', ['1', 'Ann']),
      csv(4, '2,Bob', ['2', 'Bob']),
      csv(7, '3,Cy', ['3', 'Cy']),
    ]);
  });

  it('does not count \\r\\n split across chunks as two line breaks', () => {
    expect(parse(['a,b\r', '\n1,2\r', '\n', '3,4'])).toEqual([
      csv(1, 'a,b', ['a', 'b']),
      csv(2, '1,2', ['1', '2']),
      csv(3, '3,4', ['3', '4']),
    ]);
  });

  it('keeps empty fields and skips rows made of delimiters only (Excel empty rows)', () => {
    expect(parse(['a;b;c\n1;;\n;;\n;x;\n'], ';')).toEqual([
      csv(1, 'a;b;c', ['a', 'b', 'c']),
      csv(2, '1;;', ['1', '', '']),
      csv(4, ';x;', ['', 'x', '']),
    ]);
  });

  it('splits on tabs', () => {
    expect(parse(['a\tb\n1\t"x\ty"\n'], '\t')).toEqual([
      csv(1, 'a\tb', ['a', 'b']),
      csv(2, '1\t"x\ty"', ['1', 'x\ty']),
    ]);
  });

  it('parses quoted fields with escaped quotes, delimiters and empty values', () => {
    expect(parse(['"a ""quoted"" word","x,y",""\n'])).toEqual([
      csv(1, '"a ""quoted"" word","x,y",""', ['a "quoted" word', 'x,y', '']),
    ]);
  });

  it('reads a quoted field spanning lines and numbers the following lines right', () => {
    const text = 'id,note\n1,"line one\r\nline two\nline three"\n2,after\n';
    expect(parse([text])).toEqual([
      csv(1, 'id,note', ['id', 'note']),
      csv(2, '1,"line one\nline two\nline three"', ['1', 'line one\r\nline two\nline three']),
      csv(5, '2,after', ['2', 'after']),
    ]);
  });

  it('handles a trailing delimiter and a closing quote at the very end of the file', () => {
    expect(parse(['a,b,\n"x","y"'])).toEqual([
      csv(1, 'a,b,', ['a', 'b', '']),
      csv(2, '"x","y"', ['x', 'y']),
    ]);
    expect(parse(['"x",'])).toEqual([csv(1, '"x",', ['x', ''])]);
  });

  it('reports a quote inside an unquoted field with its column and carries on', () => {
    expect(parse(['id,name,city\n1,b"c,d\n2,ok,x\n'])).toEqual([
      csv(1, 'id,name,city', ['id', 'name', 'city']),
      quoting(2, '1,b"c,d', 2, 'quote inside an unquoted field'),
      csv(3, '2,ok,x', ['2', 'ok', 'x']),
    ]);
  });

  it('reports text after a closing quote with its column and carries on', () => {
    expect(parse(['"abc"x,d\n1,2\n'])).toEqual([
      quoting(1, '"abc"x,d', 1, 'text after a closing quote'),
      csv(2, '1,2', ['1', '2']),
    ]);
    expect(parse(['1,"multi\nline"x,3\n4,5\n'])).toEqual([
      quoting(1, '1,"multi\nline"x,3', 2, 'text after a closing quote'),
      csv(3, '4,5', ['4', '5']),
    ]);
  });

  it('reports an unterminated quote at end of file and resumes on the next line', () => {
    expect(parse(['id,name\n1,"open\n2,ok\n3,fine'])).toEqual([
      csv(1, 'id,name', ['id', 'name']),
      quoting(2, '1,"open', 2, 'unterminated quoted field'),
      csv(3, '2,ok', ['2', 'ok']),
      csv(4, '3,fine', ['3', 'fine']),
    ]);
  });

  it('stops a quoted field at the line limit, so a stray quote cannot swallow the file', () => {
    const lines = ['id,v', '1,"stray', '3,a', '4,b', '5,c', '6,d', '7,e"f', '8,g'];
    expect(parse([lines.join('\n')], ',', { maxQuotedLines: 3 })).toEqual([
      csv(1, 'id,v', ['id', 'v']),
      quoting(2, '1,"stray', 2, 'unterminated quoted field'),
      csv(3, '3,a', ['3', 'a']),
      csv(4, '4,b', ['4', 'b']),
      csv(5, '5,c', ['5', 'c']),
      csv(6, '6,d', ['6', 'd']),
      quoting(7, '7,e"f', 2, 'quote inside an unquoted field'),
      csv(8, '8,g', ['8', 'g']),
    ]);
  });

  it('stops a pending quoted field at the line limit while the file is still streaming', () => {
    const chunks = ['id,v\n1,"stray\n', ...Array.from({ length: 20 }, (_, i) => `${i + 3},x\n`)];
    const records = parse(chunks, ',', { maxQuotedLines: 5 });
    expect(records[1]).toEqual(quoting(2, '1,"stray', 2, 'unterminated quoted field'));
    expect(records.slice(2)).toEqual(
      Array.from({ length: 20 }, (_, i) => csv(i + 3, `${i + 3},x`, [`${i + 3}`, 'x'])),
    );
  });

  it('stops a quoted field at the size limit', () => {
    const long = 'y'.repeat(60);
    const records = parse([`1,"${long}\n2,${long}\n3,${long}"\n4,z\n`], ',', {
      maxQuotedChars: 100,
    });
    expect(records).toEqual([
      quoting(1, `1,"${long}`, 2, 'unterminated quoted field'),
      csv(2, `2,${long}`, ['2', long]),
      quoting(3, `3,${long}"`, 2, 'quote inside an unquoted field'),
      csv(4, '4,z', ['4', 'z']),
    ]);
  });

  it('rejects an over-long line without keeping it and reads the next line', () => {
    const records = parse(['id\n', 'x'.repeat(60), 'y'.repeat(60), '\n2\n'], ',', {
      maxRecordChars: 50,
    });
    expect(records).toHaveLength(3);
    expect(records[1]).toMatchObject({ line: 2, kind: 'error' });
    expect(records[1]?.raw.startsWith('x'.repeat(50))).toBe(true);
    expect(records[2]).toEqual(csv(3, '2', ['2']));
  });

  it('reports a record with U+FFFD as invalid UTF-8, naming the column', () => {
    expect(parse(['a,b\n1,Jos\uFFFD\n2,ok\n'])).toEqual([
      csv(1, 'a,b', ['a', 'b']),
      { line: 2, raw: '1,Jos\uFFFD', kind: 'error', reason: INVALID_UTF8_REASON, column: 2 },
      csv(3, '2,ok', ['2', 'ok']),
    ]);
  });

  it('accepts U+FFFD once told the file really contains it', () => {
    const parser = new CsvParser({ delimiter: ',', checkUtf8: true });
    const out: SourceRecord[] = [];
    parser.trustReplacementChars();
    parser.push('a\n\uFFFD\n', out);
    parser.end(out);
    expect(out).toEqual([csv(1, 'a', ['a']), csv(2, '\uFFFD', ['\uFFFD'])]);
  });

  it('gives the same records wherever the chunks are cut', () => {
    const text =
      'id;name;note\r\n1;"Jansen; Piet";"two\r\nlines"\r\n\r\n2;b"c;x\r\n' +
      '"3""";"after"x;y\r4;ok;"é €"\n5;"open;z\n6;last;q';
    const expected = parse([text], ';');
    expect(expected.map((r) => [r.line, r.kind])).toEqual([
      [1, 'csv'],
      [2, 'csv'],
      [5, 'error'],
      [6, 'error'],
      [7, 'csv'],
      [8, 'error'],
      [9, 'csv'],
    ]);
    for (const chunks of chunkings(text)) expect(parse(chunks, ';')).toEqual(expected);
  });
});
