import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/** TOTP recovery codes: keyed hashes only, each usable once. */
export function recoveryCodes(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('user_recovery_codes')
        .addColumn('user_id', t.bigint, (c) =>
          c.notNull().references('users.id').onDelete('cascade'),
        )
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('used_at', t.timestamp)
        .addPrimaryKeyConstraint('user_recovery_codes_pk', ['user_id', 'code_hash'])
        .execute();
    },
  };
}
