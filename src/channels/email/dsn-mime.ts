/**
 * The small MIME walk the DSN parser needs. mailparser folds a message/delivery-status part
 * into the message's `text` and drops its structure, so the report fields cannot be read
 * back from it; this walk keeps every part's lines and their physical line numbers, so a
 * problem can name the line in the imported file.
 */
import { parseHeaderLines, type HeaderField } from './smtp-message-headers.js';

/** A `Content-Type` value: type/subtype lower-cased, parameter names lower-cased. */
export interface ContentType {
  type: string;
  params: Record<string, string>;
}

/** One MIME part; `bodyLine` is the physical line number of bodyLines[0]. */
export interface MimePart {
  headers: HeaderField[];
  contentType: ContentType;
  bodyLines: string[];
  bodyLine: number;
  /** The parts of a multipart, or the embedded message of a message/rfc822. */
  children: MimePart[];
}

// A deeper nesting is not a bounce but a crafted message; stop walking instead of recursing.
const MAX_DEPTH = 12;

/** Parses a message (or part) given as lines; never throws. */
export function parseMimePart(lines: readonly string[], firstLine: number, depth = 0): MimePart {
  const blank = lines.findIndex((line) => line.trim() === '');
  const headerEnd = blank === -1 ? lines.length : blank;
  const { fields } = parseHeaderLines(lines.slice(0, headerEnd), firstLine);
  const contentType = parseContentType(fields.find((f) => f.key === 'content-type')?.value);
  const bodyLines = lines.slice(headerEnd + 1);
  const bodyLine = firstLine + headerEnd + 1;
  const part: MimePart = { headers: fields, contentType, bodyLines, bodyLine, children: [] };
  if (depth >= MAX_DEPTH) return part;
  const boundary = contentType.params.boundary;
  if (contentType.type.startsWith('multipart/') && boundary) {
    part.children = splitMultipart(bodyLines, boundary).map((child) =>
      parseMimePart(child.lines, bodyLine + child.offset, depth + 1),
    );
  } else if (isEmbeddedMessage(contentType.type)) {
    const decoded = decodeBody(part);
    part.children = [parseMimePart(decoded, bodyLine, depth + 1)];
  }
  return part;
}

/** message/rfc822 and its RFC 6533 UTF-8 twin carry a whole message. */
function isEmbeddedMessage(type: string): boolean {
  return type === 'message/rfc822' || type === 'message/global';
}

/** The body lines between boundary delimiters; a missing final delimiter ends at the last line. */
function splitMultipart(
  lines: readonly string[],
  boundary: string,
): { lines: string[]; offset: number }[] {
  const delimiter = `--${boundary}`;
  const parts: { lines: string[]; offset: number }[] = [];
  let current: { lines: string[]; offset: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith(delimiter)) {
      const rest = line.slice(delimiter.length).trimEnd();
      if (rest === '' || rest === '--') {
        if (current) parts.push(current);
        current = rest === '--' ? null : { lines: [], offset: i + 1 };
        if (rest === '--') break;
        continue;
      }
    }
    current?.lines.push(line);
  }
  if (current) parts.push(current);
  return parts;
}

/** Parses `type/subtype; name=value; name="quoted value"`; absent means text/plain. */
export function parseContentType(value: string | undefined): ContentType {
  if (!value) return { type: 'text/plain', params: {} };
  const [head = '', ...rest] = splitParams(value);
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq <= 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    let val = param.slice(eq + 1).trim();
    if (val.startsWith('"') && val.endsWith('"') && val.length >= 2) {
      val = val.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    params[name] = val;
  }
  const type = head.trim().toLowerCase().replace(/\s+/g, '');
  return { type: type.includes('/') ? type : 'text/plain', params };
}

/** Splits on semicolons outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    if (ch === '\\' && quoted) {
      current += ch + (value[i + 1] ?? '');
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

/**
 * The body as text lines after undoing its Content-Transfer-Encoding. Report parts are
 * almost always 7bit; a base64 or quoted-printable one loses its line numbers (every line
 * then points at the start of the body, see bodyLine).
 */
export function decodeBody(part: MimePart): string[] {
  const encoding = transferEncoding(part);
  if (encoding === 'base64') {
    return Buffer.from(part.bodyLines.join(''), 'base64').toString('utf8').split(/\r?\n/);
  }
  if (encoding === 'quoted-printable') {
    const joined = part.bodyLines
      .map((l) => (l.endsWith('=') ? l.slice(0, -1) : `${l}\n`))
      .join('');
    const bytes = Buffer.from(
      joined.replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      ),
      'latin1',
    );
    return bytes.toString('utf8').replace(/\n$/, '').split('\n');
  }
  return [...part.bodyLines];
}

/** The Content-Transfer-Encoding, lower-cased; '' when absent (7bit). */
export function transferEncoding(part: MimePart): string {
  const value = part.headers.find((f) => f.key === 'content-transfer-encoding')?.value ?? '';
  return value.trim().toLowerCase();
}

/** Depth-first search for the first part whose type is one of `types`. */
export function findPart(part: MimePart, types: readonly string[]): MimePart | undefined {
  if (types.includes(part.contentType.type)) return part;
  for (const child of part.children) {
    const found = findPart(child, types);
    if (found) return found;
  }
  return undefined;
}
