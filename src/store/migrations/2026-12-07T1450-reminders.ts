import { sql, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Reminder rules per case, each run of a rule (a send), the recipients a send selected, and
 * the case's escalation rule (a printed letter for those email cannot reach).
 *
 * A run is claimed by inserting its (rule_id, run_no) row: the unique index, not a read in the
 * service, is what keeps two processes from sending one run twice. A reminder goes out as a
 * dispatch of the rule's notice restricted to a selection of recipients; such a dispatch names
 * its selection, and the one-dispatch-per-notice index now holds only for dispatches to the
 * whole set (a rule sends its one approved notice once per run).
 */
export function reminders(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('dispatches').addColumn('selection', 'text').execute();
      await db.schema.dropIndex('dispatches_notice_once').execute();
      await db.schema
        .createIndex('dispatches_notice_once')
        .on('dispatches')
        .column('notice_id')
        .unique()
        .where(sql<boolean>`state <> 'cancelled' and selection is null`)
        .execute();

      await db.schema
        .createTable('reminder_rules')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('notice_id', t.bigint, (c) => c.notNull().references('notices.id'))
        // not-acknowledged | not-completed (then remedy_id names the remedy)
        .addColumn('condition', 'text', (c) => c.notNull())
        .addColumn('remedy_id', t.bigint, (c) => c.references('remedies.id'))
        .addColumn('days', 'integer', (c) => c.notNull())
        .addColumn('max_sends', 'integer', (c) => c.notNull())
        // Why the last due run did not send (e.g. the notice is not approved); null when it did.
        .addColumn('refusal', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('retired_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('reminder_rules_case')
        .on('reminder_rules')
        .column('case_id')
        .execute();

      await db.schema
        .createTable('reminder_sends')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('rule_id', t.bigint, (c) => c.notNull().references('reminder_rules.id'))
        .addColumn('case_id', t.bigint, (c) => c.notNull())
        .addColumn('run_no', 'integer', (c) => c.notNull())
        // selected → sent
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('dispatch_id', t.bigint)
        .addColumn('selected', 'integer', (c) => c.notNull())
        .addColumn('recipients', 'integer', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reminder_sends_run')
        .unique()
        .on('reminder_sends')
        .columns(['rule_id', 'run_no'])
        .execute();

      await db.schema
        .createTable('reminder_send_recipients')
        .addColumn('send_id', t.bigint, (c) => c.notNull().references('reminder_sends.id'))
        .addColumn('recipient_id', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('reminder_send_recipients_pk', ['send_id', 'recipient_id'])
        .execute();
      await db.schema
        .createIndex('reminder_send_recipients_recipient')
        .on('reminder_send_recipients')
        .column('recipient_id')
        .execute();

      await db.schema
        .createTable('reminder_escalations')
        .addColumn('case_id', t.bigint, (c) => c.primaryKey().references('cases.id'))
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('after_days', 'integer', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
    },
  };
}
