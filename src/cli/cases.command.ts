import fs from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../domain/access.js';
import { CASE_KINDS, CASE_STATES, type CaseUpdate, type CaseView } from '../domain/case.js';
import { importAffected } from '../services/cases/affected.service.js';
import {
  addCaseEvent,
  createCase,
  getCase,
  listCases,
  updateCase,
} from '../services/cases/case.service.js';
import {
  STATEMENT_KEYS,
  STATEMENT_LABELS,
  noticeTextGaps,
  type CaseStatements,
  type StatementsInput,
} from '../domain/statements.js';
import { getStatements, updateStatements } from '../services/cases/statement.service.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import { Progress } from './progress.js';
import type { CliIo } from './cli-io.js';

/** `candor cases …` and `candor affected …`. */
export function registerCaseCommands(program: Command, io: CliIo): void {
  const cases = program.command('cases').description('incidents and advisories');
  cases
    .command('create')
    .description('open a case; prints its id')
    .requiredOption('--kind <kind>', CASE_KINDS.join(' or '))
    .requiredOption('--title <title>', 'a short title')
    .option('--summary <text>', 'internal: what we know now, in a few sentences')
    .option(
      '--statement <key.lang=text>',
      'a customer-facing statement, e.g. what_happened.nl="…" (repeatable; keys: ' +
        `${STATEMENT_KEYS.join(', ')})`,
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--detected-at <iso>', 'when it was detected (ISO 8601)')
    .option('--aware-at <iso>', 'when you became aware: starts the legal clocks (ISO 8601)')
    .option('--json', 'print the case as JSON')
    .action(
      async (opts: {
        kind: string;
        title: string;
        summary?: string;
        statement: string[];
        detectedAt?: string;
        awareAt?: string;
        json?: boolean;
      }) => {
        const statements = parseStatements(opts.statement);
        const { view, texts } = await withContext(io, async (ctx) => {
          const view = await createCase(
            systemActor(),
            {
              kind: opts.kind as CaseView['kind'],
              title: opts.title,
              summary: opts.summary,
              ...(statements ? { statements } : {}),
              detectedAt: opts.detectedAt,
              awareAt: opts.awareAt,
            },
            ctx.deps,
          );
          return { view, texts: await getStatements(systemActor(), view.id, ctx.deps) };
        });
        if (opts.json) printJson(io, view);
        else io.stdout.write(`${view.id}\n`);
        io.stderr.write(opts.json ? '' : `Opened ${view.reference}: ${view.title}\n`);
        if (!opts.json) warnTextGaps(io, view.reference, texts);
      },
    );

  cases
    .command('list')
    .description('cases, newest first')
    .option('--state <state>', `only cases in this state (${CASE_STATES.join(', ')})`)
    .option('--json', 'print as JSON')
    .action(async (opts: { state?: string; json?: boolean }) => {
      if (opts.state && !(CASE_STATES as readonly string[]).includes(opts.state)) {
        throw new CliExit(`error: --state must be one of ${CASE_STATES.join(', ')}`, 2);
      }
      const list = await withContext(io, (ctx) =>
        listCases(
          systemActor(),
          { states: opts.state ? [opts.state as CaseView['state']] : undefined },
          ctx.deps,
        ),
      );
      if (opts.json) return printJson(io, list);
      for (const c of list) io.stdout.write(`${c.id}\t${c.reference}\t${c.state}\t${c.title}\n`);
    });

  cases
    .command('show')
    .description('a case and its timeline')
    .argument('<case>', 'id or reference')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const c = await withContext(io, (ctx) => getCase(systemActor(), ref, ctx.deps));
      if (opts.json) return printJson(io, c);
      io.stdout.write(
        `${c.reference} (${c.kind}, ${c.state}): ${c.title}\n` +
          (c.summary ? `${c.summary}\n` : '') +
          `aware at: ${c.awareAt ?? '—'}\n\nTimeline:\n` +
          c.events.map((e) => `  ${e.at}  ${e.kind.padEnd(9)} ${e.text}  (${e.actor})`).join('\n') +
          '\n',
      );
    });

  cases
    .command('update')
    .description('change title, summary, state or milestones')
    .argument('<case>', 'id or reference')
    .option('--title <title>')
    .option('--summary <text>')
    .option('--state <state>', CASE_STATES.join(' → '))
    .option('--detected-at <iso>')
    .option('--aware-at <iso>')
    .option('--contained-at <iso>')
    .option('--resolved-at <iso>')
    .option(
      '--override-reason <text>',
      'close although legal clocks still run or notices were never sent (the reason is audited)',
    )
    .option(
      '--statement <key.lang=text>',
      `set a customer-facing text (empty text removes it); KEY one of ${STATEMENT_KEYS.join(', ')}`,
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--json', 'print as JSON')
    .action(
      async (
        ref: string,
        opts: Omit<CaseUpdate, 'override'> & {
          json?: boolean;
          statement: string[];
          overrideReason?: string;
        },
      ) => {
        const { json, statement, overrideReason, ...fields } = opts;
        const update: CaseUpdate = {
          ...fields,
          ...(overrideReason !== undefined ? { override: { reason: overrideReason } } : {}),
        };
        const statements = parseStatements(statement);
        const { view, texts } = await withContext(io, async (ctx) => {
          const changed = Object.values(update).some((v) => v !== undefined);
          const view = changed
            ? await updateCase(systemActor(), ref, update, ctx.deps)
            : await getCase(systemActor(), ref, ctx.deps);
          const texts = statements
            ? (await updateStatements(systemActor(), ref, statements, ctx.deps)).statements
            : null;
          return { view, texts };
        });
        if (json) printJson(io, view);
        else io.stdout.write(`${view.reference} is ${view.state}\n`);
        if (texts) warnTextGaps(io, view.reference, texts);
      },
    );

  cases
    .command('event')
    .description('add a timeline event')
    .argument('<case>', 'id or reference')
    .requiredOption('--text <text>', 'what happened')
    .option('--kind <kind>', 'note, detected, aware, contained or resolved', 'note')
    .option('--at <iso>', 'when it happened (default: now)')
    .action(async (ref: string, opts: { text: string; kind: string; at?: string }) => {
      const event = await withContext(io, (ctx) =>
        addCaseEvent(
          systemActor(),
          ref,
          { kind: opts.kind as 'note', at: opts.at, text: opts.text },
          ctx.deps,
        ),
      );
      io.stdout.write(`${event.at}  ${event.kind}  ${event.text}\n`);
    });

  const affected = program.command('affected').description('who is affected by a case, and how');
  affected
    .command('import')
    .description(
      'upload an affected list: external_id plus impact columns; exits 3 when rows were rejected',
    )
    .argument('<case>', 'id or reference')
    .argument('<file>', 'CSV or JSONL file, or - for standard input')
    .option('--rejects <file>', 'write rejected rows here, with a reason column')
    .option('--json', 'print the summary as JSON')
    .action(async (ref: string, file: string, opts: { rejects?: string; json?: boolean }) => {
      const input = file === '-' ? io.stdin : openReadable(file);
      const progress = opts.json ? null : new Progress('importing', null, io.stderr);
      const summary = await withContext(io, (ctx) =>
        importAffected(
          systemActor(),
          ref,
          input as AsyncIterable<Buffer>,
          {
            source: file,
            rejects: opts.rejects ? fs.createWriteStream(opts.rejects) : undefined,
            onProgress: (rows) => progress?.update(rows, 0),
          },
          ctx.deps,
        ),
      ).finally(() => progress?.done());
      if (opts.json) printJson(io, summary);
      else {
        io.stdout.write(
          `Affected list of case ${summary.caseId}: ${summary.total} rows, ${summary.added} added, ${summary.updated} updated, ` +
            `${summary.duplicates} duplicates, ${summary.rejected} rejected; the list now holds ${summary.listSize}\n`,
        );
        for (const r of summary.rejects.slice(0, 20))
          io.stdout.write(`  line ${r.line}: ${r.field}: ${r.reason}\n`);
      }
      if (summary.rejected > 0) io.exitCode = 3;
    });
}

