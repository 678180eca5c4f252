export type TextEncoding = 'utf8' | 'windows-1252';

export interface DetectedEncoding {
  encoding: TextEncoding;
  bom: boolean;
}

/** A streaming bytes-to-text decoder: characters split across chunks come out whole. */
export interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
export const UTF8_BOM_LENGTH = UTF8_BOM.length;

/**
 * Windows-1252 differs from Latin-1 only in 0x80–0x9F. Node 20's TextDecoder('windows-1252')
 * decodes those bytes as Latin-1 C1 controls (0x80 → U+0080 instead of €), so we map them
 * ourselves. The five undefined bytes map to their C1 control, as the WHATWG table does.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1_RANGE = /[\x80-\x9f]/g;

/** Tells whether the bytes start with the UTF-8 byte order mark. */
export function hasUtf8Bom(sample: Uint8Array): boolean {
  return sample[0] === UTF8_BOM[0] && sample[1] === UTF8_BOM[1] && sample[2] === UTF8_BOM[2];
}

/**
 * Detects UTF-8 (with or without BOM) or falls back to Windows-1252, the encoding Excel uses
 * for "CSV" in Western European locales. The sample may end inside a multi-byte character.
 */
export function detectEncoding(sample: Buffer): DetectedEncoding {
  if (hasUtf8Bom(sample)) return { encoding: 'utf8', bom: true };
  try {
    // In streaming mode a fatal decoder only throws on invalid bytes, not on an incomplete
    // sequence at the end, which is exactly "valid UTF-8 up to where the sample was cut".
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return { encoding: 'utf8', bom: false };
  } catch {
    return { encoding: 'windows-1252', bom: false };
  }
}

/**
 * Creates a streaming decoder. It does not strip a BOM: the caller drops it from the first
 * bytes (see hasUtf8Bom), so the result is the same whichever encoding is forced.
 */
export function createDecoder(encoding: TextEncoding): ChunkDecoder {
  if (encoding === 'windows-1252') return { write: decodeWindows1252, end: () => '' };
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return {
    write: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

/** Decodes Windows-1252 bytes (a single-byte encoding, so chunks can be decoded alone). */
export function decodeWindows1252(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  C1_RANGE.lastIndex = 0;
  if (!C1_RANGE.test(text)) return text;
  return text.replace(C1_RANGE, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}
