import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/** Regulator reports (GDPR Art. 33, NIS2 Art. 23) and their versions. */
export function reports(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reports')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        // One report per kind per case; supplements are versions, not new reports.
        .addUniqueConstraint('reports_case_kind', ['case_id', 'kind'])
        .execute();

      await db.schema
        .createTable('report_versions')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('report_id', t.bigint, (c) => c.notNull().references('reports.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content', t.json, (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('editors', t.json, (c) => c.notNull())
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', t.timestamp)
        .addColumn('approved_hash', 'text')
        .addColumn('submitted_at', t.timestamp)
        .addColumn('submitted_by', 'text')
        .addColumn('authority_reference', 'text')
        .addColumn('delay_reason', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('report_versions_report_version', ['report_id', 'version'])
        .execute();
    },
  };
}
