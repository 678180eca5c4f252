import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { seedDemo } from '../demo/demo-seed.js';
import { buildApp } from '../http/app.js';
import { migrateToLatest } from '../store/migrator.js';
import { openDatabase } from '../store/database.js';
import { createContext, type AppContext } from '../wiring.js';
import { CliExit } from './cli-context.js';

/** `candor serve`, `candor demo` and `candor migrate`. */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server (applies pending migrations first)')
    .action(async () => {
      const ctx = await createContext(loadConfig(), { migrate: true });
      logMigrations(ctx);
      await listen(ctx);
    });

  program
    .command('demo')
    .description('run the server with a seeded demo organisation (what `npm start` does)')
    .option('--customers <n>', 'synthetic customers to seed on first start', '20000')
    .action(async (opts: { customers: string }) => {
      const count = Number.parseInt(opts.customers, 10);
      if (!Number.isInteger(count) || count < 0)
        throw new CliExit('error: --customers must be a whole number', 2);
      const ctx = await createContext(loadConfig(), { migrate: true });
      const demo = await seedDemo(ctx, { customers: count });
      const url = await listen(ctx);
      process.stdout.write(
        [
          '',
          `Candor demo is running at ${url}`,
          `  API reference:  ${url}/api/docs`,
          `  Health:         ${url}/healthz`,
          `  Data:           ${ctx.config.dataDir}`,
          `  Customers:      ${demo.customers.toLocaleString('en')} in the registry`,
          `  Demo users (passwords in ${demo.credentialsFile}):`,
          ...demo.users.map((u) => `    ${u.username.padEnd(14)} ${u.roles.join(', ')}`),
          `  API token for "admin": ${demo.adminToken}`,
          `  Try: curl -H "Authorization: Bearer ${demo.adminToken}" ${url}/api/v1/customers?limit=3`,
          '',
        ].join('\n'),
      );
    });

  program
    .command('migrate')
    .description('apply pending database migrations; exits non-zero on failure')
    .action(async () => {
      const database = openDatabase(loadConfig().database);
      try {
        const report = await migrateToLatest(database);
        for (const name of report.applied) process.stdout.write(`applied ${name}\n`);
        if (report.error) {
          throw new CliExit(
            `error: migration ${report.error.migration ?? '(unknown)'} failed: ${report.error.message}`,
          );
        }
        if (report.applied.length === 0) process.stdout.write('database is up to date\n');
      } finally {
        await database.close();
      }
    });
}

function logMigrations(ctx: AppContext & { migrations: { applied: string[] } | null }): void {
  for (const name of ctx.migrations?.applied ?? [])
    process.stdout.write(`applied migration ${name}\n`);
}

async function listen(ctx: AppContext): Promise<string> {
  const app = await buildApp(ctx, { logger: true });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    void app
      .close()
      .then(() => ctx.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await app.listen({ host: ctx.config.host, port: ctx.config.port });
  return ctx.config.publicUrl;
}
