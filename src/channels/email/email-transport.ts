import nodemailer from 'nodemailer';
import type { SendOutcome } from '../../domain/delivery.js';

/** How Candor talks to the mail relay. */
export interface EmailTransportOptions {
  /** smtp://user:pass@host:port or smtps://… */
  url: string;
  /** Parallel SMTP connections. */
  maxConnections?: number;
  /** Messages per second across all connections; undefined = as fast as the relay takes them. */
  rateLimit?: number;
  /** Socket timeouts, ms: a slow relay becomes a retried delivery, not a stuck worker. */
  timeoutMs?: number;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
}

/** A raw message and its envelope. */
export interface OutgoingMessage {
  from: string;
  to: string;
  raw: Buffer;
}

/** Sends pre-rendered messages over a pooled SMTP connection. */
export interface EmailTransport {
  send(message: OutgoingMessage): Promise<SendOutcome>;
  close(): void;
}

interface SmtpError {
  responseCode?: number;
  response?: string;
  code?: string;
  message?: string;
}

/**
 * A nodemailer pool fed raw messages: Candor builds MIME itself (src/channels/email/mime.ts),
 * because nodemailer's own MIME building caps a pool at about 1,400 msg/s here and raw
 * messages reach about 3,900.
 */
export function createEmailTransport(options: EmailTransportOptions): EmailTransport {
  const url = new URL(options.url);
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    maxConnections: options.maxConnections ?? 8,
    maxMessages: Infinity,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    ...(options.rateLimit ? { rateLimit: options.rateLimit, rateDelta: 1000 } : {}),
    ...(options.dkim ? { dkim: options.dkim } : {}),
  });
  return {
    async send(message) {
      try {
        const info = (await transporter.sendMail({
          envelope: { from: message.from, to: [message.to] },
          raw: message.raw,
        })) as { response?: string; rejected?: unknown[] };
        return { kind: 'accepted', response: info.response ?? '250 OK' };
      } catch (error) {
        return classifyError(error as SmtpError);
      }
    },
    close: () => transporter.close(),
  };
}

/** Maps nodemailer errors: SMTP replies keep their code; everything else is transient. */
export function classifyError(error: SmtpError): SendOutcome {
  const code = error.responseCode;
  if (typeof code === 'number' && code >= 400) {
    return { kind: 'rejected', code, response: (error.response ?? `${code}`).trim() };
  }
  return {
    kind: 'transient',
    reason: `${error.code ?? 'ERROR'}: ${error.message ?? 'connection failed'}`,
  };
}
