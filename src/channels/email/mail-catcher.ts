import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import {
  DEFAULT_MAX_MESSAGES,
  Mailbox,
  type MailListPage,
  type MailListQuery,
} from './mail-catcher-mailbox.js';
import { headerSectionLines, parseHeaderLines } from './smtp-message-headers.js';

export type { MailListPage, MailListQuery, MailSummary } from './mail-catcher-mailbox.js';

/** The port the demo catcher asks for first. */
export const DEFAULT_CATCHER_PORT = 2525;
/** Larger messages are refused with 552: the demo sends notices, not archives. */
export const CATCHER_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

export interface MailCatcherOptions {
  /** The data dir; messages go to `<dataDir>/mailbox/`. */
  dataDir: string;
  /** Default 2525; if taken, a free port is used instead (see `start()`). 0 = any free port. */
  port?: number;
  /** Keep only the newest this many messages (default 10,000). */
  maxMessages?: number;
  /** Larger messages are refused with 552 (default CATCHER_MAX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
}

/** A stored message parsed for display, as the recipient's mail program would show it. */
export interface CaughtMail {
  id: string;
  receivedAt: string;
  /** Envelope recipients. */
  recipients: string[];
  subject: string;
  from: string;
  to: string;
  cc: string;
  date: string | null;
  messageId: string | null;
  text: string | null;
  /** The sender's HTML, unsanitised: render it in a sandboxed iframe, never inline. */
  html: string | null;
  /** Every header field as sent (unfolded, not decoded), in order. */
  headers: { name: string; value: string }[];
  attachments: { filename: string | null; contentType: string; size: number }[];
}

/** Where a started catcher listens. */
export interface MailCatcherAddress {
  /** Always 127.0.0.1: the catcher is for this machine only. */
  host: string;
  port: number;
  url: string;
  /** True when the configured port was taken and a free one was used instead. */
  fellBack: boolean;
}

/**
 * The demo's embedded SMTP server: with no CANDOR_SMTP_URL, notices are delivered here and
 * stored under the data dir, so a newcomer sees every mail without running a mail server.
 * It binds to 127.0.0.1 only and also refuses any connection that is not from loopback.
 */
export class MailCatcher {
  readonly mailbox: Mailbox;
  private readonly requestedPort: number;
  private readonly maxMessageBytes: number;
  private server: SMTPServer | null = null;
  private address: MailCatcherAddress | null = null;

  constructor(options: MailCatcherOptions) {
    this.requestedPort = options.port ?? DEFAULT_CATCHER_PORT;
    this.maxMessageBytes = options.maxMessageBytes ?? CATCHER_MAX_MESSAGE_BYTES;
    this.mailbox = new Mailbox(path.join(options.dataDir, 'mailbox'), {
      maxMessages: options.maxMessages ?? DEFAULT_MAX_MESSAGES,
    });
  }

  /** Opens the mailbox and listens; falls back to a free port if the configured one is taken. */
  async start(): Promise<MailCatcherAddress> {
    if (this.address) return this.address;
    await this.mailbox.open();
    let fellBack = false;
    let server = this.createServer();
    try {
      await listen(server, this.requestedPort);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      server = this.createServer();
      await listen(server, 0);
      fellBack = true;
    }
    this.server = server;
    const { address: host, port } = server.server.address() as AddressInfo;
    this.address = { host, port, url: `smtp://${host}:${port}`, fellBack };
    return this.address;
  }

  /** Stops accepting mail, lets transactions in flight finish (at most 2 s) and flushes the index. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.address = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.mailbox.close();
  }

  /** Summaries, newest first; see MailListQuery for paging and search. */
  async listMails(query: MailListQuery = {}): Promise<MailListPage> {
    return this.mailbox.list(query);
  }

  /** One message parsed for display, or null if the id is unknown or already pruned. */
  async readMail(id: string): Promise<CaughtMail | null> {
    const summary = this.mailbox.find(id);
    const raw = await this.mailbox.raw(id);
    if (!summary || !raw) return null;
    const parsed = await simpleParser(raw, { keepCidLinks: false });
    const { fields } = parseHeaderLines(headerSectionLines(raw));
    return {
      id,
      receivedAt: summary.receivedAt,
      recipients: summary.to,
      subject: parsed.subject ?? '',
      from: parsed.from?.text ?? '',
      to: addressText(parsed.to),
      cc: addressText(parsed.cc),
      date: parsed.date ? parsed.date.toISOString() : null,
      messageId: parsed.messageId ?? null,
      text: parsed.text ?? null,
      html: typeof parsed.html === 'string' ? parsed.html : null,
      headers: fields.map((field) => ({ name: field.name, value: field.value })),
      attachments: parsed.attachments.map((a) => ({
        filename: a.filename ?? null,
        contentType: a.contentType,
        size: a.size,
      })),
    };
  }

  /** The message exactly as received (for download as .eml), or null. */
  async raw(id: string): Promise<Buffer | null> {
    return this.mailbox.raw(id);
  }

  private createServer(): SMTPServer {
    const { mailbox, maxMessageBytes } = this;
    const server = new SMTPServer({
      name: 'candor-mail-catcher',
      banner: 'Candor demo mail catcher: mail is stored, never delivered',
      size: maxMessageBytes,
      rejectOversized: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      authOptional: true,
      logger: false,
      disableReverseLookup: true,
      closeTimeout: 2000,
      onConnect(session, callback) {
        if (isLoopback(session.remoteAddress)) return callback();
        callback(Object.assign(new Error('Local connections only'), { responseCode: 554 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Past the limit the message is refused anyway: stop holding it in memory.
          if (bytes <= maxMessageBytes) chunks.push(chunk);
        });
        stream.on('end', () => {
          if (stream.sizeExceeded) return callback(); // smtp-server answers 552 itself
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          };
          mailbox.add(Buffer.concat(chunks), envelope).then(
            (summary) => callback(null, `Caught as ${summary.id}`),
            // A full disk is the sender's cue to retry later, not to bounce the notice.
            (error: Error) =>
              callback(
                Object.assign(new Error(`Cannot store: ${error.message}`), { responseCode: 451 }),
              ),
          );
        });
      },
    });
    // A client that hangs up mid-transaction is its own problem, not the demo's.
    server.on('error', () => undefined);
    return server;
  }
}

function listen(server: SMTPServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}
