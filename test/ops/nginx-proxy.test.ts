import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlDispatch, startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { HSTS } from '../../src/http/security-headers.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  TEST_SECRET,
  type DispatchTestContext,
  type People,
} from '../dispatch/scenario.js';
import { databaseUrl } from '../support/databases.js';
import { httpsClient, plainGet, type HttpsClient } from '../support/https-client.js';
import {
  NGINX,
  selfSignedCertificate,
  startNginx,
  substitute,
  type NginxInstance,
} from '../support/nginx-instance.js';
import { freePort } from './serve-process.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { startUnit, unitArguments, type UnitProcess } from '../support/unit-process.js';

const DEPLOY = fileURLToPath(new URL('../../docs/deploy/', import.meta.url));
const SITE = path.join(DEPLOY, 'nginx.conf');
const SERVE_UNIT = path.join(DEPLOY, 'candor-serve.service');
const WORKER_UNIT = path.join(DEPLOY, 'candor-worker@.service');
const NAME = 'candor.test';
/** The client's address; nginx connects to Candor from 127.0.0.1. */
const CLIENT = '127.0.0.2';
const FORGED = '203.0.113.66';
const PASSWORD = 'correct horse battery staple';

/**
 * Candor as docs/deploy ships it: nginx with docs/deploy/nginx.conf (only ports, certificate
 * paths and the name substituted) terminating TLS in front of two `candor serve --no-worker`
 * processes and one `candor worker`, started as the systemd units there say, on one
 * PostgreSQL database (two servers on one SQLite file is not a supported deployment). The
 * client connects from 127.0.0.2, so its address differs from the proxy's.
 */
