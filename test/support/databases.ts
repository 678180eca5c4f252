import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';
import { openDatabase, type Database, type Dialect } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { pgTestUrl } from './test-env.js';

/** Both engines, for `describe.each(DIALECTS)`: every store test runs on each. */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

/** A fresh, migrated store: a new SQLite file, or a new PostgreSQL schema dropped afterwards. */
export interface TestDatabase {
  database: Database;
  config: DatabaseConfig;
  destroy(): Promise<void>;
}

/** Creates an empty database of the given dialect with all migrations applied. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const config = await freshConfig(dialect);
  const database = openDatabase(config);
  const report = await migrateToLatest(database);
  if (report.error) throw new Error(`migration failed: ${report.error.message}`);
  return {
    database,
    config,
    async destroy() {
      await database.close();
      await dropConfig(config);
    },
  };
}

/** A fresh, empty (unmigrated) database config of the given dialect. */
export async function freshConfig(dialect: Dialect): Promise<DatabaseConfig> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-test-'));
    return { dialect: 'sqlite', file: path.join(dir, 'candor.db') };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: pgTestUrl() });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
  } finally {
    await client.end();
  }
  return { dialect: 'postgres', url: pgTestUrl(), schema };
}

/** Removes what freshConfig made. */
export async function dropConfig(config: DatabaseConfig): Promise<void> {
  if (config.dialect === 'sqlite') {
    fs.rmSync(path.dirname(config.file), { recursive: true, force: true });
    return;
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${config.schema} cascade`);
  } finally {
    await client.end();
  }
}

/** The URL form of a test config, for child processes (`CANDOR_DATABASE_URL`). */
export function databaseUrl(config: DatabaseConfig): string {
  if (config.dialect === 'sqlite') return `sqlite:${config.file}`;
  const url = new URL(config.url);
  if (config.schema) url.searchParams.set('options', `-c search_path=${config.schema}`);
  return url.toString();
}
