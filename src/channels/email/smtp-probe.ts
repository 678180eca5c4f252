import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';

/** The outcome of the last look at the relay. */
export interface SmtpProbeResult {
  ok: boolean;
  /** When it was taken (ms since the epoch). */
  at: number;
  /** How long the connect and EHLO took, or why they failed. */
  detail: string;
}

/**
 * Whether the mail relay answers: a TCP connect, its greeting and our EHLO, then QUIT. The
 * result is kept for `ttlMs`, and concurrent callers share one probe, so a load balancer
 * polling /readyz every second costs the relay one connection per interval, not per request.
 */
export class SmtpProbe {
  private last: SmtpProbeResult | null = null;
  private running: Promise<SmtpProbeResult> | null = null;

  constructor(
    private readonly url: string,
    private readonly options: { ttlMs?: number; timeoutMs?: number } = {},
  ) {}

  /** The cached result, refreshed first when it is older than the TTL. */
  async check(now = Date.now()): Promise<SmtpProbeResult> {
    if (this.last && now - this.last.at < (this.options.ttlMs ?? 10_000)) return this.last;
    this.running ??= this.probe().finally(() => (this.running = null));
    this.last = await this.running;
    return this.last;
  }

  private probe(): Promise<SmtpProbeResult> {
    const url = new URL(this.url);
    const timeout = this.options.timeoutMs ?? 3_000;
    const started = Date.now();
    const connection = new SMTPConnection({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    return new Promise((resolve) => {
      let settled = false;
      const done = (ok: boolean, detail: string) => {
        if (settled) return;
        settled = true;
        if (ok) connection.quit();
        else connection.close();
        resolve({ ok, at: Date.now(), detail });
      };
      // A refused connection reports through 'error', not the connect callback.
      connection.on('error', (error: Error) => done(false, error.message));
      connection.once('end', () => done(false, 'connection closed before EHLO'));
      connection.connect((error?: Error) =>
        error
          ? done(false, error.message)
          : done(true, `EHLO answered in ${Date.now() - started} ms`),
      );
    });
  }
}
