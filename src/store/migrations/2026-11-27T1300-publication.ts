import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/** The public record: published texts, updates, embargo releases, the outbox and the site revision. */
export function publication(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('publications')
        .addColumn('case_id', t.bigint, (c) => c.primaryKey().references('cases.id'))
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('public_notice_id', t.bigint, (c) => c.notNull().references('notices.id'))
        .addColumn('public_hash', 'text', (c) => c.notNull())
        .addColumn('public_texts', t.json, (c) => c.notNull())
        .addColumn('default_language', 'text', (c) => c.notNull())
        .addColumn('press_notice_id', t.bigint)
        .addColumn('press_hash', 'text')
        .addColumn('press_texts', t.json)
        .addColumn('press_published_at', t.timestamp)
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('first_published_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('withdrawn_at', t.timestamp)
        .addColumn('published_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('publications_year_slug')
        .unique()
        .on('publications')
        .columns(['year', 'slug'])
        .execute();

      await db.schema
        .createTable('publication_revisions')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('publication_revisions_case')
        .unique()
        .on('publication_revisions')
        .columns(['case_id', 'number'])
        .execute();

      await db.schema
        .createTable('public_updates')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('texts', t.json, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('public_updates_case')
        .on('public_updates')
        .columns(['case_id', 'at'])
        .execute();

      await db.schema
        .createTable('embargo_releases')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('condition', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('released_by', 'text', (c) => c.notNull())
        .addColumn('released_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('embargo_releases_case_condition')
        .unique()
        .on('embargo_releases')
        .columns(['case_id', 'condition'])
        .execute();

      await db.schema
        .createTable('disclosure_acceptances')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('notice_id', t.bigint, (c) => c.notNull().references('notices.id'))
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('excerpt', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('accepted_by', 'text', (c) => c.notNull())
        .addColumn('accepted_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('disclosure_acceptances_notice')
        .unique()
        .on('disclosure_acceptances')
        .columns(['notice_id', 'fingerprint'])
        .execute();

      await db.schema
        .createTable('publication_events')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('site_revision', t.bigint, (c) => c.notNull())
        .execute();

      // One row; every public change bumps it first, which also serialises public writers so
      // outbox ids are handed out in commit order (a poller "after id N" misses nothing).
      await db.schema
        .createTable('public_site')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('revision', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db
        .insertInto('public_site' as never)
        .values({ id: 1, revision: 0, updated_at: new Date().toISOString() })
        .execute();
    },
  };
}
