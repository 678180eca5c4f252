import type { Language } from '../../domain/language.js';
import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { DomainError, NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  nextRunDue,
  reminderRuleInputSchema,
  type ReminderCondition,
  type ReminderRuleInput,
} from '../../domain/reminders/reminder.js';
import type { Database } from '../../store/database.js';
import { nowIso, type Executor } from '../../store/executor.js';
import { findNotice } from '../../store/notice.repository.js';
import * as reminders from '../../store/reminder.repository.js';
import type { ReminderRuleRow } from '../../store/schema-reminders.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case.service.js';
import { startDispatch, type DispatchDeps } from '../dispatch/dispatch.service.js';

export type ReminderDeps = DispatchDeps;

/** A rule as the API, CLI and workspace show it. */
export const reminderRuleSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  noticeId: z.number().int(),
  noticeTitle: z.string(),
  noticeApproved: z.boolean(),
  condition: z.enum(['not-acknowledged', 'not-completed']),
  remedy: z.string().nullable(),
  days: z.number().int(),
  maxSends: z.number().int(),
  runs: z.number().int(),
  lastSendAt: z.string().nullable(),
  nextDueAt: z.string().nullable(),
  /** Why the last due run did not send, or null. */
  refusal: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type ReminderRule = z.infer<typeof reminderRuleSchema>;

/** What one rule did in a run of the checker. */
export const reminderRunResultSchema = z.object({
  ruleId: z.number().int(),
  caseId: z.number().int(),
  outcome: z.enum(['sent', 'not-due', 'nobody', 'refused', 'taken']),
  runNo: z.number().int().nullable(),
  dispatchId: z.number().int().nullable(),
  recipients: z.number().int(),
  /** Reminder mails withdrawn from the queue because the recipient is done by now. */
  withdrawn: z.number().int(),
  message: z.string(),
});
export type ReminderRunResult = z.infer<typeof reminderRunResultSchema>;

