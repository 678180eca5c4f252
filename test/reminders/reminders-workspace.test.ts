import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';
import { reminderNotice } from './reminder-case.js';

/** The reminders tab: a viewer reads, a responder adds a rule (errors named) and escalates. */
describe.each(DIALECTS)('workspace reminders on %s', { timeout: 120_000 }, (dialect) => {
  let h: WorkspaceHarness;
  let recall: RecallCase;
  let sanne: string;
  let vera: string;
  const page = () => `/app/cases/${recall.reference}/reminders`;
  const follow = async (
    response: Awaited<ReturnType<WorkspaceHarness['post']>>,
    cookie: string,
  ) => {
    const flash = response.cookies.find((c) => c.name === 'candor_flash');
    const jar = flash ? `${cookie}; candor_flash=${flash.value}` : cookie;
    return h.get(response.headers.location as string, jar);
  };

  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.addUser('sanne', ['responder']);
    await h.addUser('vera', ['viewer']);
    sanne = await h.login('sanne');
    vera = await h.login('vera');
    recall = await createRecallCase(h.ctx, [
      {
        external_id: 'WR-1',
        email: null,
        name: 'Wim Brief',
        language: 'nl',
        impact: {},
        attributes: { street: 'Markt 1', postal_code: '5611 EB', city: 'Eindhoven', country: 'NL' },
      },
      {
        external_id: 'WR-2',
        email: 'wr2@example.nl',
        name: 'Per Mail',
        language: 'nl',
        impact: {},
      },
    ]);
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows the tab to a viewer without the forms', async () => {
    const res = await h.get(page(), vera);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('aria-current="page"');
    expect(res.body).toContain('Nog geen herinneringsregels.');
    expect(res.body).toContain('U mag geen herinneringen instellen');
    expect((await h.post(page(), { days: '3' }, vera)).statusCode).toBe(403);
  });

  it('adds a rule, names a bad field, and escalates the mail-less to a letter', async () => {
    const noticeId = await reminderNotice(h.ctx, recall.caseId);
    const bad = await h.post(
      page(),
      { noticeId: String(noticeId), condition: 'not-acknowledged', days: '0', maxSends: '2' },
      sanne,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="reminder-days-error">Minstens 1.');
    const good = await h.post(
      page(),
      { noticeId: String(noticeId), condition: 'not-acknowledged', days: '3', maxSends: '2' },
      sanne,
    );
    const after = await follow(good, sanne);
    expect(after.body).toContain('toegevoegd');
    expect(after.body).toContain('niet bevestigd');
    const saved = await h.post(`${page()}/escalation`, { enabled: 'on', afterDays: '0' }, sanne);
    expect((await follow(saved, sanne)).body).toContain('1 zouden nu een brief krijgen');
    const built = await h.post(`${page()}/escalation/letters`, {}, sanne);
    expect((await follow(built, sanne)).body).toContain('1 brieven in 1 partijen');
  });
  it('shows the rule form again with the message at a wrong number, the rest kept', async () => {
    const noticeId = await reminderNotice(h.ctx, recall.caseId);
    const rules = () => h.ctx.database.db.selectFrom('reminder_rules').select('id').execute();
    const before = (await rules()).length;
    const form = { noticeId: String(noticeId), condition: 'not-acknowledged', maxSends: '3' };
    const res = await h.post(page(), { ...form, days: 'abc' }, sanne);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="reminder-days-error">Vul een heel getal in.');
    expect(res.body).toMatch(/id="reminder-days"[^>]*value="abc"[^>]*aria-invalid="true"/);
    expect(res.body).toMatch(/id="reminder-maxSends"[^>]*value="3"/);
    expect(res.body).toMatch(new RegExp(`<option value="${noticeId}"\\s+selected`));
    // The page shown again is the same case page: its recall tracker stays in place.
    expect(res.body).toContain('class="recall-steps');
    const big = await h.post(page(), { ...form, days: '1e9' }, sanne);
    expect(big.body).toContain('id="reminder-days-error">Hoogstens 365.');
    const missing = await h.post(page(), { condition: 'zz', days: '3', maxSends: '2' }, sanne);
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('id="reminder-noticeId-error">Vul een heel getal in.');
    expect(missing.body).toContain('id="reminder-condition-error">Kies een van de mogelijkheden.');
    const remedy = await h.post(page(), { ...form, days: '3', condition: 'not-completed' }, sanne);
    expect(remedy.body).toContain('id="reminder-remedy-error">Kies de herstelactie');
    expect((await rules()).length).toBe(before);
  });

  it('shows the escalation form again with the message at a wrong number of days', async () => {
    const stored = () => h.ctx.database.db.selectFrom('reminder_escalations').selectAll().execute();
    const before = await stored();
    for (const [afterDays, message] of [
      ['abc', 'Vul een heel getal in.'],
      ['-3', 'Minstens 0.'],
      ['1e9', 'Hoogstens 365.'],
    ] as const) {
      const res = await h.post(`${page()}/escalation`, { enabled: 'on', afterDays }, sanne);
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(`id="escalation-afterDays-error">${message}`);
      expect(res.body).toMatch(new RegExp(`id="escalation-afterDays"[^>]*value="${afterDays}"`));
      expect(res.body).toMatch(/name="enabled" value="on" checked/);
    }
    expect(await stored()).toEqual(before);
  });
});
