import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import { distinctJsonKeys } from './json-keys.js';
import type { CaseRecipientRow, DispatchRow } from './schema.js';

/** The size of a frozen affected set and how many of it have no email address. */
export async function countFrozenRecipients(
  db: Executor,
  caseId: number,
): Promise<{ total: number; withoutEmail: number }> {
  const row = await db
    .selectFrom('case_recipients')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('id').filterWhere('email', 'is', null).as('without_email'),
    ])
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), withoutEmail: Number(row.without_email) };
}

/** The first frozen recipients of a case, in id order. */
export async function sampleFrozenRecipients(
  db: Executor,
  caseId: number,
  limit: number,
  afterId = 0,
): Promise<CaseRecipientRow[]> {
  return db
    .selectFrom('case_recipients')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** One frozen recipient of a case by external id. */
export async function findFrozenRecipientByExternalId(
  db: Executor,
  caseId: number,
  externalId: string,
) {
  return db
    .selectFrom('case_recipients')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

/**
 * Every frozen recipient row of one registry customer that a dispatch reached (a server
 * accepted a delivery to it), with its case's reference and state; newest case first.
 */
export async function listReachedRecipientsOfCustomer(db: Executor, externalId: string) {
  return db
    .selectFrom('customers as cu')
    .innerJoin('case_recipients as cr', 'cr.customer_id', 'cu.id')
    .innerJoin('cases as c', 'c.id', 'cr.case_id')
    .selectAll('cr')
    .select(['c.reference as case_reference', 'c.state as case_state'])
    .where('cu.external_id', '=', externalId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('deliveries as dl')
          .select('dl.id')
          .whereRef('dl.recipient_id', '=', 'cr.id')
          .where('dl.sent_at', 'is not', null),
      ),
    )
    .orderBy('cr.case_id', 'desc')
    .execute();
}

/** The impact variable names present in a frozen set. */
export async function listFrozenImpactKeys(
  db: Executor,
  dialect: Dialect,
  caseId: number,
): Promise<string[]> {
  return distinctJsonKeys(db, dialect, { table: 'case_recipients', column: 'impact', caseId });
}

/** A frozen recipient by the hash of their personal-page token. */
export async function findRecipientByTokenHash(
  db: Executor,
  hash: string,
): Promise<CaseRecipientRow | undefined> {
  return db
    .selectFrom('case_recipients')
    .selectAll()
    .where('token_hash', '=', hash)
    .where('token_revoked_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Records a recipient's response once: `acknowledged_at` ("I have read this") or
 * `remedied_at` ("I've done it", the recall's completion). A second click keeps the first time.
 */
export async function recordRecipientResponse(
  db: Executor,
  id: number,
  column: 'acknowledged_at' | 'remedied_at',
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('case_recipients')
    .set({ [column]: now })
    .where('id', '=', id)
    .where(column, 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records the first acknowledgement. */
export const acknowledgeRecipient = (db: Executor, id: number, now: string) =>
  recordRecipientResponse(db, id, 'acknowledged_at', now);

/** Records the completion of the remedy. */
export const markRecipientRemedied = (db: Executor, id: number, now: string) =>
  recordRecipientResponse(db, id, 'remedied_at', now);

/** Acknowledgement and completion counts of a case. */
export async function countResponses(
  db: Executor,
  caseId: number,
): Promise<{ total: number; acknowledged: number; remedied: number }> {
  const row = await db
    .selectFrom('case_recipients')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('acknowledged_at').as('acknowledged'),
      eb.fn.count<number>('remedied_at').as('remedied'),
    ])
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return {
    total: Number(row.total),
    acknowledged: Number(row.acknowledged),
    remedied: Number(row.remedied),
  };
}

/**
 * The dispatch that reached a recipient: the newest one whose delivery to them was sent, else
 * the newest dispatch of the case (a link opened before its mail was recorded sent).
 */
export async function findDispatchForRecipient(
  db: Executor,
  caseId: number,
  recipientId: number,
): Promise<DispatchRow | undefined> {
  const reached = await db
    .selectFrom('dispatches as d')
    .innerJoin('deliveries as dl', (join) =>
      join.onRef('dl.dispatch_id', '=', 'd.id').on('dl.recipient_id', '=', recipientId),
    )
    .selectAll('d')
    .where('d.case_id', '=', caseId)
    .where('dl.sent_at', 'is not', null)
    .orderBy('d.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (reached) return reached;
  return db
    .selectFrom('dispatches')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
