import { describe, expect, it } from 'vitest';
import { createDecoder, decodeWindows1252, detectEncoding } from './encoding.js';

describe('detectEncoding', () => {
  it('recognises UTF-8 with a BOM', () => {
    expect(detectEncoding(Buffer.from('\uFEFFnaam,plaats\n', 'utf8'))).toEqual({
      encoding: 'utf8',
      bom: true,
    });
  });

  it('recognises UTF-8 without a BOM, and plain ASCII', () => {
    expect(detectEncoding(Buffer.from('naam\nJosé,€ 5\n', 'utf8'))).toEqual({
      encoding: 'utf8',
      bom: false,
    });
    expect(detectEncoding(Buffer.from('id,name\n1,Ann\n'))).toEqual({
      encoding: 'utf8',
      bom: false,
    });
  });

  it('ignores a multi-byte character cut off at the end of the sample', () => {
    const euro = Buffer.from('prijs € 5', 'utf8');
    const cut = euro.subarray(0, euro.indexOf(0xe2) + 2); // 'prijs ' + 2 of the 3 bytes of €
    expect(detectEncoding(cut)).toEqual({ encoding: 'utf8', bom: false });
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8 (é = 0xE9, € = 0x80)', () => {
    const bytes = Buffer.from([...Buffer.from('naam;prijs\nJos'), 0xe9, 0x3b, 0x80, 0x0a]);
    expect(detectEncoding(bytes)).toEqual({ encoding: 'windows-1252', bom: false });
  });
});

describe('decoders', () => {
  it('decodes Windows-1252 including the 0x80–0x9F range that differs from Latin-1', () => {
    const bytes = Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x20, 0x80, 0x92, 0x93, 0x94, 0x9f, 0x81]);
    expect(decodeWindows1252(bytes)).toBe('José €’“”Ÿ\u0081');
  });

  it('decodes UTF-8 characters split across chunks', () => {
    const bytes = Buffer.from('é€😀', 'utf8');
    const decoder = createDecoder('utf8');
    let text = '';
    for (const byte of bytes) text += decoder.write(Buffer.from([byte]));
    text += decoder.end();
    expect(text).toBe('é€😀');
  });

  it('keeps a BOM in the text (the caller strips it from the first bytes)', () => {
    expect(createDecoder('utf8').write(Buffer.from('\uFEFFa', 'utf8'))).toBe('\uFEFFa');
  });

  it('turns invalid UTF-8 into U+FFFD', () => {
    expect(createDecoder('utf8').write(Buffer.from([0x4a, 0xe9, 0x3b]))).toBe('J\uFFFD;');
  });
});
