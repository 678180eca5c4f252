import fs from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../domain/access.js';
import { parseAuditAnchor, type AuditAnchor } from '../domain/audit-anchor.js';
import { ValidationError } from '../domain/errors.js';
import { publishAuditAnchor, takeAuditAnchor } from '../services/access/audit-anchor.service.js';
import { listAudit, verifyAuditChain } from '../services/access/audit.service.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** `candor audit verify | anchor | list`. */
export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'recompute the hash chain and check it still extends every anchor given; exits 1 and names every altered, removed or reordered entry',
    )
    .option(
      '--anchor <file...>',
      'an anchor written earlier by `candor audit anchor` (repeatable): the entry it names must still have its hash',
    )
    .option('--json', 'print as JSON')
    .action(async (opts: { anchor?: string[]; json?: boolean }) => {
      const anchors = (opts.anchor ?? []).map(readAnchorFile);
      const result = await withContext(io, (ctx) =>
        verifyAuditChain(systemActor(), ctx.database, { anchors }),
      );
      if (opts.json) printJson(io, result);
      else if (result.ok) {
        io.stdout.write(
          `Audit chain intact: ${result.entries} entries, head ${result.head.seq} ${result.head.hash}\n`,
        );
        io.stdout.write(
          anchors.length > 0
            ? `It still extends ${anchors.length === 1 ? 'the anchor' : `all ${anchors.length} anchors`} (${anchors.map((a) => `entry ${a.anchor.seq}`).join(', ')}).\n`
            : 'Without an anchor this shows the chain agrees with itself, not that nobody rewrote it: keep `candor audit anchor` copies elsewhere and pass them with --anchor.\n',
        );
      } else {
        io.stdout.write(`Audit chain BROKEN (${result.findings.length} findings):\n`);
        for (const f of result.findings) io.stdout.write(`  ${f.problem}: ${f.message}\n`);
      }
      if (!result.ok) io.exitCode = 1;
    });
  audit
    .command('anchor')
    .description(
      'print the chain head (sequence, hash, time) as a small JSON anchor to keep outside the database',
    )
    .option('--out <file>', 'write the anchor to this file instead of standard output')
    .option('--publish', 'also show it on the public security page (and record that in the log)')
    .action(async (opts: { out?: string; publish?: boolean }) => {
      const anchor = await withContext(io, (ctx) =>
        (opts.publish ? publishAuditAnchor : takeAuditAnchor)(systemActor(), ctx.database),
      );
      const text = `${JSON.stringify(anchor, null, 2)}\n`;
      if (opts.out) {
        fs.writeFileSync(opts.out, text);
        io.stderr.write(`Wrote the anchor of entry ${anchor.seq} to ${opts.out}.\n`);
      } else io.stdout.write(text);
      if (opts.publish)
        io.stderr.write(`Published: the security page shows entry ${anchor.seq} now.\n`);
    });
  audit
    .command('list')
    .description('the latest audit entries')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print as JSON')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const limit = Number.parseInt(opts.limit, 10);
      const entries = await withContext(io, (ctx) =>
        listAudit(systemActor(), ctx.database, { limit: Number.isInteger(limit) ? limit : 50 }),
      );
      if (opts.json) return printJson(io, entries);
      for (const e of entries) {
        io.stdout.write(
          `${e.seq}\t${e.at}\t${e.actor}\t${e.action}\t${e.objectType}${e.objectId ? `:${e.objectId}` : ''}\t${e.source}\n`,
        );
      }
    });
}

/** Reads one --anchor file; a missing or malformed one ends the command naming it. */
function readAnchorFile(file: string): { anchor: AuditAnchor; label: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliExit(
      `error: cannot read anchor ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      2,
    );
  }
  try {
    return { anchor: parseAuditAnchor(text, file), label: file };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const fields = error.errors.map((e) => `  ${e.field}: ${e.message}`).join('\n');
    throw new CliExit(`error: ${error.message}\n${fields}`, 2);
  }
}
