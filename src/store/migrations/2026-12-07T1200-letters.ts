import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Printed letters for recipients email cannot reach. A letter is a delivery on the `letter`
 * channel (states printed → posted), so it counts wherever deliveries count and gets a
 * reference code like a mail. Existing rows are email deliveries: the column's default keeps
 * their meaning. The one-delivery-per-recipient index becomes one per recipient per channel, so
 * a bounced mail and the letter that replaces it sit side by side; its (dispatch_id,
 * recipient_id) prefix still serves the lookups the old index served.
 *
 * A batch is what goes to the print house in one PDF; its items fix the order and page ranges,
 * so the PDF and manifest can be made again, byte for byte, from the database.
 */
export function letters(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('deliveries')
        .addColumn('channel', 'text', (c) => c.notNull().defaultTo('email'))
        .execute();
      await db.schema.dropIndex('deliveries_dispatch_recipient').execute();
      await db.schema
        .createIndex('deliveries_dispatch_recipient_channel')
        .unique()
        .on('deliveries')
        .columns(['dispatch_id', 'recipient_id', 'channel'])
        .execute();

      await db.schema
        .createTable('letter_batches')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('dispatch_id', t.bigint, (c) => c.notNull().references('dispatches.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('letters', 'integer', (c) => c.notNull())
        .addColumn('pages', 'integer', (c) => c.notNull())
        .addColumn('pdf_sha256', 'text', (c) => c.notNull())
        .addColumn('manifest_sha256', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('posted_by', 'text')
        .addColumn('posted_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('letter_batches_dispatch')
        .on('letter_batches')
        .columns(['dispatch_id', 'id'])
        .execute();

      await db.schema
        .createTable('letter_batch_items')
        .addColumn('batch_id', t.bigint, (c) => c.notNull().references('letter_batches.id'))
        .addColumn('letter_number', 'integer', (c) => c.notNull())
        .addColumn('delivery_id', t.bigint, (c) => c.notNull().references('deliveries.id'))
        .addColumn('first_page', 'integer', (c) => c.notNull())
        .addColumn('pages', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('letter_batch_items_pk', ['batch_id', 'letter_number'])
        .execute();
    },
  };
}
