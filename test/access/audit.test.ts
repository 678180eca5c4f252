import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/domain/access.js';
import { ForbiddenError } from '../../src/domain/errors.js';
import {
  appendAudit,
  listAudit,
  verifyAuditChain,
} from '../../src/services/access/audit.service.js';
import { createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  const actor = systemActor('test');

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    for (let i = 0; i < 6; i++) {
      await ctx.database.db.transaction().execute((tx) =>
        appendAudit(tx, dialect, actor, {
          action: 'test.event',
          objectType: 'thing',
          objectId: i,
          details: { i, text: `événement ${i}`, nested: { z: 1, a: [1, 2] } },
        }),
      );
    }
  });
  afterAll(() => ctx.close());

  it('records who, what, when, on which object and from where', async () => {
    const [latest] = await listAudit(actor, ctx.database, { limit: 1 });
    expect(latest).toMatchObject({
      seq: 6,
      actor: 'system:test',
      action: 'test.event',
      objectType: 'thing',
      objectId: '5',
      source: 'cli',
      details: { i: 5, text: 'événement 5' },
    });
    expect(Date.parse(latest!.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('verifies an intact chain', async () => {
    const result = await verifyAuditChain(actor, ctx.database);
    expect(result).toMatchObject({ ok: true, entries: 6, findings: [] });
    expect(result.head.seq).toBe(6);
  });

  it('rolls the entry back with the change it records', async () => {
    await expect(
      ctx.database.db.transaction().execute(async (tx) => {
        await appendAudit(tx, dialect, actor, { action: 'doomed', objectType: 'thing' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const result = await verifyAuditChain(actor, ctx.database);
    expect(result.entries).toBe(6);
    expect(result.ok).toBe(true);
  });

  it('serialises concurrent appends into one chain', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        createUser(
          actor,
          { username: `user${i}${dialect}`, roles: ['viewer'], password: 'correct horse battery' },
          ctx.deps,
        ),
      ),
    );
    const result = await verifyAuditChain(actor, ctx.database);
    expect(result).toMatchObject({ ok: true, entries: 14 });
  });

  it('refuses updates and deletes of entries', async () => {
    await expect(
      sql`update audit_events set actor = 'mallory' where seq = 1`.execute(ctx.database.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from audit_events where seq = 1`.execute(ctx.database.db),
    ).rejects.toThrow(/append-only/);
  });

  it('names altered and removed entries once someone bypasses the guard', async () => {
    const db = ctx.database.db;
    if (dialect === 'sqlite') {
      await sql`drop trigger audit_events_no_update`.execute(db);
      await sql`drop trigger audit_events_no_delete`.execute(db);
    } else {
      await sql`drop trigger audit_events_no_change on audit_events`.execute(db);
    }
    await sql`update audit_events set actor = 'mallory' where seq = 2`.execute(db);
    await sql`delete from audit_events where seq = 4`.execute(db);
    const result = await verifyAuditChain(actor, ctx.database);
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([
      expect.objectContaining({ seq: 2, problem: 'altered' }),
      expect.objectContaining({ seq: 4, problem: 'removed', message: 'entry 4 was removed' }),
    ]);
  });

  it('is readable only with the audit permission', async () => {
    const viewer: Actor = { kind: 'user', userId: 1, name: 'v', roles: ['viewer'], source: 'test' };
    await expect(listAudit(viewer, ctx.database, { limit: 5 })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(verifyAuditChain(viewer, ctx.database)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
