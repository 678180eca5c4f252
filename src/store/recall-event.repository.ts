import type { Insertable } from 'kysely';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import type { RecallEventRow, RecallEventsTable } from './schema-remedies.js';

/** Records one event in the caller's transaction: it exists exactly when the change does. */
export async function insertRecallEvent(
  db: Executor,
  row: Omit<Insertable<RecallEventsTable>, 'fanned_out_at'>,
): Promise<void> {
  await db.insertInto('recall_events').values(row).execute();
}

/**
 * The oldest events not fanned out yet, locked for this transaction on PostgreSQL (others
 * skip them, so two processes never fan out one event twice; SQLite has one writer anyway).
 */
export async function lockPendingRecallEvents(
  db: Executor,
  dialect: Dialect,
  limit: number,
): Promise<RecallEventRow[]> {
  let q = db
    .selectFrom('recall_events')
    .selectAll()
    .where('fanned_out_at', 'is', null)
    .orderBy('id')
    .limit(limit);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return q.execute();
}

export async function markRecallEventsFannedOut(
  db: Executor,
  ids: readonly number[],
  now: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('recall_events')
    .set({ fanned_out_at: now })
    .where('id', 'in', [...ids])
    .execute();
}

/** The case reference and customer external id each event is about, for the webhook body. */
export async function recallEventContext(
  tx: Executor,
  events: readonly Pick<RecallEventRow, 'id' | 'case_id' | 'recipient_id'>[],
): Promise<Map<number, { reference: string; externalId: string | null }>> {
  const caseIds = [...new Set(events.map((e) => Number(e.case_id)))];
  const recipientIds = [
    ...new Set(events.flatMap((e) => (e.recipient_id === null ? [] : [Number(e.recipient_id)]))),
  ];
  const cases = await tx
    .selectFrom('cases')
    .select(['id', 'reference'])
    .where('id', 'in', caseIds)
    .execute();
  const recipients =
    recipientIds.length === 0
      ? []
      : await tx
          .selectFrom('case_recipients')
          .select(['id', 'external_id'])
          .where('id', 'in', recipientIds)
          .execute();
  const refs = new Map(cases.map((c) => [Number(c.id), c.reference]));
  const ext = new Map(recipients.map((r) => [Number(r.id), r.external_id]));
  return new Map(
    events.map((e) => [
      Number(e.id),
      {
        reference: refs.get(Number(e.case_id)) ?? '',
        externalId: e.recipient_id === null ? null : (ext.get(Number(e.recipient_id)) ?? null),
      },
    ]),
  );
}
