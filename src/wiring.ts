import fs from 'node:fs';
import type { Config } from './config.js';
import type { EmailTransport } from './channels/email/email-transport.js';
import { createEmailTransport } from './channels/email/smtp-connection-pool.js';
import { DispatchWorker } from './dispatch/dispatch-worker.js';
import { createDispatchRenderer } from './services/dispatch-renderer.js';
import { loadSecret } from './services/personal-token.js';
import { openDatabase, type Database } from './store/database.js';
import { migrateToLatest, type MigrationReport } from './store/migrator.js';

/**
 * The object graph every entry point (serve, worker, CLI) shares. Nothing else constructs
 * infrastructure; services receive only the parts they use.
 */
export interface AppContext {
  config: Config;
  database: Database;
  /** Dependencies in the shape services take them. */
  deps: {
    database: Database;
    defaultLanguage: Config['defaultLanguage'];
    secret: Buffer;
    publicUrl: string;
    messageIdDomain: string;
  };
  close(): Promise<void>;
}

/** Opens the store; with `migrate`, applies pending migrations and fails loudly if one fails. */
export async function createContext(
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<AppContext & { migrations: MigrationReport | null }> {
  const database = openDatabase(config.database);
  let migrations: MigrationReport | null = null;
  if (options.migrate) {
    migrations = await migrateToLatest(database);
    if (migrations.error) {
      await database.close();
      throw new Error(
        `migration ${migrations.error.migration ?? '(unknown)'} failed: ${migrations.error.message}`,
      );
    }
  }
  return { ...contextOn(config, database), migrations };
}

/** The context around an open store (tests build theirs with this too). */
export function contextOn(config: Config, database: Database): AppContext {
  return {
    config,
    database,
    deps: {
      database,
      defaultLanguage: config.defaultLanguage,
      secret: loadSecret(config.secret, config.dataDir),
      publicUrl: config.publicUrl,
      messageIdDomain: messageIdDomain(config),
    },
    close: () => database.close(),
  };
}

/** The Message-ID domain: the public URL's host (stable, and ours). */
function messageIdDomain(config: Config): string {
  return new URL(config.publicUrl).hostname || 'candor.localhost';
}

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

/** A dispatch worker on this context, with the notice renderer cached per dispatch. */
export function createWorker(
  ctx: AppContext,
  transport: EmailTransport,
  log?: (message: string, fields?: Record<string, unknown>) => void,
  overrides: { staleMs?: number; heartbeatMs?: number; pollMs?: number } = {},
): DispatchWorker {
  const renderers = new Map<number, ReturnType<typeof createDispatchRenderer>>();
  return new DispatchWorker({
    database: ctx.database,
    transport,
    rendererFor: (id) => {
      let renderer = renderers.get(id);
      if (!renderer) {
        renderer = createDispatchRenderer(id, ctx.deps);
        renderers.set(id, renderer);
        renderer.catch(() => renderers.delete(id));
      }
      return renderer;
    },
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
