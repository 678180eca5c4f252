import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * The security posture statement (docs/posture.md): one row per version. A version is a draft
 * until a second person approves it and someone publishes it; published versions keep their
 * number and stay public as the statement's history.
 */
export function posture(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('posture_versions')
        .addColumn('id', t.id, t.idModifier)
        // Assigned at publication: 1, 2, 3 … (drafts have none).
        .addColumn('number', 'integer', (c) => c.unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('content', t.json, (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        // Everyone who wrote part of this version: none of them may approve it.
        .addColumn('authors', t.json, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', t.timestamp)
        .addColumn('approved_hash', 'text')
        .addColumn('published_by', 'text')
        .addColumn('published_at', t.timestamp)
        .execute();
    },
  };
}
