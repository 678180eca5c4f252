import fs from 'node:fs';
import type { Command } from 'commander';
import { systemActor } from '../domain/access.js';
import { postureJsonSchema, type PostureDocument } from '../domain/posture/posture-document.js';
import { postureDocument, savePostureDraft } from '../services/publication/posture.service.js';
import { CliExit, printJson, readStdin, withContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

function versionOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value))
    throw new CliExit('error: --version must be a number (1, 2, …)', 2);
  return Number(value);
}

/** The statement as text, for a terminal. */
function showText(doc: PostureDocument, language: 'nl' | 'en'): string {
  const lines = [
    `${doc.organisation} — posture statement version ${doc.version}, published ${doc.publishedAt.slice(0, 10)}`,
    `valid until ${doc.validUntil}${doc.lapsed ? ' — LAPSED' : ''}`,
    '',
    'measures:',
    ...doc.measures.map(
      (m) =>
        `  ${(m.article ?? 'own').padEnd(20)} ${m.status.padEnd(15)} ${m.expired ? 'EXPIRED ' : ''}until ${m.validUntil ?? '-'}  ${m.title[language]}`,
    ),
    '',
    'commitments:',
  ];
  for (const c of doc.commitments) {
    lines.push(`  ${c.id} (${c.kind} within ${c.hours} h): ${c.text[language]}`);
    if (c.record.length === 0) lines.push('    no cases yet');
    for (const y of c.record) {
      const missed = y.missedCases.map((m) => m.reference ?? '(not public)').join(', ');
      lines.push(
        `    ${y.year}: kept ${y.kept}, missed ${y.missed}, pending ${y.pending}${missed ? ` — missed: ${missed}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `candor posture …`: the public security posture statement (docs/posture.md). */
export function registerPostureCommands(program: Command, io: CliIo): void {
  const posture = program
    .command('posture')
    .description('the public security posture statement (/security/posture)');
  posture
    .command('show')
    .description(
      'the published statement: measures with their validity, commitments with their record',
    )
    .option('--version <n>', 'an earlier published version')
    .option('--lang <lang>', 'nl or en', 'nl')
    .action(async (opts: { version?: string; lang: string }) => {
      if (opts.lang !== 'nl' && opts.lang !== 'en') {
        throw new CliExit('error: --lang must be nl or en', 2);
      }
      const version = versionOf(opts.version);
      const doc = await withContext(io, (ctx) => postureDocument(systemActor(), ctx.deps, version));
      io.stdout.write(showText(doc, opts.lang));
    });
  posture
    .command('export')
    .description('the published statement as JSON, exactly as /security/posture.json serves it')
    .option('--version <n>', 'an earlier published version')
    .option('--schema', 'print the JSON Schema instead')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { version?: string; schema?: boolean; out?: string }) => {
      const version = versionOf(opts.version);
      const value = await withContext(io, async (ctx) =>
        opts.schema
          ? postureJsonSchema(ctx.config.publicUrl)
          : postureDocument(systemActor(), ctx.deps, version),
      );
      if (opts.out) fs.writeFileSync(opts.out, `${JSON.stringify(value, null, 2)}\n`);
      else printJson(io, value);
    });
  posture
    .command('draft')
    .description(
      "write the draft from a JSON file (the API's PUT body); a second person approves it in the workspace or API",
    )
    .argument('<file>', 'JSON file, or - for stdin')
    .action(async (file: string) => {
      const text = file === '-' ? await readStdin(io) : fs.readFileSync(file, 'utf8');
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch (error) {
        throw new CliExit(`error: ${file}: not JSON (${(error as Error).message})`, 2);
      }
      const view = await withContext(io, (ctx) => savePostureDraft(systemActor(), input, ctx.deps));
      io.stdout.write(`draft saved (${view.state}), content ${view.contentHash.slice(0, 12)}\n`);
    });
}
