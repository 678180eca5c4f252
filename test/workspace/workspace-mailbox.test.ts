import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailCatcher } from '../../src/channels/email/mail-catcher.js';
import { buildApp } from '../../src/http/app.js';
import { safeNext } from '../../src/http/routes/workspace/auth.routes.js';
import {
  cookieHeader,
  createHarness,
  PASSWORD,
  type WorkspaceHarness,
} from './workspace-support.js';

describe('the mailbox in the workspace', () => {
  let h: WorkspaceHarness;
  let app: FastifyInstance;
  let catcher: MailCatcher;
  let cookie: string;
  let viewer: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-mailbox-'));

  beforeAll(async () => {
    h = await createHarness('sqlite');
    await h.addUser('lead', ['responder']);
    await h.addUser('writer', ['communicator']);
    catcher = new MailCatcher({ dataDir: dir, port: 0 });
    const address = await catcher.start();
    const mailer = nodemailer.createTransport(address.url);
    await mailer.sendMail({
      from: 'security@example.com',
      to: 'anna@example.nl',
      subject: 'Uw gegevens <en wat u moet doen>',
      text: 'Lees meer: https://candor.example/p/abc123\n',
      html: '<html><head></head><body><p style="color:red">Lees <a href="https://candor.example/p/abc123">meer</a></p><script>alert(1)</script></body></html>',
    });
    mailer.close();
    app = await buildApp(h.ctx, { mailCatcher: catcher });
    const login = async (username: string) =>
      cookieHeader(
        await app.inject({
          method: 'POST',
          url: '/app/login',
          payload: new URLSearchParams({ username, password: PASSWORD }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
    cookie = await login('lead');
    viewer = await login('writer');
  });
  afterAll(async () => {
    await app.close();
    await catcher.stop();
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the caught mails and shows one with its personal link and a sandboxed frame', async () => {
    const list = await app.inject({ url: '/app/mailbox', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Uw gegevens &lt;en wat u moet doen&gt;');
    const id = /href="\/app\/mailbox\/(\d+)"/.exec(list.body)![1]!;
    const mail = await app.inject({ url: `/app/mailbox/${id}`, headers: { cookie } });
    expect(mail.body).toContain('<a href="https://candor.example/p/abc123" rel="noreferrer">');
    expect(mail.body).toContain('sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(mail.headers['content-security-policy']).toContain("frame-src 'self'");
    const framed = await app.inject({ url: `/app/mailbox/${id}/html`, headers: { cookie } });
    expect(framed.headers['content-security-policy']).toMatch(/^sandbox allow-popups/);
    expect(framed.headers['content-security-policy']).toContain("default-src 'none'");
    expect(framed.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(framed.body).toContain('<base target="_blank">');
    const raw = await app.inject({ url: `/app/mailbox/${id}/raw`, headers: { cookie } });
    expect(raw.headers['content-type']).toContain('message/rfc822');
  });

  it('is for people who may read customers; the old address redirects', async () => {
    expect(
      (await app.inject({ url: '/app/mailbox', headers: { cookie: viewer } })).statusCode,
    ).toBe(200);
    expect((await app.inject({ url: '/app/mailbox' })).statusCode).toBe(303);
    const old = await app.inject({ url: '/mailbox' });
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/app/mailbox');
    // Without a catcher there is no mailbox at all.
    expect((await h.get('/app/mailbox', await h.login('lead'))).statusCode).toBe(404);
  });
});

describe('redirects after login', () => {
  it('only ever go to a path inside the workspace', () => {
    expect(safeNext('/app/cases/INC-1?tab=x')).toBe('/app/cases/INC-1?tab=x');
    expect(safeNext('/app')).toBe('/app');
    for (const evil of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '/application',
      '/app/login',
      '/api/v1/me',
      undefined,
      42,
    ]) {
      expect(safeNext(evil)).toBe('/app');
    }
  });
});
