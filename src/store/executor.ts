import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.js';

/** What a repository function runs on: the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Reads a JSON column, which SQLite returns as text and PostgreSQL as a parsed value. */
export function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** The current instant in the stored form (ISO-8601 UTC). */
export function nowIso(): string {
  return new Date().toISOString();
}
