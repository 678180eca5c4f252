import fs from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { systemActor } from '../domain/access.js';
import { csvRecord } from '../ingest/csv-writer.js';
import {
  importCustomers,
  type ImportSummary,
} from '../services/customers/customer-import.service.js';
import {
  exportCustomers,
  listAttributeKeys,
  searchCustomers,
} from '../services/customers/customer.service.js';
import { customersToCsv, customersToJsonl } from '../demo/customer-generator.js';
import { CUSTOMER_FIELDS } from '../domain/customer.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import { Progress } from './progress.js';
import type { CliIo } from './cli-io.js';

/** Exit code when the import ran but some rows were rejected. */
export const EXIT_PARTIAL = 3;

const SHOWN_REJECTS = 20;

/** `candor customers …`: import, export, list and generate. */
export function registerCustomerCommands(program: Command, io: CliIo): void {
  const customers = program.command('customers').description('the customer registry');

  customers
    .command('import')
    .description(
      'import customers from CSV or JSONL (upsert by external_id); exits 3 when rows were rejected',
    )
    .argument('<file>', 'the file to import, or - for standard input')
    .option('--format <format>', 'csv or jsonl (default: detected)')
    .option('--delimiter <delimiter>', "',' or ';' or tab (default: detected)")
    .option('--encoding <encoding>', 'auto, utf8 or windows-1252', 'auto')
    .option('--dry-run', 'validate and count, change nothing')
    .option(
      '--rejects <file>',
      'write rejected rows here, in the input format, with a reason column',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: ImportCliOptions) => {
      const format = parseChoice('--format', opts.format, ['csv', 'jsonl']);
      const encoding = parseChoice('--encoding', opts.encoding, ['auto', 'utf8', 'windows-1252']);
      const delimiter = parseDelimiter(opts.delimiter);
      let input: NodeJS.ReadableStream;
      let size: number | null = null;
      if (file === '-') input = io.stdin;
      else {
        try {
          const stat = fs.statSync(file);
          if (!stat.isFile()) throw new CliExit(`error: ${file} is not a regular file`);
          size = stat.size;
          fs.accessSync(file, fs.constants.R_OK);
        } catch (error) {
          if (error instanceof CliExit) throw error;
          throw new CliExit(`error: cannot read ${file}: ${(error as Error).message}`);
        }
        input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
      }
      const rejects = opts.rejects ? fs.createWriteStream(opts.rejects) : undefined;
      const progress = opts.json ? null : new Progress('importing', size, io.stderr);
      const summary = await withContext(io, (ctx) =>
        importCustomers(
          systemActor(),
          input as AsyncIterable<Buffer>,
          {
            format,
            delimiter,
            encoding: encoding ?? 'auto',
            dryRun: Boolean(opts.dryRun),
            source: file === '-' ? 'stdin' : file,
            rejects,
            onProgress: (p) => progress?.update(p.rows, p.bytes),
          },
          ctx.deps,
        ),
      ).finally(() => progress?.done());
      if (opts.json) printJson(io, summary);
      else printSummary(io, file, summary, opts.rejects);
      if (summary.rejected > 0) io.exitCode = EXIT_PARTIAL;
    });

  customers
    .command('export')
    .description('export the registry as CSV, safe to open in a spreadsheet')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--delimiter <delimiter>', "',' or ';' or tab", ',')
    .action(async (opts: { out?: string; delimiter?: string }) => {
      const delimiter = parseDelimiter(opts.delimiter) ?? ',';
      const out = opts.out ? fs.createWriteStream(opts.out) : io.stdout;
      await withContext(io, async (ctx) => {
        const actor = systemActor();
        const keys = await listAttributeKeys(actor, ctx.deps);
        let text = csvRecord([...CUSTOMER_FIELDS, ...keys], { delimiter });
        for await (const page of exportCustomers(actor, ctx.deps)) {
          for (const c of page) {
            const row = [
              c.externalId,
              c.email,
              c.name,
              c.language,
              c.street,
              c.postalCode,
              c.city,
              c.country,
            ];
            for (const k of keys) row.push(stringify(c.attributes[k]));
            text += csvRecord(row, { delimiter, neutraliseFormulas: true });
          }
          if (!out.write(text)) await once(out, 'drain');
          text = '';
        }
        out.write(text);
      });
      if (out !== io.stdout) {
        out.end();
        await once(out, 'finish');
      }
    });

  customers
    .command('list')
    .description('search the registry by external id, email or name')
    .option('-q, --query <text>', 'external id, email, or part of a name')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print as JSON')
    .action(async (opts: { query?: string; limit: string; json?: boolean }) => {
      const limit = Number.parseInt(opts.limit, 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw new CliExit('error: --limit must be a whole number from 1 to 500', 2);
      }
      const page = await withContext(io, (ctx) =>
        searchCustomers(systemActor(), { q: opts.query, limit }, ctx.deps),
      );
      if (opts.json) return printJson(io, page);
      for (const c of page.items) {
        io.stdout.write(`${c.externalId}\t${c.email ?? ''}\t${c.name ?? ''}\t${c.language}\n`);
      }
    });

  customers
    .command('generate')
    .description('write realistic synthetic customers (Dutch and English) for demos and tests')
    .requiredOption('--count <n>', 'how many customers')
    .option('--seed <n>', 'random seed (same seed, same customers)', '1')
    .option('--format <format>', 'csv or jsonl', 'csv')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: { count: string; seed: string; format: string; out?: string }) => {
      const count = Number.parseInt(opts.count, 10);
      const seed = Number.parseInt(opts.seed, 10);
      if (!Number.isInteger(count) || count < 0)
        throw new CliExit('error: --count must be a whole number', 2);
      if (!Number.isInteger(seed)) throw new CliExit('error: --seed must be a whole number', 2);
      const format = parseChoice('--format', opts.format, ['csv', 'jsonl']);
      const out = opts.out ? fs.createWriteStream(opts.out) : io.stdout;
      const lines =
        format === 'jsonl' ? customersToJsonl(count, seed) : customersToCsv(count, seed);
      let buffer = '';
      for (const line of lines) {
        buffer += line;
        if (buffer.length > 1 << 20) {
          if (!out.write(buffer)) await once(out, 'drain');
          buffer = '';
        }
      }
      out.write(buffer);
      if (out !== io.stdout) {
        out.end();
        await once(out, 'finish');
        // Only with --out: without it stdout carries the data and must stay clean.
        const bytes = fs.statSync(opts.out as string).size;
        io.stdout.write(
          `Wrote ${count.toLocaleString('en')} synthetic customers (${(format ?? 'csv').toUpperCase()}, ` +
            `seed ${seed}, ${bytes.toLocaleString('en')} bytes) to ${opts.out}\n`,
        );
      }
    });
}

