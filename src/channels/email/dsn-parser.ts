/**
 * Bounces after acceptance: RFC 3464 delivery status notifications, read from an .eml or
 * mbox file, turned into reports that name the original Message-ID and each recipient's
 * fate. Anything that is not a DSN (an out-of-office reply, a plain message, a mangled
 * report) becomes a problem naming the message and line; the rest of the file still counts.
 */
import { splitMessages } from './dsn-mbox.js';
import {
  decodeBody,
  findPart,
  parseMimePart,
  transferEncoding,
  type MimePart,
} from './dsn-mime.js';
import {
  decodeEncodedWords,
  headerValue,
  parseHeaderLines,
  type HeaderField,
} from './smtp-message-headers.js';

export { splitMbox, type MboxMessage } from './dsn-mbox.js';

export const DSN_ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'] as const;
export type DsnAction = (typeof DSN_ACTIONS)[number];

/** One per-recipient field group of a report. */
export interface DsnRecipient {
  /** The address the reporting MTA tried, without its `rfc822;` type and angle brackets. */
  finalRecipient: string;
  /** The address as the original sender gave it (ORCPT), when the MTA reports it. */
  originalRecipient?: string;
  action: DsnAction;
  /** RFC 3463 enhanced status code: 5.x.x permanent, 4.x.x temporary, 2.x.x success. */
  status: string;
  /** The remote server's reply, without its `smtp;` type, e.g. `550 5.1.1 User unknown`. */
  diagnosticCode?: string;
  /** The host that gave that reply, without its `dns;` type. */
  remoteMta?: string;
  /** Physical line of the group in the imported file. */
  line: number;
}

/** One delivery status notification. */
export interface DsnReport {
  /** 1-based position of the message in the file (always 1 for an .eml). */
  index: number;
  /**
   * The bounced message's Message-ID, angle brackets included (`<candor.12.345@example>`),
   * from the returned headers, else from Original-Envelope-Id; null when neither is there.
   */
  originalMessageId: string | null;
  originalMessageIdFrom: 'returned-headers' | 'envelope-id' | null;
  /** Original-Recipient of the first recipient group: the common single-recipient case. */
  originalRecipient?: string;
  recipients: DsnRecipient[];
  reportingMta?: string;
  /** Arrival-Date as ISO-8601 when it parses, else as written. */
  arrivalDate?: string;
  originalEnvelopeId?: string;
}

/** Why a message (or part of one) was not taken; `line` is a physical line of the file. */
export interface DsnProblem {
  index: number;
  line?: number;
  reason: string;
}

export interface DsnParseResult {
  reports: DsnReport[];
  problems: DsnProblem[];
  /** Messages found in the file. */
  messages: number;
}

const STATUS_PARTS = ['message/delivery-status', 'message/global-delivery-status'];
const RETURNED_HEADER_PARTS = ['text/rfc822-headers', 'message/global-headers'];
const RETURNED_MESSAGE_PARTS = ['message/rfc822', 'message/global'];

/** Parses an .eml (one message) or an mbox file (several); never throws on bad input. */
export function parseDsnFile(buffer: Buffer): DsnParseResult {
  const messages = splitMessages(buffer.toString('utf8'));
  const result: DsnParseResult = { reports: [], problems: [], messages: messages.length };
  if (messages.length === 0 || messages.every((m) => m.lines.every((l) => l.trim() === ''))) {
    result.problems.push({ index: 1, reason: 'the file contains no message' });
    return result;
  }
  messages.forEach((message, i) => {
    const { report, problems } = parseDsnMessage(message.lines, message.firstLine, i + 1);
    if (report) result.reports.push(report);
    result.problems.push(...problems);
  });
  return result;
}

