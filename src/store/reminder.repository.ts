import { sql, type Insertable, type RawBuilder } from 'kysely';
import type { ReminderSendState } from '../domain/reminders/reminder.js';
import type { Executor } from './executor.js';
import type {
  ReminderEscalationRow,
  ReminderRuleRow,
  ReminderRulesTable,
  ReminderSendRow,
} from './schema-reminders.js';

/** What the selections need to know of a rule. */
export interface RuleCondition {
  id: number;
  caseId: number;
  condition: string;
  remedyId: number | null;
  maxSends: number;
}

export function ruleCondition(row: ReminderRuleRow): RuleCondition {
  return {
    id: Number(row.id),
    caseId: Number(row.case_id),
    condition: row.condition,
    remedyId: row.remedy_id === null ? null : Number(row.remedy_id),
    maxSends: Number(row.max_sends),
  };
}

/** The recipient `r` is not done in the rule's sense (not acknowledged / remedy not completed). */
function openSql(rule: RuleCondition): RawBuilder<unknown> {
  if (rule.condition === 'not-completed' && rule.remedyId !== null)
    return sql`not exists (select 1 from remedy_completions c
      where c.remedy_id = ${rule.remedyId} and c.recipient_id = r.id and c.completed_at is not null)`;
  return sql`r.acknowledged_at is null`;
}

/** Reminder mails this rule sent to `r` (cancelled ones did not go out). */
function sendsToSql(ruleId: number): RawBuilder<unknown> {
  return sql`(select count(*) from deliveries d join reminder_sends s on s.dispatch_id = d.dispatch_id
     where s.rule_id = ${ruleId} and d.recipient_id = r.id and d.channel = 'email'
       and d.state <> 'cancelled')`;
}

/** A bounced mail in this case: email will not reach `r`; escalation takes them. */
function bouncedSql(state: 'bounced' | 'failed'): RawBuilder<unknown> {
  return sql`exists (select 1 from deliveries d join dispatches p on p.id = d.dispatch_id
     where p.case_id = r.case_id and d.recipient_id = r.id and d.channel = 'email'
       and d.state = ${state})`;
}

/**
 * Who a run of the rule reminds: frozen recipients of the case with an email address that was
 * not refused, not done, and reminded fewer than `maxSends` times by this rule.
 */
function targetSql(rule: RuleCondition): RawBuilder<unknown> {
  return sql`r.email is not null and ${openSql(rule)} and not ${bouncedSql('bounced')}
    and ${sendsToSql(rule.id)} < ${rule.maxSends}`;
}

/** The dispatch's selection: the recipients the send chose who are still not done now. */
export function sendSelection(rule: RuleCondition, sendId: number): RawBuilder<unknown> {
  return sql`r.id in (select t.recipient_id from reminder_send_recipients t where t.send_id = ${sendId})
    and ${openSql(rule)}`;
}

