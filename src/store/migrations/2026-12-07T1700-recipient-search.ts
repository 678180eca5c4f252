import { sql, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Recipient search in big dispatches (the deliveries tab and its API): one walk of a dispatch's
 * deliveries in queue order, and a recipient found by the start of their email address or name
 * through an index instead of a scan of every delivery (≈ 0.2–0.9 s at 300,000 deliveries).
 *
 * The prefix is looked up as a range on `lower(...)`. On PostgreSQL the range is in the "C"
 * collation, byte order, where every string that starts with a prefix lies between the prefix
 * and the prefix followed by the highest code point; a language collation may order
 * punctuation differently. SQLite compares bytes already.
 */
export function recipientSearch(t: ColumnTypes): Migration {
  const lower = (column: string) =>
    t.dialect === 'postgres'
      ? sql.raw(`(lower(${column}) collate "C")`)
      : sql.raw(`lower(${column})`);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('deliveries_dispatch_order')
        .on('deliveries')
        .columns(['dispatch_id', 'id'])
        .execute();
      await sql`create index case_recipients_case_email on case_recipients (case_id, ${lower('email')})`.execute(
        db,
      );
      await sql`create index case_recipients_case_name on case_recipients (case_id, ${lower('name')})`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('case_recipients_case_name').execute();
      await db.schema.dropIndex('case_recipients_case_email').execute();
      await db.schema.dropIndex('deliveries_dispatch_order').execute();
    },
  };
}