/** Parses one message given as lines; `firstLine` is its physical line in the file. */
export function parseDsnMessage(
  lines: readonly string[],
  firstLine: number,
  index: number,
): { report: DsnReport | null; problems: DsnProblem[] } {
  const problems: DsnProblem[] = [];
  const problem = (reason: string, line?: number): void => {
    problems.push(line === undefined ? { index, reason } : { index, line, reason });
  };
  const root = parseMimePart(lines, firstLine);
  const statusPart = findPart(root, STATUS_PARTS);
  if (!statusPart) {
    problem(notADsn(root), firstLine);
    return { report: null, problems };
  }

  const groups = fieldGroups(statusPart);
  if (groups.length === 0) {
    problem('the delivery-status part is empty', statusPart.bodyLine);
    return { report: null, problems };
  }
  for (const group of groups) {
    for (const line of group.invalidLines) problem('not a "Name: value" field', line);
  }
  // RFC 3464 puts the per-message fields first; a report that starts straight with a
  // recipient group (seen from some appliances) has none.
  const first = groups[0]?.fields ?? [];
  const perMessage = headerValue(first, 'final-recipient') === undefined ? first : [];
  const recipientGroups = groups.slice(perMessage === first ? 1 : 0);

  const recipients: DsnRecipient[] = [];
  for (const group of recipientGroups) {
    const recipient = parseRecipient(group.fields, group.line, problem);
    if (recipient) recipients.push(recipient);
  }
  if (recipients.length === 0) {
    problem('the report has no usable recipient fields', statusPart.bodyLine);
    return { report: null, problems };
  }

  const envelopeId = headerValue(perMessage, 'original-envelope-id');
  const returnedId = returnedMessageId(root);
  const report: DsnReport = {
    index,
    originalMessageId:
      returnedId ?? (envelopeId ? normaliseMessageId(decodeXtext(envelopeId)) : null),
    originalMessageIdFrom: returnedId ? 'returned-headers' : envelopeId ? 'envelope-id' : null,
    recipients,
  };
  const originalRecipient = recipients.find((r) => r.originalRecipient)?.originalRecipient;
  if (originalRecipient) report.originalRecipient = originalRecipient;
  const reportingMta = headerValue(perMessage, 'reporting-mta');
  if (reportingMta) report.reportingMta = withoutType(reportingMta);
  const arrival = headerValue(perMessage, 'arrival-date');
  if (arrival) report.arrivalDate = isoDate(arrival);
  if (envelopeId) report.originalEnvelopeId = decodeXtext(envelopeId);
  return { report, problems };
}

/** Names what a non-DSN message is, so the operator recognises it in the mailbox. */
function notADsn(root: MimePart): string {
  const subject = headerValue(root.headers, 'subject');
  const about = subject ? `, Subject "${decodeEncodedWords(subject).slice(0, 80)}"` : '';
  const reportType = root.contentType.params['report-type'];
  if (root.contentType.type === 'multipart/report' && reportType !== 'delivery-status') {
    return `a ${reportType ?? 'untyped'} report, not a delivery status notification${about}`;
  }
  if (root.contentType.type === 'multipart/report') {
    return `a delivery report without a message/delivery-status part${about}`;
  }
  return `not a delivery status notification (Content-Type ${root.contentType.type}${about})`;
}

interface FieldGroup {
  fields: HeaderField[];
  invalidLines: number[];
  line: number;
}

/** Splits the delivery-status body into blank-line separated field groups. */
function fieldGroups(part: MimePart): FieldGroup[] {
  const lines = decodeBody(part);
  // A base64 or quoted-printable body has no physical lines of its own: point at its start.
  const encoded = ['base64', 'quoted-printable'].includes(transferEncoding(part));
  const groups: FieldGroup[] = [];
  let start = -1;
  const close = (end: number): void => {
    if (start === -1) return;
    const { fields, invalidLines } = parseHeaderLines(
      lines.slice(start, end),
      part.bodyLine + start,
    );
    if (encoded) for (const field of fields) field.line = part.bodyLine;
    groups.push({
      fields,
      invalidLines: encoded ? invalidLines.map(() => part.bodyLine) : invalidLines,
      line: encoded ? part.bodyLine : part.bodyLine + start,
    });
    start = -1;
  };
  lines.forEach((line, i) => {
    if (line.trim() === '') close(i);
    else if (start === -1) start = i;
  });
  close(lines.length);
  return groups;
}

