import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { hashAuditEntry } from '../../src/domain/audit-chain.js';
import { buildApp } from '../../src/http/app.js';
import { publicCacheFor } from '../../src/http/public-cache.js';
import {
  latestPublishedAuditAnchor,
  publishAuditAnchor,
  takeAuditAnchor,
} from '../../src/services/access/audit-anchor.service.js';
import {
  appendAudit,
  listAudit,
  verifyAuditChain,
} from '../../src/services/access/audit.service.js';
import type { Database } from '../../src/store/database.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import { GENESIS_HASH } from '../../src/store/migrations/2026-11-27T1000-foundation.js';
import { createTestContext } from '../support/app-context.js';
import { runCandor } from '../support/candor-process.js';
import { databaseUrl, DIALECTS } from '../support/databases.js';

const actor = systemActor('test');

async function append(database: Database, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await database.db.transaction().execute((tx) =>
      appendAudit(tx, database.dialect, actor, {
        action: 'case.update',
        objectType: 'case',
        objectId: i,
        details: { title: `title ${i}` },
      }),
    );
  }
}

/**
 * What someone holding the database can do: lift the append-only guard, change an entry,
 * and recompute every later hash and link and the head, so the chain agrees with itself.
 */
async function rewriteEntry(database: Database, seq: number, details: object): Promise<void> {
  const { db } = database;
  if (database.dialect === 'sqlite') await sql`drop trigger audit_events_no_update`.execute(db);
  else await sql`drop trigger audit_events_no_change on audit_events`.execute(db);
  const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
  let prev = rows.find((r) => r.seq === seq - 1)?.hash ?? GENESIS_HASH;
  for (const r of rows.filter((row) => row.seq >= seq)) {
    const content = {
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      source: r.source,
      details: r.seq === seq ? details : readJson(r.details, jsonObject),
      prevHash: prev,
    };
    const hash = hashAuditEntry(content);
    await db
      .updateTable('audit_events')
      .set({ details: JSON.stringify(content.details), prev_hash: prev, hash })
      .where('seq', '=', r.seq)
      .execute();
    prev = hash;
  }
  await db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
}

describe.each(DIALECTS)('audit anchors on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-anchor-'));
  });
  afterAll(async () => {
    await ctx?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an untouched chain extends every anchor; a rewritten one verifies alone but not against them', async () => {
    const empty = await takeAuditAnchor(actor, ctx.database);
    expect(empty).toMatchObject({ seq: 0, hash: GENESIS_HASH });
    await append(ctx.database, 6);
    const first = await takeAuditAnchor(actor, ctx.database);
    expect(first).toMatchObject({ format: 'candor-audit-anchor/1', seq: 6 });
    await append(ctx.database, 3);
    const second = await takeAuditAnchor(actor, ctx.database);
    expect(second.seq).toBe(9);
    const anchors = [
      { anchor: empty, label: 'anchor-0.json' },
      { anchor: first, label: 'anchor-6.json' },
      { anchor: second, label: 'anchor-9.json' },
    ];
    expect(await verifyAuditChain(actor, ctx.database, { anchors })).toMatchObject({
      ok: true,
      findings: [],
    });

    await rewriteEntry(ctx.database, 3, { title: 'something else entirely' });
    // The chain alone cannot tell: this is what the anchors are for.
    expect(await verifyAuditChain(actor, ctx.database)).toMatchObject({ ok: true, entries: 9 });
    const checked = await verifyAuditChain(actor, ctx.database, { anchors });
    expect(checked.ok).toBe(false);
    expect(checked.findings.map((f) => [f.seq, f.problem])).toEqual([
      [6, 'anchor-mismatch'],
      [9, 'anchor-mismatch'],
    ]);
    expect(checked.findings[0]!.message).toMatch(
      /^entry 6 no longer has the hash anchored in anchor-6\.json on .*: an entry at or before 6 was changed and the chain recomputed$/,
    );
    // An anchor beyond the end: entries were cut off after it was taken.
    const beyond = { ...second, seq: 40 };
    const cut = await verifyAuditChain(actor, ctx.database, {
      anchors: [{ anchor: beyond, label: 'anchor-40.json' }],
    });
    expect(cut.findings).toMatchObject([{ seq: 40, problem: 'anchor-missing' }]);
  });

  it('a published anchor is shown on the security page and recorded in the log', async () => {
    const fresh = await createTestContext(dialect);
    try {
      await append(fresh.database, 4);
      const app = await buildApp(fresh);
      try {
        const before = await app.inject({ url: '/en/security' });
        expect(before.body).not.toContain('Checkpoint of our audit log');
        const anchor = await publishAuditAnchor(actor, fresh.database);
        expect(anchor.seq).toBe(4);
        expect(await latestPublishedAuditAnchor(fresh.database)).toEqual({
          seq: 4,
          hash: anchor.hash,
          anchoredAt: anchor.at,
        });
        const [entry] = await listAudit(actor, fresh.database, { limit: 1 });
        expect(entry).toMatchObject({
          seq: 5,
          action: 'audit.anchor_published',
          details: { seq: 4, hash: anchor.hash },
        });
        await publicCacheFor(fresh.database).poll();
        const en = await app.inject({ url: '/en/security' });
        expect(en.body).toContain('Checkpoint of our audit log');
        expect(en.body).toContain(`<code>${anchor.hash}</code>`);
        const nl = await app.inject({ url: '/security' });
        expect(nl.body).toContain('Controlepunt van ons auditlogboek');
        expect((await verifyAuditChain(actor, fresh.database)).ok).toBe(true);
      } finally {
        await app.close();
      }
    } finally {
      await fresh.close();
    }
  });

  it('through the CLI: anchor, verify --anchor passes, then fails naming the entry once rewritten', async () => {
    const fresh = await createTestContext(dialect);
    const where = { dataDir: dir, databaseUrl: databaseUrl(fresh.testDb.config) };
    try {
      await append(fresh.database, 5);
      const file = path.join(dir, `anchor-${dialect}.json`);
      const anchored = await runCandor(['audit', 'anchor', '--out', file], where);
      expect(anchored.code).toBe(0);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
        format: 'candor-audit-anchor/1',
        seq: 5,
      });
      const good = await runCandor(['audit', 'verify', '--anchor', file], where);
      expect(good.code).toBe(0);
      expect(good.stdout).toContain('It still extends the anchor (entry 5).');

      await rewriteEntry(fresh.database, 2, { title: 'rewritten' });
      const plain = await runCandor(['audit', 'verify'], where);
      expect(plain.code).toBe(0);
      expect(plain.stdout).toMatch(/^Audit chain intact: 5 entries/);
      expect(plain.stdout).toContain('Without an anchor');
      const caught = await runCandor(['audit', 'verify', '--anchor', file], where);
      expect(caught.code).toBe(1);
      expect(caught.stdout).toContain(
        `anchor-mismatch: entry 5 no longer has the hash anchored in ${file}`,
      );

      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify({ format: 'candor-audit-anchor/1', seq: 'five' }));
      const refused = await runCandor(['audit', 'verify', '--anchor', bad], where);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`error: ${bad} is not an audit anchor`);
      expect(refused.stderr).toMatch(/ {2}seq: /);
      expect(refused.stderr).toMatch(/ {2}hash: /);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
