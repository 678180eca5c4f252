import type { Actor } from '../domain/access.js';
import { approveNotice, createNotice } from '../services/notices/notice.service.js';
import {
  escalateToLetters,
  saveEscalationRule,
} from '../services/remedies/reminder-escalation.service.js';
import { createReminderRule, runDueReminders } from '../services/remedies/reminder.service.js';
import { setDispatchCreatedAt } from '../store/dispatch.repository.js';
import { recordRecipientResponse } from '../store/recipient.repository.js';
import { findNotice } from '../store/notice.repository.js';
import * as reminders from '../store/reminder.repository.js';
import { findUserByUsername } from '../store/user.repository.js';
import { toUserView } from '../services/access/user.service.js';
import type { AppContext } from '../wiring.js';
import { Rng } from './synthetic-rng.js';

// The demo incident's reminder as it would look some days in: three days after the notice a
// follow-up went to everyone who had not acknowledged yet, and a share of them reacted in the
// hours after it, so the reminders tab shows an effect. A few customers' mails bounced; the
// escalation is on and their letters wait on the letters page.

const DAY = 86_400_000;
/** Reminded recipients who acknowledge in the time between the reminder and now. */
const AFTER_REMINDER = 0.3;
const BOUNCED = 5;

export async function seedDemoReminders(
  ctx: AppContext,
  input: {
    caseId: number;
    dispatchId: number;
    sentAt: Date;
    writer: Actor;
    approver: Actor;
    sender: Actor;
  },
  now: Date = new Date(),
): Promise<{ reminded: number; reacted: number; letters: number }> {
  const db = ctx.database.db;
  // The bounces came in on the first day, before any reminder (a bounced address is not reminded).
  const quiet = await reminders.listQuietRecipients(db, input.caseId, BOUNCED, 5);
  await reminders.recordDemoBounces(
    db,
    input.dispatchId,
    quiet,
    new Date(input.sentAt.getTime() + 600_000).toISOString(),
  );

  const notice = await createNotice(
    input.writer,
    input.caseId,
    { title: 'Herinnering: controleer uw account na het datalek' },
    ctx.deps,
  );
  await approveNotice(input.approver, notice.id, {}, ctx.deps);
  await createReminderRule(
    input.sender,
    input.caseId,
    { noticeId: notice.id, condition: 'not-acknowledged', days: 3, maxSends: 2 },
    ctx.deps,
  );
  const at = new Date(Math.min(input.sentAt.getTime() + 3 * DAY, now.getTime() - 3 * 3_600_000));
  const [run] = await runDueReminders(input.sender, ctx.deps, {
    caseRef: String(input.caseId),
    now: at,
  });
  let reacted = 0;
  if (run?.outcome === 'sent' && run.dispatchId !== null) {
    await setDispatchCreatedAt(db, run.dispatchId, at.toISOString());
    const send = (await reminders.listSends(db, { ruleId: run.ruleId })).at(-1)!;
    const rng = new Rng();
    const span = Math.max(60_000, now.getTime() - 60_000 - at.getTime());
    for (const [i, id] of (await reminders.listSendRecipients(db, Number(send.id))).entries()) {
      rng.reseed(20261207, i);
      if (rng.next() >= AFTER_REMINDER) continue;
      // Most react soon after the reminder lands.
      const when = at.getTime() + rng.next() ** 2 * span;
      if (await recordRecipientResponse(db, id, 'acknowledged_at', new Date(when).toISOString()))
        reacted += 1;
    }
  }

  await saveEscalationRule(input.sender, input.caseId, { enabled: true, afterDays: 2 }, ctx.deps);
  const escalated = await escalateToLetters(input.sender, input.caseId, {
    ...ctx.deps,
    timeZone: ctx.config.workspace.defaultTimeZone,
  });
  return { reminded: run?.recipients ?? 0, reacted, letters: escalated.letters.letters };
}

/**
 * The authority report records new facts, and approvals that used the old ones become void (as
 * they must). In the demo the approver then signs the reminder off again, so a new user finds a
 * rule that goes out rather than one waiting for an approval nobody mentions.
 */
export async function reapproveDemoReminders(ctx: AppContext): Promise<number> {
  const db = ctx.database.db;
  const fatima = toUserView((await findUserByUsername(db, 'fatima'))!);
  const approver: Actor = {
    kind: 'user',
    userId: fatima.id,
    name: fatima.username,
    roles: fatima.roles,
    source: 'demo',
  };
  let approved = 0;
  for (const rule of await reminders.listRules(db)) {
    const notice = await findNotice(db, Number(rule.notice_id));
    if (!notice || (notice.approved_hash && notice.approved_hash === notice.content_hash)) continue;
    await approveNotice(approver, Number(notice.id), {}, ctx.deps);
    approved++;
  }
  return approved;
}
