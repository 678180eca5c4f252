import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  buildLetters,
  DEFAULT_BATCH_SIZE,
  listLetterBatches,
  markLetterBatchPosted,
  type BuildLettersInput,
  type LetterBatch,
} from '../services/letters/letter.service.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import { actorFor } from './notices.command.js';
import type { CliIo } from './cli-io.js';

/** Exit code when some recipients could not get a letter (no postal address). */
const EXIT_PARTIAL = 3;
const SHOWN = 20;

function positive(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new CliExit(`error: ${what} must be a positive whole number (got ${value})`, 2);
  return Number(value);
}

/** A dispatch id (digits) or a case reference. */
function targetOf(value: string): BuildLettersInput['target'] {
  return /^\d+$/.test(value.trim())
    ? { dispatchId: Number(value.trim()) }
    : { caseRef: value.trim() };
}

/** `candor letters build|posted|list`: printed letters for those email cannot reach. */
export function registerLetterCommands(program: Command, io: CliIo): void {
  const letters = program
    .command('letters')
    .description('printed letters for recipients email cannot reach (no address, bounced, failed)');

  letters
    .command('build')
    .description(
      'print letters in batches: one merged PDF and a CSV manifest per batch; exits 3 when some recipients have no postal address',
    )
    .argument('<target>', 'a case reference (all its dispatches) or a dispatch id (digits)')
    .option('--out <dir>', 'where to write the PDFs and manifests', '.')
    .option('--batch <n>', `letters per PDF (default ${DEFAULT_BATCH_SIZE})`)
    .option('--reprint', 'print again for recipients who already have a letter')
    .option('--as <user>', 'who prints (for the audit log); default: the CLI operator')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        target: string,
        opts: { out: string; batch?: string; reprint?: boolean; as?: string; json?: boolean },
      ) => {
        const batchSize = opts.batch === undefined ? undefined : positive(opts.batch, '--batch');
        const started = Date.now();
        const written: string[] = [];
        const result = await withContext(io, async (ctx) =>
          buildLetters(
            await actorFor(ctx, opts.as),
            { target: targetOf(target), batchSize, reprint: Boolean(opts.reprint) },
            { ...ctx.deps, timeZone: ctx.config.workspace.defaultTimeZone },
            (batch, files) => {
              fs.mkdirSync(opts.out, { recursive: true, mode: 0o700 });
              const base = path.join(opts.out, `letters-${batch.dispatchId}-${batch.id}`);
              // Names, addresses and personal links: readable by the owner only.
              fs.writeFileSync(`${base}.pdf`, files.pdf, { mode: 0o600 });
              fs.writeFileSync(`${base}.csv`, files.manifest, { mode: 0o600 });
              written.push(`${base}.pdf`, `${base}.csv`);
            },
            (done) => {
              const seconds = Math.max((Date.now() - started) / 1000, 0.001);
              if (!opts.json)
                io.stderr.write(
                  `letters: ${done.toLocaleString('en')} printed, ${Math.round(done / seconds).toLocaleString('en')} letters/s\n`,
                );
            },
          ),
        );
        if (opts.json) printJson(io, { ...result, files: written });
        else {
          const lines = [
            `${result.letters} letter${result.letters === 1 ? '' : 's'} in ${result.batches.length} batch${result.batches.length === 1 ? '' : 'es'}`,
            ...result.batches.map(
              (b) =>
                `  batch ${b.id} (dispatch ${b.dispatchId}): ${b.letters} letters, ${b.pages} pages`,
            ),
            ...written.map((f) => `  wrote ${f}`),
            `not printable: ${result.notPrintable.length}`,
            ...result.notPrintable
              .slice(0, SHOWN)
              .map((n) => `  ${n.externalId} (dispatch ${n.dispatchId}): ${n.reasons.join(', ')}`),
          ];
          if (result.notPrintable.length > SHOWN)
            lines.push(`  … and ${result.notPrintable.length - SHOWN} more (use --json for all)`);
          io.stdout.write(`${lines.join('\n')}\n`);
        }
        if (result.notPrintable.length > 0) io.exitCode = EXIT_PARTIAL;
      },
    );

  letters
    .command('posted')
    .description('mark a batch as handed to the post: its letters become posted')
    .argument('<batch>', 'batch id')
    .option('--as <user>', 'who posted it (for the audit log); default: the CLI operator')
    .action(async (id: string, opts: { as?: string }) => {
      const { batch, changed } = await withContext(io, async (ctx) =>
        markLetterBatchPosted(await actorFor(ctx, opts.as), positive(id, 'batch'), ctx.deps),
      );
      io.stdout.write(
        changed
          ? `batch ${batch.id}: ${batch.letters} letters posted\n`
          : `batch ${batch.id} was already posted (${batch.postedAt ?? ''})\n`,
      );
    });

  letters
    .command('list')
    .description('the letter batches of a case')
    .argument('<case>', 'case reference or id')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const batches = await withContext(io, async (ctx) =>
        listLetterBatches(await actorFor(ctx, undefined), ref, ctx.deps),
      );
      if (opts.json) printJson(io, batches);
      else io.stdout.write(batches.map(describeBatch).join('') || 'no letter batches\n');
    });
}

function describeBatch(b: LetterBatch): string {
  return `batch ${b.id}  dispatch ${b.dispatchId}  ${b.state}  ${b.letters} letters  ${b.pages} pages  ${b.createdAt}${b.postedAt ? `  posted ${b.postedAt}` : ''}\n`;
}
