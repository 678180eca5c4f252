import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSubscription } from '../../src/services/publication/subscriber.service.js';
import { readJson, stringListJson } from '../../src/store/executor.js';
import { DIALECTS } from '../support/databases.js';
import { flat, text } from '../workspace-cases/case-workspace-app.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

describe.each(DIALECTS)('webhook and subscriber admin pages on %s', (dialect) => {
  let h: WorkspaceHarness;
  let admin: string;
  let viewer: string;
  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.addUser('ada', ['admin']);
    await h.addUser('vic', ['responder']);
    admin = await h.login('ada');
    viewer = await h.login('vic');
  });
  afterAll(() => h.close());

  it('links both pages from the settings page', async () => {
    const page = await h.get('/app/settings', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/app/settings/webhooks"');
    expect(page.body).toContain('href="/app/settings/subscribers"');
  });

  it('registers a webhook, shows its secret once, then disables it', async () => {
    const res = await h.post(
      '/app/settings/webhooks',
      { url: 'https://hooks.example.com/candor', description: 'SIEM', events: 'published' },
      admin,
    );
    expect(res.statusCode).toBe(200);
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(res.body)?.[1];
    expect(secret).toBeDefined();
    expect(secret!.length).toBeGreaterThanOrEqual(32);
    // Never again: not on the list page, not in a cookie.
    const list = await h.get('/app/settings/webhooks', admin);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret!);
    expect(JSON.stringify(res.headers)).not.toContain(secret!);
    expect(text(list.body)).toContain('https://hooks.example.com/candor');
    expect(text(list.body)).toContain('Nog geen leveringen.');
    const rows = await h.ctx.database.db.selectFrom('webhooks').select(['id', 'events']).execute();
    expect(rows).toHaveLength(1);
    expect(readJson(rows[0]!.events, stringListJson)).toEqual(['published']);

    const disabled = await h.post(`/app/settings/webhooks/${rows[0]!.id}/disable`, {}, admin);
    expect(disabled.statusCode).toBe(303);
    const after = await h.get('/app/settings/webhooks', admin);
    expect(flat(after.body)).toContain('<span class="badge">Uitgeschakeld</span>');
  });

  it('shows a refused webhook target next to the URL field and stores nothing', async () => {
    const before = await h.ctx.database.db.selectFrom('webhooks').select('id').execute();
    const res = await h.post(
      '/app/settings/webhooks',
      { url: 'http://127.0.0.1:8080/hook', events: 'published' },
      admin,
    );
    expect(res.statusCode).toBe(422);
    expect(flat(res.body)).toMatch(/id="webhook-url-error">[^<]+/);
    const rows = await h.ctx.database.db.selectFrom('webhooks').select('id').execute();
    expect(rows).toHaveLength(before.length);
  });

  it('names a refused webhook target and missing events in Dutch at the fields', async () => {
    const before = await h.ctx.database.db.selectFrom('webhooks').select('id').execute();
    const local = await h.post(
      '/app/settings/webhooks',
      { url: 'http://127.0.0.1:8080/hook', description: 'SIEM', events: 'published' },
      admin,
    );
    expect(local.statusCode).toBe(422);
    expect(flat(local.body)).toContain('id="webhook-url-error">Moet met https:// beginnen');
    expect(local.body).toMatch(/id="webhook-description"[^>]*value="SIEM"/);
    const internal = await h.post(
      '/app/settings/webhooks',
      { url: 'https://10.0.0.5/hook', events: 'published' },
      admin,
    );
    expect(flat(internal.body)).toContain('id="webhook-url-error">Wijst naar een intern');
    const none = await h.post(
      '/app/settings/webhooks',
      { url: 'https://hooks.example.com/x' },
      admin,
    );
    expect(none.statusCode).toBe(422);
    expect(flat(none.body)).toContain('id="webhook-events-error">Kies een of meer gebeurtenissen');
    expect(none.body).not.toMatch(/Too small|must be https/);
    const rows = await h.ctx.database.db.selectFrom('webhooks').select('id').execute();
    expect(rows).toHaveLength(before.length);
  });

  it('lists subscribers with counts and removes one', async () => {
    const deps = { database: h.ctx.database, secret: h.ctx.deps.secret };
    await requestSubscription({ email: 'jan@example.nl', language: 'nl' }, 'test', deps);
    await requestSubscription({ email: 'kim@example.com', language: 'en' }, 'test', deps);
    const page = await h.get('/app/settings/subscribers', admin);
    expect(page.statusCode).toBe(200);
    expect(flat(page.body)).toContain('<dd id="count-pending">2</dd>');
    expect(text(page.body)).toContain('jan@example.nl');
    const id = /action="\/app\/settings\/subscribers\/(\d+)\/remove"/.exec(page.body)![1];
    const removed = await h.post(`/app/settings/subscribers/${id}/remove`, {}, admin);
    expect(removed.statusCode).toBe(303);
    const after = flat((await h.get('/app/settings/subscribers', admin)).body);
    expect(after).toContain('<dd id="count-pending">1</dd>');
    expect(after).toContain('<dd id="count-unsubscribed">1</dd>');
    const row = await h.ctx.database.db
      .selectFrom('subscribers')
      .select('state')
      .where('id', '=', Number(id))
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('unsubscribed');
  });

  it('is for admins only and wants the CSRF token', async () => {
    expect((await h.get('/app/settings/webhooks', viewer)).statusCode).toBe(403);
    expect((await h.get('/app/settings/subscribers', viewer)).statusCode).toBe(403);
    const forged = await h.post(
      '/app/settings/webhooks',
      { url: 'https://hooks.example.com/x', events: 'published' },
      admin,
      null,
    );
    expect(forged.statusCode).toBe(403);
    const rows = await h.ctx.database.db
      .selectFrom('webhooks')
      .select('url')
      .where('url', '=', 'https://hooks.example.com/x')
      .execute();
    expect(rows).toEqual([]);
  });
});
