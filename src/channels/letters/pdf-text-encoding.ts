/**
 * Makes text safe for PDFKit's standard (AFM) fonts.
 *
 * The 14 standard fonts only know WinAnsi (Windows-1252). PDFKit does not check: a code
 * point outside it is written as a multi-byte hex string, which shows as garbage or a wrong
 * glyph. So every string goes through `toWinAnsi` first: Latin-1 and the 27 extra WinAnsi
 * characters pass (that covers Dutch, German, French, Scandinavian…), common typographic
 * characters are mapped to their nearest equivalent, accented letters outside WinAnsi lose
 * their accent (ő → o, ł → l), and anything else becomes `?`.
 */

/** The code points above 0xFF that WinAnsi encodes (PDFKit maps them itself). */
const WIN_ANSI_EXTRA = new Set([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014,
  0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039,
  0x203a, 0x20ac, 0x2122,
]);

/** Nearest WinAnsi spelling of characters that often appear in pasted text. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '-', // figure dash
  '\u2015': '\u2014', // horizontal bar
  '\u2212': '-', // minus sign
  '\u2032': "'",
  '\u2033': '"',
  '\u2190': '<-',
  '\u2192': '->',
  '\u21d2': '=>',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u2713': 'v',
  '\u2714': 'v',
  '\u2717': 'x',
  '\u00a0': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u0131': 'i', // dotless i
  '\u0142': 'l',
  '\u0141': 'L',
  '\u0111': 'd',
  '\u0110': 'D',
  '\u0127': 'h',
  '\u0126': 'H',
  '\u2024': '.',
  '\u2027': '-',
  '\u2043': '-',
  '\u25cf': '\u2022', // black circle → bullet
  '\u25aa': '\u2022',
  '\u2023': '\u2022',
};

// Zero-width and bidi formatting characters carry nothing printable.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

function encodable(codePoint: number): boolean {
  if (codePoint === 0x0a || codePoint === 0x09) return true;
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return false;
  return codePoint <= 0xff || WIN_ANSI_EXTRA.has(codePoint);
}

function replaceChar(char: string): string {
  const mapped = REPLACEMENTS[char];
  if (mapped !== undefined) return mapped;
  if (INVISIBLE.test(char)) return '';
  // Strip combining marks: "ő" decomposes to "o" + U+030B, the "o" is encodable.
  const decomposed = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (decomposed !== '' && [...decomposed].every((c) => encodable(c.codePointAt(0) ?? 0))) {
    return decomposed;
  }
  return '?';
}

/** Text in which every character can be drawn with a standard PDF font. */
export function toWinAnsi(text: string): string {
  // Compose first so "e" + combining acute becomes "é", which WinAnsi has.
  const composed = text.normalize('NFC').replace(/\r\n?/g, '\n');
  let out = '';
  for (const char of composed) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (encodable(codePoint)) out += char;
    else if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) out += ' ';
    else out += replaceChar(char);
  }
  return out;
}
