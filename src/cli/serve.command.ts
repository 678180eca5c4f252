import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import type { MailCatcher } from '../channels/email/mail-catcher.js';
import type { BackgroundLoops } from '../jobs/background-loops.js';
import { seedDemo } from '../demo/demo-seed.js';
import { migrateToLatest } from '../store/migrator.js';
import { openDatabase } from '../store/database.js';
import { createLogger, warnTo, type Logger } from '../logger.js';
import { createContext, type AppContext } from '../wiring.js';
import { CliExit } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** `candor serve`, `candor demo` and `candor migrate`. */
export function registerServeCommands(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the HTTP server and a dispatch worker (applies pending migrations first)')
    .option(
      '--no-worker',
      'do not run a dispatch worker in this process (run `candor worker` instead)',
    )
    .action(async (opts: { worker: boolean }) => {
      const config = loadConfig(io.env);
      const logger = createLogger(config.logLevel);
      const ctx = await createContext(config, { migrate: true, logger });
      for (const name of ctx.migrations?.applied ?? [])
        io.stdout.write(`applied migration ${name}\n`);
      const running = await run(ctx, opts.worker, logger);
      io.stdout.write(`Candor is running at ${running.url}\n${running.mailNote}\n`);
    });

  program
    .command('demo')
    .description('run the server with a seeded demo organisation (what `npm start` does)')
    .option('--customers <n>', 'synthetic customers to seed on first start', '20000')
    .action(async (opts: { customers: string }) => {
      const count = Number.parseInt(opts.customers, 10);
      if (!Number.isInteger(count) || count < 0)
        throw new CliExit('error: --customers must be a whole number', 2);
      // The demo's banner is the interface: request logs only when asked for.
      const config = loadConfig(io.env, { CANDOR_LOG_LEVEL: 'warn' });
      const logger = createLogger(config.logLevel);
      const ctx = await createContext(config, { migrate: true, logger });
      const running = await run(ctx, true, logger);
      const demo = await seedDemo(ctx, { customers: count });
      const url = running.url;
      io.stdout.write(
        [
          '',
          `Candor demo is running at ${url}`,
          `  Workspace:      ${url}/app   (log in as one of the users below)`,
          `  Security page:  ${url}/security   (feeds, CSAF: ${url}/.well-known/csaf/provider-metadata.json)`,
          `  API reference:  ${url}/api/docs`,
          `  Mailbox:        ${url}/app/mailbox   (${running.mailNote})`,
          `  Data:           ${ctx.config.dataDir}`,
          `  Customers:      ${demo.customers.toLocaleString('en')} in the registry`,
          ...demo.cases.map((c) => `  Case:           ${c}`),
          `  Demo users (passwords in ${demo.credentialsFile}):`,
          ...demo.users.map((u) => `    ${u.username.padEnd(14)} ${u.roles.join(', ')}`),
          `  API token for "admin": ${demo.adminToken}`,
          `  Try: curl -H "Authorization: Bearer ${demo.adminToken}" ${url}/api/v1/cases`,
          '',
        ].join('\n'),
      );
    });

  program
    .command('migrate')
    .description('apply pending database migrations; exits non-zero on failure')
    .action(async () => {
      const database = openDatabase(loadConfig(io.env).database);
      try {
        const report = await migrateToLatest(database);
        for (const name of report.applied) io.stdout.write(`applied ${name}\n`);
        if (report.error) {
          throw new CliExit(
            `error: migration ${report.error.migration ?? '(unknown)'} failed: ${report.error.message}`,
          );
        }
        if (report.applied.length === 0) io.stdout.write('database is up to date\n');
      } finally {
        await database.close();
      }
    });
}

/**
 * Starts the HTTP server, the embedded mail catcher when no relay is configured, and a
 * dispatch worker; stops them in reverse order on SIGINT/SIGTERM.
 */
async function run(
  ctx: AppContext,
  withWorker: boolean,
  logger: Logger,
): Promise<{ url: string; mailNote: string }> {
  // Loaded here, not at the top: the CLI's other commands should not carry the web server.
  const { buildApp } = await import('../http/app.js');
  const { MailCatcher } = await import('../channels/email/mail-catcher.js');
  const { createTransport } = await import('../dispatch/worker-wiring.js');
  let catcher: MailCatcher | null = null;
  let smtpUrl = ctx.config.smtpUrl;
  let mailNote = `mail goes to ${smtpUrl}`;
  if (!smtpUrl) {
    catcher = new MailCatcher({ dataDir: ctx.config.dataDir, port: ctx.config.catcherPort });
    const address = await catcher.start();
    smtpUrl = address.url;
    mailNote = `the embedded mail catcher at ${address.url} keeps every mail; nothing leaves this machine`;
  }
  const transport = createTransport(ctx.config, smtpUrl);
  // What /readyz checks besides the database and the relay; the worker joins once created.
  const running: Record<string, { alive(): boolean }> = {};
  let loops: BackgroundLoops | null = null;
  const app = await buildApp(ctx, {
    logger,
    smtpUrl,
    running,
    mailCatcher: catcher,
    onDispatchStarted: () => loops?.worker?.nudge(),
  });
  const { startBackgroundLoops } = await import('../jobs/background-loops.js');
  loops = await startBackgroundLoops(ctx, transport, {
    withWorker,
    log: warnTo(logger.child({ component: 'background' })),
    onError: (what, error) => logger.error({ err: error }, what),
  });
  Object.assign(running, loops.liveness);
  if (loops.worker) running.worker = loops.worker;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    void (async () => {
      await app.close();
      // Every loop has finished its round before the store closes under it.
      await loops?.stop();
      transport.close();
      await catcher?.stop();
      await ctx.close();
    })().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await app.listen({ host: ctx.config.host, port: ctx.config.port });
  return { url: ctx.config.publicUrl, mailNote };
}
