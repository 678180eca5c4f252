import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/** Cases, affected sets, notices, dispatches and deliveries: the recall loop. */
export function recallLoop(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('cases')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('reference', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('affected_filter', 'text')
        .addColumn('detected_at', t.timestamp)
        .addColumn('aware_at', t.timestamp)
        .addColumn('contained_at', t.timestamp)
        .addColumn('resolved_at', t.timestamp)
        .addColumn('frozen_at', t.timestamp)
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('case_events')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('case_events_case')
        .on('case_events')
        .columns(['case_id', 'at'])
        .execute();

      // The uploaded affected list: who, and what it means for each of them.
      await db.schema
        .createTable('case_affected')
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('customer_id', t.bigint, (c) => c.notNull().references('customers.id'))
        .addColumn('impact', t.json, (c) => c.notNull())
        .addColumn('line', t.bigint)
        .addPrimaryKeyConstraint('case_affected_pk', ['case_id', 'customer_id'])
        .execute();

      // The affected set frozen at the first dispatch: later registry changes do not change
      // who was told what. The personal page token is stored only as a hash.
      await db.schema
        .createTable('case_recipients')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('customer_id', t.bigint, (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('name', 'text')
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('street', 'text')
        .addColumn('postal_code', 'text')
        .addColumn('city', 'text')
        .addColumn('country', 'text')
        .addColumn('attributes', t.json, (c) => c.notNull())
        .addColumn('impact', t.json, (c) => c.notNull())
        .addColumn('token_hash', 'text')
        .addColumn('token_revoked_at', t.timestamp)
        .addColumn('acknowledged_at', t.timestamp)
        .addColumn('remedied_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('case_recipients_case_customer')
        .unique()
        .on('case_recipients')
        .columns(['case_id', 'customer_id'])
        .execute();
      await db.schema
        .createIndex('case_recipients_token')
        .unique()
        .on('case_recipients')
        .column('token_hash')
        .execute();

      await db.schema
        .createTable('notices')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('default_language', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('editors', t.json, (c) => c.notNull())
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', t.timestamp)
        .addColumn('approved_hash', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('notice_texts')
        .addColumn('notice_id', t.bigint, (c) => c.notNull().references('notices.id'))
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notice_texts_pk', ['notice_id', 'language'])
        .execute();

      await db.schema
        .createTable('dispatches')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('notice_id', t.bigint, (c) => c.notNull().references('notices.id'))
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        .execute();

      // One row per recipient: the delivery table is the queue.
      await db.schema
        .createTable('deliveries')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('dispatch_id', t.bigint, (c) => c.notNull().references('dispatches.id'))
        .addColumn('recipient_id', t.bigint, (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_at', t.timestamp)
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('smtp_response', 'text')
        .addColumn('sent_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('deliveries_dispatch_recipient')
        .unique()
        .on('deliveries')
        .columns(['dispatch_id', 'recipient_id'])
        .execute();
      // Claims walk this index per running dispatch (so a paused dispatch's million queued rows
      // are never scanned), and progress counts group by it. No index on email or
      // Message-ID: random-order inserts would slow the creation of a million rows, and the
      // Message-ID carries the delivery id (bounces look it up by primary key).
      await db.schema
        .createIndex('deliveries_queue')
        .on('deliveries')
        .columns(['dispatch_id', 'state', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', t.json, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('dispatch_workers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addColumn('heartbeat_at', t.timestamp, (c) => c.notNull())
        .execute();
    },
  };
}
