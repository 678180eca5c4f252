import { sql, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/** Users, API tokens, the hash-chained audit log and the customer registry. */
export function foundation(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('roles', t.json, (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('disabled_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('user_id', t.bigint, (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('token_prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp)
        .addColumn('last_used_at', t.timestamp)
        .addColumn('revoked_at', t.timestamp)
        .execute();
      await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('seq', t.bigint, (c) => c.primaryKey())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('object_type', 'text', (c) => c.notNull())
        .addColumn('object_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('details', t.json, (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_events_object')
        .on('audit_events')
        .columns(['object_type', 'object_id'])
        .execute();
      // One row that every append locks: it serialises writers across processes and is the
      // chain's tip, so a truncated tail is detectable too.
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', t.bigint, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into audit_head (id, seq, hash) values (1, 0, ${GENESIS_HASH})`.execute(db);
      await appendOnlyGuards(db, t);

      await db.schema
        .createTable('customer_imports')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('delimiter', 'text')
        .addColumn('dry_run', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addColumn('finished_at', t.timestamp)
        .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('inserted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .execute();

      await db.schema
        .createTable('customers')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('external_id', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text')
        .addColumn('name', 'text')
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('street', 'text')
        .addColumn('postal_code', 'text')
        .addColumn('city', 'text')
        .addColumn('country', 'text')
        .addColumn('attributes', t.json, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('import_id', t.bigint)
        .addColumn('import_line', t.bigint)
        .execute();
      // No index on email: random-order inserts into a second B-tree tripled the cost of a
      // million-row import; searching by email scans (~0.3 s per million rows) instead.
    },
  };
}

/** The hash that the first audit entry chains to. */
export const GENESIS_HASH = '0'.repeat(64);

async function appendOnlyGuards(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  if (t.dialect === 'sqlite') {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger audit_events_no_${op} before ${op} on audit_events begin select raise(abort, 'audit_events is append-only'); end`,
        )
        .execute(db);
    }
    return;
  }
  await sql`create function audit_events_append_only() returns trigger language plpgsql as $$
    begin raise exception 'audit_events is append-only'; end $$`.execute(db);
  await sql`create trigger audit_events_no_change before update or delete on audit_events
    for each statement execute function audit_events_append_only()`.execute(db);
  await sql`create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_append_only()`.execute(db);
}
