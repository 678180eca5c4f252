import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

export function csaf(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      void t;
      void db;
    },
  };
}
