import { sql, type Kysely, type Migration } from 'kysely';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/audit-chain.js';
import type { ColumnTypes } from './column-types.js';
import { guessLanguage } from '../../domain/statements.js';

/**
 * Statements and approval snapshots.
 *
 * - `case_statements`: the customer-facing texts of a case, per key and language.
 * - `notice_approvals`: what an approver signed: the notice's texts with every case-level value
 *   they use resolved (a snapshot), its hash, and — when an input changed afterwards — who voided
 *   it, when and why. Dispatches and publications point at the approval they send.
 *
 * Existing data: each case's summary becomes its `what_happened` statement in the language the
 * summary is written in (a stop-word count; Dutch when undecided), `{{ case.summary }}` and
 * `{{ case.title }}` in notice texts become `{{ statements.what_happened }}` and
 * `{{ statements.headline }}`, and approvals given before snapshots existed are withdrawn
 * (their notices show as needing approval): they never covered the case values.
 */
export function statementsSnapshots(t: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('case_statements')
        .addColumn('case_id', t.bigint, (c) => c.notNull().references('cases.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('case_statements_pk', ['case_id', 'key', 'language'])
        .execute();

      await db.schema
        .createTable('notice_approvals')
        .addColumn('id', t.id, t.idModifier)
        .addColumn('notice_id', t.bigint, (c) => c.notNull().references('notices.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('snapshot_hash', 'text', (c) => c.notNull())
        .addColumn('snapshot', t.json, (c) => c.notNull())
        .addColumn('approved_by', 'text', (c) => c.notNull())
        .addColumn('approved_at', t.timestamp, (c) => c.notNull())
        .addColumn('voided_at', t.timestamp)
        .addColumn('voided_by', 'text')
        .addColumn('voided_reason', 'text')
        .execute();
      await db.schema
        .createIndex('notice_approvals_notice')
        .on('notice_approvals')
        .columns(['notice_id', 'id'])
        .execute();

      await db.schema
        .alterTable('notices')
        .addColumn('approval_id', t.bigint, (c) => c.references('notice_approvals.id'))
        .execute();
      await db.schema
        .alterTable('dispatches')
        .addColumn('approval_id', t.bigint, (c) => c.references('notice_approvals.id'))
        .execute();

      const now = new Date().toISOString();
      const cases = await sql<{ id: number; summary: string }>`
        select id, summary from cases where summary <> ''`.execute(db);
      for (const c of cases.rows) {
        await sql`insert into case_statements (case_id, key, language, text, updated_by, updated_at)
          values (${c.id}, 'what_happened', ${guessLanguage(c.summary)}, ${c.summary}, 'migration', ${now})`.execute(
          db,
        );
      }

      const notices = await sql<{ id: number; audience: string; default_language: string }>`
        select id, audience, default_language from notices`.execute(db);
      for (const n of notices.rows) {
        const texts = await sql<{ language: string; subject: string; body: string }>`
          select language, subject, body from notice_texts where notice_id = ${n.id}`.execute(db);
        const next: Record<string, { subject: string; body: string }> = {};
        for (const text of texts.rows) {
          const subject = rewrite(text.subject);
          const body = rewrite(text.body);
          next[text.language] = { subject, body };
          await sql`update notice_texts set subject = ${subject}, body = ${body}
            where notice_id = ${n.id} and language = ${text.language}`.execute(db);
        }
        // The same hash the notice service computes (noticeContentHash), so edits compare.
        const hash = createHash('sha256')
          .update(
            canonicalJson({
              audience: n.audience,
              defaultLanguage: n.default_language,
              texts: next,
            }),
          )
          .digest('hex');
        await sql`update notices set content_hash = ${hash}, approved_hash = null,
          approved_by = null, approved_at = null where id = ${n.id}`.execute(db);
      }
    },
  };
}

const CASE_VALUE = /\{\{\s*case\.(summary|title)\s*\}\}/g;

function rewrite(text: string): string {
  return text.replace(CASE_VALUE, (_m, key: string) =>
    key === 'summary' ? '{{ statements.what_happened }}' : '{{ statements.headline }}',
  );
}
