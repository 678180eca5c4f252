import type { Insertable } from 'kysely';
import { readJson, type Executor, stringListJson } from './executor.js';
import type { ClockAlertRow, ClockAlertsTable } from './schema-assessment.js';
import type { CaseRow } from './schema.js';

/** Someone who receives the legal-clock alerts. */
export interface AlertRecipient {
  userId: number;
  username: string;
  displayName: string;
  email: string;
  language: string;
  timeZone: string | null;
}

/**
 * The case team: active users with an email address who hold the responder or approver
 * role (the people who run a case and sign off its reports).
 */
export async function listCaseTeam(db: Executor): Promise<AlertRecipient[]> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('user_preferences', 'user_preferences.user_id', 'users.id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.email',
      'users.language',
      'users.roles',
      'user_preferences.time_zone',
    ])
    .where('users.email', 'is not', null)
    .where('users.disabled_at', 'is', null)
    .orderBy('users.id')
    .execute();
  return rows
    .filter((r) => {
      const roles = readJson(r.roles, stringListJson);
      return roles.includes('responder') || roles.includes('approver');
    })
    .map((r) => ({
      userId: r.id,
      username: r.username,
      displayName: r.display_name,
      email: r.email!,
      language: r.language,
      timeZone: r.time_zone ?? null,
    }));
}

/** Cases whose clocks may run: aware_at set and not closed. */
export async function listCasesWithRunningClocks(db: Executor): Promise<CaseRow[]> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('aware_at', 'is not', null)
    .where('state', '!=', 'closed')
    .orderBy('id')
    .execute();
}

/**
 * Claims an alert by inserting its unique key: the id when this process won the claim,
 * undefined when another process (or an earlier tick) already has it.
 */
export async function claimAlert(
  db: Executor,
  row: Insertable<ClockAlertsTable>,
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('clock_alerts')
    .values(row)
    .onConflict((oc) => oc.column('alert_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** Marks a claimed alert sent. */
export async function markAlertSent(
  db: Executor,
  id: number,
  sentAt: string,
  messageId: string,
): Promise<void> {
  await db
    .updateTable('clock_alerts')
    .set({ status: 'sent', sent_at: sentAt, message_id: messageId })
    .where('id', '=', id)
    .execute();
}

/** Gives a claim back after a failed send, so a later tick tries again. */
export async function releaseAlert(db: Executor, id: number): Promise<void> {
  await db
    .deleteFrom('clock_alerts')
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Releases claims left "sending" since before `cutoff` (their process died mid-send). */
export async function releaseStaleClaims(db: Executor, cutoff: string): Promise<void> {
  await db
    .deleteFrom('clock_alerts')
    .where('status', '=', 'sending')
    .where('claimed_at', '<', cutoff)
    .execute();
}

/** The alerts of a case, oldest first. */
export async function listAlertsOfCase(db: Executor, caseId: number): Promise<ClockAlertRow[]> {
  return db
    .selectFrom('clock_alerts')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}
