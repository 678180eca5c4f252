import { describe, expect, it } from 'vitest';
import { JsonlParser } from './jsonl-reader.js';
import type { SourceRecord } from './source-record.js';
import { INVALID_UTF8_REASON } from './source-record.js';

function parse(chunks: string[], maxLineChars?: number): SourceRecord[] {
  const parser = new JsonlParser({ checkUtf8: true, maxLineChars });
  const out: SourceRecord[] = [];
  for (const chunk of chunks) parser.push(chunk, out);
  parser.end(out);
  return out;
}

describe('JsonlParser', () => {
  it('reads one object per line, skipping blank lines but counting them', () => {
    expect(parse(['{"id":"1"}\n\n  \r\n{"id":"2","tags":["a"]}\r\n{"id":"3"}'])).toEqual([
      { line: 1, raw: '{"id":"1"}', kind: 'jsonl', value: { id: '1' } },
      { line: 4, raw: '{"id":"2","tags":["a"]}', kind: 'jsonl', value: { id: '2', tags: ['a'] } },
      { line: 5, raw: '{"id":"3"}', kind: 'jsonl', value: { id: '3' } },
    ]);
  });

  it('reports invalid JSON with the parser message and carries on', () => {
    const records = parse(['{"id":1,}\n{"id":2}\n']);
    expect(records[0]).toMatchObject({ line: 1, raw: '{"id":1,}', kind: 'error' });
    expect(records[0]?.kind === 'error' && records[0].reason).toMatch(/^invalid JSON: \S/);
    expect(records[1]).toEqual({ line: 2, raw: '{"id":2}', kind: 'jsonl', value: { id: 2 } });
  });

  it('keeps the parser message short', () => {
    const raw = `{"note": "${'x'.repeat(500)}`;
    const [record] = parse([raw]);
    expect(record?.kind).toBe('error');
    expect(record?.kind === 'error' && record.reason.length).toBeLessThan(150);
  });

  it('rejects values that are not objects', () => {
    const records = parse(['[1,2]\n"text"\n42\nnull\n{"ok":true}\n']);
    expect(records.map((r) => (r.kind === 'error' ? r.reason : r.kind))).toEqual([
      'expected a JSON object per line',
      'expected a JSON object per line',
      'expected a JSON object per line',
      'expected a JSON object per line',
      'jsonl',
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports U+FFFD as invalid UTF-8', () => {
    expect(parse(['{"name":"Jos\uFFFD"}\n'])).toEqual([
      { line: 1, raw: '{"name":"Jos\uFFFD"}', kind: 'error', reason: INVALID_UTF8_REASON },
    ]);
  });

  it('gives the same records wherever the chunks are cut', () => {
    const text = '{"a":"é"}\r\n\r{"b":[1,\n{"c":3}\r\n';
    const expected = parse([text]);
    expect(expected.map((r) => [r.line, r.kind])).toEqual([
      [1, 'jsonl'],
      [3, 'error'],
      [4, 'jsonl'],
    ]);
    expect(parse([...text])).toEqual(expected);
    for (let i = 0; i <= text.length; i++) {
      expect(parse([text.slice(0, i), text.slice(i)])).toEqual(expected);
    }
  });

  it('rejects an over-long line without keeping it and reads the next line', () => {
    const records = parse(['{"a":"', 'x'.repeat(80), 'y'.repeat(80), '"}\n{"b":1}\n'], 50);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ line: 1, kind: 'error' });
    expect(records[1]).toEqual({ line: 2, raw: '{"b":1}', kind: 'jsonl', value: { b: 1 } });
  });
});
