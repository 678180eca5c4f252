import { CR, LF, NONE, indexOrNone, isBlankLine } from './line-scan.js';
import type { RecordParser, SourceRecord } from './source-record.js';
import {
  INVALID_UTF8_REASON,
  REPLACEMENT_CHAR,
  errorRecord,
  truncateRaw,
} from './source-record.js';

/** A JSONL line longer than this is rejected (its `raw` truncated) and skipped to its end. */
export const DEFAULT_JSONL_MAX_LINE_CHARS = 1024 * 1024;

/** Parser messages can quote a long stretch of the input; the line is in `raw` already. */
const MAX_MESSAGE_CHARS = 120;

export interface JsonlParserOptions {
  /** Report lines containing U+FFFD as invalid UTF-8 (true when decoding UTF-8). */
  checkUtf8: boolean;
  maxLineChars?: number;
}

/**
 * A push parser for JSON Lines: every non-blank line is one JSON object. A line that is not
 * valid JSON, or is valid JSON but not an object, becomes an error record.
 */
export class JsonlParser implements RecordParser {
  private readonly maxLineChars: number;
  private checkUtf8: boolean;
  private rest = '';
  private line = 1;
  private skipLf = false;
  private skipping = false;
  private waitFor = 0;

  constructor(options: JsonlParserOptions) {
    this.checkUtf8 = options.checkUtf8;
    this.maxLineChars = options.maxLineChars ?? DEFAULT_JSONL_MAX_LINE_CHARS;
  }

  push(text: string, out: SourceRecord[]): void {
    if (this.rest.length + text.length < this.waitFor) {
      this.rest += text;
      return;
    }
    this.parse(text, false, out);
  }

  end(out: SourceRecord[]): void {
    this.parse('', true, out);
  }

  trustReplacementChars(): void {
    this.checkUtf8 = false;
  }

  private parse(text: string, eof: boolean, out: SourceRecord[]): void {
    const buf = this.rest.length === 0 ? text : this.rest + text;
    const len = buf.length;
    this.rest = '';
    this.waitFor = 0;
    let pos = 0;
    if (this.skipLf && len > 0) {
      this.skipLf = false;
      if (buf.charCodeAt(0) === LF) pos = 1;
    }
    const checkUtf8 = this.checkUtf8 && buf.includes(REPLACEMENT_CHAR);
    let line = this.line;
    let nextLf = -1;
    let nextCr = -1;
    while (pos < len) {
      if (nextLf < pos) nextLf = indexOrNone(buf, '\n', pos);
      if (nextCr < pos) nextCr = indexOrNone(buf, '\r', pos);
      let eol = nextLf < nextCr ? nextLf : nextCr;
      if (eol === NONE) {
        if (!eof && !this.skipping && len - pos <= this.maxLineChars) break;
        if (!eof && !this.skipping) {
          const reason = `line too long (over ${this.maxLineChars} characters); only its start is kept`;
          out.push(errorRecord(line, truncateRaw(buf.slice(pos)), reason));
          line++;
          this.skipping = true;
        }
        if (!eof) {
          pos = len; // drop the rest of an over-long line
          break;
        }
        eol = len;
      }
      if (this.skipping) {
        this.skipping = false; // the over-long line ends here; it was reported already
      } else if (eol > pos) {
        const raw = buf.slice(pos, eol);
        if (!isBlankLine(raw)) out.push(parseLine(line, raw, checkUtf8));
        line++;
      } else {
        line++;
      }
      if (eol >= len) {
        pos = len;
      } else if (buf.charCodeAt(eol) === CR && eol + 1 >= len) {
        pos = len;
        this.skipLf = !eof;
      } else {
        pos = buf.charCodeAt(eol) === CR && buf.charCodeAt(eol + 1) === LF ? eol + 2 : eol + 1;
      }
    }
    if (pos < len) {
      this.rest = buf.slice(pos);
      this.waitFor = 2 * this.rest.length;
    }
    this.line = line;
  }
}

function parseLine(line: number, raw: string, checkUtf8: boolean): SourceRecord {
  if (checkUtf8 && raw.includes(REPLACEMENT_CHAR)) {
    return errorRecord(line, raw, INVALID_UTF8_REASON);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return errorRecord(line, raw, `invalid JSON: ${shorten(message)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return errorRecord(line, raw, 'expected a JSON object per line');
  }
  return { line, raw, kind: 'jsonl', value: value as Record<string, unknown> };
}

function shorten(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}…`;
}
