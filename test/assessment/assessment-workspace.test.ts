import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { legalClocks } from '../../src/domain/assessment/legal-clocks.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { renderCaseClocks } from '../../src/http/views/workspace/legal-clocks.view.js';
import { FORM_FIELD_PATHS } from '../../src/http/views/workspace/case-assessment-form.view.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

/** Markup without formatting whitespace, for readable assertions. */
const flat = (page: string) => page.replace(/>\s+</g, '><').replace(/\s+/g, ' ');

describe.each(DIALECTS)('assessment tab on %s', (dialect) => {
  let h: WorkspaceHarness;
  let rita: string;
  let abe: string;
  let vera: string;
  let url = '';

  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('rita', ['responder']);
    await h.addUser('abe', ['approver']);
    await h.addUser('vera', ['viewer']);
    const c = await createCase(
      systemActor('test'),
      {
        kind: 'incident',
        title: 'Datalek op web12',
        awareAt: new Date(Date.now() - 10 * 3_600_000).toISOString(),
      },
      h.ctx.deps,
    );
    url = `/app/cases/${c.reference}/assessment`;
    rita = await h.login('rita');
    abe = await h.login('abe');
    vera = await h.login('vera');
  });
  afterAll(() => h.close());

  async function postForm(
    path: string,
    pairs: [string, string][],
    cookie: string,
    csrf?: string | null,
  ) {
    const token = csrf === undefined ? await h.csrfOf(cookie, url) : csrf;
    const body = new URLSearchParams(pairs);
    if (token !== null) body.set('_csrf', token);
    return h.app.inject({
      method: 'POST',
      url: path,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
  }

  it('asks "is it contained?" with the plain questions and records the answer on the timeline', async () => {
    // A case of its own: the other tests expect theirs without facts.
    const own = await createCase(
      systemActor('test'),
      { kind: 'incident', title: 'Lek', awareAt: new Date(Date.now() - 3_600_000).toISOString() },
      h.ctx.deps,
    );
    const url = `/app/cases/${own.reference}/assessment`;
    const before = await h.app.inject({ url, headers: { cookie: rita } });
    expect(flat(before.body)).toContain('<legend>Is het lek gedicht?</legend>');
    expect(before.body).toContain('name="containedAt"');
    // An approver may assess but not change the case: told who records it, no field.
    const forAbe = await h.app.inject({ url, headers: { cookie: abe } });
    expect(forAbe.body).not.toContain('name="containedAt"');
    const bad = await postForm(
      url,
      [
        ['personalData', 'on'],
        ['containedAt', 'yesterday'],
      ],
      rita,
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Geen geldige datum en tijd');
    const saved = await postForm(
      url,
      [
        ['personalData', 'on'],
        ['containedAt', '2026-12-07T05:30'],
      ],
      rita,
    );
    expect(saved.statusCode).toBe(303);
    const kase = await h.ctx.database.db
      .selectFrom('cases')
      .select('contained_at')
      .where('reference', '=', own.reference)
      .executeTakeFirstOrThrow();
    expect(kase.contained_at).toMatch(/^2026-12-07T0\d:30:00/);
    const after = await h.app.inject({ url, headers: { cookie: rita } });
    expect(after.body).not.toContain('name="containedAt"');
    expect(flat(after.body)).toMatch(/Ja, sinds 7 dec 2026/);
  });

  const WEB12: [string, string][] = [
    ['personalData', 'on'],
    ['dataCategories', 'simple'],
    ['dataCategories', 'credentials'],
    ['dataSubjects', '1840'],
    ['records', '1840'],
    ['identifiability', 'maximum'],
    ['confidentiality', 'unknown-recipients'],
    ['integrity', 'none'],
    ['availability', 'none'],
    ['exfiltration', 'confirmed'],
    ['maliciousIntent', 'on'],
    ['encryption', 'none'],
    ['passwordStorage', 'weak-hash'],
    ['restoreHours', ''],
    ['nis2.entityType', 'not-in-scope'],
    ['nis2.annualTurnoverEur', ''],
  ];

  it('shows a viewer the provisional GDPR clock and a read-only form', async () => {
    const page = await h.get(url, vera);
    expect(page.statusCode).toBe(200);
    const body = flat(page.body);
    expect(body).toMatch(/aria-current="page"\s*>Beoordeling<\/a/);
    expect(body).toContain('Nog geen feiten vastgelegd');
    expect(body).toContain('AVG-melding aan de toezichthouder');
    expect(body).toContain('voorlopig: nog niet beoordeeld');
    expect(body).toMatch(/data-clock-due="[^"]+"/);
    expect(body).toMatch(
      /<script src="\/app\/assets\/clock-countdown\.js\?v=[\w-]+" defer><\/script>/,
    );
    expect(body).toContain('<fieldset class="assessment-fieldsets" disabled>');
    expect(body).not.toContain('Feiten vastleggen als nieuwe versie</button>');
    // Strict CSP: no inline style or script.
    expect(body).not.toMatch(/ style=|<script>|<script(?![^>]*\bsrc=)[^>]*>/);
    const js = await h.get('/app/assets/clock-countdown.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
  });

  it('preselects nothing the user did not say (issue 13)', async () => {
    const body = flat((await h.get(url, rita)).body);
    for (const name of [
      'incidentKind',
      'identifiability',
      'confidentiality',
      'dpcContext.financialDetail',
      'dpcContext.sensitiveDetail',
    ]) {
      const select = new RegExp(
        `<select id="[^"]+" name="${name.replace('.', '\\.')}" >(.*?)</select>`,
      ).exec(body);
      expect(select, name).not.toBeNull();
      expect(select![1], name).toMatch(
        /^<option value="" selected>— nog niet beantwoord —<\/option>/,
      );
      expect(select![1]!.match(/ selected>/g), name).toHaveLength(1);
    }
    // The plain-language questions come first, the ENISA detail is folded.
    expect(body.indexOf('Wat is er gebeurd?')).toBeLessThan(
      body.indexOf('<details class="assessment-more"'),
    );
    expect(body.indexOf('Opslag van wachtwoorden')).toBeGreaterThan(
      body.indexOf('<details class="assessment-more"'),
    );
  });

  it('refuses facts from a viewer and without the CSRF token', async () => {
    expect((await postForm(url, WEB12, vera)).statusCode).toBe(403);
    expect((await postForm(url, WEB12, rita, null)).statusCode).toBe(403);
  });

  it('shows every bad field next to its input and keeps what was typed', async () => {
    const res = await postForm(
      url,
      [
        ...WEB12.filter(([k]) => k !== 'dataSubjects'),
        ['dataSubjects', 'veel'],
        ['nis2.euUsersAffectedPercent', '140'],
      ],
      rita,
    );
    expect(res.statusCode).toBe(422);
    const body = flat(res.body);
    expect(body).toContain('Het formulier bevat fouten:');
    expect(body).toMatch(
      /<input id="fact-dataSubjects" name="dataSubjects" [^>]*value="veel" aria-invalid="true"/,
    );
    expect(body).toContain('id="fact-nis2-euUsersAffectedPercent-error"');
  });

  it('shows a wrong number in the facts form with a Dutch message at the field', async () => {
    const facts = () => h.ctx.database.db.selectFrom('assessment_facts').select('id').execute();
    const before = (await facts()).length;
    const pairs = WEB12.map(([k, v]): [string, string] =>
      k === 'records' ? [k, 'veel'] : k === 'dataSubjects' ? [k, '-5'] : [k, v],
    );
    const res = await postForm(url, pairs, rita);
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/id="[^"]*records-error"\s*>Vul een getal in\./);
    expect(res.body).toMatch(/id="[^"]*dataSubjects-error"\s*>Minstens 0\./);
    expect(res.body).not.toContain('Invalid input');
    expect(res.body).toMatch(/name="records"[^>]*value="veel"/);
    expect((await facts()).length).toBe(before);
  });

  it('records the facts and shows severity, decisions and reasons', async () => {
    const res = await postForm(url, WEB12, rita);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(url);
    expect(res.cookies.some((c) => c.name === 'candor_flash')).toBe(true);
    const body = flat((await h.get(url, rita)).body);
    // Weakly hashed passwords count as usable credentials: DPC 3 (issue 13).
    expect(body).toMatch(
      /<span class="stat">4<\/span>\s*<span class="badge badge-danger"\s*>zeer hoog<\/span/,
    );
    // The arithmetic is folded away under "how this score was reached".
    expect(body).toMatch(
      /<details class="assessment-how"><summary>Hoe deze score tot stand kwam<\/summary><ul class="assessment-explanation"><li>DPC = 3/,
    );
    expect(body).toContain('SE = 3 × 1 + 1 = 4: zeer hoog');
    expect(body).toContain('Melden aan de toezichthouder (AVG art. 33)');
    expect(body).toContain('AVG art. 33 lid 1');
    expect(body).toMatch(/Advies: <strong>informeren<\/strong/);
    expect(body).not.toContain('Afwijken van het advies');
    expect(body).toMatch(
      /<input type="checkbox" name="dataCategories" value="credentials" checked/,
    );
  });

  it('lets an approver override with a rationale, shown escaped with the history', async () => {
    const pairs: [string, string][] = [
      ['decision', 'subjects'],
      ['notify', 'no'],
      ['rationale', 'Alle wachtwoorden zijn gereset vóór misbruik <script>alert(1)</script>'],
    ];
    expect((await postForm(`${url}/overrides`, pairs, rita)).statusCode).toBe(403);
    const short = await postForm(
      `${url}/overrides`,
      [
        ['decision', 'subjects'],
        ['notify', 'no'],
        ['rationale', 'kort'],
      ],
      abe,
    );
    expect(short.statusCode).toBe(422);
    // The override is a visible form with its rationale field, not folded away.
    expect(flat(short.body)).toContain(
      '<div class="assessment-override"><h4 id="override-subjects-title">Afwijken van het advies</h4>',
    );
    expect(flat(short.body)).toMatch(/<textarea id="override-subjects-rationale" name="rationale"/);
    const res = await postForm(`${url}/overrides`, pairs, abe);
    expect(res.statusCode).toBe(303);
    const body = flat((await h.get(url, abe)).body);
    expect(body).toContain('Afwijken van het advies');
    expect(body).toContain('(afwijkend besloten door abe)');
    expect(body).toContain('Eerdere afwijkingen');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain('<script>alert(1)');
  });

  it('shows the override form again with the message at the rationale, the choice kept', async () => {
    const overrides = () =>
      h.ctx.database.db.selectFrom('assessment_overrides').select('id').execute();
    const before = (await overrides()).length;
    const res = await postForm(
      `${url}/overrides`,
      [
        ['decision', 'subjects'],
        ['notify', 'yes'],
        ['publicCommunication', 'on'],
        ['rationale', 'te kort'],
      ],
      abe,
    );
    expect(res.statusCode).toBe(422);
    const body = flat(res.body);
    expect(body).toContain('id="override-subjects-rationale-error">Minstens 20 tekens.');
    expect(body).toMatch(
      /id="override-subjects-rationale"[^>]*aria-invalid="true"[^>]*>\s?te kort</,
    );
    expect(body).toMatch(/name="notify" value="yes" checked/);
    expect(body).toMatch(/name="publicCommunication" value="on" checked/);
    // Only the form that was sent shows the message.
    expect(body).not.toContain('override-authority-rationale-error');
    const noChoice = await postForm(
      `${url}/overrides`,
      [
        ['decision', 'authority'],
        ['rationale', 'Een reden die lang genoeg is om te tellen.'],
      ],
      abe,
    );
    expect(noChoice.statusCode).toBe(422);
    expect(flat(noChoice.body)).toContain(
      'id="override-authority-notify-error">Kies een van de mogelijkheden.',
    );
    expect((await overrides()).length).toBe(before);
  });

  it('posts every field of the facts schema', () => {
    expect(FORM_FIELD_PATHS).toHaveLength(40);
    expect(FORM_FIELD_PATHS.slice(0, 4)).toEqual([
      'incidentKind',
      'personalData',
      'dataCategories',
      'dataSubjects',
    ]);
  });
});

describe('renderCaseClocks', () => {
  const session = { locale: 'en' as const, timeZone: 'Europe/Amsterdam' };
  const now = new Date('2026-11-28T15:00:00Z');
  const clocks = legalClocks(
    '2026-11-27T03:00:00Z',
    {
      personalData: true,
      authority: { notify: true, source: 'advice', rationale: null },
      subjects: { notify: false, publicCommunication: false, source: 'advice', rationale: null },
      nis2: { significant: true, source: 'advice', rationale: null },
    },
    [{ kind: 'nis2-early-warning', submittedAt: '2026-11-28T05:00:00Z' }],
    now,
  );

  it('renders a compact line per clock for the dashboard', () => {
    const out = flat(String(renderCaseClocks(session, clocks, { compact: true })));
    expect(out.match(/<li class="legal-clock /g)).toHaveLength(4);
    expect(out).toContain('GDPR notification to the supervisory authority');
    expect(out).toContain('1 d 12 h left');
    expect(out).toContain('<li class="legal-clock legal-clock-done">');
    expect(out).not.toContain('(GDPR Art. 33(1))');
  });

  it('renders the full form with article, due time and late submission', () => {
    const out = flat(String(renderCaseClocks(session, clocks)));
    expect(out).toContain('(GDPR Art. 33(1))');
    expect(out).toContain('submitted late: a reason for the delay is required');
    expect(out).toMatch(/due 30 Nov 2026, 04:00 CET/);
  });

  it('renders nothing compact, and a note in full, without clocks', () => {
    expect(String(renderCaseClocks(session, [], { compact: true }))).toBe('');
    expect(String(renderCaseClocks(session, []))).toContain('No legal clock is running.');
  });
});
