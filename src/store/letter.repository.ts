import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './executor.js';
import { readFactsObject } from './executor.js';
import type { LetterBatchRow } from './schema-letters.js';

/** Email states after which mail has given up on a recipient: a letter goes instead. */
export const UNREACHABLE_EMAIL_STATES = ['bounced', 'failed'] as const;

/** A recipient who gets (or got) a letter for a dispatch, with what the letter needs. */
export interface LetterRecipient {
  recipientId: number;
  externalId: string;
  name: string | null;
  email: string | null;
  language: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  attributes: Record<string, unknown>;
  impact: Record<string, unknown>;
  /** The mail's state, or null when there was no mail (no address). */
  emailState: string | null;
  /** The letter delivery already made for this recipient, if any. */
  letterId: number | null;
}

interface RecipientRow {
  id: number;
  external_id: string;
  name: string | null;
  email: string | null;
  language: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  attributes: unknown;
  impact: unknown;
  email_state: string | null;
  letter_id: number | null;
}

function toRecipient(r: RecipientRow): LetterRecipient {
  return {
    recipientId: Number(r.id),
    externalId: r.external_id,
    name: r.name,
    email: r.email,
    language: r.language,
    street: r.street,
    postalCode: r.postal_code,
    city: r.city,
    country: r.country,
    attributes: readFactsObject(r.attributes),
    impact: readFactsObject(r.impact),
    emailState: r.email_state,
    letterId: r.letter_id === null ? null : Number(r.letter_id),
  };
}

/**
 * Recipients of a dispatch whom email cannot reach — no address, or their mail bounced or
 * failed — in recipient order, a page at a time. Without `reprint`, those who already have a
 * letter for this dispatch are left out: building twice does not write to anyone twice.
 * A dispatch to a selection (a reminder) mailed only its selection: the others are not
 * "unreachable" for it. `only`, a condition over the recipient `r`, replaces the mail-state
 * test (an escalation picks its own recipients, e.g. those who never reacted).
 */
export async function listUnreachableRecipients(
  db: Executor,
  dispatch: { id: number; caseId: number; selection?: string | null },
  options: { afterId: number; limit: number; reprint: boolean; only?: RawBuilder<unknown> },
): Promise<LetterRecipient[]> {
  const unreachable = options.only
    ? sql`(${options.only})`
    : dispatch.selection
      ? sql`m.state in (${sql.join([...UNREACHABLE_EMAIL_STATES])})`
      : sql`(m.id is null or m.state in (${sql.join([...UNREACHABLE_EMAIL_STATES])}))`;
  const rows = await sql<RecipientRow>`select r.id, r.external_id, r.name, r.email, r.language,
         r.street, r.postal_code, r.city, r.country, r.attributes, r.impact,
         m.state as email_state, l.id as letter_id
    from case_recipients r
    left join deliveries m
      on m.dispatch_id = ${dispatch.id} and m.recipient_id = r.id and m.channel = 'email'
    left join deliveries l
      on l.dispatch_id = ${dispatch.id} and l.recipient_id = r.id and l.channel = 'letter'
   where r.case_id = ${dispatch.caseId}
     and r.id > ${options.afterId}
     and ${unreachable}
     ${options.reprint ? sql`` : sql`and l.id is null`}
   order by r.id
   limit ${options.limit}`.execute(db);
  return rows.rows.map(toRecipient);
}

/** Creates letter deliveries (state printed) and returns their ids by recipient. */
export async function insertLetterDeliveries(
  db: Executor,
  dispatchId: number,
  recipientIds: readonly number[],
  now: string,
): Promise<Map<number, number>> {
  const ids = new Map<number, number>();
  for (let i = 0; i < recipientIds.length; i += 500) {
    const chunk = recipientIds.slice(i, i + 500);
    const rows = await db
      .insertInto('deliveries')
      .values(
        chunk.map((recipientId) => ({
          dispatch_id: dispatchId,
          recipient_id: recipientId,
          channel: 'letter',
          // Letters have no address to bounce from: an empty one never matches a bounce.
          email: '',
          state: 'printed',
          attempts: 1,
          next_attempt_at: now,
          message_id: `letter:${dispatchId}:${recipientId}`,
          updated_at: now,
        })),
      )
      .returning(['id', 'recipient_id'])
      .execute();
    for (const r of rows) ids.set(Number(r.recipient_id), Number(r.id));
  }
  return ids;
}

