import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/** Affected products and vulnerabilities (CSAF), security-update subscribers, webhooks. */
export function csaf(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('case_products')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('vendor', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text')
        .addColumn('version_range', 'text')
        .addColumn('cpe', 'text')
        .addColumn('purl', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('case_products_case')
        .on('case_products')
        .column('case_id')
        .execute();

      await db.schema
        .createTable('case_vulnerabilities')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('cve', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('cwe_id', 'text')
        .addColumn('cwe_name', 'text')
        .addColumn('cvss_vector', 'text')
        .addColumn('cvss_score', 'double precision')
        .addColumn('remediation_category', 'text', (c) => c.notNull())
        .addColumn('remediation_details', 'text', (c) => c.notNull())
        .addColumn('remediation_url', 'text')
        .addColumn('product_status', t.json, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('case_vulnerabilities_case')
        .on('case_vulnerabilities')
        .column('case_id')
        .execute();

      await db.schema
        .createTable('subscribers')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('confirm_nonce', 'text')
        .addColumn('confirm_token_hash', 'text')
        .addColumn('confirm_expires_at', t.timestamp)
        .addColumn('confirm_mail_due_at', t.timestamp)
        .addColumn('last_requested_at', t.timestamp, (c) => c.notNull())
        .addColumn('unsubscribe_token_hash', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('confirmed_at', t.timestamp)
        .addColumn('unsubscribed_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('subscribers_confirm_token')
        .unique()
        .on('subscribers')
        .column('confirm_token_hash')
        .execute();
      await db.schema
        .createIndex('subscribers_unsubscribe_token')
        .unique()
        .on('subscribers')
        .column('unsubscribe_token_hash')
        .execute();

      await db.schema
        .createTable('subscriber_mails')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('event_id', t.bigint, (c) => c.notNull())
        .addColumn('subscriber_id', t.bigint, (c) => c.notNull().references('subscribers.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('smtp_response', 'text')
        .addColumn('sent_at', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      // The unique pair is what makes "one mail per event per subscriber" hold across
      // processes and restarts, whatever the cursor does.
      await db.schema
        .createIndex('subscriber_mails_event_subscriber')
        .unique()
        .on('subscriber_mails')
        .columns(['event_id', 'subscriber_id'])
        .execute();
      await db.schema
        .createIndex('subscriber_mails_queue')
        .on('subscriber_mails')
        .columns(['state', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('outbox_cursors')
        .addColumn('consumer', 'text', (c) => c.primaryKey())
        .addColumn('last_event_id', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('webhooks')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        .addColumn('events', t.json, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('disabled_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('webhook_id', t.bigint, (c) => c.notNull().references('webhooks.id'))
        .addColumn('event_id', t.bigint, (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_webhook_event')
        .unique()
        .on('webhook_deliveries')
        .columns(['webhook_id', 'event_id'])
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_queue')
        .on('webhook_deliveries')
        .columns(['state', 'next_attempt_at'])
        .execute();
    },
  };
}
