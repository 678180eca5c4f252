import { sql, type ColumnDefinitionBuilder, type RawBuilder } from 'kysely';
import type { Dialect } from '../database.js';

/** Dialect-specific column types, so one migration serves SQLite and PostgreSQL. */
export interface ColumnTypes {
  dialect: 'sqlite' | 'postgres';
  /** Auto-incrementing integer primary key. */
  id: RawBuilder<unknown> | 'integer';
  idModifier: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** ISO-8601 UTC instant: TEXT on SQLite (sorts correctly), timestamptz on PostgreSQL. */
  timestamp: RawBuilder<unknown> | 'text';
  json: RawBuilder<unknown> | 'text';
  bigint: 'bigint' | 'integer';
}

/** The column types for one dialect. */
export function columnTypes(dialect: Dialect): ColumnTypes {
  if (dialect === 'postgres') {
    return {
      dialect: 'postgres',
      id: sql`bigint`,
      idModifier: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
      timestamp: sql`timestamptz`,
      json: sql`jsonb`,
      bigint: 'bigint',
    };
  }
  return {
    dialect: 'sqlite',
    id: 'integer',
    idModifier: (c) => c.primaryKey().autoIncrement(),
    timestamp: 'text',
    json: 'text',
    bigint: 'integer',
  };
}
