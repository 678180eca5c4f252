/**
 * One record read from an import file. `line` is the 1-based physical line where the record
 * starts; `raw` is its exact text without the line terminator (the lines of a multi-line
 * record joined with '\n'), so rejected records can be written back in the same format.
 */
export type SourceRecord =
  | { line: number; raw: string; kind: 'csv'; fields: string[] }
  | { line: number; raw: string; kind: 'jsonl'; value: Record<string, unknown> }
  | { line: number; raw: string; kind: 'error'; reason: string; column?: number };

/** A record the reader could not parse; `column` is 1-based when the problem has one. */
export type ErrorRecord = Extract<SourceRecord, { kind: 'error' }>;

/** The push-style parser interface shared by the CSV and JSONL readers. */
export interface RecordParser {
  /** Parses as much of `text` as forms complete records and appends them to `out`. */
  push(text: string, out: SourceRecord[]): void;
  /** Flushes the last record (the file need not end with a line terminator). */
  end(out: SourceRecord[]): void;
  /**
   * Stops reporting U+FFFD as invalid UTF-8: called once the raw bytes are seen to contain an
   * encoded U+FFFD, because from then on a decoded U+FFFD may be genuine text.
   */
  trustReplacementChars(): void;
}

/** The character TextDecoder substitutes for bytes that are not valid UTF-8. */
export const REPLACEMENT_CHAR = '\uFFFD';

export const INVALID_UTF8_REASON =
  'invalid UTF-8 byte sequence (is the file Windows-1252? try --encoding windows-1252)';

/** Builds an error record, leaving `column` out when there is none. */
export function errorRecord(
  line: number,
  raw: string,
  reason: string,
  column?: number,
): ErrorRecord {
  return column === undefined
    ? { line, raw, kind: 'error', reason }
    : { line, raw, kind: 'error', reason, column };
}

/** Shortens a line for an error record when the whole line cannot be kept in memory. */
export function truncateRaw(text: string, maxChars = 1024): string {
  return text.length <= maxChars ? text : text.slice(0, maxChars);
}
