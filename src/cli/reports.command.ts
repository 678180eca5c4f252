import fs from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../domain/access.js';
import { registerFilterSchema } from '../domain/reports/breach-register.js';
import { REPORT_KINDS, type ReportKind } from '../domain/reports/report-content.js';
import { exportRegister } from '../services/reports/register.service.js';
import {
  REPORT_EXPORT_FORMATS,
  exportReport,
  type ReportExportFormat,
} from '../services/reports/report-export.service.js';
import { createReport, findReportOfCase, listReports } from '../services/reports/report.service.js';
import type { AppContext } from '../wiring.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

const depsOf = (ctx: AppContext) => ({
  database: ctx.database,
  timeZone: ctx.config.workspace.defaultTimeZone,
});

function reportKind(kind: string): ReportKind {
  if (!(REPORT_KINDS as readonly string[]).includes(kind)) {
    throw new CliExit(`error: KIND must be one of ${REPORT_KINDS.join(', ')}`, 2);
  }
  return kind as ReportKind;
}

function language(lang: string | undefined): 'nl' | 'en' {
  if (lang === undefined) return 'nl';
  if (lang !== 'nl' && lang !== 'en') throw new CliExit('error: --lang must be nl or en', 2);
  return lang;
}

/** Writes to the file, or to stdout for "-". */
function writeOut(io: CliIo, output: string, body: Buffer): void {
  if (output === '-') io.stdout.write(body);
  else fs.writeFileSync(output, body);
}

/** `candor reports …` and `candor register …`: regulator reports and the breach register. */
export function registerReportCommands(program: Command, io: CliIo): void {
  // `reports export --version N` would otherwise print Candor's own version: the program's
  // options (--version, --help) count only before the subcommand, as usual for CLIs.
  program.enablePositionalOptions();
  const reports = program.command('reports').description('regulator reports (GDPR Art. 33, NIS2)');
  reports
    .command('list')
    .description('the reports of a case with their versions, status and deadline')
    .argument('<case>', 'case id or reference')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const view = await withContext(io, (ctx) => listReports(systemActor(), ref, depsOf(ctx)));
      if (opts.json) return printJson(io, view);
      if (view.reports.length === 0) io.stdout.write(`${view.caseReference}: no reports\n`);
      for (const r of view.reports) {
        const clock = view.clocks[r.kind];
        const due = clock ? ` due ${clock.dueAt}${clock.late ? ' (late)' : ''}` : '';
        io.stdout.write(`${r.kind} (report ${r.id})${due}\n`);
        for (const v of r.versions) {
          const approved = v.approvedBy ? ` approved by ${v.approvedBy}` : '';
          const submitted = v.submittedAt
            ? ` submitted ${v.submittedAt} ref ${v.authorityReference ?? '-'}`
            : '';
          io.stdout.write(`  v${v.version} ${v.status}${approved}${submitted}\n`);
        }
      }
    });

  reports
    .command('draft')
    .description('draft a report of a kind from the case facts; prints its id')
    .argument('<case>', 'case id or reference')
    .argument('<kind>', REPORT_KINDS.join(' | '))
    .action(async (ref: string, kind: string) => {
      const view = await withContext(io, (ctx) =>
        createReport(systemActor(), ref, reportKind(kind), depsOf(ctx)),
      );
      io.stdout.write(`${view.id}\n`);
    });

  reports
    .command('export')
    .description('write a report version as PDF, JSON or the AP form sheet (text)')
    .argument('<case>', 'case id or reference')
    .argument('<kind>', REPORT_KINDS.join(' | '))
    .requiredOption('--format <format>', REPORT_EXPORT_FORMATS.join(' | '))
    .requiredOption('-o, --output <file>', 'file to write, or - for stdout')
    .option('--version <n>', 'version number; default: the latest')
    .option('--lang <lang>', 'nl or en (PDF text, sheet labels); default nl')
    .action(
      async (
        ref: string,
        kind: string,
        opts: { format: string; output: string; version?: string; lang?: string },
      ) => {
        if (!(REPORT_EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
          throw new CliExit(
            `error: --format must be one of ${REPORT_EXPORT_FORMATS.join(', ')}`,
            2,
          );
        }
        const version = opts.version === undefined ? 'latest' : Number(opts.version);
        if (version !== 'latest' && (!Number.isInteger(version) || version < 1)) {
          throw new CliExit('error: --version must be a positive whole number', 2);
        }
        const file = await withContext(io, async (ctx) => {
          const deps = depsOf(ctx);
          const report = await findReportOfCase(systemActor(), ref, reportKind(kind), deps);
          return exportReport(
            systemActor(),
            report.id,
            version,
            opts.format as ReportExportFormat,
            { language: language(opts.lang) },
            deps,
          );
        });
        writeOut(io, opts.output, file.body);
        if (opts.output !== '-') io.stderr.write(`wrote ${opts.output} (${file.fileName})\n`);
      },
    );

  const register = program.command('register').description('the breach register (GDPR Art. 33(5))');
  register
    .command('export')
    .description('write the register as CSV (spreadsheet-safe) or PDF')
    .requiredOption('--format <format>', 'csv | pdf')
    .requiredOption('-o, --output <file>', 'file to write, or - for stdout')
    .option('--year <year>', 'only cases that became known in this year')
    .option('--kind <kind>', 'incident | advisory')
    .option('--notified <yes|no>', 'only cases notified (or not) to the authority')
    .option('--severity <level>', 'low | medium | high | very-high')
    .option('--lang <lang>', 'nl or en; default nl')
    .action(
      async (opts: {
        format: string;
        output: string;
        year?: string;
        kind?: string;
        notified?: string;
        severity?: string;
        lang?: string;
      }) => {
        if (opts.format !== 'csv' && opts.format !== 'pdf') {
          throw new CliExit('error: --format must be csv or pdf', 2);
        }
        const filter = registerFilterSchema.parse({
          year: opts.year,
          kind: opts.kind,
          notified: opts.notified,
          severity: opts.severity,
        });
        const format = opts.format;
        const file = await withContext(io, (ctx) =>
          exportRegister(
            systemActor(),
            format,
            filter,
            { language: language(opts.lang) },
            depsOf(ctx),
          ),
        );
        writeOut(io, opts.output, file.body);
        if (opts.output !== '-') io.stderr.write(`wrote ${opts.output}\n`);
      },
    );
}
