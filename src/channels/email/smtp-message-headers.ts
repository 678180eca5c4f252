/**
 * RFC 5322 header sections as they arrive over SMTP: unfolding, lookup and RFC 2047
 * encoded-word decoding. Shared by the mail catcher (index fields) and the DSN parser
 * (MIME part headers and delivery-status field groups, which use the same syntax).
 */

/** One header field, unfolded. `line` is the physical line it starts on. */
export interface HeaderField {
  name: string;
  /** The name lower-cased, for lookups. */
  key: string;
  value: string;
  line: number;
}

/** The fields of a header section, and the lines that were neither a field nor a continuation. */
export interface ParsedHeaders {
  fields: HeaderField[];
  invalidLines: number[];
}

const FIELD = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:[ \t]*(.*)$/;

/**
 * Parses header lines (without line endings) into fields; continuation lines (leading
 * space or tab) are joined to the field before them with one space, as RFC 5322 unfolds.
 * `firstLine` is the physical line number of lines[0], so problems can name a line.
 */
export function parseHeaderLines(lines: readonly string[], firstLine = 1): ParsedHeaders {
  const fields: HeaderField[] = [];
  const invalidLines: number[] = [];
  lines.forEach((text, i) => {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(text)) {
      if (last) last.value = `${last.value} ${text.trim()}`.trim();
      else if (text.trim() !== '') invalidLines.push(firstLine + i);
      return;
    }
    const match = FIELD.exec(text);
    if (match?.[1] === undefined) {
      invalidLines.push(firstLine + i);
      return;
    }
    const name = match[1];
    fields.push({
      name,
      key: name.toLowerCase(),
      value: (match[2] ?? '').trim(),
      line: firstLine + i,
    });
  });
  return { fields, invalidLines };
}

/** The value of the first field with this name (case-insensitive), or undefined. */
export function headerValue(fields: readonly HeaderField[], name: string): string | undefined {
  const key = name.toLowerCase();
  return fields.find((field) => field.key === key)?.value;
}

/** The header section of a raw message (up to the first empty line), as lines. */
export function headerSectionLines(raw: Buffer): string[] {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : raw.length;
  // Header bytes are ASCII or, with SMTPUTF8, UTF-8; decoding as UTF-8 serves both.
  return raw.subarray(0, end).toString('utf8').split(/\r?\n/);
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * Decodes RFC 2047 encoded words (`=?utf-8?Q?Beveiligingsmelding?=`). Adjacent words are
 * joined before decoding, since a multi-byte character may be split across two of them;
 * an unknown charset leaves the word as it was rather than failing the whole value.
 */
export function decodeEncodedWords(value: string): string {
  let out = '';
  let pending: { charset: string; bytes: Buffer[]; source: string } | null = null;
  let last = 0;
  const flush = (): void => {
    if (pending) out += decodeBytes(pending.charset, Buffer.concat(pending.bytes), pending.source);
    pending = null;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, rawCharset = '', encoding = '', text = ''] = match;
    const between = value.slice(last, match.index);
    // RFC 2231 allows a language after the charset: utf-8*nl.
    const charset = rawCharset.split('*')[0]?.toLowerCase() ?? '';
    const bytes =
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-fA-F]{2})/g, (_m, hex: string) =>
                String.fromCharCode(parseInt(hex, 16)),
              ),
            'latin1',
          );
    if (pending && pending.charset === charset && between.trim() === '') {
      pending.bytes.push(bytes);
      pending.source += between + word;
    } else {
      flush();
      // Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
      out += last > 0 && between.trim() === '' ? '' : between;
      pending = { charset, bytes: [bytes], source: word };
    }
    last = match.index + word.length;
  }
  flush();
  return out + value.slice(last);
}

function decodeBytes(charset: string, bytes: Buffer, source: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return source;
  }
}