function openReadable(file: string): fs.ReadStream {
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a regular file');
  } catch (error) {
    throw new CliExit(`error: cannot read ${file}: ${(error as Error).message}`);
  }
  return fs.createReadStream(file, { highWaterMark: 1 << 20 });
}

/** `--statement what_happened.nl=text` options as statements input; null when none. */
function parseStatements(values: string[]): StatementsInput | null {
  if (values.length === 0) return null;
  const out: Record<string, Record<string, string>> = {};
  for (const value of values) {
    const match = /^([a-z_]+)\.(nl|en)=([\s\S]*)$/.exec(value);
    if (!match || !(STATEMENT_KEYS as readonly string[]).includes(match[1]!)) {
      throw new CliExit(
        `error: --statement ${JSON.stringify(value)}: expected KEY.LANG=TEXT with KEY one of ${STATEMENT_KEYS.join(', ')} and LANG nl or en`,
        2,
      );
    }
    (out[match[1]!] ??= {})[match[2]!] = match[3]!;
  }
  return out;
}

/** Says at once which texts a customer notice will lack, and how to add them. */
function warnTextGaps(io: CliIo, reference: string, statements: CaseStatements): void {
  const gaps = noticeTextGaps(statements);
  if (gaps.length === 0) return;
  const names = { nl: 'Dutch', en: 'English' } as const;
  const list = gaps.map((g) => `'${STATEMENT_LABELS[g.key].en}' in ${names[g.language]}`);
  const g = gaps[0]!;
  io.stderr.write(
    `note: a customer notice of ${reference} needs ${list.join(', ')}; add it with\n` +
      `  candor cases update ${reference} --statement ${g.key}.${g.language}="…"\n`,
  );
}
