/**
 * mbox files: messages separated by `From ` postmark lines, with body lines that began with
 * `From ` escaped as `>From ` (mboxrd escapes `>From ` again, as `>>From `). Bounce
 * mailboxes exported from a mail client or `postfix`'s local delivery come this way.
 */

/** One message of an mbox file, unescaped. */
export interface MboxMessage {
  /** The message without its postmark line. */
  raw: Buffer;
  /** The postmark line, e.g. `From MAILER-DAEMON Fri Nov 27 10:12:03 2026`. */
  postmark: string;
  /** Physical line number (1-based) of the message's first line in the file. */
  line: number;
}

/** Lines of one message with the physical line number of the first one. */
export interface MessageLines {
  lines: string[];
  firstLine: number;
  postmark: string | null;
}

// A postmark follows an empty line (RFC 4155) and carries a time of day. Requiring both
// keeps an unescaped body line such as "From the security team:" inside its message.
const POSTMARK = /^From \S+.*\d\d?:\d\d/;

/** True when the text starts like an mbox file rather than a single message. */
export function looksLikeMbox(text: string): boolean {
  return /^\s*From /.test(text.slice(0, 200));
}

/** Splits file text into messages; without a leading postmark the whole text is one message. */
export function splitMessages(text: string): MessageLines[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (!looksLikeMbox(text)) return [{ lines, firstLine: 1, postmark: null }];
  const messages: MessageLines[] = [];
  let current: MessageLines | null = null;
  lines.forEach((line, i) => {
    const afterBlank = i === 0 || (lines[i - 1] ?? '').trim() === '';
    if (line.startsWith('From ') && (!current || (afterBlank && POSTMARK.test(line)))) {
      if (current) messages.push(trimTrailingBlank(current));
      current = { lines: [], firstLine: i + 2, postmark: line };
      return;
    }
    if (!current) return; // blank lines before the first postmark
    current.lines.push(/^>+From /.test(line) ? line.slice(1) : line);
  });
  if (current) messages.push(trimTrailingBlank(current));
  return messages;
}

/** The blank line before the next postmark belongs to the format, not to the message. */
function trimTrailingBlank(message: MessageLines): MessageLines {
  if (message.lines[message.lines.length - 1] === '') message.lines.pop();
  return message;
}

/** Splits an mbox file into its messages (a file without postmarks is one message). */
export function splitMbox(buffer: Buffer): MboxMessage[] {
  return splitMessages(buffer.toString('utf8')).map((message) => ({
    raw: Buffer.from(message.lines.map((l) => `${l}\r\n`).join(''), 'utf8'),
    postmark: message.postmark ?? '',
    line: message.firstLine,
  }));
}
