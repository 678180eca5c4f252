import fs from 'node:fs';
import type { Config } from '../config.js';
import type { EmailTransport } from '../channels/email/email-transport.js';
import { createEmailTransport } from '../channels/email/smtp-connection-pool.js';
import { createDispatchRenderer } from '../services/dispatch/dispatch-renderer.js';
import type { AppContext } from '../wiring.js';
import { DispatchWorker } from './dispatch-worker.js';

// Kept apart from wiring.ts so that commands which never send (imports, exports, users)
// do not load the SMTP client and the notice renderer: a smaller footprint for big imports.

/** The SMTP transport of this installation, towards `smtpUrl`. */
export function createTransport(config: Config, smtpUrl: string): EmailTransport {
  return createEmailTransport({
    url: smtpUrl,
    maxConnections: config.dispatch.connections,
    rateLimit: config.dispatch.rate ?? undefined,
    dkim: config.dkim
      ? {
          domainName: config.dkim.domainName,
          keySelector: config.dkim.keySelector,
          privateKey: fs.readFileSync(config.dkim.keyFile, 'utf8'),
        }
      : undefined,
  });
}

/** A dispatch worker on this context (it caches each running dispatch's renderer). */
export function createWorker(
  ctx: AppContext,
  transport: EmailTransport,
  log?: (message: string, fields?: Record<string, unknown>) => void,
  overrides: { staleMs?: number; heartbeatMs?: number; pollMs?: number } = {},
): DispatchWorker {
  return new DispatchWorker({
    database: ctx.database,
    transport,
    rendererFor: (id) => createDispatchRenderer(id, ctx.deps),
    inFlight: ctx.config.dispatch.inFlight,
    retry: {
      maxAttempts: ctx.config.dispatch.maxAttempts,
      baseDelayMs: ctx.config.dispatch.retryBaseMs,
      maxDelayMs: 6 * 3600_000,
    },
    heartbeatMs: ctx.config.dispatch.heartbeatMs,
    staleMs: ctx.config.dispatch.staleMs,
    log,
    ...overrides,
  });
}
