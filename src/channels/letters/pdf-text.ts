/**
 * Reads the text back out of a PDF that `renderPdf` (PDFKit, standard fonts) produced.
 *
 * Not a general PDF parser: it follows the page tree to each page's content stream,
 * inflates it when it is Flate-compressed, and decodes the hex strings of the `TJ`
 * operators that PDFKit writes, from WinAnsi to Unicode. Enough to check in tests (and in
 * `candor` self-checks) that a generated document says what it should, without poppler.
 */
import { inflateSync } from 'node:zlib';

/** WinAnsi bytes 0x80–0x9F to Unicode (the rest of the byte range is Latin-1). */
const WIN_ANSI_HIGH: Readonly<Record<number, string>> = {
  0x80: '\u20ac',
  0x82: '\u201a',
  0x83: '\u0192',
  0x84: '\u201e',
  0x85: '\u2026',
  0x86: '\u2020',
  0x87: '\u2021',
  0x88: '\u02c6',
  0x89: '\u2030',
  0x8a: '\u0160',
  0x8b: '\u2039',
  0x8c: '\u0152',
  0x8e: '\u017d',
  0x91: '\u2018',
  0x92: '\u2019',
  0x93: '\u201c',
  0x94: '\u201d',
  0x95: '\u2022',
  0x96: '\u2013',
  0x97: '\u2014',
  0x98: '\u02dc',
  0x99: '\u2122',
  0x9a: '\u0161',
  0x9b: '\u203a',
  0x9c: '\u0153',
  0x9e: '\u017e',
  0x9f: '\u0178',
};

export interface PdfText {
  /** Text per page, one line per text-showing run. */
  pages: string[];
  /** All pages, whitespace collapsed to single spaces: search it with `includes`. */
  flat: string;
  /** The document info dictionary's plain-string entries (Title, Author…). */
  info: Record<string, string>;
}

function objectBody(pdf: string, id: number): string | undefined {
  const start = pdf.search(new RegExp(`(?:^|[\\r\\n])${id} 0 obj\\b`));
  if (start < 0) return undefined;
  const end = pdf.indexOf('endobj', start);
  return pdf.slice(start, end < 0 ? undefined : end);
}

function streamOf(pdf: string, id: number): string {
  const body = objectBody(pdf, id);
  if (body === undefined) return '';
  const at = body.search(/stream\r?\n/);
  if (at < 0) return '';
  const dataStart = body.indexOf('\n', at) + 1;
  const length = /\/Length (\d+)/.exec(body);
  const raw =
    length !== null
      ? body.slice(dataStart, dataStart + Number(length[1]))
      : body.slice(dataStart, body.lastIndexOf('endstream'));
  const bytes = Buffer.from(raw, 'latin1');
  return /\/FlateDecode/.test(body.slice(0, at))
    ? inflateSync(bytes).toString('latin1')
    : bytes.toString('latin1');
}

function decodeHex(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const byte = parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI_HIGH[byte] ?? String.fromCharCode(byte);
  }
  return out;
}

function linesOf(content: string): string[] {
  const lines: string[] = [];
  for (const match of content.matchAll(/\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
    const array = match[1];
    if (array !== undefined) {
      let line = '';
      for (const part of array.matchAll(/<([0-9a-fA-F]*)>/g)) line += decodeHex(part[1] ?? '');
      lines.push(line);
    } else {
      lines.push(decodeHex(match[2] ?? ''));
    }
  }
  return lines;
}

function pageIds(pdf: string): number[] {
  const root = /\/Type \/Pages[\s\S]*?\/Kids \[([^\]]*)\]/.exec(pdf);
  if (root === null) return [];
  return [...(root[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
}

function decodePdfString(value: string): string {
  // PDFKit writes non-ASCII info strings as UTF-16BE with a BOM, in hex or literal form.
  if (value.startsWith('<')) {
    const bytes = Buffer.from(value.slice(1, -1), 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return bytes.subarray(2).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
  const inner = value.slice(1, -1).replace(/\\(\d{1,3}|[\s\S])/g, (_m, esc: string) => {
    if (/^\d/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[esc] ?? esc;
  });
  if (inner.startsWith('\u00fe\u00ff')) {
    return Buffer.from(inner.slice(2), 'latin1').swap16().toString('utf16le');
  }
  return inner;
}

function infoOf(pdf: string): Record<string, string> {
  const ref = /\/Info (\d+) 0 R/.exec(pdf);
  if (ref === null) return {};
  const body = objectBody(pdf, Number(ref[1])) ?? '';
  const info: Record<string, string> = {};
  for (const m of body.matchAll(/\/(\w+) (\d+) 0 R/g)) {
    // PDFKit writes each info value as its own object holding one string.
    const value = /obj\s*(\((?:\\[\s\S]|[^\\)])*\)|<[0-9a-fA-F]*>)/.exec(
      objectBody(pdf, Number(m[2])) ?? '',
    );
    if (value !== null) info[m[1]!] = decodePdfString(value[1]!);
  }
  return info;
}

/** The text of every page of a PDFKit-generated PDF. */
export function extractPdfText(pdf: Buffer): PdfText {
  const source = pdf.toString('latin1');
  const pages = pageIds(source).map((pageId) => {
    const page = objectBody(source, pageId) ?? '';
    const contents = /\/Contents (\d+) 0 R/.exec(page);
    return contents === null ? '' : linesOf(streamOf(source, Number(contents[1]))).join('\n');
  });
  return {
    pages,
    flat: pages.join('\n').replace(/\s+/g, ' ').trim(),
    info: infoOf(source),
  };
}
