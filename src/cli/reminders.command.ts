import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { EffectMeasure } from '../domain/reminders/reminder.js';
import { getReminderOverview } from '../services/remedies/reminder-overview.service.js';
import {
  escalateToLetters,
  previewEscalation,
  saveEscalationRule,
} from '../services/remedies/reminder-escalation.service.js';
import { createReminderRule, runDueReminders } from '../services/remedies/reminder.service.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import { actorFor } from './notices.command.js';
import type { CliIo } from './cli-io.js';

function whole(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new CliExit(`error: ${what} must be a whole number (got ${value})`, 2);
  return Number(value);
}

function pct(v: number | null): string {
  return v === null ? '–' : `${(v * 100).toFixed(1)} %/day`;
}

function describeMeasure(name: string, m: EffectMeasure): string {
  const factor = m.factor === null ? '' : `  ×${m.factor.toFixed(2)}`;
  return `    ${name}: before ${m.before.done}/${m.before.open} ${pct(m.before.ratePerDay)}  after ${m.after.done}/${m.after.open} ${pct(m.after.ratePerDay)}${factor}\n`;
}

/** `candor reminders add|run|list|escalate`: follow-up notices to those not done, and letters. */
export function registerReminderCommands(program: Command, io: CliIo): void {
  const reminders = program
    .command('reminders')
    .description(
      'reminder rules: follow-up notices to recipients who are not done, and escalation to letters',
    );

  reminders
    .command('add')
    .description('add a reminder rule to a case')
    .argument('<case>', 'case reference or id')
    .requiredOption('--notice <id>', 'the follow-up notice (a personal notice of the case)')
    .requiredOption('--days <n>', 'days after the first dispatch, and between sends')
    .option('--condition <c>', 'not-acknowledged | not-completed', 'not-acknowledged')
    .option('--remedy <key>', 'the remedy, for not-completed')
    .option('--max-sends <n>', 'reminders per recipient, at most', '1')
    .option('--as <user>', 'who adds it (for the audit log)')
    .action(
      async (
        ref: string,
        opts: {
          notice: string;
          days: string;
          condition: string;
          remedy?: string;
          maxSends: string;
          as?: string;
        },
      ) => {
        const rule = await withContext(io, async (ctx) =>
          createReminderRule(
            await actorFor(ctx, opts.as),
            ref,
            {
              noticeId: whole(opts.notice, '--notice'),
              condition: opts.condition as 'not-acknowledged',
              remedy: opts.remedy,
              days: whole(opts.days, '--days'),
              maxSends: whole(opts.maxSends, '--max-sends'),
            },
            ctx.deps,
          ),
        );
        io.stdout.write(
          `rule ${rule.id}: ${rule.condition}${rule.remedy ? ` ${rule.remedy}` : ''} after ${rule.days} days, at most ${rule.maxSends}×, notice ${rule.noticeId}${rule.noticeApproved ? '' : ' (not approved yet: it will not send until it is)'}\n`,
        );
      },
    );

  reminders
    .command('run')
    .description(
      'send the reminders that are due now (what the background checker does every minute)',
    )
    .option('--case <case>', 'only this case')
    .option('--as <user>', 'who sends (for the audit log)')
    .option('--json', 'print the outcome per rule as JSON')
    .action(async (opts: { case?: string; as?: string; json?: boolean }) => {
      const results = await withContext(io, async (ctx) =>
        runDueReminders(await actorFor(ctx, opts.as), ctx.deps, { caseRef: opts.case }),
      );
      if (opts.json) return printJson(io, results);
      io.stdout.write(
        results
          .map(
            (r) =>
              `rule ${r.ruleId} (case ${r.caseId}): ${r.outcome}: ${r.message}${r.withdrawn ? ` (${r.withdrawn} withdrawn from the queue)` : ''}\n`,
          )
          .join('') || 'no reminder rules\n',
      );
      if (results.some((r) => r.outcome === 'refused')) io.exitCode = 3;
    });

  reminders
    .command('list')
    .description('the rules of a case, the reminders sent, their effect and the escalation')
    .argument('<case>', 'case reference or id')
    .option('--json', 'print as JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const o = await withContext(io, async (ctx) =>
        getReminderOverview(await actorFor(ctx, undefined), ref, ctx.deps),
      );
      if (opts.json) return printJson(io, o);
      const out: string[] = [`case ${o.reference}: ${o.rules.length} rule(s)\n`];
      for (const r of o.rules)
        out.push(
          `  rule ${r.id}: ${r.condition}${r.remedy ? ` ${r.remedy}` : ''} after ${r.days} days, ${r.runs}/${r.maxSends} sent, notice ${r.noticeId}${r.noticeApproved ? '' : ' NOT APPROVED'}, next ${r.nextDueAt ?? '–'}${r.refusal ? `\n    not sent: ${r.refusal}` : ''}\n`,
        );
      for (const s of o.sends) {
        out.push(
          `  sent ${s.at}: rule ${s.ruleId} run ${s.runNo}, ${s.recipients} of ${s.selected} chosen, dispatch ${s.dispatchId ?? '–'}\n`,
        );
        const e = o.effect.find((x) => x.sendId === s.id);
        if (e) {
          out.push(describeMeasure('acknowledged', e.acknowledged));
          if (e.completed) out.push(describeMeasure('completed', e.completed));
        }
      }
      const x = o.escalation;
      out.push(
        `  escalation ${x.enabled ? 'on' : 'off'} after ${x.afterDays} days: ${x.total} would get a letter (no email ${x.reasons['no-email']}, bounced ${x.reasons.bounced}, failed ${x.reasons.failed}, no reaction ${x.reasons['no-reaction']})\n`,
      );
      io.stdout.write(out.join(''));
    });

  reminders
    .command('escalate')
    .description(
      'print letters for those email cannot reach or who never reacted (bounced, failed, no email, no reaction after the last reminder)',
    )
    .argument('<case>', 'case reference or id')
    .option('--enable', 'turn escalation on for the case first')
    .option('--disable', 'turn escalation off for the case, and stop')
    .option('--after-days <n>', 'with --enable: after how many days')
    .option('--dry-run', 'only show how many would get a letter, and why')
    .option('--out <dir>', 'where to write the PDFs and manifests', '.')
    .option('--as <user>', 'who prints (for the audit log)')
    .option('--json', 'print as JSON')
    .action(
      async (
        ref: string,
        opts: {
          enable?: boolean;
          disable?: boolean;
          afterDays?: string;
          dryRun?: boolean;
          out: string;
          as?: string;
          json?: boolean;
        },
      ) => {
        const written: string[] = [];
        const result = await withContext(io, async (ctx) => {
          const actor = await actorFor(ctx, opts.as);
          if (opts.enable || opts.disable) {
            const current = await previewEscalation(actor, ref, ctx.deps);
            await saveEscalationRule(
              actor,
              ref,
              {
                enabled: Boolean(opts.enable),
                afterDays:
                  opts.afterDays === undefined
                    ? current.afterDays
                    : whole(opts.afterDays, '--after-days'),
              },
              ctx.deps,
            );
          }
          const preview = await previewEscalation(actor, ref, ctx.deps);
          if (opts.dryRun || opts.disable) return { preview, letters: null };
          return escalateToLetters(
            actor,
            ref,
            { ...ctx.deps, timeZone: ctx.config.workspace.defaultTimeZone },
            {
              sink: (batch, files) => {
                fs.mkdirSync(opts.out, { recursive: true, mode: 0o700 });
                const base = path.join(opts.out, `letters-${batch.dispatchId}-${batch.id}`);
                // Names, addresses and personal links: readable by the owner only.
                fs.writeFileSync(`${base}.pdf`, files.pdf, { mode: 0o600 });
                fs.writeFileSync(`${base}.csv`, files.manifest, { mode: 0o600 });
                written.push(`${base}.pdf`, `${base}.csv`);
              },
            },
          );
        });
        if (opts.json) return printJson(io, { ...result, files: written });
        const p = result.preview;
        const lines = [
          `escalation ${p.enabled ? 'on' : 'off'} after ${p.afterDays} days: ${p.total} for a letter — no email ${p.reasons['no-email']}, bounced ${p.reasons.bounced}, failed ${p.reasons.failed}, no reaction ${p.reasons['no-reaction']}`,
        ];
        if (result.letters) {
          lines.push(
            `${result.letters.letters} letters in ${result.letters.batches.length} batch(es)`,
          );
          lines.push(...written.map((f) => `  wrote ${f}`));
          if (result.letters.notPrintable.length)
            lines.push(
              `not printable (no postal address): ${result.letters.notPrintable.map((n) => n.externalId).join(', ')}`,
            );
        }
        io.stdout.write(`${lines.join('\n')}\n`);
      },
    );
}
