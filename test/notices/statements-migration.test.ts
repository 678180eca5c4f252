import { afterEach, describe, expect, it } from 'vitest';
import { noticeContentHash } from '../../src/domain/notice.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { DIALECTS, dropConfig, freshConfig } from '../support/databases.js';
import type { DatabaseConfig } from '../../src/config.js';

const BEFORE = '2026-11-27T1510-recovery-codes';

/**
 * Existing cases and notices migrate: a case's summary becomes its "what happened" statement
 * in the language it is written in, `{{ case.summary }}` / `{{ case.title }}` in notice texts
 * become statements, and approvals from before snapshots are withdrawn (they never covered
 * the case values the notice pulled in).
 */
describe.each(DIALECTS)('statements migration on %s', (dialect) => {
  let database: Database | undefined;
  let config: DatabaseConfig | undefined;
  afterEach(async () => {
    await database?.close();
    if (config) await dropConfig(config);
  });

  it('moves summaries into statements and rewrites notice texts', async () => {
    config = await freshConfig(dialect);
    database = openDatabase(config);
    expect((await migrateToLatest(database, { upTo: BEFORE })).error).toBeUndefined();
    const { db } = database;
    const now = new Date().toISOString();
    const base = {
      kind: 'incident' as const,
      state: 'open' as const,
      affected_filter: null,
      detected_at: null,
      aware_at: null,
      contained_at: null,
      resolved_at: null,
      frozen_at: null,
      created_by: 'sanne',
      created_at: now,
      updated_at: now,
    };
    const english = await db
      .insertInto('cases')
      .values({
        ...base,
        reference: 'INC-2026-0001',
        title: 'Portal',
        summary: 'An attacker got into the customer portal and copied the names of customers.',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const dutch = await db
      .insertInto('cases')
      .values({
        ...base,
        reference: 'INC-2026-0002',
        title: 'Portaal',
        summary:
          'Een aanvaller is in het klantportaal gekomen en heeft de namen van klanten gekopieerd.',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const texts = {
      en: { subject: 'About {{ case.title }}', body: 'Dear customer,\n\n{{ case.summary }}\n' },
    };
    const hash = noticeContentHash({ audience: 'affected', defaultLanguage: 'en', texts });
    const notice = await db
      .insertInto('notices')
      .values({
        case_id: Number(english.id),
        audience: 'affected',
        title: 'n',
        default_language: 'en',
        version: 1,
        content_hash: hash,
        editors: JSON.stringify(['joost']),
        approved_by: 'fatima',
        approved_at: now,
        approved_hash: hash,
        created_by: 'joost',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('notice_texts')
      .values({ notice_id: Number(notice.id), language: 'en', ...texts.en })
      .execute();

    expect((await migrateToLatest(database)).error).toBeUndefined();

    const statements = await db
      .selectFrom('case_statements')
      .select(['case_id', 'key', 'language'])
      .orderBy('case_id')
      .execute();
    expect(statements.map((s) => ({ ...s, case_id: Number(s.case_id) }))).toEqual([
      { case_id: Number(english.id), key: 'what_happened', language: 'en' },
      { case_id: Number(dutch.id), key: 'what_happened', language: 'nl' },
    ]);
    const text = await db
      .selectFrom('notice_texts')
      .selectAll()
      .where('notice_id', '=', Number(notice.id))
      .executeTakeFirstOrThrow();
    expect(text.subject).toBe('About {{ statements.headline }}');
    expect(text.body).toContain('{{ statements.what_happened }}');
    const row = await db
      .selectFrom('notices')
      .selectAll()
      .where('id', '=', Number(notice.id))
      .executeTakeFirstOrThrow();
    expect(row.approved_hash).toBeNull();
    expect(row.approval_id).toBeNull();
    expect(row.content_hash).toBe(
      noticeContentHash({
        audience: 'affected',
        defaultLanguage: 'en',
        texts: { en: { subject: text.subject, body: text.body } },
      }),
    );
  });
});
