import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { backupDatabase, restoreDatabase } from '../../src/services/operations/backup.service.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { inspectSqliteFile } from '../../src/store/sqlite-file.js';
import { contextOn } from '../../src/wiring.js';
import { runCandor } from '../support/candor-process.js';
import { createFreshPostgres, type FreshPostgres } from '../support/fresh-postgres.js';
import { startSmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  runWorker,
  TEST_SECRET,
  waitForDispatch,
  type DispatchTestContext,
  type People,
} from '../dispatch/scenario.js';

const run = promisify(execFile);

/** A case as the writer next to the backup creates them: each one also appends an audit entry. */
const caseInput = (i: number) => ({
  kind: 'advisory' as const,
  title: `Advisory ${i} written during the backup`,
  summary: 'A plugin needs an update.',
});

describe('candor backup and restore on SQLite', { timeout: 120_000 }, () => {
  let ctx: DispatchTestContext;
  let people: People;
  let dir: string;
  let databaseFile: string;

  beforeAll(async () => {
    ctx = await createDispatchContext('sqlite');
    if (ctx.config.database.dialect !== 'sqlite') throw new Error('sqlite expected');
    databaseFile = ctx.config.database.file;
    people = await createPeople(ctx);
    const s = await buildScenario(ctx, people, { customers: 200, until: 'dispatched' });
    const peer = await startSmtpPeer();
    const worker = await runWorker(ctx, peer.url);
    await waitForDispatch(ctx, s.dispatch!.id).finally(() => worker.stop());
    await peer.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-backup-'));
  });
  afterAll(async () => {
    await ctx?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const at = { databaseUrl: () => `sqlite:${databaseFile}` };
  const cli = (args: string[], databaseUrl = at.databaseUrl(), dataDir = dir) =>
    runCandor(args, { dataDir, databaseUrl });
  const countCases = async () =>
    Number(
      (
        await ctx.database.db
          .selectFrom('cases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('takes a consistent backup while another process keeps writing, and restores it', async () => {
    const backup = path.join(dir, 'candor-backup.db');
    // This test process writes cases (each with its audit entry) the whole time the backup
    // runs in its own process, as a server would.
    const before = await countCases();
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await createCase(people.sanne, caseInput(written), ctx.deps);
        written++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const result = await cli(['backup', backup]).finally(() => (writing = false));
    await writer;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Backed up to .*candor-backup\.db \([\d,]+ bytes, migration /);
    expect(written).toBeGreaterThan(0);
    expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${backup}-wal`)).toBe(false);

    // A moment of the database: some of the writer's cases, each with its audit entry.
    const report = inspectSqliteFile(backup);
    expect(report.check).toBe('ok');
    expect(report.counts!.cases).toBeGreaterThanOrEqual(before);
    expect(report.counts!.cases).toBeLessThanOrEqual(before + written);
    expect(report.counts!.deliveries).toBe(200);

    // Restored into a new data dir, the audit chain verifies (head included: a torn copy fails).
    const target = fs.mkdtempSync(path.join(dir, 'restored-'));
    const restoredUrl = `sqlite:${path.join(target, 'candor.db')}`;
    const restored = await cli(['restore', backup], restoredUrl, target);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Check it with: candor audit verify');
    const verified = await cli(['audit', 'verify'], restoredUrl, target);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(
      new RegExp(`^Audit chain intact: ${report.counts!.auditEvents} entries`),
    );
    const copy = new BetterSqlite3(path.join(target, 'candor.db'), { readonly: true });
    const rows = copy.prepare('select count(*) from cases').pluck().get();
    copy.close();
    expect(rows).toBe(report.counts!.cases);
  });

  it('refuses to overwrite, to restore over a database in use, and files that are not Candor backups', async () => {
    // The refusals in process (the CLI prints these messages as `error: …`, exit 1).
    const backup = path.join(dir, 'second.db');
    await backupDatabase(ctx.config.database, backup);
    await expect(backupDatabase(ctx.config.database, backup)).rejects.toThrow(
      /second\.db exists; choose another name or pass --force/,
    );
    await backupDatabase(ctx.config.database, backup, { force: true });

    const target = fs.mkdtempSync(path.join(dir, 'target-'));
    const targetFile = path.join(target, 'candor.db');
    const url = `sqlite:${targetFile}`;
    expect((await cli(['restore', backup], url, target)).code).toBe(0);
    const exists = await cli(['restore', backup], url, target);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/a database exists at .*candor\.db; pass --force/);

    // A server holds the database open (WAL mode, as Candor opens it): refused even with --force.
    const server = new BetterSqlite3(targetFile);
    server.pragma('journal_mode = WAL');
    server.prepare('select count(*) from cases').get();
    const busy = await cli(['restore', backup, '--force'], url, target);
    server.close();
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(
      /is in use by another process \(a server or worker\); stop it first/,
    );
    expect((await cli(['restore', backup, '--force'], url, target)).code).toBe(0);

    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(
      text,
      'not a database at all, just some text long enough to be read\n'.repeat(20),
    );
    const plain = path.join(dir, 'other.db');
    const other = new BetterSqlite3(plain);
    other.exec('create table things (id integer primary key)');
    other.close();
    const future = path.join(dir, 'future.db');
    fs.copyFileSync(backup, future);
    const f = new BetterSqlite3(future);
    f.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(
      '2099-01-01T0000-from-the-future',
      new Date().toISOString(),
    );
    f.close();
    const targetConfig = { dialect: 'sqlite' as const, file: targetFile };
    for (const [file, message] of [
      [text, /notes\.txt is not a SQLite database/],
      [plain, /other\.db is a SQLite database but not a Candor one/],
      [future, /future\.db is at migration 2099-01-01T0000-from-the-future, which this version/],
      [path.join(dir, 'missing.db'), /there is no file .*missing\.db/],
    ] as const) {
      expect(() => restoreDatabase(targetConfig, file, { force: true })).toThrow(message);
    }
    // Nothing of that touched the restored database.
    expect((await cli(['audit', 'verify'], url, target)).code).toBe(0);
  });
});

describe('backups on PostgreSQL', { timeout: 120_000 }, () => {
  const fresh: FreshPostgres[] = [];
  afterAll(async () => {
    for (const db of fresh) await db.drop();
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-pgdump-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('candor backup refuses and names the pg_dump and pg_restore commands', async () => {
    const source = await createFreshPostgres();
    fresh.push(source);
    for (const command of ['backup', 'restore']) {
      const result = await runCandor([command, path.join(dir, 'x.dump')], {
        dataDir: dir,
        databaseUrl: source.url,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('pg_dump --format=custom');
      expect(result.stderr).toContain('pg_restore --no-owner --exit-on-error');
    }
  });

  it('the documented pg_dump / pg_restore round trip keeps the audit chain intact', async () => {
    const source = await createFreshPostgres();
    const target = await createFreshPostgres();
    fresh.push(source, target);
    const config = { dialect: 'postgres' as const, url: source.url };
    const database = openDatabase(config);
    try {
      expect((await migrateToLatest(database)).error).toBeUndefined();
      const ctx = contextOn(
        { ...loadConfig({ CANDOR_SECRET: TEST_SECRET }), database: config },
        database,
      );
      await buildScenario(ctx, await createPeople(ctx), { customers: 30, until: 'dispatched' });
    } finally {
      await database.close();
    }
    const dump = path.join(dir, 'candor.dump');
    // The commands as docs/operations.md gives them.
    await run('pg_dump', ['--format=custom', `--file=${dump}`, source.url]);
    await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${target.url}`, dump]);
    const before = await runCandor(['audit', 'verify'], { dataDir: dir, databaseUrl: source.url });
    const after = await runCandor(['audit', 'verify'], { dataDir: dir, databaseUrl: target.url });
    expect(before.code).toBe(0);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/^Audit chain intact: \d+ entries/);
    expect(after.stdout).toBe(before.stdout);
  });
});