describe(
  'behind nginx with docs/deploy/nginx.conf, two servers on PostgreSQL',
  { timeout: 60_000 },
  () => {
    let dir: string;
    let ctx: DispatchTestContext;
    let people: People;
    let peer: SmtpPeer;
    let nginx: NginxInstance;
    let client: HttpsClient;
    let publicUrl: string;
    let httpPort: number;
    let serverPorts: number[];
    const processes: UnitProcess[] = [];
    let events: { reference: string; dispatchId: number };
    /** The site as the test runs it, and what a second nginx needs to run a variant. */
    let site: string;
    let caPem: string;
    let listenLines: string[];

    beforeAll(async () => {
      expect(fs.existsSync(NGINX), `${NGINX} is missing: apt-get install nginx-light`).toBe(true);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-nginx-'));
      ctx = await createDispatchContext('postgres');
      people = await createPeople(ctx);
      // A dispatch held paused: its progress stream stays open until the test resumes it.
      const s = await buildScenario(ctx, people, { customers: 4, until: 'approved' });
      const d = await startDispatch(people.sanne, s.noticeId, ctx.deps);
      await controlDispatch(people.sanne, d.id, 'pause', ctx.deps);
      const kase = await ctx.database.db
        .selectFrom('cases')
        .select('reference')
        .where('id', '=', s.caseId)
        .executeTakeFirstOrThrow();
      events = { reference: kase.reference, dispatchId: d.id };
      peer = await startSmtpPeer();

      const httpsPort = await freePort();
      httpPort = await freePort();
      serverPorts = [await freePort(), await freePort()];
      publicUrl = `https://${NAME}:${httpsPort}`;
      const env = {
        CANDOR_DATABASE_URL: databaseUrl(ctx.testDb.config),
        CANDOR_SECRET: TEST_SECRET,
        CANDOR_PUBLIC_URL: publicUrl,
        CANDOR_HOST: '127.0.0.1',
        CANDOR_TRUST_PROXY: '127.0.0.1',
        CANDOR_SMTP_URL: peer.url,
        CANDOR_LOG_LEVEL: 'warn',
      };
      for (const [i, port] of serverPorts.entries()) {
        const dataDir = path.join(dir, `serve-${i}`);
        processes.push(
          await startUnit(SERVE_UNIT, {
            ...env,
            CANDOR_PORT: String(port),
            CANDOR_DATA_DIR: dataDir,
          }),
        );
      }
      processes.push(await startUnit(WORKER_UNIT, { ...env, CANDOR_DATA_DIR: `${dir}/worker` }));

      const cert = await selfSignedCertificate(dir, NAME);
      site = substitute(fs.readFileSync(SITE, 'utf8'), SITE, [
        ['listen [::]:80;\n', ''],
        ['listen [::]:443 ssl http2;\n', ''],
        ['listen 80;', `listen 127.0.0.1:${httpPort};`],
        ['listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`],
        ['/etc/letsencrypt/live/notices.example.com/fullchain.pem', cert.cert],
        ['/etc/letsencrypt/live/notices.example.com/privkey.pem', cert.key],
        ['notices.example.com', NAME],
        ['server 127.0.0.1:8080;', `server 127.0.0.1:${serverPorts[0]};`],
        ['server 127.0.0.1:8081;', `server 127.0.0.1:${serverPorts[1]};`],
      ]);
      nginx = await startNginx(path.join(dir, 'nginx'), site, [httpsPort, httpPort]);
      client = httpsClient({ publicUrl, ca: cert.pem, localAddress: CLIENT });
      caPem = cert.pem;
      listenLines = [`listen 127.0.0.1:${httpsPort} ssl http2;`, `listen 127.0.0.1:${httpPort};`];
    }, 180_000);

    afterAll(async () => {
      await nginx?.stop();
      await Promise.all(processes.map((p) => p.stop()));
      await peer?.close();
      await ctx?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Logs in through the proxy; returns the Set-Cookie header of the session. */
    async function login(username: string, headers: Record<string, string> = {}) {
      return client.request('POST', '/app/login', {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: publicUrl,
          ...headers,
        },
        body: new URLSearchParams({ username, password: PASSWORD }).toString(),
      });
    }

    const sessionCookie = (setCookie: string[] | undefined): string => {
      const line = (setCookie ?? []).find((c) => c.startsWith('candor_session='));
      if (!line) throw new Error(`no session cookie in ${JSON.stringify(setCookie)}`);
      return line;
    };

    it('serves the https public URL with HSTS, and sends plain http to https', async () => {
      // The public page is answered from memory ahead of Fastify's hooks (public-cache.ts):
      // it lacked HSTS until this test; a fresh answer and a 304 both carry it now.
      const page = await client.request('GET', '/security');
      expect(page.status).toBe(200);
      expect(page.headers['strict-transport-security']).toBe(HSTS);
      const again = await client.request('GET', '/security', {
        headers: { 'if-none-match': String(page.headers.etag) },
      });
      expect(again.status).toBe(304);
      expect(again.headers['strict-transport-security']).toBe(HSTS);
      const health = await client.request('GET', '/readyz');
      expect(health.status, health.body).toBe(200);
      const plain = await plainGet(httpPort, NAME, '/security?lang=en');
      expect(plain.status).toBe(301);
      expect(plain.headers.location).toBe(`https://${NAME}/security?lang=en`);
      // The shipped config keeps /metrics to the private network; 127.0.0.2 is not in it.
      expect((await client.request('GET', '/metrics')).status).toBe(403);
    });

    it('logs in through the proxy with a Secure cookie, and records the real client address, not a forged X-Forwarded-For', async () => {
      const response = await login('vera', { 'x-forwarded-for': FORGED });
      expect(response.status, response.body).toBe(303);
      const cookie = sessionCookie(response.headers['set-cookie']);
      expect(cookie).toMatch(/;\s*Secure(;|$)/i);
      expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
      expect(response.headers['strict-transport-security']).toBe(HSTS);

      const { db } = ctx.database;
      const audit = await db
        .selectFrom('audit_events')
        .select(['source', 'actor'])
        .where('action', '=', 'session.login')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit).toEqual({ source: CLIENT, actor: 'vera' });
      const sessions = await db.selectFrom('workspace_sessions').select('ip').execute();
      expect(sessions.map((s) => s.ip)).toEqual([CLIENT]);
    });

    it('is not fooled by a forged X-Forwarded-Host into taking a cross-site login', async () => {
      const response = await login('vera', {
        origin: 'https://attacker.test',
        'x-forwarded-host': 'attacker.test',
      });
      expect(response.status).toBe(403);
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('spreads requests over both servers, which share the session', async () => {
      const cookie = sessionCookie((await login('vera')).headers['set-cookie']);
      const value = cookie.split(';')[0]!;
      for (let i = 0; i < 6; i += 1) {
        const page = await client.request('GET', '/app', { headers: { cookie: value } });
        expect(page.status, page.body.slice(0, 200)).toBe(200);
      }
      const upstreams = new Set(
        nginx
          .accessLog()
          .split('\n')
          .filter((line) => line.startsWith('200 ') && line.endsWith(' GET /app'))
          .map((line) => line.split(' ')[1]),
      );
      expect(upstreams).toEqual(new Set(serverPorts.map((p) => `127.0.0.1:${p}`)));
    });

    const eventsUrl = () => `/app/cases/${events.reference}/dispatches/${events.dispatchId}/events`;

    it('would notice a buffering proxy: with buffering forced on, no event arrives while the stream is open', async () => {
      const ports = [await freePort(), await freePort()];
      const buffered = substitute(site, 'the tested site', [
        [
          'proxy_buffering off;',
          'proxy_buffering on;\n        proxy_ignore_headers X-Accel-Buffering;',
        ],
        [listenLines[0]!, `listen 127.0.0.1:${ports[0]} ssl http2;`],
        [listenLines[1]!, `listen 127.0.0.1:${ports[1]};`],
      ]);
      const control = await startNginx(path.join(dir, 'nginx-buffered'), buffered, ports);
      try {
        const cookie = sessionCookie((await login('vera')).headers['set-cookie']);
        const other = httpsClient({
          publicUrl: `https://${NAME}:${ports[0]}`,
          ca: caPem,
          localAddress: CLIENT,
        });
        // nginx holds back even the response head while it buffers; wait for neither.
        const held: { stream?: ReturnType<typeof watchEvents> } = {};
        const opening = other
          .open(eventsUrl(), { cookie: cookie.split(';')[0]! })
          .then((response) => (held.stream = watchEvents(response)));
        opening.catch(() => undefined);
        await sleep(2_000);
        expect(held.stream?.seen ?? []).toEqual([]);
        // Not for want of a working proxy or session: the same nginx serves a page at once.
        const page = await other.request('GET', '/app', {
          headers: { cookie: cookie.split(';')[0]! },
        });
        expect(page.status).toBe(200);
        expect(held.stream?.seen ?? []).toEqual([]);
      } finally {
        await control.stop();
      }
    });

    it('passes dispatch progress events through as they happen, before the stream ends', async () => {
      const cookie = sessionCookie((await login('vera')).headers['set-cookie']);
      const response = await client.open(eventsUrl(), {
        cookie: cookie.split(';')[0]!,
        accept: 'text/event-stream',
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      const { seen, done } = watchEvents(response);
      let ended = false;
      void done.then(() => (ended = true));

      // Paused: the stream stays open, so an event that arrives now was not held for its end.
      await until(() => seen.length > 0, 5_000, 'no event arrived through the proxy');
      expect(seen[0]).toMatchObject({ event: 'progress', ended: false });
      expect(JSON.parse(seen[0]!.data)).toMatchObject({ state: 'paused', total: 4 });
      expect(ended).toBe(false);

      await controlDispatch(people.sanne, events.dispatchId, 'resume', ctx.deps);
      await Promise.race([done, sleep(20_000).then(() => Promise.reject(new Error('no end')))]);
      const last = seen.at(-1)!;
      expect(last.event).toBe('end');
      expect(JSON.parse(last.data)).toMatchObject({ state: 'completed', done: 4 });
      expect(peer.total()).toBe(4);
    });

    it('runs the commands the shipped systemd units name', () => {
      expect(unitArguments(SERVE_UNIT)).toEqual(['serve', '--no-worker']);
      expect(unitArguments(WORKER_UNIT)).toEqual(['worker']);
      expect(processes.map((p) => p.args.join(' '))).toEqual([
        'serve --no-worker',
        'serve --no-worker',
        'worker',
      ]);
    });

    it('keeps answering when one server stops: nginx passes requests to the other', async () => {
      const cookie = sessionCookie((await login('vera')).headers['set-cookie']).split(';')[0]!;
      await processes[1]!.stop();
      for (let i = 0; i < 4; i += 1) {
        const page = await client.request('GET', '/app', { headers: { cookie } });
        expect(page.status).toBe(200);
      }
      // A POST too: a refused connection means nothing was sent, so nginx may try the other.
      expect((await login('vera')).status).toBe(303);
    });
  },
);

/** Collects the events of a stream as they arrive, each marked with whether it had ended. */
function watchEvents(response: IncomingMessage) {
  const seen: { event: string; data: string; ended: boolean }[] = [];
  let ended = false;
  let buffer = '';
  const done = new Promise<void>((resolve) => response.on('end', resolve));
  void done.then(() => (ended = true));
  response.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      if (event) seen.push({ event, data, ended });
    }
  });

  return { seen, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms: number, message: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(20);
  }
}
