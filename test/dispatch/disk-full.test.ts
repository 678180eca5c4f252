import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { contextOn, type AppContext } from '../../src/wiring.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createPeople,
  deliveriesOf,
  runWorker,
  TEST_SECRET,
  waitForDispatch,
} from './scenario.js';

/**
 * The disk of a SQLite installation fills up in the middle of a dispatch (a size-limited tmpfs,
 * as root can mount one; CI runs as root). The worker must say so clearly, keep the database
 * intact, and finish once there is space again: everybody recorded sent, nobody mailed twice.
 */
describe('a full disk under SQLite mid-dispatch', () => {
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-full-'));
  let ctx: AppContext;
  let smtp: SmtpPeer;
  const filler = path.join(mountPoint, 'filler');

  beforeAll(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
    const config = {
      ...loadConfig({ CANDOR_SECRET: TEST_SECRET, CANDOR_DATA_DIR: mountPoint }),
      database: { dialect: 'sqlite' as const, file: path.join(mountPoint, 'candor.db') },
    };
    const database = openDatabase(config.database);
    const report = await migrateToLatest(database);
    if (report.error) throw new Error(report.error.message);
    ctx = contextOn(config, database);
    // A relay that takes 15 ms per message, so the disk fills while the dispatch runs.
    smtp = await startSmtpPeer({
      faults: ({ stage }) => (stage === 'data' ? { delayMs: 15 } : undefined),
    });
  });
  afterAll(async () => {
    await smtp?.close();
    await ctx?.close();
    try {
      execFileSync('umount', [mountPoint]);
    } finally {
      fs.rmSync(mountPoint, { recursive: true, force: true });
    }
  });

  it('reports the full disk, keeps the database intact and resumes when space is back', async () => {
    const people = await createPeople(ctx);
    const s = await buildScenario(ctx, people, { customers: 300, until: 'dispatched' });
    const logged: string[] = [];
    const worker = await runWorker(ctx, smtp.url, {
      log: (message, fields) => logged.push(`${message} ${JSON.stringify(fields ?? {})}`),
    });
    await smtp.waitFor(20, 20_000);
    // Fill every free byte, mid-dispatch.
    const fd = fs.openSync(filler, 'w');
    const block = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) fs.writeSync(fd, block);
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      fs.closeSync(fd);
    }
    try {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const stuck = await waitForDispatch(ctx, s.dispatch!.id, () => true);
      expect(stuck.state).not.toBe('completed');
      fs.rmSync(filler);
      await waitForDispatch(ctx, s.dispatch!.id, undefined, 60_000);
    } finally {
      await worker.stop();
    }
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
      ctx.database.db,
    );
    expect(integrity.rows).toEqual([{ integrity_check: 'ok' }]);
    const rows = await deliveriesOf(ctx, s.dispatch!.id);
    expect(rows.filter((d) => d.state === 'sent')).toHaveLength(300);
    const twice = [...smtp.received.entries()].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    // The log names the cause, not a follow-on error ("cannot rollback - no transaction…").
    expect(logged.join('\n')).toMatch(/database or disk is full/);
    expect(logged.join('\n')).not.toMatch(/cannot rollback/);
  }, 120_000);
});
