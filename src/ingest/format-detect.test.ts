import { describe, expect, it } from 'vitest';
import {
  assertTextual,
  detectDelimiter,
  detectFormat,
  firstNonBlankLine,
} from './format-detect.js';
import { UnreadableFileError } from './ingest-errors.js';

describe('detectFormat', () => {
  it('chooses JSONL when the first non-blank character is {', () => {
    expect(detectFormat('\n  {"id": 1}\n')).toBe('jsonl');
    expect(detectFormat('{not json at all')).toBe('jsonl');
  });

  it('chooses CSV otherwise', () => {
    expect(detectFormat('id,name\n')).toBe('csv');
    expect(detectFormat('"{id}",name\n')).toBe('csv');
    expect(detectFormat('')).toBe('csv');
  });
});

describe('detectDelimiter', () => {
  it('finds comma, semicolon and tab', () => {
    expect(detectDelimiter('id,name,email')).toBe(',');
    expect(detectDelimiter('id;name;email')).toBe(';');
    expect(detectDelimiter('id\tname\temail')).toBe('\t');
  });

  it('ignores delimiters inside quotes', () => {
    expect(detectDelimiter('"a,b,c";"d,e";f')).toBe(';');
    expect(detectDelimiter('"x;y;z",id')).toBe(',');
  });

  it('prefers the comma on a tie or a single column', () => {
    expect(detectDelimiter('a,b;c')).toBe(',');
    expect(detectDelimiter('email')).toBe(',');
  });
});

describe('firstNonBlankLine', () => {
  it('skips blank lines of any line ending', () => {
    expect(firstNonBlankLine('\r\n  \r\nid;name\r\n1;2')).toBe('id;name');
  });
});

describe('assertTextual', () => {
  it('accepts text, including Windows-1252 bytes', () => {
    expect(() => assertTextual(Buffer.from('id,name\r\n1,\tAnn\n'))).not.toThrow();
    expect(() => assertTextual(Buffer.from([0x4a, 0xe9, 0x80, 0x0a]))).not.toThrow();
  });

  it('rejects NUL bytes with a readable message', () => {
    const bytes = Buffer.from([0x69, 0x64, 0x00, 0x01, 0x02]);
    expect(() => assertTextual(bytes)).toThrow(UnreadableFileError);
    expect(() => assertTextual(bytes)).toThrow(
      'not a CSV or JSONL file: found binary data (NUL byte at offset 2) in the first 64 KiB',
    );
  });

  it('rejects a high share of control characters', () => {
    const bytes = Buffer.from('a\x01b\x02c\x03d\x04e\x05f\x06g\x07h\x08', 'latin1');
    expect(() => assertTextual(bytes)).toThrow(/found binary data \(50% control characters\)/);
    expect(() => assertTextual(Buffer.from('id\n1,\x1b[31mred\x1b[0m\n'))).not.toThrow();
  });

  it('names an Excel workbook, a gzip file and UTF-16 text', () => {
    expect(() => assertTextual(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]))).toThrow(/\.xlsx/);
    expect(() => assertTextual(Buffer.from([0x1f, 0x8b, 0x08]))).toThrow(/gzip/);
    expect(() => assertTextual(Buffer.from('\uFEFFid', 'utf16le'))).toThrow(/UTF-16/);
  });
});
