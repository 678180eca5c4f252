/**
 * Shared helpers for browser tests: Debian's chromium through playwright-core (never a
 * downloaded browser), a real Candor server on 127.0.0.1 with a fresh SQLite data dir, the
 * embedded mail catcher and optionally a dispatch worker, logging in through the login form,
 * axe-core checks and screenshots into test-artifacts/screens/.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { systemActor, type Role } from '../../src/domain/access.js';
import { MailCatcher } from '../../src/channels/email/mail-catcher.js';
import { buildApp } from '../../src/http/app.js';
import { createUser } from '../../src/services/access/user.service.js';
import { createContext, type AppContext } from '../../src/wiring.js';
import type { DispatchWorker } from '../../src/dispatch/dispatch-worker.js';
import { createTransport, createWorker } from '../../src/dispatch/worker-wiring.js';

/** Where screenshots of the screens go (ignored by git). */
export const SCREENS_DIR = path.resolve('test-artifacts/screens');
/** The password every test user gets unless told otherwise. */
export const BROWSER_PASSWORD = 'correct horse battery staple';

/** Starts headless chromium with the flags this machine needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A running Candor server for a browser test. */
export interface BrowserServer {
  url: string;
  ctx: AppContext;
  app: FastifyInstance;
  catcher: MailCatcher;
  /** SMTP URL of the embedded catcher, to send test mails to it. */
  smtpUrl: string;
  worker: DispatchWorker | null;
  dataDir: string;
  /** Adds a user through the service (as `candor users add` does); returns the user id. */
  addUser(user: {
    username: string;
    roles: Role[];
    displayName?: string;
    password?: string;
    language?: 'nl' | 'en';
  }): Promise<number>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a server like `candor serve` does, on a free port of 127.0.0.1 with CANDOR_PUBLIC_URL
 * set to it (so personal links in mails point at it), the mail catcher on a free port and,
 * with `worker: true`, an in-process dispatch worker. `env` adds CANDOR_* settings.
 */
export async function startBrowserServer(
  options: { env?: Record<string, string>; worker?: boolean } = {},
): Promise<BrowserServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-browser-'));
  const port = await freePort();
  const config = loadConfig({
    CANDOR_DATA_DIR: dataDir,
    CANDOR_PORT: String(port),
    CANDOR_PUBLIC_URL: `http://127.0.0.1:${port}`,
    CANDOR_SECRET: 'browser-test-secret-browser-test-secret-0',
    CANDOR_LOG_LEVEL: 'silent',
    ...options.env,
  });
  const ctx = await createContext(config, { migrate: true });
  const catcher = new MailCatcher({ dataDir, port: 0 });
  const address = await catcher.start();
  const transport = createTransport(ctx.config, address.url);
  let worker: DispatchWorker | null = null;
  const app = await buildApp(ctx, {
    mailCatcher: catcher,
    onDispatchStarted: () => worker?.nudge(),
  });
  if (options.worker) {
    worker = createWorker(ctx, transport, () => undefined, { pollMs: 100 });
    await worker.start();
  }
  await app.listen({ host: '127.0.0.1', port });
  return {
    url: `http://127.0.0.1:${port}`,
    ctx,
    app,
    catcher,
    smtpUrl: address.url,
    worker,
    dataDir,
    async addUser(user) {
      const { user: created } = await createUser(
        systemActor('test'),
        {
          username: user.username,
          roles: user.roles,
          displayName: user.displayName,
          password: user.password ?? BROWSER_PASSWORD,
          language: user.language,
        },
        ctx.deps,
      );
      return created.id;
    },
    async close() {
      await app.close();
      await worker?.stop();
      transport.close();
      await catcher.stop();
      await ctx.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in through the login form and waits for the page after it. */
export async function loginAs(
  page: Page,
  baseUrl: string,
  username: string,
  password = BROWSER_PASSWORD,
): Promise<void> {
  await page.goto(`${baseUrl}/app/login`);
  await page.getByLabel(/^(Gebruikersnaam|Username)$/).fill(username);
  await page.getByLabel(/^(Wachtwoord|Password)$/).fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.endsWith('/app/login')),
    page.getByRole('button', { name: /^(Inloggen|Log in)$/ }).click(),
  ]);
}

/** Logs out with the header's button. */
export async function logout(page: Page): Promise<void> {
  await Promise.all([
    page.waitForURL(/\/app\/login/),
    page.getByRole('button', { name: /^(Uitloggen|Log out)$/ }).click(),
  ]);
}

const axeSource = fs.readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * Runs axe-core (WCAG 2 A/AA rules) on the page and returns its serious and critical
 * violations as readable lines. The script is evaluated from the test, not added as a
 * <script>: the workspace's CSP rightly refuses inline scripts, and must stay as it is.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      axe: { run: (context: unknown, options: unknown) => Promise<unknown> };
      document: unknown;
    };
    return (await g.axe.run(g.document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      iframes: false,
    })) as {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[];
    };
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/** Saves a full-page screenshot as test-artifacts/screens/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Collects CSP violations and page errors, which a strict policy would otherwise hide. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}
