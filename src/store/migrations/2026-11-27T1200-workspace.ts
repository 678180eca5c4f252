import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

export function workspace(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Where a user gets the workspace's own mail (legal-clock alerts); optional.
      await db.schema.alterTable('users').addColumn('email', 'text').execute();

      await db.schema
        .createTable('workspace_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', t.bigint, (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('workspace_sessions_user')
        .on('workspace_sessions')
        .column('user_id')
        .execute();
      await db.schema
        .createIndex('workspace_sessions_expires')
        .on('workspace_sessions')
        .column('expires_at')
        .execute();

      await db.schema
        .createTable('login_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_start', t.timestamp, (c) => c.notNull())
        .addColumn('locked_until', t.timestamp)
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_totp')
        .addColumn('user_id', t.bigint, (c) =>
          c.primaryKey().references('users.id').onDelete('cascade'),
        )
        .addColumn('secret_enc', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', t.timestamp)
        .addColumn('last_step', t.bigint, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('user_preferences')
        .addColumn('user_id', t.bigint, (c) =>
          c.primaryKey().references('users.id').onDelete('cascade'),
        )
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
    },
  };
}
