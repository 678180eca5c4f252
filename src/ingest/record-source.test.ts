import { describe, expect, it } from 'vitest';
import { UnreadableFileError } from './ingest-errors.js';
import type { OpenRecordsOptions, RecordSource } from './record-source.js';
import { openRecords } from './record-source.js';
import type { SourceRecord } from './source-record.js';
import { INVALID_UTF8_REASON } from './source-record.js';

async function* stream(chunks: (Buffer | string)[]): AsyncGenerator<Buffer | string> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
}

/** Cuts bytes into chunks of the given sizes (the last size repeats). */
function cut(bytes: Buffer, ...sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[Math.min(i, sizes.length - 1)]!;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

async function open(chunks: (Buffer | string)[], options?: OpenRecordsOptions) {
  return openRecords(stream(chunks), options);
}

async function collect(source: RecordSource): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const batch of source.records) {
    expect(batch.length).toBeGreaterThan(0);
    records.push(...batch);
  }
  return records;
}

function fieldsOf(records: SourceRecord[]): (string[] | string)[] {
  return records.map((r) => (r.kind === 'csv' ? r.fields : r.kind));
}

const win1252 = (text: string) =>
  Buffer.from([...text].map((c) => (c === '€' ? 0x80 : c.charCodeAt(0))));

describe('openRecords', () => {
  it.each([
    [',', 'id,name,city\n1,Ann,Delft\n'],
    [';', 'id;name;city\n1;Ann;Delft\n'],
    ['\t', 'id\tname\tcity\n1\tAnn\tDelft\n'],
  ])('detects the %j delimiter and reads the header', async (delimiter, text) => {
    const source = await open([text]);
    expect(source).toMatchObject({
      format: 'csv',
      encoding: 'utf8',
      delimiter,
      header: ['id', 'name', 'city'],
      headerRaw: text.split('\n')[0],
    });
    expect(fieldsOf(await collect(source))).toEqual([['1', 'Ann', 'Delft']]);
  });

  it('strips a UTF-8 BOM, trims header names and reads CRLF split between \\r and \\n', async () => {
    const bytes = Buffer.from('\uFEFF id ; naam \r\n1;José\r\n2;Zoë\r\n', 'utf8');
    const crAt = bytes.indexOf('\r');
    const source = await open([bytes.subarray(0, crAt + 1), bytes.subarray(crAt + 1)]);
    expect(source.header).toEqual(['id', 'naam']);
    expect(source.headerRaw).toBe(' id ; naam ');
    const records = await collect(source);
    expect(records.map((r) => r.line)).toEqual([2, 3]);
    expect(fieldsOf(records)).toEqual([
      ['1', 'José'],
      ['2', 'Zoë'],
    ]);
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('naam,prijs\nJosé,€ 5\nRenée,"€ 6\nper maand"\n', 'utf8');
    for (const size of [1, 2, 3, 5]) {
      const source = await open(cut(bytes, size));
      const records = await collect(source);
      expect(fieldsOf(records)).toEqual([
        ['José', '€ 5'],
        ['Renée', '€ 6\nper maand'],
      ]);
      expect(records.map((r) => r.line)).toEqual([2, 3]);
    }
  });

  it('detects Windows-1252 as Dutch Excel writes it (é = 0xE9, € = 0x80)', async () => {
    const source = await open(cut(win1252('naam;prijs\r\nJosé;€ 5\r\nCafé;€ 7,50\r\n'), 7));
    expect(source.encoding).toBe('windows-1252');
    expect(source.delimiter).toBe(';');
    expect(fieldsOf(await collect(source))).toEqual([
      ['José', '€ 5'],
      ['Café', '€ 7,50'],
    ]);
  });

  it('reports invalid UTF-8 after the detection sample, with a hint, and reads on', async () => {
    const good = 'id,name\n' + Array.from({ length: 5000 }, (_, i) => `${i},naam ${i}\n`).join('');
    expect(good.length).toBeGreaterThan(64 * 1024);
    const bytes = Buffer.concat([Buffer.from(good), win1252('5000,José\n5001,ok\n')]);
    const source = await open(cut(bytes, 4096));
    expect(source.encoding).toBe('utf8');
    const records = await collect(source);
    expect(records).toHaveLength(5002);
    expect(records[5000]).toEqual({
      line: 5002,
      raw: '5000,Jos\uFFFD',
      kind: 'error',
      reason: INVALID_UTF8_REASON,
      column: 2,
    });
    expect(records[5001]).toMatchObject({ line: 5003, kind: 'csv', fields: ['5001', 'ok'] });
  });

  it('accepts a genuine U+FFFD in a UTF-8 file', async () => {
    const source = await open([Buffer.from('id,name\n1,\uFFFD\n', 'utf8')], { encoding: 'utf8' });
    expect(fieldsOf(await collect(source))).toEqual([['1', '\uFFFD']]);
  });

  it('honours a forced encoding and delimiter', async () => {
    const source = await open([win1252('a,b;c\nJosé,x;y\n')], {
      encoding: 'utf8',
      delimiter: ';',
    });
    expect(source).toMatchObject({ encoding: 'utf8', delimiter: ';', header: ['a,b', 'c'] });
    const records = await collect(source);
    expect(records[0]).toMatchObject({ line: 2, kind: 'error', reason: INVALID_UTF8_REASON });
  });

  it('reports malformed quoting with line and column and keeps the good records', async () => {
    const text = [
      'id,name,note',
      '1,Ann,"two',
      'lines"',
      '2,B"ob,x',
      '3,"Cy"x,y',
      '4,Dee,ok',
      '5,Eve,"never closed',
      '6,Fay,ok',
    ].join('\r\n');
    const records = await collect(await open(cut(Buffer.from(text), 9)));
    expect(records).toEqual([
      { line: 2, raw: '1,Ann,"two\nlines"', kind: 'csv', fields: ['1', 'Ann', 'two\r\nlines'] },
      {
        line: 4,
        raw: '2,B"ob,x',
        kind: 'error',
        reason: 'malformed quoting in column 2: quote inside an unquoted field',
        column: 2,
      },
      {
        line: 5,
        raw: '3,"Cy"x,y',
        kind: 'error',
        reason: 'malformed quoting in column 2: text after a closing quote',
        column: 2,
      },
      { line: 6, raw: '4,Dee,ok', kind: 'csv', fields: ['4', 'Dee', 'ok'] },
      {
        line: 7,
        raw: '5,Eve,"never closed',
        kind: 'error',
        reason: 'malformed quoting in column 3: unterminated quoted field',
        column: 3,
      },
      { line: 8, raw: '6,Fay,ok', kind: 'csv', fields: ['6', 'Fay', 'ok'] },
    ]);
  });

  it('reads JSONL, turning bad and non-object lines into error records', async () => {
    const text = '{"id":"1"}\n{"id":\n\n["x"]\n{"id":"2"}';
    const source = await open(cut(Buffer.from(text), 4));
    expect(source).toMatchObject({
      format: 'jsonl',
      delimiter: null,
      header: null,
      headerRaw: null,
    });
    const records = await collect(source);
    expect(records.map((r) => [r.line, r.kind])).toEqual([
      [1, 'jsonl'],
      [2, 'error'],
      [4, 'error'],
      [5, 'jsonl'],
    ]);
    expect(records[1]?.kind === 'error' && records[1].reason).toMatch(/^invalid JSON: /);
    expect(records[2]).toMatchObject({ reason: 'expected a JSON object per line' });
  });

  it('keeps a JSONL file whose first line is broken', async () => {
    const records = await collect(await open(['\n{"id": 1,,}\n{"id": 2}\n']));
    expect(records.map((r) => [r.line, r.kind])).toEqual([
      [2, 'error'],
      [3, 'jsonl'],
    ]);
  });

  it('parses as told when the format is forced', async () => {
    await expect(open(['{"a":1,"b":2}\n'], { format: 'csv' })).rejects.toThrow(
      'cannot read the header (line 1): malformed quoting in column 1: quote inside an unquoted field',
    );
    const csv = await open(['{a:1}\n{b:2}\n'], { format: 'csv' });
    expect(csv.header).toEqual(['{a:1}']);
    expect(fieldsOf(await collect(csv))).toEqual([['{b:2}']]);
    const jsonl = await open(['id,name\n'], { format: 'jsonl' });
    expect(jsonl.format).toBe('jsonl');
    expect(fieldsOf(await collect(jsonl))).toEqual(['error']);
  });

  it('accepts string chunks and a header-only file', async () => {
    const source = await open(['id,na', 'me\n']);
    expect(source.header).toEqual(['id', 'name']);
    expect(await collect(source)).toEqual([]);
  });

  it.each([
    ['an empty file', []],
    ['a file of blank lines', ['\n\r\n  \n']],
    ['a BOM only', [Buffer.from([0xef, 0xbb, 0xbf])]],
  ])('rejects %s as empty', async (_name, chunks) => {
    await expect(open(chunks)).rejects.toThrow(new UnreadableFileError('the file is empty'));
  });

  it('rejects binary data', async () => {
    const bytes = Buffer.concat([Buffer.from('id,name\n'), Buffer.from([0x00, 0xff, 0x10])]);
    await expect(open([bytes])).rejects.toThrow(UnreadableFileError);
    await expect(open([bytes])).rejects.toThrow(/found binary data \(NUL byte/);
  });

  it('rejects a header with malformed quoting', async () => {
    await expect(open(['id,"name\n1,Ann\n'])).rejects.toThrow(
      'cannot read the header (line 1): malformed quoting in column 2: unterminated quoted field',
    );
    await expect(open(['id,na"me\n1,Ann\n'])).rejects.toThrow(UnreadableFileError);
  });

  it('releases the input when the file is rejected or the reader stops early', async () => {
    let released = 0;
    async function* input(text: string) {
      try {
        for (let i = 0; i < 1000; i++) {
          await Promise.resolve();
          yield Buffer.from(text);
        }
      } finally {
        released++;
      }
    }
    await expect(openRecords(input('\0'.repeat(100)))).rejects.toThrow(UnreadableFileError);
    expect(released).toBe(1);
    const source = await openRecords(input('id\n1\n2\n'.repeat(100)));
    for await (const batch of source.records) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(released).toBe(2);
  });

  it('reads 100,000 generated rows with the right count and line numbers', async () => {
    const rows = 100_000;
    let text = 'external_id;name;email;city\r\n';
    for (let i = 1; i <= rows; i++) {
      const name = i % 10 === 0 ? `"Jansen; ${i}"` : `Jansen ${i}`;
      text += `C${i};${name};j${i}@example.nl;Zwolle\r\n`;
    }
    const source = await open(cut(Buffer.from(text), 65_536, 1_000, 4_093));
    let count = 0;
    let errors = 0;
    let last: SourceRecord | undefined;
    for await (const batch of source.records) {
      count += batch.length;
      errors += batch.filter((record) => record.kind !== 'csv').length;
      last = batch.at(-1);
    }
    expect(count).toBe(rows);
    expect(errors).toBe(0);
    expect(last).toMatchObject({
      line: rows + 1,
      fields: [`C${rows}`, `Jansen; ${rows}`, `j${rows}@example.nl`, 'Zwolle'],
    });
  });
});
