import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

export function workspace(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      void t;
      // Where a user gets the workspace's own mail (legal-clock alerts); optional.
      await db.schema.alterTable('users').addColumn('email', 'text').execute();
    },
  };
}
