import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type DatabaseConfig } from '../../src/config.js';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrator.js';
import { contextOn, type AppContext } from '../../src/wiring.js';
import { createFreshPostgres, type FreshPostgres } from '../support/fresh-postgres.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createPeople,
  deliveriesOf,
  TEST_SECRET,
  waitForDispatch,
} from '../dispatch/scenario.js';
import { spawnWorker, stopWorker, type WorkerProcess } from '../dispatch/worker-process.js';
import { spawnServe, waitForStatus, type ServeProcess } from './serve-process.js';

/**
 * PostgreSQL restarts, fails over, or an operator ends connections: every connection of a
 * running Candor breaks at once. Servers and workers must log it, reconnect and go on. Before
 * the pool listened for 'error', an idle connection's error ended the whole process.
 */
describe('PostgreSQL connections terminated under a running Candor', { timeout: 90_000 }, () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });
  let peer: SmtpPeer;
  afterAll(async () => {
    await peer?.close();
  });

  async function freshDatabase(): Promise<FreshPostgres> {
    const fresh = await createFreshPostgres();
    cleanup.push(() => fresh.drop());
    return fresh;
  }

  it('candor serve stays up and is ready again within seconds', async () => {
    peer = await startSmtpPeer();
    const fresh = await freshDatabase();
    const server: ServeProcess = await spawnServe({
      CANDOR_DATABASE_URL: fresh.url,
      CANDOR_SMTP_URL: peer.url,
    });
    cleanup.push(() => server.stop());
    await waitForStatus(`${server.url}/readyz`, 200, 5_000);

    for (let round = 1; round <= 3; round++) {
      // The server's background loops keep connections open in its pool.
      expect(await fresh.terminateConnections()).toBeGreaterThan(0);
      // Alive, and ready: the database answers again (through new connections), the relay
      // answers and the worker's heartbeat reaches the database.
      await waitForStatus(`${server.url}/healthz`, 200, 5_000);
      const recovered = await waitForStatus(`${server.url}/readyz`, 200, 5_000);
      expect(recovered).toBeLessThan(5_000);
      // Still the same process, not a corpse whose port is answered by nobody.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(server.child.exitCode, server.output()).toBeNull();
      expect(server.child.signalCode).toBeNull();
    }
    // The loss is on record as a structured line, not a crash trace.
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string });
    expect(lines.some((l) => l.msg === 'database connection lost; the pool reconnects')).toBe(true);
  });

  it('a candor worker finishes the dispatch: every recipient sent exactly once', async () => {
    const RECIPIENTS = 300;
    peer?.reset();
    peer ??= await startSmtpPeer();
    const fresh = await freshDatabase();
    const config: DatabaseConfig = { dialect: 'postgres', url: fresh.url };
    // The test's own connections break too; that is not what this test reports on.
    const database = openDatabase(config, { onConnectionError: () => undefined });
    cleanup.push(() => database.close());
    const migrated = await migrateToLatest(database);
    expect(migrated.error).toBeUndefined();
    const ctx: AppContext = contextOn(
      { ...loadConfig({ CANDOR_SECRET: TEST_SECRET }), database: config },
      database,
    );
    const s = await buildScenario(ctx, await createPeople(ctx), {
      customers: RECIPIENTS,
      until: 'dispatched',
    });
    // About three seconds of sending, so the connections break in the middle of it.
    const worker: WorkerProcess = spawnWorker(config, peer.url, { CANDOR_DISPATCH_RATE: '100' });
    cleanup.push(() => stopWorker(worker));
    await worker.running;
    await peer.waitFor(60, 20_000);
    expect(await fresh.terminateConnections()).toBeGreaterThan(0);
    await peer.waitFor(150, 20_000);
    expect(await fresh.terminateConnections()).toBeGreaterThan(0);

    const done = await waitForDispatch(ctx, s.dispatch!.id, undefined, 30_000);
    expect(worker.child.exitCode, worker.stderr()).toBeNull();
    expect(done.counts.sent).toBe(RECIPIENTS);
    const rows = await deliveriesOf(ctx, s.dispatch!.id);
    expect(rows).toHaveLength(RECIPIENTS);
    expect(new Set(rows.map((r) => r.recipient_id)).size).toBe(RECIPIENTS);
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    // And the relay saw each of them once: no batch was sent again after a reconnect.
    expect(peer.stats()).toMatchObject({ recipients: RECIPIENTS, duplicates: 0 });
    expect(await stopWorker(worker)).toBe(0);
  });
});
