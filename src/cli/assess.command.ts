import type { Command } from 'commander';
import { z } from 'zod';
import {
  assessmentFactsSchema,
  describeFactIssues,
  type Assessment,
} from '../domain/assessment/assessment-facts.js';
import type { Locale } from '../domain/assessment/enisa-severity.js';
import { assess } from '../domain/assessment/notification-decision.js';
import { CliExit, printJson, readStdin } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** Usage error (no input): the sysexits convention commander also uses for bad options. */
export const EXIT_USAGE = 2;
/** EX_DATAERR: the facts document is not JSON or breaks the facts schema. */
export const EXIT_DATA = 65;

/** `candor assess [--json]`: a facts document on stdin, the assessment on stdout. No database. */
export function registerAssessCommands(program: Command, io: CliIo): void {
  program
    .command('assess')
    .description(
      'assess a facts document (JSON on stdin): ENISA severity and the GDPR Art. 33/34 and NIS2 Art. 23 advice; exits 65 on bad facts, 2 without input',
    )
    .option('--json', 'print the assessment as JSON')
    .option('--lang <language>', 'language of the explanation and reasons: en or nl', 'en')
    .action(async (opts: { json?: boolean; lang: string }) => {
      const lang = z.enum(['en', 'nl']).safeParse(opts.lang);
      if (!lang.success) throw new CliExit('error: --lang must be en or nl', EXIT_USAGE);
      const text = await readStdin(io);
      if (text.trim() === '')
        throw new CliExit(
          'error: no facts on stdin; usage: candor assess [--json] < facts.json (schema: docs/assessment-facts.schema.json)',
          EXIT_USAGE,
        );
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (error) {
        throw new CliExit(`error: stdin is not valid JSON: ${(error as Error).message}`, EXIT_DATA);
      }
      const parsed = assessmentFactsSchema.safeParse(document);
      if (!parsed.success) {
        const lines = describeFactIssues(parsed.error).map((e) => `  ${e.field}: ${e.message}`);
        throw new CliExit(['error: the facts are invalid', ...lines].join('\n'), EXIT_DATA);
      }
      const assessment = assess(parsed.data, lang.data);
      if (opts.json) printJson(io, assessment);
      else io.stdout.write(describe(assessment, lang.data));
    });
}

function describe(a: Assessment, locale: Locale): string {
  const nl = locale === 'nl';
  const level = {
    low: nl ? 'laag' : 'low',
    medium: nl ? 'gemiddeld' : 'medium',
    high: nl ? 'hoog' : 'high',
    'very-high': nl ? 'zeer hoog' : 'very high',
  }[a.severity.level];
  const yes = (b: boolean, y: string, n: string) => (b ? y : n);
  const lines = [
    `${nl ? 'Ernst (ENISA)' : 'Severity (ENISA)'}: ${a.severity.score} (${level})`,
    ...a.severity.explanation.map((l) => `  ${l}`),
    '',
    `${nl ? 'Toezichthouder (AVG art. 33)' : 'Supervisory authority (GDPR Art. 33)'}: ${yes(a.authority.notify, nl ? 'melden' : 'notify', nl ? 'niet melden' : 'do not notify')}`,
    ...a.authority.reasons.map((r) => `  - ${r}`),
    '',
    `${nl ? 'Betrokkenen (AVG art. 34)' : 'Data subjects (GDPR Art. 34)'}: ${yes(a.subjects.notify, nl ? 'informeren' : 'communicate', nl ? 'niet verplicht' : 'not required')}${a.subjects.publicCommunication ? (nl ? ' (openbare mededeling)' : ' (public communication)') : ''}`,
    ...a.subjects.reasons.map((r) => `  - ${r}`),
    '',
    `NIS2 (${nl ? 'art.' : 'Art.'} 23): ${yes(a.nis2.significant, nl ? 'significant incident' : 'significant incident', nl ? 'geen significant incident' : 'not significant')}`,
    ...a.nis2.reasons.map((r) => `  - ${r}`),
  ];
  return `${lines.join('\n')}\n`;
}
