import fs from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../domain/access.js';
import { confirmRemedyFromFile } from '../services/remedies/remedy-import.service.js';
import { listCaseRemedies } from '../services/remedies/remedy.service.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** Exit code when some lines were rejected (bad, or not a recipient of the case). */
const EXIT_PARTIAL = 3;
const SHOWN = 20;

/** `candor remedies …`: list a case's remedies, confirm them from the provider's systems. */
export function registerRemedyCommands(program: Command, io: CliIo): void {
  const remedies = program
    .command('remedies')
    .description('what customers must do per case, and who has done it');

  remedies
    .command('list')
    .description("a case's remedies with their completion counts")
    .argument('<case>', 'id or reference')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const list = await withContext(io, (ctx) => listCaseRemedies(systemActor(), ref, ctx.deps));
      if (opts.json) return printJson(io, list);
      if (list.remedies.length === 0) {
        io.stdout.write(`${list.case} has no remedies\n`);
        return;
      }
      for (const r of list.remedies) {
        const title = r.texts.en?.title ?? r.texts.nl?.title ?? '';
        io.stdout.write(
          `${r.position}. ${r.key} (${r.completion}${r.retired ? ', retired' : ''}): ${title}\n` +
            `   completed ${r.counts.completed} of ${r.counts.recipients}; confirmed by customers ${r.counts.customerConfirmed}, by provider ${r.counts.providerConfirmed}\n`,
        );
      }
    });

  remedies
    .command('confirm')
    .description(
      'confirm a remedy for customers from a CSV (external_id column) or JSONL file; exits 3 when lines were rejected',
    )
    .argument('<case>', 'id or reference')
    .argument('<remedy>', 'the remedy key')
    .argument('<file>', 'CSV or JSONL file, or - for standard input')
    .option('--withdraw', 'withdraw provider confirmations instead (the problem was found again)')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        ref: string,
        key: string,
        file: string,
        opts: { withdraw?: boolean; json?: boolean },
      ) => {
        const input = file === '-' ? io.stdin : openReadable(file);
        const summary = await withContext(io, (ctx) =>
          confirmRemedyFromFile(
            systemActor(),
            ref,
            key,
            input as AsyncIterable<Buffer>,
            { source: file, withdraw: opts.withdraw },
            ctx.deps,
          ),
        );
        if (opts.json) printJson(io, summary);
        else {
          const r = summary.result;
          const counts =
            r.action === 'confirm'
              ? `${r.confirmed} confirmed, ${r.alreadyConfirmed} already confirmed`
              : `${r.withdrawn} withdrawn, ${r.notConfirmed} not confirmed`;
          io.stdout.write(
            `${r.case} ${r.remedy}: ${summary.total} lines, ${counts}, ${r.completed} completed, ${r.reopened} reopened, ` +
              `${summary.duplicates} duplicates, ${summary.rejected} rejected\n`,
          );
          for (const x of summary.rejects.slice(0, SHOWN))
            io.stdout.write(`  line ${x.line}: ${x.field}: ${x.reason}\n`);
          if (summary.rejects.length > SHOWN)
            io.stdout.write(`  … and ${summary.rejected - SHOWN} more (use --json)\n`);
        }
        if (summary.rejected > 0) io.exitCode = EXIT_PARTIAL;
      },
    );
}

function openReadable(file: string): fs.ReadStream {
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a regular file');
  } catch (error) {
    throw new CliExit(`error: cannot read ${file}: ${(error as Error).message}`);
  }
  return fs.createReadStream(file, { highWaterMark: 1 << 20 });
}