interface ImportCliOptions {
  format?: string;
  delimiter?: string;
  encoding?: string;
  dryRun?: boolean;
  rejects?: string;
  json?: boolean;
}

function parseChoice<T extends string>(
  flag: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new CliExit(
      `error: ${flag} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`,
      2,
    );
  }
  return value as T;
}

function parseDelimiter(value: string | undefined): ',' | ';' | '\t' | undefined {
  if (value === undefined || value === 'auto') return undefined;
  if (value === ',' || value === ';') return value;
  if (value === 'tab' || value === '\t' || value === '\\t') return '\t';
  throw new CliExit(`error: --delimiter must be ',', ';' or tab (got ${JSON.stringify(value)})`, 2);
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function printSummary(
  io: CliIo,
  file: string,
  s: ImportSummary,
  rejectsFile: string | undefined,
): void {
  const n = (v: number) => v.toLocaleString('en').padStart(12);
  const what = s.dryRun ? 'Dry run of' : 'Imported';
  const delimiter = s.delimiter === '\t' ? 'tab' : s.delimiter;
  io.stdout.write(
    `${what} ${file} (${s.format.toUpperCase()}, ${s.encoding}${delimiter ? `, delimiter ${delimiter}` : ''}) in ${(s.durationMs / 1000).toFixed(1)} s${s.dryRun ? ' — nothing was changed' : ''}\n` +
      `  total      ${n(s.total)}\n` +
      `  inserted   ${n(s.inserted)}\n` +
      `  updated    ${n(s.updated)}\n` +
      `  duplicates ${n(s.duplicates)}${s.duplicates ? '  (an external_id repeated in the file: the later line wins)' : ''}\n` +
      `  rejected   ${n(s.rejected)}\n`,
  );
  for (const d of s.duplicateLines.slice(0, SHOWN_REJECTS)) {
    io.stdout.write(
      `  line ${d.line}: external_id ${d.externalId} repeats line ${d.previousLine}; line ${d.line} wins\n`,
    );
  }
  if (s.rejected === 0) return;
  io.stdout.write('Rejected rows:\n');
  for (const r of s.rejects.slice(0, SHOWN_REJECTS)) {
    io.stdout.write(`  line ${r.line}: ${r.field}: ${r.reason}\n`);
  }
  if (s.rejected > SHOWN_REJECTS) {
    io.stdout.write(
      `  … and ${(s.rejected - SHOWN_REJECTS).toLocaleString('en')} more (see --json${rejectsFile ? ` or ${rejectsFile}` : ' or --rejects FILE'})\n`,
    );
  }
  if (rejectsFile)
    io.stdout.write(
      `Rejected rows were written to ${rejectsFile}; fix them there and import that file.\n`,
    );
}
