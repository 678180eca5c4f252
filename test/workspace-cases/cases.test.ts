import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_TABS } from '../../src/http/views/workspace/case-tabs.view.js';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  flat,
  startWorkspace,
  text,
  type WorkspaceFixture,
} from './case-workspace-app.js';

describe.each(DIALECTS)('case list and overview on %s', (dialect) => {
  let w: WorkspaceFixture;
  beforeAll(async () => {
    w = await startWorkspace(dialect);
  });
  afterAll(() => w.close());

  it('creates a case from the form, with the aware time read in the user time zone', async () => {
    const { rita } = w.clients;
    const form = await rita!.get('/app/cases');
    expect(form.status).toBe(200);
    expect(flat(form.body)).toContain('<label for="new-case-title">Title</label>');
    const reference = await createCaseVia(rita!, { awareAt: '2026-07-01T03:12' });
    expect(reference).toMatch(/^INC-\d{4}-\d{4}$/);
    const overview = await rita!.get(`/app/cases/${reference}`);
    expect(overview.status).toBe(200);
    // Users default to Europe/Amsterdam: 03:12 CEST is 01:12 UTC.
    expect(overview.body).toContain('datetime="2026-07-01T01:12:00.000Z"');
    expect(text(overview.body)).toContain('Break-in on the customer portal');
    // Every tab, the overview marked current.
    const tabs = flat(overview.body).match(/<nav class="tabs case-tabs"[\s\S]*?<\/nav>/)![0];
    expect(tabs.match(/<li>/g)).toHaveLength(CASE_TABS.length);
    expect(tabs).toContain(`href="/app/cases/${reference}" aria-current="page"`);
    const list = await rita!.get('/app/cases?status=open&kind=incident');
    expect(list.body).toContain(`href="/app/cases/${reference}"`);
    const advisories = await rita!.get('/app/cases?status=all&kind=advisory');
    expect(advisories.body).not.toContain(`href="/app/cases/${reference}"`);
  });

  it('shows what is wrong with a bad new case and keeps what was typed', async () => {
    const res = await w.clients.rita!.post('/app/cases', {
      kind: 'advisory',
      title: 'ab',
      summary: 'kept <text>',
      awareAt: '2026-02-31T10:00',
    });
    expect(res.status).toBe(422);
    const page = text(res.body);
    expect(page).toContain('Not a valid date and time');
    expect(res.body).toContain('kept &lt;text&gt;');
    const again = await w.clients.rita!.post('/app/cases', { kind: 'advisory', title: 'ab' });
    expect(again.status).toBe(422);
    expect(text(again.body)).toContain('At least 3 characters');
    expect(again.body).toContain('aria-invalid="true"');
  });

  it('names a too long or wrong new-case field in Dutch at the field, nothing stored', async () => {
    const cases = () => w.ctx.database.db.selectFrom('cases').select('id').execute();
    const before = (await cases()).length;
    const res = await w.clients.nina!.post('/app/cases', {
      kind: 'incident',
      title: 'x'.repeat(201),
      summary: 'bewaard',
      'whatHappened.nl': 'Beste {{ naam }}',
    });
    expect(res.status).toBe(422);
    expect(res.body).toContain('id="new-case-title-error">Hoogstens 200 tekens.');
    expect(res.body).toContain(
      'id="new-case-statements.what_happened.nl-error">Geen plaatshouders',
    );
    expect(res.body).not.toContain('Too big');
    expect(res.body).toContain('bewaard</textarea');
    const kind = await w.clients.nina!.post('/app/cases', { kind: 'zz', title: 'Lek in portaal' });
    expect(kind.status).toBe(422);
    expect(kind.body).toContain('id="new-case-kind-error">Kies een van de mogelijkheden.');
    expect((await cases()).length).toBe(before);
  });

  it('adds a timeline event and a milestone, and moves the case forward only', async () => {
    const { rita } = w.clients;
    const reference = await createCaseVia(rita!);
    const event = await rita!.post(`/app/cases/${reference}/events`, {
      kind: 'note',
      at: '2026-11-27T04:00',
      text: 'Called the hosting provider <urgent>',
    });
    expect(event.status).toBe(303);
    const contained = await rita!.post(`/app/cases/${reference}/events`, {
      kind: 'contained',
      at: '',
      text: 'Key revoked',
    });
    expect(contained.status).toBe(303);
    let page = await rita!.get(`/app/cases/${reference}`);
    expect(page.body).toContain('Called the hosting provider &lt;urgent&gt;');
    expect(page.body).toContain('datetime="2026-11-27T03:00:00.000Z"');
    expect(text(page.body)).toMatch(/Contained \S/);
    expect(text(page.body)).not.toMatch(/Contained not recorded yet/);

    const forward = await rita!.post(`/app/cases/${reference}/state`, { state: 'notifying' });
    expect(forward.status).toBe(303);
    page = await rita!.get(`/app/cases/${reference}`);
    expect(flat(page.body)).toMatch(
      /<li class="case-step-current" aria-current="step"\s*>\s*notifying/,
    );
    // Only later states are offered …
    expect(page.body).not.toContain('name="state" value="open"');
    expect(page.body).toContain('name="state" value="monitoring"');
    // … and a forced step back is refused with the reason.
    const back = await rita!.post(`/app/cases/${reference}/state`, { state: 'open' });
    expect(back.status).toBe(400);
    expect(text(back.body)).toContain('cannot go back from notifying to open');
    const empty = await rita!.post(`/app/cases/${reference}/events`, { kind: 'note', text: ' ' });
    expect(empty.status).toBe(400);
    expect(text(empty.body)).toContain('must not be empty');
  });

  it('lets a viewer read but not change, and refuses a post without the CSRF token', async () => {
    const { rita, vera } = w.clients;
    const reference = await createCaseVia(rita!);
    const page = await vera!.get(`/app/cases/${reference}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(`action="/app/cases/${reference}/events"`);
    expect(page.body).not.toContain('name="state"');
    const list = await vera!.get('/app/cases');
    expect(list.body).not.toContain('method="post" action="/app/cases"');
    for (const [url, form] of [
      ['/app/cases', { kind: 'incident', title: 'Viewer case' }],
      [`/app/cases/${reference}/events`, { kind: 'note', text: 'x' }],
      [`/app/cases/${reference}/state`, { state: 'closed' }],
      [`/app/cases/${reference}/facts`, { title: 'Renamed by viewer' }],
    ] as const) {
      expect((await vera!.post(url, form)).status).toBe(403);
    }
    const forged = await rita!.post(
      `/app/cases/${reference}/state`,
      { state: 'closed' },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    const after = await rita!.get(`/app/cases/${reference}`);
    expect(flat(after.body)).toMatch(/aria-current="step"\s*>\s*draft/);
  });

  it('answers 404 for an unknown case', async () => {
    expect((await w.clients.rita!.get('/app/cases/INC-1999-0001')).status).toBe(404);
  });
});
