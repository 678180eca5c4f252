import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Audit anchors published for public display (`candor audit anchor --publish`): the chain's
 * head at a moment, shown on the security page so copies of it exist outside the database.
 */
export function auditAnchors(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_anchors')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('seq', t.bigint, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('anchored_at', t.timestamp, (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
