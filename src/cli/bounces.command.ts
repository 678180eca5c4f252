import fs from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../domain/access.js';
import { importBounces, type BounceImportSummary } from '../services/dispatch/bounce.service.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** Exit code when some bounces could not be matched or the file had problems. */
const EXIT_PARTIAL = 3;
const SHOWN = 20;

/** `candor bounces import FILE`: delivery status notifications from an .eml or mbox file. */
export function registerBounceCommands(program: Command, io: CliIo): void {
  const bounces = program
    .command('bounces')
    .description('bounces that came back after a server accepted a notice');

  bounces
    .command('import')
    .description(
      'mark deliveries bounced from delivery status notifications (.eml or mbox); exits 3 when some could not be matched or the file had problems',
    )
    .argument('<file>', 'an .eml file (one message) or an mbox file (several)')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      let buffer: Buffer;
      try {
        if (!fs.statSync(file).isFile()) throw new CliExit(`error: ${file} is not a regular file`);
        buffer = fs.readFileSync(file);
      } catch (error) {
        if (error instanceof CliExit) throw error;
        throw new CliExit(`error: cannot read ${file}: ${(error as Error).message}`);
      }
      const summary = await withContext(io, (ctx) =>
        importBounces(systemActor(), buffer, ctx.deps),
      );
      if (opts.json) printJson(io, summary);
      else io.stdout.write(describe(summary));
      if (summary.unmatched.length > 0 || summary.problems.length > 0) {
        io.exitCode = EXIT_PARTIAL;
      }
    });
}

function describe(s: BounceImportSummary): string {
  const lines = [
    `${s.messages} message${s.messages === 1 ? '' : 's'}, ${s.reports} delivery report${s.reports === 1 ? '' : 's'}`,
    `bounced: ${s.bounced} (already bounced: ${s.alreadyBounced})`,
    `not found: ${s.notFound}`,
    `delayed (noted, unchanged): ${s.delayed}; ignored: ${s.ignored}`,
    `problems: ${s.problems.length}`,
  ];
  for (const u of s.unmatched.slice(0, SHOWN)) {
    lines.push(
      `  message ${u.index}: ${u.recipient} ${u.messageId ?? '(no Message-ID)'}: ${u.reason}`,
    );
  }
  for (const d of s.delays.slice(0, SHOWN)) {
    lines.push(`  message ${d.index}: ${d.recipient} delayed (${d.status}), still being tried`);
  }
  for (const p of s.problems.slice(0, SHOWN)) {
    lines.push(
      `  message ${p.index}${p.line === undefined ? '' : `, line ${p.line}`}: ${p.reason}`,
    );
  }
  const more =
    Math.max(0, s.unmatched.length - SHOWN) +
    Math.max(0, s.delays.length - SHOWN) +
    Math.max(0, s.problems.length - SHOWN);
  if (more > 0) lines.push(`  … and ${more} more (use --json for all)`);
  return `${lines.join('\n')}\n`;
}