/** Turns a schema failure into a ValidationError naming each field. */
export function parseOrExplain<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({
    field: i.path.join('.') || '(input)',
    message: i.message,
  }));
  throw new ValidationError(
    `invalid ${what}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    errors,
  );
}

/**
 * Adds a reminder rule to a case. Its notice must be a personal notice of the same case; it
 * need not be approved yet (the rule says so and does not send until it is).
 */
export async function createReminderRule(
  actor: Actor,
  caseRef: string | number,
  input: ReminderRuleInput,
  deps: { database: Database },
): Promise<ReminderRule> {
  authorize(actor, 'dispatch:start');
  const data = parseOrExplain(reminderRuleInputSchema, input, 'reminder rule');
  const { db, dialect } = deps.database;
  const id = await db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const notice = await findNotice(tx, data.noticeId);
    if (!notice || Number(notice.case_id) !== kase.id)
      throw new ValidationError(`no notice ${data.noticeId} in case ${kase.reference}`, [
        { field: 'noticeId', message: `no notice ${data.noticeId} in this case` },
      ]);
    if (notice.audience !== 'affected')
      throw new ValidationError(`notice ${notice.id} is for the ${notice.audience}`, [
        { field: 'noticeId', message: 'a reminder is a personal notice to the affected' },
      ]);
    let remedyId: number | null = null;
    if (data.remedy) {
      const remedy = await reminders.findRemedyByKey(tx, kase.id, data.remedy);
      if (!remedy || remedy.retired_at)
        throw new ValidationError(`no remedy ${data.remedy} in case ${kase.reference}`, [
          { field: 'remedy', message: `no live remedy ${data.remedy} in this case` },
        ]);
      remedyId = remedy.id;
    }
    const now = nowIso();
    const ruleId = await reminders.insertRule(tx, {
      case_id: kase.id,
      notice_id: notice.id,
      condition: data.condition,
      remedy_id: remedyId,
      days: data.days,
      max_sends: data.maxSends,
      refusal: null,
      created_by: actor.name,
      created_at: now,
      updated_at: now,
      retired_at: null,
    });
    await appendAudit(tx, dialect, actor, {
      action: 'reminder.rule.create',
      objectType: 'reminder_rule',
      objectId: ruleId,
      details: { caseId: kase.id, ...data },
    });
    return ruleId;
  });
  const [rule] = await presentRules(db, [(await reminders.findRule(db, id))!]);
  return rule!;
}

/** Stops a rule: no further runs; what it sent stays on record. */
export async function retireReminderRule(
  actor: Actor,
  caseRef: string | number,
  ruleId: number,
  deps: { database: Database },
): Promise<void> {
  authorize(actor, 'dispatch:start');
  const { db, dialect } = deps.database;
  await db.transaction().execute(async (tx) => {
    const rule = await requireRuleOf(tx, caseRef, ruleId);
    if (!(await reminders.retireRule(tx, rule.id, nowIso()))) return;
    await appendAudit(tx, dialect, actor, {
      action: 'reminder.rule.retire',
      objectType: 'reminder_rule',
      objectId: rule.id,
      details: { caseId: Number(rule.case_id) },
    });
  });
}

async function requireRuleOf(
  db: Executor,
  caseRef: string | number,
  ruleId: number,
): Promise<ReminderRuleRow> {
  const kase = await requireCase(db, caseRef);
  const rule = await reminders.findRule(db, ruleId);
  if (!rule || Number(rule.case_id) !== kase.id)
    throw new NotFoundError(`no reminder rule ${ruleId} in case ${kase.reference}`);
  return rule;
}

/** The live rules of a case, with their runs and when the next is due. */
export async function listReminderRules(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
): Promise<ReminderRule[]> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  return presentRules(db, await reminders.listRules(db, kase.id));
}

async function presentRules(db: Executor, rows: ReminderRuleRow[]): Promise<ReminderRule[]> {
  const keys = await reminders.remedyKeys(
    db,
    rows.flatMap((r) => (r.remedy_id === null ? [] : [Number(r.remedy_id)])),
  );
  const firstAt = new Map<number, string | null>();
  const out: ReminderRule[] = [];
  for (const row of rows) {
    const caseId = Number(row.case_id);
    if (!firstAt.has(caseId)) firstAt.set(caseId, await reminders.firstDispatchAt(db, caseId));
    const sends = await reminders.listSends(db, { ruleId: Number(row.id), state: 'sent' });
    const notice = await findNotice(db, Number(row.notice_id));
    const due = nextRunDue({
      days: Number(row.days),
      maxSends: Number(row.max_sends),
      runs: sends.length,
      firstDispatchAt: firstAt.get(caseId) ?? null,
      lastSendAt: sends.at(-1)?.at ?? null,
    });
    out.push({
      id: Number(row.id),
      caseId,
      noticeId: Number(row.notice_id),
      noticeTitle: notice?.title ?? '',
      noticeApproved: noticeApproved(notice),
      condition: row.condition as ReminderCondition,
      remedy: row.remedy_id === null ? null : (keys.get(Number(row.remedy_id)) ?? null),
      days: Number(row.days),
      maxSends: Number(row.max_sends),
      runs: sends.length,
      lastSendAt: sends.at(-1)?.at ?? null,
      nextDueAt: due?.toISOString() ?? null,
      refusal: row.refusal,
      createdBy: row.created_by,
      createdAt: row.created_at,
    });
  }
  return out;
}

function noticeApproved(
  notice: { approved_hash: string | null; content_hash: string } | undefined,
): boolean {
  return Boolean(notice?.approved_hash && notice.approved_hash === notice.content_hash);
}

export interface RunOptions {
  /** Only this case's rules. */
  caseRef?: string;
  /** The checker's clock (tests and the demo's seeded history). */
  now?: Date;
  /**
   * Called after a run chose its recipients and before it queues their mails: a test completes
   * a remedy here to see the send re-check who is done.
   */
  afterSelect?: (run: { ruleId: number; sendId: number }) => Promise<void>;
}

/**
 * The due-rule checker: withdraws queued reminders of recipients who are done by now, then runs
 * each rule whose next run is due. Safe in several processes at once: a run is claimed by its
 * (rule, run number) row, so one of them sends it and the others report it taken.
 */
export async function runDueReminders(
  actor: Actor,
  deps: ReminderDeps,
  options: RunOptions = {},
): Promise<ReminderRunResult[]> {
  authorize(actor, 'dispatch:start');
  const { db } = deps.database;
  const caseId = options.caseRef ? (await requireCase(db, options.caseRef)).id : undefined;
  const results: ReminderRunResult[] = [];
  for (const row of await reminders.listRules(db, caseId)) {
    results.push(await runRule(actor, row, deps, options));
  }
  return results;
}

async function runRule(
  actor: Actor,
  row: ReminderRuleRow,
  deps: ReminderDeps,
  options: RunOptions,
): Promise<ReminderRunResult> {
  const { db, dialect } = deps.database;
  const rule = reminders.ruleCondition(row);
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const withdrawn = await reminders.cancelDoneReminders(db, rule, nowIso());
  const base = {
    ruleId: rule.id,
    caseId: rule.caseId,
    runNo: null,
    dispatchId: null,
    recipients: 0,
    withdrawn,
  };
  // Every claimed run counts, also one whose process died before it sent: a run is never
  // sent twice, and the next one comes `days` later.
  const sends = await reminders.listSends(db, { ruleId: rule.id });
  const due = nextRunDue({
    days: Number(row.days),
    maxSends: rule.maxSends,
    runs: sends.length,
    firstDispatchAt: await reminders.firstDispatchAt(db, rule.caseId),
    lastSendAt: sends.at(-1)?.at ?? null,
  });
  if (!due || due > now) {
    const message = due ? `due at ${due.toISOString()}` : 'nothing due';
    return { ...base, outcome: 'not-due', message };
  }
  const notice = await findNotice(db, Number(row.notice_id));
  if (!noticeApproved(notice)) {
    const message = `notice ${row.notice_id} is not approved; the reminder does not go out until it is`;
    await refuse(db, rule.id, row.refusal, message);
    return { ...base, outcome: 'refused', message };
  }
  const runNo = sends.length + 1;
  // Claim and choose in one transaction: a run with nobody left is not kept.
  const claimed = await db.transaction().execute(async (tx) => {
    const sendId = await reminders.claimRun(tx, {
      ruleId: rule.id,
      caseId: rule.caseId,
      runNo,
      at,
      by: actor.name,
    });
    if (sendId === null) return { sendId: null, selected: 0, taken: true };
    const selected = await reminders.selectTargets(tx, rule, sendId);
    if (selected === 0) await reminders.deleteSend(tx, sendId);
    return { sendId: selected === 0 ? null : sendId, selected, taken: false };
  });
  if (claimed.sendId === null) {
    return claimed.taken
      ? { ...base, runNo, outcome: 'taken', message: `run ${runNo} was taken by another process` }
      : { ...base, runNo, outcome: 'nobody', message: 'nobody left to remind' };
  }
  const sendId = claimed.sendId;
  await options.afterSelect?.({ ruleId: rule.id, sendId });
  let dispatch;
  try {
    dispatch = await startDispatch(actor, Number(row.notice_id), deps, {
      selection: {
        label: `reminder ${rule.id} run ${runNo}`,
        predicate: reminders.sendSelection(rule, sendId),
      },
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // Nothing was queued: the run is given back, to go out once the notice is fit to send.
    await db.transaction().execute((tx) => reminders.deleteSend(tx, sendId));
    await refuse(db, rule.id, row.refusal, error.message);
    return { ...base, outcome: 'refused', message: error.message };
  }
  await db.transaction().execute(async (tx) => {
    await reminders.markSent(tx, sendId, dispatch.id, dispatch.total);
    await reminders.setRuleRefusal(tx, rule.id, null, nowIso());
    await appendAudit(tx, dialect, actor, {
      action: 'reminder.send',
      objectType: 'reminder_send',
      objectId: sendId,
      details: {
        caseId: rule.caseId,
        ruleId: rule.id,
        runNo,
        dispatchId: dispatch.id,
        selected: claimed.selected,
        recipients: dispatch.total,
        at,
      },
    });
  });
  return {
    ...base,
    runNo,
    outcome: 'sent',
    dispatchId: dispatch.id,
    recipients: dispatch.total,
    message: `run ${runNo}: ${dispatch.total} reminders queued (dispatch ${dispatch.id})`,
  };
}

/** Records why a rule did not send (once per new reason: the checker runs every minute). */
async function refuse(
  db: Database['db'],
  ruleId: number,
  previous: string | null,
  message: string,
): Promise<void> {
  if (previous === message) return;
  await reminders.setRuleRefusal(db, ruleId, message, nowIso());
}

/** The reminders sent in a case, oldest first: markers on the completion curve. */
export async function listReminderSends(
  db: Executor,
  caseId: number,
  language: Language = 'en',
): Promise<{ at: string; label: string }[]> {
  const sends = await reminders.listSends(db, { caseId, state: 'sent' });
  const word = language === 'nl' ? 'herinnering' : 'reminder';
  return sends.map((s) => ({
    at: s.at,
    label: `${word} ${s.rule_id}.${s.run_no} (${s.recipients})`,
  }));
}