export async function insertRule(
  db: Executor,
  row: Insertable<ReminderRulesTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('reminder_rules')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

export async function findRule(db: Executor, id: number): Promise<ReminderRuleRow | undefined> {
  return db.selectFrom('reminder_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Live rules: of one case, or of every case (the background checker). */
export async function listRules(db: Executor, caseId?: number): Promise<ReminderRuleRow[]> {
  let q = db.selectFrom('reminder_rules').selectAll().where('retired_at', 'is', null);
  if (caseId !== undefined) q = q.where('case_id', '=', caseId);
  return q.orderBy('id').execute();
}

/** Every rule of a case, retired ones too (their sends stay on record). */
export async function listRulesWithRetired(
  db: Executor,
  caseId: number,
): Promise<ReminderRuleRow[]> {
  return db
    .selectFrom('reminder_rules')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

export async function setRuleRefusal(
  db: Executor,
  id: number,
  refusal: string | null,
  now: string,
): Promise<void> {
  await db
    .updateTable('reminder_rules')
    .set({ refusal, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function retireRule(db: Executor, id: number, now: string): Promise<boolean> {
  const r = await db
    .updateTable('reminder_rules')
    .set({ retired_at: now, updated_at: now })
    .where('id', '=', id)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** When the case's notice first went out to the whole set; null before any dispatch. */
export async function firstDispatchAt(db: Executor, caseId: number): Promise<string | null> {
  const row = await db
    .selectFrom('dispatches')
    .select('created_at')
    .where('case_id', '=', caseId)
    .where('selection', 'is', null)
    .where('state', 'not in', ['cancelled', 'preparing'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? iso(row.created_at) : null;
}

/** The first dispatch to the whole set: escalation letters carry its notice. */
export async function firstFullDispatchId(db: Executor, caseId: number): Promise<number | null> {
  const row = await db
    .selectFrom('dispatches')
    .select('id')
    .where('case_id', '=', caseId)
    .where('selection', 'is', null)
    .where('state', 'not in', ['cancelled', 'preparing'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

/** Sends of a case (or of one rule), oldest first. */
export async function listSends(
  db: Executor,
  where: { caseId?: number; ruleId?: number; state?: ReminderSendState },
): Promise<ReminderSendRow[]> {
  let q = db.selectFrom('reminder_sends').selectAll();
  if (where.caseId !== undefined) q = q.where('case_id', '=', where.caseId);
  if (where.ruleId !== undefined) q = q.where('rule_id', '=', where.ruleId);
  if (where.state !== undefined) q = q.where('state', '=', where.state);
  return (await q.orderBy('at').orderBy('id').execute()).map((s) => ({ ...s, at: iso(s.at) }));
}

/**
 * Claims run `runNo` of a rule: the row exists once, whoever inserts it first runs it. Returns
 * null when another process already has it (no error, so a PostgreSQL transaction stays usable).
 */
export async function claimRun(
  db: Executor,
  row: { ruleId: number; caseId: number; runNo: number; at: string; by: string },
): Promise<number | null> {
  const inserted = await db
    .insertInto('reminder_sends')
    .values({
      rule_id: row.ruleId,
      case_id: row.caseId,
      run_no: row.runNo,
      state: 'selected',
      dispatch_id: null,
      selected: 0,
      recipients: 0,
      at: row.at,
      created_by: row.by,
    })
    .onConflict((oc) => oc.columns(['rule_id', 'run_no']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted ? Number(inserted.id) : null;
}

/** Records who a run reminds, set-based; returns how many. */
export async function selectTargets(
  db: Executor,
  rule: RuleCondition,
  sendId: number,
): Promise<number> {
  const result = await sql`insert into reminder_send_recipients (send_id, recipient_id)
    select ${sendId}, r.id from case_recipients r
     where r.case_id = ${rule.caseId} and ${targetSql(rule)}`.execute(db);
  const n = Number(result.numAffectedRows ?? 0);
  await db.updateTable('reminder_sends').set({ selected: n }).where('id', '=', sendId).execute();
  return n;
}

/** Forgets a run that did not send (nobody left, or the dispatch was refused). */
export async function deleteSend(db: Executor, sendId: number): Promise<void> {
  await db.deleteFrom('reminder_send_recipients').where('send_id', '=', sendId).execute();
  await db.deleteFrom('reminder_sends').where('id', '=', sendId).execute();
}

export async function markSent(
  db: Executor,
  sendId: number,
  dispatchId: number,
  recipients: number,
): Promise<void> {
  await db
    .updateTable('reminder_sends')
    .set({ state: 'sent', dispatch_id: dispatchId, recipients })
    .where('id', '=', sendId)
    .execute();
}

/**
 * The re-check while a reminder waits in the queue: mails of this rule not yet handed to SMTP
 * whose recipient is done by now are cancelled. Rows a worker has claimed are 'sending' and
 * stay as they are.
 */
export async function cancelDoneReminders(
  db: Executor,
  rule: RuleCondition,
  now: string,
): Promise<number> {
  const result = await sql`update deliveries set state = 'cancelled', updated_at = ${now}
     where state in ('queued', 'deferred') and channel = 'email'
       and dispatch_id in (select s.dispatch_id from reminder_sends s
                            where s.rule_id = ${rule.id} and s.dispatch_id is not null)
       and recipient_id in (select r.id from case_recipients r
                             where r.case_id = ${rule.caseId} and not (${openSql(rule)}))`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}

/** One measure's counts in the windows around a send, among recipients with email. */
export async function effectCounts(
  db: Executor,
  caseId: number,
  measure: { kind: 'acknowledged' } | { kind: 'completed'; remedyId: number },
  w: { beforeFrom: string; at: string; afterTo: string },
): Promise<{ openBefore: number; doneBefore: number; openAfter: number; doneAfter: number }> {
  const x = measure.kind === 'acknowledged' ? sql`r.acknowledged_at` : sql`c.completed_at`;
  const join =
    measure.kind === 'completed'
      ? sql`left join remedy_completions c on c.recipient_id = r.id and c.remedy_id = ${measure.remedyId}`
      : sql``;
  const ts = (v: string) => sql`${v}`;
  const row = await sql<Record<string, unknown>>`select
      sum(case when ${x} is null or ${x} >= ${ts(w.beforeFrom)} then 1 else 0 end) as open_before,
      sum(case when ${x} >= ${ts(w.beforeFrom)} and ${x} < ${ts(w.at)} then 1 else 0 end) as done_before,
      sum(case when ${x} is null or ${x} >= ${ts(w.at)} then 1 else 0 end) as open_after,
      sum(case when ${x} >= ${ts(w.at)} and ${x} < ${ts(w.afterTo)} then 1 else 0 end) as done_after
    from case_recipients r ${join}
   where r.case_id = ${caseId} and r.email is not null`.execute(db);
  const r = row.rows[0] ?? {};
  return {
    openBefore: Number(r.open_before ?? 0),
    doneBefore: Number(r.done_before ?? 0),
    openAfter: Number(r.open_after ?? 0),
    doneAfter: Number(r.done_after ?? 0),
  };
}

/** The case's first live remedy by position: what "completed" means for a rule without one. */
export async function firstRemedyId(db: Executor, caseId: number): Promise<number | null> {
  const row = await db
    .selectFrom('remedies')
    .select('id')
    .where('case_id', '=', caseId)
    .where('retired_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

export async function findRemedyByKey(
  db: Executor,
  caseId: number,
  key: string,
): Promise<{ id: number; key: string; retired_at: string | null } | undefined> {
  const row = await db
    .selectFrom('remedies')
    .select(['id', 'key', 'retired_at'])
    .where('case_id', '=', caseId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}

export async function remedyKeys(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('remedies')
    .select(['id', 'key'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r.key]));
}

export async function findEscalation(
  db: Executor,
  caseId: number,
): Promise<ReminderEscalationRow | undefined> {
  return db
    .selectFrom('reminder_escalations')
    .selectAll()
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

export async function saveEscalation(
  db: Executor,
  row: { caseId: number; enabled: boolean; afterDays: number; by: string; now: string },
): Promise<void> {
  const values = {
    enabled: row.enabled ? 1 : 0,
    after_days: row.afterDays,
    updated_by: row.by,
    updated_at: row.now,
  };
  await db
    .insertInto('reminder_escalations')
    .values({ case_id: row.caseId, ...values })
    .onConflict((oc) => oc.column('case_id').doUpdateSet(values))
    .execute();
}

/**
 * Why `r` gets an escalation letter, or null: no email address, a bounced or failed mail (and
 * the first dispatch is `afterDays` old), or no reaction at all `afterDays` after the last
 * reminder a rule may send them. Those who reacted (acknowledged, confirmed a remedy) and those
 * who already have a letter in this case get none.
 */
function escalationReasonSql(caseId: number, cutoff: string): RawBuilder<unknown> {
  const reacted = sql`(r.acknowledged_at is not null or r.remedied_at is not null
    or exists (select 1 from remedy_completions c where c.recipient_id = r.id and c.completed_at is not null))`;
  const lettered = sql`exists (select 1 from deliveries l join dispatches p on p.id = l.dispatch_id
     where p.case_id = ${caseId} and l.recipient_id = r.id and l.channel = 'letter')`;
  const firstOld = sql`exists (select 1 from dispatches p where p.case_id = ${caseId}
     and p.selection is null and p.state not in ('cancelled', 'preparing') and p.created_at <= ${cutoff})`;
  const exhausted = sql`exists (select 1 from reminder_rules u where u.case_id = ${caseId}
     and (select count(*) from deliveries d join reminder_sends s on s.dispatch_id = d.dispatch_id
           where s.rule_id = u.id and d.recipient_id = r.id and d.channel = 'email'
             and d.state <> 'cancelled') >= u.max_sends
     and not exists (select 1 from deliveries d join reminder_sends s on s.dispatch_id = d.dispatch_id
           where s.rule_id = u.id and d.recipient_id = r.id and d.channel = 'email'
             and s.at > ${cutoff}))`;
  return sql`case when ${reacted} or ${lettered} then null
    when r.email is null and ${firstOld} then 'no-email'
    when ${bouncedSql('bounced')} and ${firstOld} then 'bounced'
    when ${bouncedSql('failed')} and ${firstOld} then 'failed'
    when ${exhausted} then 'no-reaction'
    else null end`;
}

/** How many recipients would get an escalation letter, per reason. */
export async function countEscalation(
  db: Executor,
  caseId: number,
  cutoff: string,
): Promise<Record<string, number>> {
  const rows = await sql<{ reason: string | null; n: unknown }>`select reason, count(*) as n
    from (select ${escalationReasonSql(caseId, cutoff)} as reason
            from case_recipients r where r.case_id = ${caseId}) e
   where reason is not null group by reason`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.reason!, Number(r.n)]));
}

/** The escalation's condition over `r`, for the letters machinery. */
export function escalationSelection(caseId: number, cutoff: string): RawBuilder<unknown> {
  return sql`(${escalationReasonSql(caseId, cutoff)}) is not null`;
}

/** Recipients a send reminded (deliveries queued), per send of a case. */
export async function countSendDeliveries(
  db: Executor,
  caseId: number,
): Promise<Map<number, Record<string, number>>> {
  const rows = await sql<{ send_id: unknown; state: string; n: unknown }>`select s.id as send_id,
         d.state, count(*) as n
    from reminder_sends s join deliveries d on d.dispatch_id = s.dispatch_id and d.channel = 'email'
   where s.case_id = ${caseId}
   group by s.id, d.state`.execute(db);
  const out = new Map<number, Record<string, number>>();
  for (const r of rows.rows) {
    const id = Number(r.send_id);
    out.set(id, { ...out.get(id), [r.state]: Number(r.n) });
  }
  return out;
}

/** PostgreSQL hands timestamptz back as Date; SQLite as the ISO text stored. */
function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}

/** The personal notices of a case (what a rule can send), with whether each is approved as is. */
export async function listPersonalNotices(
  db: Executor,
  caseId: number,
): Promise<{ id: number; title: string; approved: boolean }[]> {
  const rows = await db
    .selectFrom('notices')
    .select(['id', 'title', 'approved_hash', 'content_hash'])
    .where('case_id', '=', caseId)
    .where('audience', '=', 'affected')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    approved: r.approved_hash !== null && r.approved_hash === r.content_hash,
  }));
}

/** The live remedies' keys of a case, in order. */
export async function listRemedyKeys(db: Executor, caseId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('remedies')
    .select('key')
    .where('case_id', '=', caseId)
    .where('retired_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.key);
}

/**
 * The demo's seeded history: a few mails of a dispatch recorded as bounced, as if the receiving
 * servers had refused them days ago (nothing else writes deliveries this way).
 */
export async function recordDemoBounces(
  db: Executor,
  dispatchId: number,
  recipientIds: readonly number[],
  at: string,
): Promise<number> {
  if (recipientIds.length === 0) return 0;
  const result = await db
    .updateTable('deliveries')
    .set({
      state: 'bounced',
      attempts: 1,
      smtp_response: '550 5.1.1 <mailbox> User unknown',
      updated_at: at,
    })
    .where('dispatch_id', '=', dispatchId)
    .where('channel', '=', 'email')
    .where('recipient_id', 'in', recipientIds)
    .where('state', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Frozen recipients of a case with email who have not reacted at all, a few, for the demo. */
export async function listQuietRecipients(
  db: Executor,
  caseId: number,
  limit: number,
  offset: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('case_recipients')
    .select('id')
    .where('case_id', '=', caseId)
    .where('email', 'is not', null)
    .where('acknowledged_at', 'is', null)
    .where('remedied_at', 'is', null)
    // Quiet means no reaction at all: no remedy completed for them either.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('remedy_completions as c')
            .select('c.recipient_id')
            .whereRef('c.recipient_id', '=', 'case_recipients.id')
            .where('c.completed_at', 'is not', null),
        ),
      ),
    )
    .orderBy('id')
    .offset(offset)
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

/** The recipients a send chose, for the demo's seeded reactions after it. */
export async function listSendRecipients(db: Executor, sendId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('reminder_send_recipients')
    .select('recipient_id')
    .where('send_id', '=', sendId)
    .orderBy('recipient_id')
    .execute();
  return rows.map((r) => Number(r.recipient_id));
}
