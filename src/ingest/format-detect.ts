import { UnreadableFileError } from './ingest-errors.js';

export type CsvDelimiter = ',' | ';' | '\t';

/**
 * Above this share of control characters a sample is taken to be binary, not text. The
 * minimum count keeps a tiny file with a stray escape character from being refused whole.
 */
const MAX_CONTROL_SHARE = 0.05;
const MIN_CONTROL_COUNT = 8;

/** Chooses JSONL when the first non-whitespace character opens a JSON object, else CSV. */
export function detectFormat(sample: string): 'csv' | 'jsonl' {
  const match = /[^\s\uFEFF]/.exec(sample);
  return match?.[0] === '{' ? 'jsonl' : 'csv';
}

/**
 * Throws UnreadableFileError when the sample is clearly not a text file, naming the most
 * likely thing it is instead (people upload .xlsx and UTF-16 "Unicode text" exports).
 */
export function assertTextual(sample: Buffer): void {
  const where = 'in the first 64 KiB';
  if (startsWith(sample, [0xff, 0xfe]) || startsWith(sample, [0xfe, 0xff])) {
    throw new UnreadableFileError(
      'not a CSV or JSONL file: it is UTF-16 encoded (Excel "Unicode text"); save it as "CSV UTF-8" instead',
    );
  }
  if (startsWith(sample, [0x50, 0x4b, 0x03, 0x04])) {
    throw new UnreadableFileError(
      'not a CSV or JSONL file: it is a ZIP archive, for example an Excel .xlsx workbook; save the sheet as CSV',
    );
  }
  if (startsWith(sample, [0x1f, 0x8b])) {
    throw new UnreadableFileError(
      'not a CSV or JSONL file: it is gzip-compressed; decompress it first',
    );
  }
  const nul = sample.indexOf(0);
  if (nul !== -1) {
    throw new UnreadableFileError(
      `not a CSV or JSONL file: found binary data (NUL byte at offset ${nul}) ${where}`,
    );
  }
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) controls++;
  }
  if (controls >= MIN_CONTROL_COUNT && controls / sample.length > MAX_CONTROL_SHARE) {
    const percent = Math.round((controls / sample.length) * 100);
    throw new UnreadableFileError(
      `not a CSV or JSONL file: found binary data (${percent}% control characters) ${where}`,
    );
  }
}

/**
 * Picks the delimiter that occurs most often outside quotes in the header line; on a tie the
 * earlier of ',', ';', tab wins, so a one-column file reads as comma-separated.
 */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = 0; i < headerLine.length; i++) {
    const c = headerLine.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 0x2c) commas++;
    else if (c === 0x3b) semicolons++;
    else if (c === 0x09) tabs++;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

/** Returns the first line of the text that is not blank (without its terminator). */
export function firstNonBlankLine(text: string): string {
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() !== '') return line;
  }
  return '';
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}