function parseRecipient(
  fields: HeaderField[],
  groupLine: number,
  problem: (reason: string, line?: number) => void,
): DsnRecipient | null {
  const field = (name: string): HeaderField | undefined => fields.find((f) => f.key === name);
  const final = field('final-recipient');
  const action = field('action');
  const status = field('status');
  if (!final || withoutType(final.value) === '') {
    problem('a recipient group without Final-Recipient', groupLine);
    return null;
  }
  const actionValue =
    action?.value
      .replace(/\([^)]*\)/g, '')
      .trim()
      .toLowerCase() ?? '';
  if (!isAction(actionValue)) {
    const got = action ? `"${action.value}"` : 'missing';
    problem(`Action ${got} is not one of ${DSN_ACTIONS.join(', ')}`, action?.line ?? groupLine);
    return null;
  }
  const statusValue = /^\s*([245]\.\d{1,3}\.\d{1,3})(?![\d.])/.exec(status?.value ?? '')?.[1];
  if (!statusValue) {
    const got = status ? `"${status.value}"` : 'missing';
    problem(`Status ${got} is not an RFC 3463 code such as 5.1.1`, status?.line ?? groupLine);
    return null;
  }
  const recipient: DsnRecipient = {
    finalRecipient: address(final.value),
    action: actionValue,
    status: statusValue,
    line: groupLine,
  };
  const original = field('original-recipient');
  if (original) recipient.originalRecipient = address(original.value);
  const diagnostic = field('diagnostic-code');
  if (diagnostic) recipient.diagnosticCode = withoutType(diagnostic.value);
  const remote = field('remote-mta');
  if (remote) recipient.remoteMta = withoutType(remote.value);
  return recipient;
}

function isAction(value: string): value is DsnAction {
  return (DSN_ACTIONS as readonly string[]).includes(value);
}

/** The Message-ID from the returned headers or returned message, if any. */
function returnedMessageId(root: MimePart): string | null {
  const headersPart = findPart(root, RETURNED_HEADER_PARTS);
  if (headersPart) {
    const lines = decodeBody(headersPart);
    const end = lines.findIndex((l) => l.trim() === '');
    const { fields } = parseHeaderLines(end === -1 ? lines : lines.slice(0, end));
    const id = headerValue(fields, 'message-id');
    if (id) return normaliseMessageId(id);
  }
  const messagePart = findPart(root, RETURNED_MESSAGE_PARTS);
  const id = messagePart?.children[0] && headerValue(messagePart.children[0].headers, 'message-id');
  return id ? normaliseMessageId(id) : null;
}

/** `<id@host>` as Candor stores Message-IDs; a bare id gets its brackets back. */
function normaliseMessageId(value: string): string | null {
  const bracketed = /<[^<>\s]+>/.exec(value)?.[0];
  if (bracketed) return bracketed;
  const bare = value.trim().split(/\s+/)[0] ?? '';
  return bare === '' ? null : `<${bare}>`;
}

/** `rfc822; jan@example.nl` → `jan@example.nl` (also `dns;`, `smtp;`, `utf-8;`). */
function withoutType(value: string): string {
  const match = /^\s*[A-Za-z0-9-]+\s*;\s*([\s\S]*)$/.exec(value);
  return (match ? (match[1] ?? '') : value).trim();
}

function address(value: string): string {
  return withoutType(value)
    .replace(/^<(.*)>$/, '$1')
    .trim();
}

/** RFC 3461 xtext: `+2B` is `+`. */
function decodeXtext(value: string): string {
  return value
    .trim()
    .replace(/\+([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function isoDate(value: string): string {
  const time = Date.parse(value.replace(/\([^)]*\)/g, '').trim());
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}
