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
