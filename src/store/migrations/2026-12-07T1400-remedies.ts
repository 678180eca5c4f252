import { sql, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Remedies (what a customer must do, per case), who has done them, and the recall events that
 * webhooks carry (delivery bounced, notice acknowledged, remedy completed, question received).
 *
 * Completion keeps a row per (remedy, recipient) with each source's confirmation, and an
 * append-only event row per confirm/withdraw: the row answers "is it done now" cheaply for
 * millions of recipients, the events give the curve over days and survive a withdrawal.
 */
export function remedies(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('remedies')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        // customer | provider | both: who may say the remedy is done.
        .addColumn('completion', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('retired_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('remedies_case_key')
        .unique()
        .on('remedies')
        .columns(['case_id', 'key'])
        .execute();

      await db.schema
        .createTable('remedy_texts')
        .addColumn('remedy_id', t.bigint, (c) => c.notNull().references('remedies.id'))
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('instructions', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('remedy_texts_pk', ['remedy_id', 'language'])
        .execute();

      await db.schema
        .createTable('remedy_completions')
        .addColumn('remedy_id', t.bigint, (c) => c.notNull().references('remedies.id'))
        .addColumn('recipient_id', t.bigint, (c) => c.notNull().references('case_recipients.id'))
        .addColumn('customer_confirmed_at', t.timestamp)
        .addColumn('provider_confirmed_at', t.timestamp)
        // Set when the remedy's completion rule is met; cleared when a confirmation is withdrawn.
        .addColumn('completed_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('remedy_completions_pk', ['remedy_id', 'recipient_id'])
        .execute();
      await db.schema
        .createIndex('remedy_completions_recipient')
        .on('remedy_completions')
        .column('recipient_id')
        .execute();

      await db.schema
        .createTable('remedy_completion_events')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('remedy_id', t.bigint, (c) => c.notNull().references('remedies.id'))
        .addColumn('recipient_id', t.bigint, (c) => c.notNull())
        // customer | provider
        .addColumn('source', 'text', (c) => c.notNull())
        // confirm | withdraw; 'completed' and 'reopened' mark the rule being met or lost.
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('remedy_completion_events_remedy_at')
        .on('remedy_completion_events')
        .columns(['remedy_id', 'at'])
        .execute();

      // Events about one recipient or case that webhooks carry; fanned out by the outbox loop.
      // Many transactions write these at once, and on PostgreSQL ids commit out of order, so
      // the fan-out marks rows done instead of following an id cursor that could skip one.
      await db.schema
        .createTable('recall_events')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('case_id', t.bigint, (c) => c.notNull())
        .addColumn('recipient_id', t.bigint)
        .addColumn('data', t.json, (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('fanned_out_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('recall_events_pending')
        .on('recall_events')
        .column('id')
        .where(sql.ref('fanned_out_at'), 'is', null)
        .execute();

      // Webhook deliveries now come from two event streams; the id alone is no longer unique.
      await db.schema
        .alterTable('webhook_deliveries')
        .addColumn('source', 'text', (c) => c.notNull().defaultTo('publication'))
        .execute();
      await db.schema.dropIndex('webhook_deliveries_webhook_event').execute();
      await db.schema
        .createIndex('webhook_deliveries_webhook_event')
        .unique()
        .on('webhook_deliveries')
        .columns(['webhook_id', 'source', 'event_id'])
        .execute();
    },
  };
}
