import { CsvParser } from './csv-reader.js';
import type { ChunkDecoder, TextEncoding } from './encoding.js';
import { UTF8_BOM_LENGTH, createDecoder, detectEncoding } from './encoding.js';
import type { CsvDelimiter } from './format-detect.js';
import {
  assertTextual,
  detectDelimiter,
  detectFormat,
  firstNonBlankLine,
} from './format-detect.js';
import { UnreadableFileError } from './ingest-errors.js';
import { JsonlParser } from './jsonl-reader.js';
import type { RecordParser, SourceRecord } from './source-record.js';
import { REPLACEMENT_CHAR } from './source-record.js';

export type { SourceRecord } from './source-record.js';
export { UnreadableFileError } from './ingest-errors.js';

export type IngestFormat = 'csv' | 'jsonl';

export interface OpenRecordsOptions {
  /** Default 'auto': JSONL when the first non-blank character is '{', else CSV. */
  format?: IngestFormat | 'auto';
  /** Default 'auto': the most frequent of ',', ';', tab in the header line (CSV only). */
  delimiter?: CsvDelimiter | 'auto';
  /** Default 'auto': UTF-8 if the first 64 KiB are valid UTF-8, else Windows-1252. */
  encoding?: TextEncoding | 'auto';
}

export interface RecordSource {
  format: IngestFormat;
  encoding: TextEncoding;
  /** null for JSONL. */
  delimiter: CsvDelimiter | null;
  /** CSV header fields as written, trimmed; null for JSONL. */
  header: string[] | null;
  /** The raw header line, to write a rejects file in the same format; null for JSONL. */
  headerRaw: string | null;
  /**
   * The data records (header excluded) in file order, in batches: one batch per chunk of
   * input, never empty. Batches rather than single records because a per-record `yield`
   * through an async generator costs more than the parsing itself. Single use: it consumes
   * the input stream; breaking out of the loop releases the input.
   */
  records: AsyncIterable<SourceRecord[]>;
}

/** How much of the input is read to detect the format, encoding and delimiter. */
export const SNIFF_BYTES = 64 * 1024;

/** Larger input chunks are cut to this size so one batch never holds a huge slice of a file. */
const MAX_PIECE_BYTES = 64 * 1024;

/** The UTF-8 encoding of U+FFFD: if the file contains it, a decoded U+FFFD may be genuine. */
const ENCODED_REPLACEMENT_CHAR = Buffer.from(REPLACEMENT_CHAR, 'utf8');

/**
 * Sniffs the first chunk (format, encoding, delimiter, header) and returns a streaming source.
 * Throws UnreadableFileError before yielding anything if the input is not textual CSV/JSONL.
 */
export async function openRecords(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: OpenRecordsOptions = {},
): Promise<RecordSource> {
  const chunks = input[Symbol.asyncIterator]();
  const { head, done } = await readHead(chunks);
  try {
    if (head.length === 0) throw new UnreadableFileError('the file is empty');
    const sample = head.subarray(0, SNIFF_BYTES);
    assertTextual(sample);
    const detected = detectEncoding(sample);
    const encoding =
      options.encoding === undefined || options.encoding === 'auto'
        ? detected.encoding
        : options.encoding;
    const body = detected.bom ? head.subarray(UTF8_BOM_LENGTH) : head;
    const sampleText = createDecoder(encoding).write(body.subarray(0, SNIFF_BYTES));
    const format =
      options.format === undefined || options.format === 'auto'
        ? detectFormat(sampleText)
        : options.format;
    const delimiter =
      format === 'jsonl'
        ? null
        : options.delimiter === undefined || options.delimiter === 'auto'
          ? detectDelimiter(firstNonBlankLine(sampleText))
          : options.delimiter;
    const checkUtf8 = encoding === 'utf8';
    const parser: RecordParser =
      delimiter === null ? new JsonlParser({ checkUtf8 }) : new CsvParser({ delimiter, checkUtf8 });
    const batches = parseBatches(body, done ? null : chunks, createDecoder(encoding), parser);
    const first = await firstBatch(batches);
    if (first === null) throw new UnreadableFileError('the file is empty');
    let header: string[] | null = null;
    let headerRaw: string | null = null;
    if (delimiter !== null) {
      const record = first.shift()!;
      if (record.kind !== 'csv') {
        throw new UnreadableFileError(
          `cannot read the header (line ${record.line}): ${
            record.kind === 'error' ? record.reason : 'not a CSV line'
          }`,
        );
      }
      header = record.fields.map((field) => field.trim());
      headerRaw = record.raw;
    }
    return { format, encoding, delimiter, header, headerRaw, records: prepend(first, batches) };
  } catch (error) {
    // Let the input close its file or socket; harmless if it was read to the end already.
    if (!done) await chunks.return?.().catch(() => undefined);
    throw error;
  }
}

/** Reads whole chunks until at least SNIFF_BYTES are in hand or the input ends. */
async function readHead(
  chunks: AsyncIterator<Buffer | Uint8Array | string>,
): Promise<{ head: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done === true) return { head: Buffer.concat(parts, size), done: true };
    const bytes = toBuffer(next.value);
    parts.push(bytes);
    size += bytes.length;
  }
  return { head: Buffer.concat(parts, size), done: false };
}

/** Decodes and parses the input, yielding the records of each chunk as one batch. */
async function* parseBatches(
  head: Buffer,
  rest: AsyncIterator<Buffer | Uint8Array | string> | null,
  decoder: ChunkDecoder,
  parser: RecordParser,
): AsyncGenerator<SourceRecord[], void, undefined> {
  let exhausted = rest === null;
  try {
    let batch: SourceRecord[] = [];
    for (const piece of pieces(head)) {
      feed(piece, decoder, parser, batch);
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    while (rest !== null) {
      const next = await rest.next();
      if (next.done === true) break;
      for (const piece of pieces(toBuffer(next.value))) {
        feed(piece, decoder, parser, batch);
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
      }
    }
    exhausted = true;
    const tail = decoder.end();
    if (tail.length > 0) parser.push(tail, batch);
    parser.end(batch);
    if (batch.length > 0) yield batch;
  } finally {
    // The consumer stopped early (or parsing threw): let the input close its file or socket.
    if (!exhausted) await rest?.return?.();
  }
}

function feed(piece: Buffer, decoder: ChunkDecoder, parser: RecordParser, out: SourceRecord[]) {
  if (piece.includes(ENCODED_REPLACEMENT_CHAR)) parser.trustReplacementChars();
  parser.push(decoder.write(piece), out);
}

function* pieces(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += MAX_PIECE_BYTES) {
    yield bytes.subarray(offset, offset + MAX_PIECE_BYTES);
  }
}

async function firstBatch(
  batches: AsyncGenerator<SourceRecord[], void, undefined>,
): Promise<SourceRecord[] | null> {
  const next = await batches.next();
  return next.done === true ? null : next.value;
}

async function* prepend(
  first: SourceRecord[],
  batches: AsyncGenerator<SourceRecord[], void, undefined>,
): AsyncGenerator<SourceRecord[], void, undefined> {
  try {
    if (first.length > 0) yield first;
    yield* batches;
  } finally {
    // Reached when the consumer breaks out early, even before `batches` was delegated to.
    await batches.return();
  }
}

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (Buffer.isBuffer(chunk)) return chunk;
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
