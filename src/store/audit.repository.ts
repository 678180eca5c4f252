import type { Executor } from './executor.js';
import type { Dialect } from './database.js';
import type { AuditAnchorsTable, AuditEventRow, AuditEventsTable } from './schema.js';
import type { Insertable } from 'kysely';

/** Locks and reads the chain head; the caller's transaction serialises concurrent appends. */
export async function lockAuditHead(
  db: Executor,
  dialect: Dialect,
): Promise<{ seq: number; hash: string }> {
  let query = db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  // SQLite transactions are already exclusive (BEGIN IMMEDIATE); PostgreSQL needs the row lock.
  if (dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirstOrThrow();
}

/** Appends one entry and moves the head to it. */
export async function insertAuditEvent(
  db: Executor,
  row: Insertable<AuditEventsTable>,
): Promise<void> {
  await db.insertInto('audit_events').values(row).execute();
  await db
    .updateTable('audit_head')
    .set({ seq: row.seq, hash: row.hash })
    .where('id', '=', 1)
    .execute();
}

/** Reads the chain head without locking. */
export async function findAuditHead(db: Executor): Promise<{ seq: number; hash: string }> {
  return db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
}

/** Entries in storage order, a page at a time (keyset on seq), for verification and export. */
export async function listAuditEventsAfter(
  db: Executor,
  afterSeq: number,
  limit: number,
): Promise<AuditEventRow[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** The newest entries first, optionally for one object, for the audit viewer and API. */
export async function listRecentAuditEvents(
  db: Executor,
  filter: { objectType?: string; objectId?: string; beforeSeq?: number; limit: number },
): Promise<AuditEventRow[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (filter.objectType) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId) q = q.where('object_id', '=', filter.objectId);
  if (filter.beforeSeq) q = q.where('seq', '<', filter.beforeSeq);
  return q.orderBy('seq', 'desc').limit(filter.limit).execute();
}

/** The stored hash of one entry, or null when there is no such entry. */
export async function findAuditEventHash(db: Executor, seq: number): Promise<string | null> {
  const row = await db
    .selectFrom('audit_events')
    .select('hash')
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.hash ?? null;
}

/** Records an anchor for public display. */
export async function insertAuditAnchor(
  db: Executor,
  row: Insertable<AuditAnchorsTable>,
): Promise<void> {
  await db.insertInto('audit_anchors').values(row).execute();
}

/** The anchor published last, if any. */
export async function findLatestAuditAnchor(
  db: Executor,
): Promise<{ seq: number; hash: string; anchoredAt: string } | null> {
  const row = await db
    .selectFrom('audit_anchors')
    .select(['seq', 'hash', 'anchored_at'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash, anchoredAt: row.anchored_at } : null;
}
