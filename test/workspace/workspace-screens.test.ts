import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { acknowledgeRecipient } from '../../src/store/recipient.repository.js';
import { buildScenario, createPeople, type Scenario } from '../dispatch/scenario.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, PASSWORD, type WorkspaceHarness } from './workspace-support.js';

/** A multipart/form-data body with one file, as a browser sends it. */
function multipart(name: string, fileName: string, content: string) {
  const boundary = '----candor-test-boundary';
  const payload =
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${fileName}"\r\n` +
    `Content-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(DIALECTS)('workspace screens on %s', (dialect) => {
  let h: WorkspaceHarness;
  let scenario: Scenario;
  let admin: string;
  let sanne: string;
  let vera: string;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('boss', ['admin']);
    const people = await createPeople(h.ctx);
    scenario = await buildScenario(h.ctx, people, { customers: 12, until: 'dispatched' });
    // The scenario's moment of awareness is a fixed date; the dashboard is about now, so the
    // case became known an hour ago (its clocks running, none overdue yet).
    await h.ctx.database.db
      .updateTable('cases')
      .set({ aware_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where('id', '=', scenario.caseId)
      .execute();
    const recipients = await h.ctx.database.db
      .selectFrom('case_recipients')
      .select('id')
      .where('case_id', '=', scenario.caseId)
      .orderBy('id')
      .limit(3)
      .execute();
    for (const r of recipients)
      await acknowledgeRecipient(h.ctx.database.db, r.id, new Date().toISOString());
    admin = await h.login('boss');
    sanne = await h.login('sanne', PASSWORD);
    vera = await h.login('vera', PASSWORD);
  });
  afterAll(() => h.close());

  it('shows open cases on the dashboard with delivery progress and the acknowledgement rate', async () => {
    const page = await h.get('/app', vera);
    expect(page.statusCode).toBe(200);
    const row = /<tr\s+data-case="([^"]+)"\s*>([\s\S]*?)<\/tr>/.exec(page.body)!;
    expect(row[1]).toMatch(/^INC-/);
    expect(row[2]).toContain('<progress');
    expect(row[2]).toContain('max="12"');
    expect(row[2]).toContain('data-ack="3"');
    expect(row[2]).toContain('25%');
    expect(row[2]).toMatch(/\d+ u( \d+ min)?|\d+ d \d+ u/); // time since aware_at, Dutch units
  });

  it('shows each open case’s legal clocks as countdowns and its recall curve, overdue ones in words', async () => {
    const before = await h.get('/app', vera);
    const row = /<tr\s+data-case="INC-[^"]+"[^>]*>([\s\S]*?)<\/tr>/.exec(before.body)!;
    // The GDPR clock runs (provisionally: no assessment yet) from aware_at, ticking in the page.
    expect(row[1]).toContain('AVG-melding aan de toezichthouder');
    expect(row[1]).toMatch(/data-clock-due="[^"]+Z"/);
    expect(row[1]).toContain('legal-clocks-compact');
    // The compact recall chart of the dispatched case, with its figures as the title.
    expect(row[1]).toMatch(/<svg\s+class="chart-spark"[\s\S]*?<title>[^<]*25%/);
    // The countdown script is loaded once, from our own origin (the CSP allows no inline script).
    expect(before.body.match(/clock-countdown\.js/g)).toHaveLength(1);
    expect(before.body).not.toContain('id="overdue-clocks"');

    const late = await createCase(
      systemActor('test'),
      {
        kind: 'incident',
        title: 'Te laat gemeld lek',
        awareAt: new Date(Date.now() - 100 * 3_600_000).toISOString(),
      },
      h.ctx.deps,
    );
    const after = await h.get('/app', vera);
    const lateRow = new RegExp(
      `<tr\\s+data-case="${late.reference}"\\s+class="dashboard-row-overdue" data-overdue\\s*>([\\s\\S]*?)</tr>`,
    ).exec(after.body)!;
    expect(lateRow).not.toBeNull();
    // Overdue is said in words, not only in red: badge, state and "… te laat".
    expect(lateRow[1]).toContain('termijn verlopen');
    expect(lateRow[1]).toContain('legal-clock-overdue');
    expect(lateRow[1]).toMatch(/>verlopen</);
    expect(lateRow[1]).toMatch(/1 d 4 u te laat|1 d \d+ u te laat/);
    expect(lateRow[1]).toContain('nog niet verstuurd'); // no dispatch, no recall curve yet
    expect(after.body).toContain('id="overdue-clocks"');
    expect(after.body).toContain(`één wettelijke termijn is verlopen (${late.reference})`);
    expect(after.body.match(/clock-countdown\.js/g)).toHaveLength(1);
    // The English dashboard says the same in English.
    const enId = await h.addUser('eng', ['viewer']);
    await h.ctx.database.db
      .updateTable('users')
      .set({ language: 'en' })
      .where('id', '=', enId)
      .execute();
    const english = await h.get('/app', await h.login('eng'));
    expect(english.body).toContain('deadline overdue');
    expect(english.body).toMatch(/\d+ d \d+ h overdue/);
    await h.ctx.database.db
      .updateTable('cases')
      .set({ state: 'closed' })
      .where('id', '=', late.id)
      .execute();
  });

  it('searches customers with keyset paging and shows one customer’s history', async () => {
    const list = await h.get('/app/customers', vera);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('12 klanten in het register.');
    const first = scenario.customers[0]!;
    const found = await h.get(`/app/customers?q=${encodeURIComponent(first.external_id)}`, vera);
    expect(found.body).toContain(`href="/app/customers/${encodeURIComponent(first.external_id)}"`);
    const detail = await h.get(`/app/customers/${encodeURIComponent(first.external_id)}`, vera);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('id="customer-cases"');
    expect(detail.body).toContain('id="customer-deliveries"');
    expect(detail.body).toContain('in de wachtrij');
    expect((await h.get('/app/customers/no-such-customer', vera)).statusCode).toBe(404);
  });

  it('imports an uploaded customer file in the background with progress and a rejects file', async () => {
    const csv =
      'external_id,email,name,language\nW-1,w1@example.com,Wim,nl\nW-2,not-an-email,Wendy,en\nW-3,w3@example.com,Wouter,xx\n';
    const token = await h.csrfOf(sanne, '/app/customers/import');
    const form = multipart('file', 'extra.csv', csv);
    const refused = await h.app.inject({
      method: 'POST',
      url: '/app/customers/import',
      payload: form.payload,
      headers: { 'content-type': form.contentType, cookie: sanne },
    });
    expect(refused.statusCode).toBe(403); // no CSRF token
    const viewer = await h.app.inject({
      method: 'POST',
      url: `/app/customers/import?_csrf=${encodeURIComponent(await h.csrfOf(vera))}`,
      payload: form.payload,
      headers: { 'content-type': form.contentType, cookie: vera },
    });
    expect(viewer.statusCode).toBe(403); // a viewer may not import
    const upload = await h.app.inject({
      method: 'POST',
      url: `/app/customers/import?_csrf=${encodeURIComponent(token)}`,
      payload: form.payload,
      headers: { 'content-type': form.contentType, cookie: sanne },
    });
    expect(upload.statusCode).toBe(303);
    const jobUrl = upload.headers.location as string;
    expect(jobUrl).toMatch(/^\/app\/customers\/imports\/[0-9a-f]{32}$/);
    let progress = '';
    for (let i = 0; i < 100; i++) {
      progress = (await h.get(`${jobUrl}/progress`, sanne)).body;
      if (!progress.includes('data-state="running"')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(progress).toContain('data-state="completed"');
    expect(progress).toMatch(/data-rejected>2</);
    const rejects = await h.get(`${jobUrl}/rejects`, sanne);
    expect(rejects.statusCode).toBe(200);
    expect(rejects.headers['content-disposition']).toContain('extra-rejects.csv');
    expect(rejects.body).toContain('W-2');
    expect(rejects.body).toContain('W-3');
    expect(rejects.body).not.toContain('W-1,');
    // Someone else cannot see the job.
    expect((await h.get(jobUrl, admin)).statusCode).toBe(404);
  });

  it('saves settings, and shows the form again with a message at a wrong field', async () => {
    const page = await h.get('/app/settings', admin);
    expect(page.statusCode).toBe(200);
    const body = {
      name: 'Hosting Noord B.V.',
      website: '',
      senderName: 'Hosting Noord',
      senderEmail: 'security@hosting-noord.example',
      contactEmail: 'help@hosting-noord.example',
      contactPhone: '',
      dpoEmail: 'dpo@hosting-noord.example',
    };
    const bad = await h.post('/app/settings', { ...body, senderEmail: 'nope' }, admin);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="senderEmail-error"');
    expect(bad.body).toContain('value="nope"');
    const ok = await h.post('/app/settings', body, admin);
    expect(ok.statusCode).toBe(303);
    expect((await h.get('/app/settings', admin)).body).toContain('value="Hosting Noord B.V."');
    expect((await h.get('/app/settings', sanne)).statusCode).toBe(403);
  });

  it('lists the audit log filtered by actor and action, pages, and verifies the chain', async () => {
    const all = await h.get('/app/audit', sanne);
    expect(all.statusCode).toBe(200);
    const filtered = await h.get('/app/audit?actor=boss&action=settings.', sanne);
    expect(filtered.body).toContain('<code>settings.update</code>');
    expect(filtered.body).not.toContain('<code>case.create</code>');
    const verify = await h.post('/app/audit/verify', {}, sanne);
    expect(verify.statusCode).toBe(200);
    expect(verify.body).toMatch(/De keten is intact: \d+ regels nagerekend/);
    expect((await h.get('/app/audit', vera)).statusCode).toBe(403);
  });

  it('lets an admin add a user with a generated password, disable and re-enable them', async () => {
    const created = await h.post(
      '/app/users',
      {
        username: 'nieuw',
        displayName: 'Nieuwe Collega',
        email: 'nieuw@example.com',
        roles: 'viewer',
        language: 'en',
        password: '',
      },
      admin,
    );
    expect(created.statusCode).toBe(200);
    const password = /data-password>([^<]+)</.exec(created.body)![1]!;
    const cookie = await h.login('nieuw', password);
    expect((await h.get('/app', cookie)).body).toContain('<h1>Dashboard</h1>'); // English user
    const list = await h.get('/app/users', admin);
    expect(list.body).toContain('nieuw@example.com');
    expect((await h.post('/app/users/nieuw/disable', {}, admin)).statusCode).toBe(303);
    expect((await h.get('/app', cookie)).statusCode).toBe(303); // session ended
    await expect(h.login('nieuw', password)).rejects.toThrow(/401/);
    expect((await h.post('/app/users/nieuw/enable', {}, admin)).statusCode).toBe(303);
    expect(await h.login('nieuw', password)).toMatch(/^candor_session=/);
    const reset = await h.post('/app/users/nieuw/password', {}, admin);
    const fresh = /data-password>([^<]+)</.exec(reset.body)![1]!;
    await expect(h.login('nieuw', password)).rejects.toThrow(/401/);
    expect(await h.login('nieuw', fresh)).toMatch(/^candor_session=/);
  });

  it('serves the stylesheet and scripts from memory with a long cache and an ETag', async () => {
    const page = await h.get('/app', vera);
    const href = /href="(\/app\/assets\/workspace\.css\?v=[\w-]+)"/.exec(page.body)![1]!;
    const css = await h.get(href);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.headers['cache-control']).toContain('max-age=31536000');
    const again = await h.app.inject({
      method: 'GET',
      url: href,
      headers: { 'if-none-match': css.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    expect((await h.get('/app/assets/htmx.min.js')).statusCode).toBe(200);
    expect((await h.get('/app/assets/nope.js')).statusCode).toBe(404);
  });
});

describe('adding a user with a mistake', () => {
  it('shows the users page again with what is wrong', async () => {
    const h = await createHarness('sqlite');
    try {
      await h.addUser('boss', ['admin']);
      await h.addUser('taken', ['viewer']);
      const admin = await h.login('boss');
      const short = await h.post(
        '/app/users',
        { username: 'kort', roles: 'viewer', language: 'nl', password: 'short' },
        admin,
      );
      expect(short.statusCode).toBe(422);
      expect(short.body).toContain('id="add-user-errors"');
      expect(short.body).toContain('password: must be at least 12 characters');
      const taken = await h.post('/app/users', { username: 'taken', roles: 'viewer' }, admin);
      expect(taken.statusCode).toBe(422);
      expect(taken.body).toContain('a user named &quot;taken&quot; already exists');
    } finally {
      await h.close();
    }
  });
});
