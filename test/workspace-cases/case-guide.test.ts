import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  flat,
  startWorkspace,
  text,
  type WorkspaceFixture,
} from './case-workspace-app.js';

const TABS = [
  '',
  '/affected',
  '/notices',
  '/dispatch',
  '/deliveries',
  '/public',
  '/assessment',
  '/reports',
];

/** A datetime-local value in Europe/Amsterdam (the users' zone) `hours` ago. */
function localHoursAgo(hours: number): string {
  const at = new Date(Date.now() - hours * 3_600_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function tracker(page: string): string {
  return flat(page).match(/<nav class="recall-tracker"[\s\S]*?<\/nav>/)?.[0] ?? '';
}

function stepState(page: string, step: string): string | undefined {
  return new RegExp(`data-step="${step}" data-state="([a-z-]+)"`).exec(flat(page))?.[1];
}

describe.each(DIALECTS)('case guidance and safe closing on %s', (dialect) => {
  let w: WorkspaceFixture;
  beforeAll(async () => {
    w = await startWorkspace(dialect);
  });
  afterAll(() => w.close());

  it('heads every case tab with the same tracker and the deadline banner', async () => {
    const { rita } = w.clients;
    const ref = await createCaseVia(rita!, { awareAt: localHoursAgo(68.2) });
    for (const tab of TABS) {
      const page = await rita!.get(`/app/cases/${ref}${tab}`);
      expect(page.status, tab).toBe(200);
      const t = tracker(page.body);
      expect(t.match(/<li class="recall-step/g), tab).toHaveLength(8);
      // 68.2 of 72 hours: past 90 %, so urgent, with the time left in words.
      expect(text(page.body), tab).toMatch(/Urgent: GDPR: notify the AP within 3 h 4\d min/);
      expect(flat(page.body), tab).toContain('data-deadline="urgent"');
    }
    const overview = await rita!.get(`/app/cases/${ref}`);
    // The responder is the one to assess, upload and write; approval and send come later.
    expect(stepState(overview.body, 'assess')).toBe('needs-you');
    expect(stepState(overview.body, 'affected')).toBe('needs-you');
    expect(stepState(overview.body, 'approval')).toBe('not-yet');
    expect(stepState(overview.body, 'remedy')).toBe('not-yet');
    expect(text(overview.body)).toContain(
      'Next step: Assess — Not assessed yet: must the AP and the customers be told? Do it now',
    );
    // Each step links to where it is done.
    expect(tracker(overview.body)).toContain(`href="/app/cases/${ref}/affected"`);
    expect(tracker(overview.body)).toContain(`href="/app/cases/${ref}/reports"`);
  });

  it('depends on the viewer: a viewer waits for others, an author waits for a second approver', async () => {
    const { rita, carla, anna, vera } = w.clients;
    const ref = await createCaseVia(rita!, { awareAt: localHoursAgo(1) });
    const asViewer = await vera!.get(`/app/cases/${ref}/notices`);
    expect(stepState(asViewer.body, 'affected')).toBe('waiting');
    expect(text(asViewer.body)).toContain('waiting for someone else');
    expect(flat(asViewer.body)).toContain('data-deadline="running"');
    expect(text(asViewer.body)).toMatch(/GDPR: notify the AP within 2 d 2[12] h/);
    // carla (communicator + approver) writes the notice: she cannot approve it herself.
    const created = await carla!.post(`/app/cases/${ref}/notices`, {});
    expect(created.status).toBe(303);
    const asAuthor = await carla!.get(`/app/cases/${ref}`);
    expect(stepState(asAuthor.body, 'notice')).toBe('done');
    expect(stepState(asAuthor.body, 'approval')).toBe('waiting');
    expect(text(asAuthor.body)).toContain(
      'You wrote part of the notice: another approver must sign.',
    );
    const asApprover = await anna!.get(`/app/cases/${ref}`);
    expect(stepState(asApprover.body, 'approval')).toBe('needs-you');
    expect(stepState(asViewer.body, 'approval')).toBe('not-yet');
  });

  it('in Dutch: AVG and the AP, overdue after 72 hours', async () => {
    const { nina } = w.clients;
    const ref = await createCaseVia(nina!, { awareAt: localHoursAgo(80) });
    const page = await nina!.get(`/app/cases/${ref}/affected`);
    expect(flat(page.body)).toContain('data-deadline="overdue"');
    expect(text(page.body)).toMatch(/Verlopen: AVG: de melding bij de AP is 8 u \d+ min te laat/);
    expect(text(page.body)).toContain('Volgende stap: Beoordelen');
    const dashboard = await nina!.get('/app');
    expect(text(dashboard.body)).toMatch(/Verlopen: INC-\d{4}-\d{4} AVG: de melding bij de AP/);
  });

  it('an incident without a moment of awareness asks for it, and the clocks start', async () => {
    const { rita, vera } = w.clients;
    const ref = await createCaseVia(rita!, { awareAt: '' });
    const page = await rita!.get(`/app/cases/${ref}/dispatch`);
    expect(text(page.body)).toContain('The legal clocks have not started');
    expect(page.body).not.toContain('data-deadline=');
    expect(stepState(page.body, 'authority')).toBe('not-yet');
    expect(flat(page.body)).toContain(`action="/app/cases/${ref}/events"`);
    // A viewer is told to ask; no form.
    const asViewer = await vera!.get(`/app/cases/${ref}`);
    expect(text(asViewer.body)).toContain('Ask a responder to record this moment.');
    const set = await rita!.post(`/app/cases/${ref}/events`, {
      kind: 'aware',
      text: 'Became aware (legal clocks start)',
      at: localHoursAgo(2),
    });
    expect(set.status).toBe(303);
    const after = await rita!.get(`/app/cases/${ref}`);
    expect(text(after.body)).not.toContain('The legal clocks have not started');
    expect(text(after.body)).toMatch(/GDPR: notify the AP within 2 d 2[01] h/);
  });

  it('confirms resolving and closing on a page of its own; the server needs confirm=yes', async () => {
    const { rita } = w.clients;
    const ref = await createCaseVia(rita!, { awareAt: localHoursAgo(3) });
    const ask = await rita!.post(`/app/cases/${ref}/state`, { state: 'resolved' });
    expect(ask.status).toBe(200);
    expect(text(ask.body)).toContain('A case only moves forward: there is no step back.');
    expect(flat(ask.body)).toContain('name="confirm" value="yes" required');
    expect(text((await rita!.get(`/app/cases/${ref}`)).body)).not.toMatch(/State: \S+ resolved/);
    const ok = await rita!.post(`/app/cases/${ref}/state`, { state: 'resolved', confirm: 'yes' });
    expect(ok.status).toBe(303);
    expect(flat((await rita!.get(`/app/cases/${ref}`)).body)).toMatch(
      /aria-current="step"\s*>\s*resolved/,
    );

    // Closing with a running clock: the consequence, then a refusal without a reason.
    const close = await rita!.post(`/app/cases/${ref}/state`, { state: 'closed' });
    expect(close.status).toBe(200);
    expect(text(close.body)).toContain('Closed cases cannot be reopened.');
    expect(text(close.body)).toContain('1 legal clock is still running.');
    expect(close.body).toContain('name="overrideReason"');
    const refused = await rita!.post(`/app/cases/${ref}/state`, {
      state: 'closed',
      confirm: 'yes',
    });
    expect(refused.status).toBe(409);
    expect(text(refused.body)).toContain('Not closed: give the reason to close anyway.');
    expect(flat((await rita!.get(`/app/cases/${ref}`)).body)).toMatch(
      /aria-current="step"\s*>\s*resolved/,
    );
    const overridden = await rita!.post(`/app/cases/${ref}/state`, {
      state: 'closed',
      confirm: 'yes',
      overrideReason: 'Reported by phone to the AP; the form follows on paper.',
    });
    expect(overridden.status).toBe(303);
    const closed = await rita!.get(`/app/cases/${ref}`);
    expect(flat(closed.body)).toMatch(/aria-current="step"\s*>\s*closed/);
    expect(text(closed.body)).toContain('Reported by phone to the AP');
    const audit = await w.ctx.database.db
      .selectFrom('audit_events')
      .select(['details'])
      .where('action', '=', 'case.update')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(readJson(audit.details, jsonObject).closeOverride).toMatchObject({
      runningClocks: 1,
      unsentNotices: 0,
      reason: 'Reported by phone to the AP; the form follows on paper.',
    });
  });

  it('the API refuses a close with running clocks (409 with the reason) unless overridden', async () => {
    const { rita } = w.clients;
    const ref = await createCaseVia(rita!, { awareAt: localHoursAgo(3) });
    await rita!.post(`/app/cases/${ref}/notices`, {});
    const { token } = await createApiToken(
      systemActor('test'),
      'rita',
      { label: 'guide' },
      w.ctx.deps,
    );
    const patch = (payload: unknown) =>
      w.app.inject({
        method: 'PATCH',
        url: `/api/v1/cases/${ref}`,
        headers: { authorization: `Bearer ${token}` },
        payload: payload as Record<string, unknown>,
      });
    const refused = await patch({ state: 'closed' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ detail: string }>().detail).toContain(
      'cannot be closed: 1 legal clock is still running and 1 notice to the affected was never sent',
    );
    const short = await patch({ state: 'closed', override: { reason: 'because' } });
    expect(short.statusCode).toBe(400);
    const ok = await patch({ state: 'closed', override: { reason: 'Duplicate of another case.' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ state: string }>().state).toBe('closed');
  });
});
