import fs from 'node:fs';
import type { Command } from 'commander';
import { authorize, systemActor, type Actor } from '../domain/access.js';
import { LANGUAGES, type Language } from '../config.js';
import { findUserByUsername } from '../store/user.repository.js';
import { toUserView } from '../services/access/user.service.js';
import {
  approveNotice,
  createNotice,
  getNotice,
  updateNotice,
} from '../services/notices/notice.service.js';
import { checkNotice } from '../services/notices/notice-check.service.js';
import { approvalPreview } from '../services/notices/notice-approval.service.js';
import type { AppContext } from '../wiring.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** `candor notices …`: write, check and approve the messages of a case. */
export function registerNoticeCommands(program: Command, io: CliIo): void {
  const notices = program.command('notices').description('personal notices of a case');
  notices
    .command('create')
    .description(
      'create a notice for the affected customers from the built-in templates (nl and en); prints its id',
    )
    .argument('<case>', 'case id or reference')
    .option('--as <user>', 'the author (for the four-eyes rule); default: the CLI operator')
    .option('--json', 'print the notice as JSON')
    .action(async (ref: string, opts: { as?: string; json?: boolean }) => {
      const view = await withContext(io, async (ctx) =>
        createNotice(await actorFor(ctx, opts.as), ref, {}, ctx.deps),
      );
      if (opts.json) printJson(io, view);
      else io.stdout.write(`${view.id}\n`);
    });

  notices
    .command('show')
    .description('a notice with its texts and approval state')
    .argument('<notice>', 'notice id')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const view = await withContext(io, (ctx) => getNotice(systemActor(), noticeId(id), ctx.deps));
      if (opts.json) return printJson(io, view);
      io.stdout.write(
        `Notice ${view.id} (version ${view.version}, ${view.status}${view.approvedBy ? ` by ${view.approvedBy}` : ''})\n`,
      );
      if (view.voided)
        io.stdout.write(
          `Approval voided: ${view.voided.reason} — by ${view.voided.by} at ${view.voided.at}\n`,
        );
      io.stdout.write(`Content hash to approve: ${view.approvalHash}\n`);
      for (const [language, t] of Object.entries(view.texts)) {
        io.stdout.write(`\n--- ${language}: ${t.subject}\n${t.body}\n`);
      }
    });

  notices
    .command('edit')
    .description(
      'replace one language version from a Markdown file whose first line is the subject',
    )
    .argument('<notice>', 'notice id')
    .requiredOption('--language <lang>', LANGUAGES.join(' or '))
    .requiredOption(
      '--file <file>',
      'first line: subject; the rest: Markdown body with {{ placeholders }}',
    )
    .option('--as <user>', 'the editor; default: the CLI operator')
    .action(async (id: string, opts: { language: string; file: string; as?: string }) => {
      if (!(LANGUAGES as readonly string[]).includes(opts.language))
        throw new CliExit('error: --language must be nl or en', 2);
      const [subject = '', ...body] = fs.readFileSync(opts.file, 'utf8').split(/\r?\n/);
      const view = await withContext(io, async (ctx) => {
        const current = await getNotice(systemActor(), noticeId(id), ctx.deps);
        const texts = {
          ...current.texts,
          [opts.language as Language]: { subject, body: body.join('\n') },
        };
        return updateNotice(await actorFor(ctx, opts.as), noticeId(id), { texts }, ctx.deps);
      });
      io.stdout.write(`Notice ${view.id} is now version ${view.version} (${view.status})\n`);
    });

  notices
    .command('check')
    .description(
      'check placeholders and values for every recipient; exits 1 when something is wrong',
    )
    .argument('<notice>', 'notice id')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const check = await withContext(io, (ctx) =>
        checkNotice(systemActor(), noticeId(id), ctx.deps),
      );
      if (opts.json) printJson(io, check);
      else if (check.ok)
        io.stdout.write(
          `OK: checked against ${check.recipients.toLocaleString('en')} recipients\n`,
        );
      else for (const e of check.errors) io.stdout.write(`${e}\n`);
      if (!check.ok) io.exitCode = 1;
    });

  notices
    .command('approve')
    .description('approve a notice (four eyes: an approver who did not write it)')
    .argument('<notice>', 'notice id')
    .requiredOption('--as <user>', 'the approving user (needs the approver role; not an author)')
    .option(
      '--hash <hash>',
      'approve only if the content is still this hash (from `notices show` or an earlier run)',
    )
    .option('--quiet', 'do not print the content being approved')
    .action(async (id: string, opts: { as: string; hash?: string; quiet?: boolean }) => {
      const { notice } = await withContext(io, async (ctx) => {
        const actor = await actorFor(ctx, opts.as);
        // Refuse before printing anything that looks like an approval under way.
        authorize(actor, 'notices:approve');
        // Show exactly what is approved — texts with the case's statements and values in
        // place — and pin that hash, so a change in between is refused, not approved unseen.
        const preview = await approvalPreview(actor, noticeId(id), ctx.deps);
        if (!opts.quiet) {
          for (const l of preview.languages) {
            io.stdout.write(`--- ${l.language}: ${l.subject}\n${l.body}\n`);
            for (const [path, value] of Object.entries(l.values))
              io.stdout.write(`    ${path} = ${JSON.stringify(value)}\n`);
          }
        }
        io.stdout.write(`Approving content ${opts.hash ?? preview.hash}\n`);
        return approveNotice(
          actor,
          noticeId(id),
          { approvalHash: opts.hash ?? preview.hash },
          ctx.deps,
        );
      });
      io.stdout.write(
        `Notice ${notice.id} version ${notice.version} approved by ${notice.approvedBy} (content ${notice.approvedSnapshotHash})\n`,
      );
    });
}

/** The user a CLI action is done as; the operator's own identity when none is named. */
export async function actorFor(ctx: AppContext, username: string | undefined): Promise<Actor> {
  if (!username) return systemActor();
  const row = await findUserByUsername(ctx.database.db, username);
  if (!row || row.disabled_at) throw new CliExit(`error: no active user named "${username}"`);
  const user = toUserView(row);
  return { kind: 'user', userId: user.id, name: user.username, roles: user.roles, source: 'cli' };
}

/** Parses a numeric id argument. */
export function noticeId(value: string): number {
  if (!/^\d+$/.test(value))
    throw new CliExit(`error: expected a numeric id, got ${JSON.stringify(value)}`, 2);
  return Number(value);
}
