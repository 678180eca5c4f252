import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, databaseUrl, DIALECTS, dropConfig } from '../support/databases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../customers/candor-cli.ts', import.meta.url));

/** A port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `candor serve` as an operator runs it, stopped with SIGTERM while its loops are in their
 * first rounds: it exits 0, and nothing logs a failure (a loop left running would query the
 * store after it closed and log "embargo release failed" / "clock alerts failed").
 */
describe.each(DIALECTS)('candor serve on %s', (dialect) => {
  it('shuts down cleanly on SIGTERM, loops stopped before the store closes', async () => {
    const testDb = await createTestDatabase(dialect);
    await testDb.database.close();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-serve-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve'], {
        cwd: ROOT,
        env: {
          ...Object.fromEntries(
            Object.entries(process.env).filter(([k]) => !k.startsWith('CANDOR_')),
          ),
          CANDOR_DATA_DIR: dataDir,
          CANDOR_DATABASE_URL: databaseUrl(testDb.config),
          CANDOR_SECRET: 'test-secret-test-secret-test-secret-0123',
          CANDOR_PORT: String(await freePort()),
          // A relay that is never reached: nothing is sent, and no catcher port is taken.
          CANDOR_SMTP_URL: 'smtp://127.0.0.1:9',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const deadline = Date.now() + 30_000;
      while (!output.includes('Candor is running at') && Date.now() < deadline) {
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(output).toContain('Candor is running at');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('shutting down');
      expect(output).not.toMatch(/failed|destroyed|not open|Unhandled/i);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await dropConfig(testDb.config);
    }
  }, 60_000);
});
