/**
 * A real Candor server for the full-loop browser test, wired as `candor serve` wires it: a
 * fresh SQLite data dir, the embedded mail catcher, the HTTP app listening on 127.0.0.1 and a
 * dispatch worker in the same process, woken when a dispatch starts. Users and a small
 * customer registry are created through the services.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { systemActor, type Role } from '../../src/domain/access.js';
import { MailCatcher } from '../../src/channels/email/mail-catcher.js';
import { createTransport, createWorker } from '../../src/dispatch/worker-wiring.js';
import { buildApp } from '../../src/http/app.js';
import { importCustomers } from '../../src/services/customer-import.service.js';
import { createUser } from '../../src/services/user.service.js';
import { createContext, type AppContext } from '../../src/wiring.js';

export const LOOP_PASSWORD = 'correct horse battery staple';

export interface LoopServer {
  url: string;
  ctx: AppContext;
  app: FastifyInstance;
  catcher: MailCatcher;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server with `users` and `customers` (CSV with a header line). */
export async function startLoopServer(options: {
  users: { username: string; displayName?: string; roles: Role[] }[];
  customersCsv: string;
  env?: Record<string, string>;
}): Promise<LoopServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-loop-'));
  // The public URL goes into every personal link, so the port is chosen before listening.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    CANDOR_DATA_DIR: dataDir,
    CANDOR_PUBLIC_URL: url,
    CANDOR_PORT: String(port),
    CANDOR_HOST: '127.0.0.1',
    CANDOR_SECRET: 'loop-secret-loop-secret-loop-secret-0123',
    CANDOR_LOG_LEVEL: 'warn',
    ...options.env,
  });
  const ctx = await createContext(config, { migrate: true });
  const catcher = new MailCatcher({ dataDir, port: 0 });
  const address = await catcher.start();
  const transport = createTransport(ctx.config, address.url);
  const worker = createWorker(ctx, transport, undefined, { pollMs: 100 });
  const app = await buildApp(ctx, {
    mailCatcher: catcher,
    onDispatchStarted: () => worker.nudge(),
  });
  await worker.start();
  await app.listen({ host: '127.0.0.1', port });
  const admin = systemActor('test');
  for (const u of options.users) {
    await createUser(admin, { ...u, password: LOOP_PASSWORD, language: 'nl' }, ctx.deps);
  }
  const summary = await importCustomers(
    admin,
    Readable.from([options.customersCsv]),
    { source: 'test' },
    ctx.deps,
  );
  if (summary.rejected > 0) throw new Error(`${summary.rejected} customers rejected`);
  return {
    url,
    ctx,
    app,
    catcher,
    async close() {
      await app.close();
      await worker.stop();
      transport.close();
      await catcher.stop();
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
