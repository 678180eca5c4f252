import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

export function assessment(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('assessment_facts')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) =>
          c.notNull().references('cases.id').onDelete('cascade'),
        )
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('facts', t.json, (c) => c.notNull())
        .addColumn('advice', t.json, (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
        // Two people saving at once: one of them gets a conflict instead of a lost version.
        .addUniqueConstraint('assessment_facts_case_version', ['case_id', 'version'])
        .execute();

      await db.schema
        .createTable('assessment_overrides')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) =>
          c.notNull().references('cases.id').onDelete('cascade'),
        )
        .addColumn('facts_version', 'integer', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('notify', 'integer', (c) => c.notNull())
        .addColumn('public_communication', 'integer')
        .addColumn('advice_notify', 'integer', (c) => c.notNull())
        .addColumn('rationale', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('decided_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('assessment_overrides_case')
        .on('assessment_overrides')
        .columns(['case_id', 'id'])
        .execute();

      await db.schema
        .createTable('clock_alerts')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('alert_key', 'text', (c) => c.notNull().unique())
        .addColumn('case_id', t.bigint, (c) =>
          c.notNull().references('cases.id').onDelete('cascade'),
        )
        .addColumn('clock_kind', 'text', (c) => c.notNull())
        .addColumn('threshold', 'text', (c) => c.notNull())
        .addColumn('due_at', t.timestamp, (c) => c.notNull())
        .addColumn('user_id', t.bigint, (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('claimed_at', t.timestamp, (c) => c.notNull())
        .addColumn('sent_at', t.timestamp)
        .addColumn('message_id', 'text')
        .execute();
      await db.schema
        .createIndex('clock_alerts_case')
        .on('clock_alerts')
        .column('case_id')
        .execute();
    },
  };
}
