import type { Migration } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';
import { foundation } from './2026-11-27T1000-foundation.js';
import { recallLoop } from './2026-11-27T1100-recall-loop.js';

/** Every migration, by timestamped name; Kysely applies them in name order. */
export function allMigrations(dialect: Dialect): Record<string, Migration> {
  const t = columnTypes(dialect);
  return {
    '2026-11-27T1000-foundation': foundation(t),
    '2026-11-27T1100-recall-loop': recallLoop(t),
  };
}
