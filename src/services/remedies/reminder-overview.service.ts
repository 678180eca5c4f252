import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { DELIVERY_STATES } from '../../domain/delivery.js';
import type { Database } from '../../store/database.js';
import * as reminders from '../../store/reminder.repository.js';
import { requireCase } from '../cases/case.service.js';
import { reminderEffect, reminderEffectSchema } from './reminder-effect.service.js';
import { escalationPreviewSchema, previewEscalation } from './reminder-escalation.service.js';
import { listReminderRules, reminderRuleSchema } from './reminder.service.js';

/** One reminder sent, with what became of its mails. */
export const reminderSendSchema = z.object({
  id: z.number().int(),
  ruleId: z.number().int(),
  runNo: z.number().int(),
  at: z.string(),
  dispatchId: z.number().int().nullable(),
  /** Chosen when the run started. */
  selected: z.number().int(),
  /** Mailed: the chosen still not done when the mails were queued. */
  recipients: z.number().int(),
  /** The mails by state (sent, bounced, cancelled when the recipient got done while queued…). */
  states: z.partialRecord(z.enum(DELIVERY_STATES), z.number().int()),
});
export type ReminderSend = z.infer<typeof reminderSendSchema>;

export const reminderOverviewSchema = z.object({
  caseId: z.number().int(),
  reference: z.string(),
  rules: z.array(reminderRuleSchema),
  sends: z.array(reminderSendSchema),
  effect: z.array(reminderEffectSchema),
  escalation: escalationPreviewSchema,
});
export type ReminderOverview = z.infer<typeof reminderOverviewSchema>;

/** The reminders of a case: rules, sends so far, their effect and the escalation. Reads only. */
export async function getReminderOverview(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
  now: Date = new Date(),
): Promise<ReminderOverview> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const states = await reminders.countSendDeliveries(db, kase.id);
  const sends = (await reminders.listSends(db, { caseId: kase.id, state: 'sent' })).map((s) => ({
    id: Number(s.id),
    ruleId: Number(s.rule_id),
    runNo: Number(s.run_no),
    at: s.at,
    dispatchId: s.dispatch_id === null ? null : Number(s.dispatch_id),
    selected: Number(s.selected),
    recipients: Number(s.recipients),
    states: states.get(Number(s.id)) ?? {},
  }));
  return {
    caseId: kase.id,
    reference: kase.reference,
    rules: await listReminderRules(actor, kase.id, deps),
    sends,
    effect: await reminderEffect(db, kase.id, now),
    escalation: await previewEscalation(actor, kase.id, deps, now),
  };
}

/** What the rule form offers: the case's personal notices and its remedies. */
export async function reminderChoices(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
): Promise<{ notices: { id: number; title: string; approved: boolean }[]; remedies: string[] }> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  return {
    notices: await reminders.listPersonalNotices(db, kase.id),
    remedies: await reminders.listRemedyKeys(db, kase.id),
  };
}
