import type { ColumnType } from 'kysely';

/** JSON columns are TEXT on SQLite and JSONB on PostgreSQL: written as a string, read as either. */
export type JsonColumn = ColumnType<string | Record<string, unknown>, string, string>;