/** A letter printed again: back to printed, one print more (it keeps its reference code). */
export async function markLettersReprinted(
  db: Executor,
  ids: readonly number[],
  now: string,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('deliveries')
      .set((eb) => ({ state: 'printed', attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', ids.slice(i, i + 500))
      .where('channel', '=', 'letter')
      .execute();
  }
}

/** Records a built batch and its letters' places. */
export async function insertLetterBatch(
  db: Executor,
  batch: Omit<LetterBatchRow, 'id' | 'posted_by' | 'posted_at'>,
  items: readonly { deliveryId: number; firstPage: number; pages: number }[],
): Promise<number> {
  const { id } = await db
    .insertInto('letter_batches')
    .values({ ...batch, posted_by: null, posted_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const batchId = Number(id);
  for (let i = 0; i < items.length; i += 500) {
    await db
      .insertInto('letter_batch_items')
      .values(
        items.slice(i, i + 500).map((item, j) => ({
          batch_id: batchId,
          letter_number: i + j + 1,
          delivery_id: item.deliveryId,
          first_page: item.firstPage,
          pages: item.pages,
        })),
      )
      .execute();
  }
  return batchId;
}

/** One batch by id. */
export async function findLetterBatch(
  db: Executor,
  id: number,
): Promise<LetterBatchRow | undefined> {
  return db.selectFrom('letter_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Batches of a case, newest first. */
export async function listLetterBatchesOfCase(
  db: Executor,
  caseId: number,
): Promise<LetterBatchRow[]> {
  return db
    .selectFrom('letter_batches')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .execute();
}

/** The letters of a batch in their order, with the recipient and the delivery id. */
export async function listBatchLetters(
  db: Executor,
  batchId: number,
): Promise<(LetterRecipient & { deliveryId: number; letterNumber: number })[]> {
  const rows = await sql<
    RecipientRow & { delivery_id: number; letter_number: number }
  >`select r.id, r.external_id, r.name, r.email, r.language, r.street, r.postal_code,
         r.city, r.country, r.attributes, r.impact, null as email_state, d.id as letter_id,
         d.id as delivery_id, i.letter_number
    from letter_batch_items i
    join deliveries d on d.id = i.delivery_id
    join case_recipients r on r.id = d.recipient_id
   where i.batch_id = ${batchId}
   order by i.letter_number`.execute(db);
  return rows.rows.map((r) => ({
    ...toRecipient(r),
    deliveryId: Number(r.delivery_id),
    letterNumber: Number(r.letter_number),
  }));
}

/**
 * Marks a printed batch posted, and its letters with it (sent_at is when they went to the
 * post, as sent_at of a mail is when a server took it). False when it was not printed.
 */
export async function markBatchPosted(
  db: Executor,
  batchId: number,
  actor: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('letter_batches')
    .set({ state: 'posted', posted_by: actor, posted_at: now })
    .where('id', '=', batchId)
    .where('state', '=', 'printed')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await db
    .updateTable('deliveries')
    .set({ state: 'posted', sent_at: now, updated_at: now })
    .where(
      'id',
      'in',
      db.selectFrom('letter_batch_items').select('delivery_id').where('batch_id', '=', batchId),
    )
    .where('state', '=', 'printed')
    .execute();
  return true;
}

/** Letter counts per state for a dispatch. */
export async function countLettersByState(
  db: Executor,
  dispatchId: number,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('dispatch_id', '=', dispatchId)
    .where('channel', '=', 'letter')
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
