import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import {
  base64Bound,
  encodeWords,
  foldTokens,
  quotedPrintableBound,
  writeBase64,
  writeQuotedPrintable,
} from './mime-encoding.js';

/** A mailbox: an address with an optional display name. */
export interface MailAddress {
  name?: string | null;
  address: string;
}

/** One personal message, already rendered. */
export interface RawMessageInput {
  from: MailAddress | string;
  to: MailAddress | string;
  replyTo?: MailAddress | string;
  subject: string;
  html: string;
  text: string;
  /** With or without angle brackets: `abc@notices.example` or `<abc@notices.example>`. */
  messageId: string;
  date: Date;
  /** Extra fields such as `X-Candor-Delivery`; structural fields cannot be overridden. */
  headers?: Record<string, string>;
  /** Quoted-printable (default, readable source) or base64. */
  transferEncoding?: 'quoted-printable' | 'base64';
}

/** A header value or address that would break the message (CR/LF, bad address…). */
export class MimeHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MimeHeaderError';
  }
}

// Fields the builder writes itself; `headers` may not set them (nor smuggle recipients in).
const RESERVED = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'sender',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);
const FIELD_NAME = /^[!-9;-~]+$/;
const FORBIDDEN = /[\r\n\0]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;

// "=_" cannot occur in quoted-printable (every "=" is "=3D" or a soft break "=" CRLF) nor in
// base64 (padding "=" is followed by "=" or a line end), so the boundary never collides.
const BOUNDARY_PREFIX = `=_candor_${randomBytes(6).toString('hex')}_`;
let boundaryCounter = 0;

let scratch = Buffer.allocUnsafe(256 * 1024);

/**
 * Builds an RFC 5322 message: multipart/alternative with text/plain then text/html, both UTF-8,
 * quoted-printable (or base64), CRLF line endings. Any CR/LF in a header value throws
 * MimeHeaderError, so header injection is impossible.
 */
export function buildRawMessage(input: RawMessageInput): Buffer {
  const encoding = input.transferEncoding ?? 'quoted-printable';
  const boundary = `${BOUNDARY_PREFIX}${(boundaryCounter++).toString(36)}`;
  let head = `From: ${formatAddressField('From', input.from)}\r\n`;
  head += `To: ${formatAddressField('To', input.to)}\r\n`;
  if (input.replyTo !== undefined) {
    head += `Reply-To: ${formatAddressField('Reply-To', input.replyTo)}\r\n`;
  }
  head += `Subject: ${formatUnstructured('Subject', input.subject)}\r\n`;
  head += `Date: ${formatDate(input.date)}\r\n`;
  head += `Message-ID: ${formatMessageId(input.messageId)}\r\n`;
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    head += `${checkFieldName(name)}: ${formatUnstructured(name, value)}\r\n`;
  }
  head += 'MIME-Version: 1.0\r\n';
  head += `Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n`;
  const cte = encoding === 'base64' ? 'base64' : 'quoted-printable';
  const partHead = (type: string): string =>
    `--${boundary}\r\nContent-Type: text/${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n`;
  const textHead = partHead('plain');
  const htmlHead = `\r\n${partHead('html')}`;
  const tail = `\r\n--${boundary}--\r\n`;

  const text = Buffer.from(input.text, 'utf8');
  const html = Buffer.from(input.html, 'utf8');
  const bound = encoding === 'base64' ? base64Bound : quotedPrintableBound;
  const need =
    Buffer.byteLength(head, 'utf8') +
    textHead.length +
    htmlHead.length +
    tail.length +
    bound(text.length) +
    bound(html.length);
  if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
  const out = scratch;
  const write = encoding === 'base64' ? writeBase64 : writeQuotedPrintable;
  let o = out.write(head, 0, 'utf8');
  o += out.write(textHead, o, 'latin1');
  o = write(text, out, o);
  o += out.write(htmlHead, o, 'latin1');
  o = write(html, out, o);
  o += out.write(tail, o, 'latin1');
  // Copy out of the reused scratch buffer: one exact-size allocation per message.
  const message = Buffer.allocUnsafe(o);
  out.copy(message, 0, 0, o);
  return message;
}

function checkValue(field: string, value: string): string {
  if (FORBIDDEN.test(value)) {
    throw new MimeHeaderError(`${field}: line breaks are not allowed in a header value`);
  }
  return value;
}

function checkFieldName(name: string): string {
  if (!FIELD_NAME.test(name))
    throw new MimeHeaderError(`invalid header name: ${JSON.stringify(name)}`);
  if (RESERVED.has(name.toLowerCase())) {
    throw new MimeHeaderError(`${name} is set by the message builder and cannot be overridden`);
  }
  return name;
}

/** Unstructured field body (Subject, X-…): plain and folded at spaces, or encoded-words. */
function formatUnstructured(field: string, value: string): string {
  checkValue(field, value);
  const used = field.length + 2;
  const tokens = value.split(' ');
  if (
    PRINTABLE_ASCII.test(value) &&
    !value.includes('=?') &&
    tokens.every((t) => t.length <= 900)
  ) {
    return foldTokens(tokens, used);
  }
  return foldTokens(encodeWords(value, 76 - used), used);
}

/**
 * Why `mailbox` cannot be written as the header `field` (a line break in the name, an address
 * that is not one), or null when it can: what buildRawMessage would throw, without building.
 */
export function mailboxProblem(field: string, mailbox: MailAddress): string | null {
  try {
    formatAddressField(field, mailbox);
    return null;
  } catch (error) {
    if (error instanceof MimeHeaderError) return error.message;
    throw error;
  }
}

function toMailbox(value: MailAddress | string): MailAddress {
  return typeof value === 'string' ? { address: value } : value;
}

function formatAddressField(field: string, value: MailAddress | string): string {
  const { name, address } = toMailbox(value);
  checkValue(field, address);
  const at = address.lastIndexOf('@');
  if (at < 1 || at === address.length - 1 || /[\s<>()[\]\\,;:"]/.test(address)) {
    throw new MimeHeaderError(`${field}: not a valid address: ${JSON.stringify(address)}`);
  }
  // IDN domains go out as punycode; a non-ASCII local part needs SMTPUTF8 (RFC 6532).
  const rawDomain = address.slice(at + 1);
  const domain = PRINTABLE_ASCII.test(rawDomain)
    ? rawDomain
    : domainToASCII(rawDomain) || rawDomain;
  const angle = `<${address.slice(0, at)}@${domain}>`;
  if (!name) return angle.slice(1, -1);
  checkValue(field, name);
  const used = field.length + 2;
  if (PRINTABLE_ASCII.test(name) && !name.includes('=?')) {
    const atom = ATOM_PHRASE.test(name) && name === name.trim() && !name.includes('  ');
    const phrase = atom ? name : `"${name.replace(/(["\\])/g, '\\$1')}"`;
    return foldTokens([phrase, angle], used);
  }
  return foldTokens([...encodeWords(name, 76 - used), angle], used);
}

/** `Tue, 04 Mar 2025 14:20:00 +0000` (RFC 5322 3.3), always in UTC. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new MimeHeaderError('Date: invalid date');
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function formatMessageId(id: string): string {
  checkValue('Message-ID', id);
  const bare = id.startsWith('<') && id.endsWith('>') ? id.slice(1, -1) : id;
  if (!/^[!-;=?-~]+@[!-;=?-~]+$/.test(bare) || (bare.match(/@/g) ?? []).length !== 1) {
    throw new MimeHeaderError(`Message-ID: not a valid id: ${JSON.stringify(id)}`);
  }
  return `<${bare}>`;
}
