import type { Command } from 'commander';
import type { MailCatcher } from '../channels/email/mail-catcher.js';
import { systemActor } from '../domain/access.js';
import {
  controlDispatch,
  getDispatchProgress,
  startDispatch,
  type DispatchProgress,
} from '../services/dispatch/dispatch.service.js';
import { createLogger, warnTo, type Logger } from '../logger.js';
import { listLiveWorkers } from '../store/delivery-queue.repository.js';
import type { AppContext } from '../wiring.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import { actorFor, noticeId } from './notices.command.js';
import type { CliIo } from './cli-io.js';

/** `candor dispatch NOTICE`, `candor dispatches …` and `candor worker`. */
export function registerDispatchCommands(program: Command, io: CliIo): void {
  program
    .command('dispatch')
    .description('send an approved notice to every affected customer')
    .argument('<notice>', 'notice id')
    .option('--as <user>', 'who starts it (for the audit log); default: the CLI operator')
    .option(
      '--wait',
      'show progress until every delivery is done (runs a worker here if none is running)',
    )
    .option('--json', 'print the final progress as JSON')
    .action(async (id: string, opts: { as?: string; wait?: boolean; json?: boolean }) => {
      await withContext(io, async (ctx) => {
        let progress = await startDispatch(await actorFor(ctx, opts.as), noticeId(id), ctx.deps);
        if (!opts.json)
          io.stderr.write(
            `Dispatch ${progress.id}: ${progress.total.toLocaleString('en')} deliveries queued\n`,
          );
        if (opts.wait) progress = await waitFor(io, ctx, progress.id, Boolean(opts.json));
        if (opts.json) printJson(io, progress);
        else if (!opts.wait) io.stdout.write(`${progress.id}\n`);
      });
    });

  const dispatches = program.command('dispatches').description('running and finished dispatches');
  dispatches
    .command('status')
    .argument('<dispatch>', 'dispatch id')
    .option('--wait', 'follow until done')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { wait?: boolean; json?: boolean }) => {
      await withContext(io, async (ctx) => {
        const progress = opts.wait
          ? await waitFor(io, ctx, noticeId(id), Boolean(opts.json))
          : await getDispatchProgress(systemActor(), noticeId(id), ctx.deps);
        if (opts.json) printJson(io, progress);
        else io.stdout.write(`${describe(progress)}\n`);
      });
    });
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    dispatches
      .command(action)
      .argument('<dispatch>', 'dispatch id')
      .description(`${action} a dispatch`)
      .action(async (id: string) => {
        const progress = await withContext(io, (ctx) =>
          controlDispatch(systemActor(), noticeId(id), action, ctx.deps),
        );
        io.stdout.write(`${describe(progress)}\n`);
      });
  }

  program
    .command('worker')
    .description('run a dispatch worker (several may run side by side on PostgreSQL)')
    .action(async () => {
      // JSON log lines on stdout (with the dispatch and delivery ids); the start line on stderr.
      let logger: Logger | undefined;
      const makeLogger = (config: AppContext['config']) =>
        (logger = createLogger(config.logLevel, undefined, { component: 'worker' }));
      await withContext(
        io,
        async (ctx) => {
          if (!ctx.config.smtpUrl)
            throw new CliExit('error: CANDOR_SMTP_URL is required for a worker');
          const { createTransport, createWorker } = await import('../dispatch/worker-wiring.js');
          const transport = createTransport(ctx.config, ctx.config.smtpUrl);
          const worker = createWorker(ctx, transport, warnTo(logger!));
          await worker.start();
          io.stderr.write(`worker ${worker.id} running\n`);
          logger!.info({ workerId: worker.id }, 'worker running');
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          await worker.stop();
          transport.close();
        },
        { logger: makeLogger },
      );
    });
}

/**
 * Follows a dispatch until nothing is queued, sending or deferred. Whenever no worker is
 * alive (none started, or the one that was died), it runs one here.
 */
async function waitFor(
  io: CliIo,
  ctx: AppContext,
  id: number,
  quiet: boolean,
): Promise<DispatchProgress> {
  let stop: (() => Promise<void>) | null = null;
  const ensureWorker = async () => {
    if (stop) return;
    const since = new Date(Date.now() - ctx.config.dispatch.staleMs).toISOString();
    if ((await listLiveWorkers(ctx.database.db, since)).length > 0) return;
    let smtpUrl = ctx.config.smtpUrl;
    let catcher: MailCatcher | null = null;
    if (!smtpUrl) {
      // As `serve` does without a relay: the embedded catcher keeps every mail in the data
      // dir's mailbox (the workspace shows it), so the README's recipe runs on its own.
      const { MailCatcher } = await import('../channels/email/mail-catcher.js');
      catcher = new MailCatcher({ dataDir: ctx.config.dataDir, port: 0 });
      smtpUrl = (await catcher.start()).url;
      if (!quiet)
        io.stderr.write(
          `no CANDOR_SMTP_URL: mail goes to the embedded mail catcher (mailbox in ${ctx.config.dataDir}, shown at /app/mailbox); nothing leaves this machine\n`,
        );
    }
    const { createTransport, createWorker } = await import('../dispatch/worker-wiring.js');
    const transport = createTransport(ctx.config, smtpUrl);
    const worker = createWorker(ctx, transport);
    await worker.start();
    stop = async () => {
      await worker.stop();
      transport.close();
      await catcher?.stop();
    };
  };
  const tty = Boolean(io.stderr.isTTY);
  try {
    for (;;) {
      await ensureWorker();
      const p = await getDispatchProgress(systemActor(), id, ctx.deps);
      if (!quiet) io.stderr.write(tty ? `\r${bar(p)}\x1b[K` : `${describe(p)}\n`);
      const open = p.counts.queued + p.counts.sending + p.counts.deferred;
      if (
        p.state === 'cancelled' ||
        p.state === 'completed' ||
        (open === 0 && p.state !== 'preparing')
      ) {
        if (!quiet && tty) io.stderr.write('\n');
        return p;
      }
      await new Promise((r) => setTimeout(r, tty ? 500 : 2000));
    }
  } finally {
    await (stop as (() => Promise<void>) | null)?.();
  }
}

function bar(p: DispatchProgress): string {
  const width = 30;
  const fraction = p.total ? p.done / p.total : 1;
  return `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(1)}% ${describe(p)}`;
}

function describe(p: DispatchProgress): string {
  const c = p.counts;
  const eta = p.etaSeconds === null ? '' : `, ETA ${Math.ceil(p.etaSeconds / 60)} min`;
  return (
    `dispatch ${p.id} ${p.state}: ${c.sent} sent, ${c.queued + c.sending} to go, ${c.deferred} deferred, ` +
    `${c.bounced} bounced, ${c.failed} failed, ${c.cancelled} cancelled of ${p.total} (${p.rate}/s${eta})`
  );
}
