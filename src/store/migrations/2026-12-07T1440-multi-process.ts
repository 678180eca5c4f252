import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * State that lived in one server's memory and must be seen by every process behind a load
 * balancer: the progress of workspace customer imports, and the counts of the public pages'
 * miss limiters.
 */
export function multiProcess(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('customer_import_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', t.bigint)
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('total_bytes', t.bigint, (c) => c.notNull())
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('rows', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('bytes', t.bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('summary', t.json)
        .addColumn('error', 'text')
        .addColumn('rejects', 'text')
        .addColumn('heartbeat_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        .execute();
      await db.schema
        .createIndex('customer_import_jobs_started')
        .on('customer_import_jobs')
        .column('started_at')
        .execute();
      await db.schema
        .createTable('miss_counts')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('client', 'text', (c) => c.notNull())
        .addColumn('window_start', t.bigint, (c) => c.notNull())
        .addColumn('misses', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('miss_counts_pk', ['scope', 'client'])
        .execute();
      await db.schema
        .createIndex('miss_counts_window')
        .on('miss_counts')
        .column('window_start')
        .execute();
    },
  };
}
