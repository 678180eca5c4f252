import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounceCustomers } from '../bounces/bounce-context.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

const customers = [
  ...bounceCustomers('WS', 2),
  {
    external_id: 'WS-en',
    email: 'ws-en@customer.example',
    name: 'English Customer',
    language: 'en' as const,
    impact: { data: 'name' },
  },
];

describe.each(DIALECTS)('remedies tab in the workspace on %s', (dialect) => {
  let h: WorkspaceHarness;
  let recall: RecallCase;
  let cor: string;
  let vera: string;
  const tab = () => `/app/cases/${recall.reference}/remedies`;
  const remedies = () =>
    h.ctx.database.db
      .selectFrom('remedies')
      .select(['key', 'retired_at'])
      .where('case_id', '=', recall.caseId)
      .orderBy('position')
      .execute();

  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.addUser('cor', ['communicator']);
    await h.addUser('vera', ['viewer']);
    cor = await h.login('cor');
    vera = await h.login('vera');
    recall = await createRecallCase(h.ctx, customers);
  });
  afterAll(async () => {
    await h.close();
  });

  it('adds a remedy through the form and lists it with its rule and counts', async () => {
    const empty = await h.get(tab(), cor);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toMatch(
      /<a\s+href="[^"]+\/remedies"\s+aria-current="page"\s*>Herstelacties<\/a/,
    );
    expect(empty.body).toContain('Nog geen herstelacties.');
    const csrf = await h.csrfOf(cor, tab());
    const res = await h.post(
      tab(),
      {
        key: 'update-plugin',
        completion: 'both',
        'texts.nl.title': 'Werk de <plug-in> bij',
        'texts.nl.instructions': 'Klik **Bijwerken**.',
        'texts.en.title': 'Update the plugin',
        'texts.en.instructions': 'Click **Update**.',
      },
      cor,
      csrf,
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(tab());
    expect(await remedies()).toEqual([{ key: 'update-plugin', retired_at: null }]);
    const flashCookie = res.cookies.find((c) => c.name === 'candor_flash')!;
    const list = await h.get(tab(), `${cor}; candor_flash=${flashCookie.value}`);
    expect(list.body).toContain('Herstelactie update-plugin toegevoegd.');
    expect(list.body).toContain('nl: Werk de &lt;plug-in&gt; bij');
    expect(list.body).toContain('en: Update the plugin');
    expect(list.body).toContain('klant én wij het bevestigen');
    expect(list.body).toContain(`0 van ${customers.length}`);

    // Edit the English title, then retire and restore.
    const edit = await h.post(
      `${tab()}/update-plugin`,
      {
        'texts.nl.title': 'Werk de plug-in bij',
        'texts.nl.instructions': 'Klik.',
        'texts.en.title': 'Update the plug-in now',
        'texts.en.instructions': 'Click.',
      },
      cor,
      csrf,
    );
    expect(edit.statusCode).toBe(303);
    expect((await h.get(tab(), cor)).body).toContain('en: Update the plug-in now');
    const retire = await h.post(`${tab()}/update-plugin/retired`, { retired: 'true' }, cor, csrf);
    expect(retire.statusCode).toBe(303);
    expect((await remedies())[0]!.retired_at).not.toBeNull();
    const retired = await h.get(tab(), cor);
    expect(retired.body).toContain('vervallen');
    expect(retired.body).toContain('Terugzetten');
    await h.post(`${tab()}/update-plugin/retired`, { retired: 'false' }, cor, csrf);
    expect((await remedies())[0]!.retired_at).toBeNull();
  });

  it('shows a missing English title next to its field and keeps the typed values', async () => {
    const res = await h.post(
      tab(),
      {
        key: 'rotate-key',
        completion: 'customer',
        'texts.nl.title': 'Vervang uw sleutel',
        'texts.nl.instructions': '',
        'texts.en.title': '',
        'texts.en.instructions': '',
      },
      cor,
    );
    expect(res.statusCode).toBe(422);
    const field = /<input\s+id="remedy-new-texts\.en\.title"[\s\S]*?<\/div>/.exec(res.body)?.[0];
    expect(field).toBeDefined();
    expect(field).toContain('aria-invalid="true"');
    expect(field).toContain('id="remedy-new-texts.en.title-error"');
    expect(field).toContain('dus de herstelactie heeft ook daarin een titel nodig.');
    expect(res.body).toContain('value="Vervang uw sleutel"');
    expect(res.body).toContain('href="#remedy-new-texts.en.title"');
    expect((await remedies()).map((r) => r.key)).toEqual(['update-plugin']);

    // Instructions without a title: the message in the user's language, at the same field.
    const untitled = await h.post(
      tab(),
      {
        key: 'rotate-key',
        completion: 'customer',
        'texts.nl.title': 'Vervang uw sleutel',
        'texts.en.title': ' ',
        'texts.en.instructions': 'Rotate it.',
      },
      cor,
    );
    expect(untitled.statusCode).toBe(422);
    expect(untitled.body).toMatch(
      /id="remedy-new-texts\.en\.title-error"\s*>\s*Vul een titel in\./,
    );

    const badKey = await h.post(
      tab(),
      { key: 'Bad Key!', completion: 'customer', 'texts.nl.title': 'x', 'texts.en.title': 'x' },
      cor,
    );
    expect(badKey.statusCode).toBe(422);
    expect(badKey.body).toMatch(/id="remedy-new-key-error"\s*>\s*Een sleutel bestaat uit/);

    // Too long a title: zod's limit, said in Dutch at the field (was "Too big: …").
    const long = await h.post(
      tab(),
      {
        key: 'rotate-key',
        completion: 'customer',
        'texts.nl.title': 'x'.repeat(201),
        'texts.en.title': 'Rotate your key',
      },
      cor,
    );
    expect(long.statusCode).toBe(422);
    expect(long.body).toMatch(
      /id="remedy-new-texts\.nl\.title-error"\s*>\s*Hoogstens 200 tekens\./,
    );
    expect(long.body).not.toContain('Too big');
  });

  it('shows a viewer the list without forms and refuses a forged POST', async () => {
    const res = await h.get(tab(), vera);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('update-plugin');
    expect(res.body).not.toContain(`action="${tab()}`);
    expect(res.body).not.toContain('Herstelactie toevoegen');
    // The viewer's own session and CSRF token: authorized by permission, not by the form.
    const csrf = await h.csrfOf(vera, tab());
    const forged = await h.post(
      tab(),
      { key: 'forged', completion: 'customer', 'texts.nl.title': 'x', 'texts.en.title': 'x' },
      vera,
      csrf,
    );
    expect(forged.statusCode).toBe(403);
    const retire = await h.post(`${tab()}/update-plugin/retired`, { retired: 'true' }, vera, csrf);
    expect(retire.statusCode).toBe(403);
    // A manager's session without the CSRF token is refused too.
    const noCsrf = await h.post(
      tab(),
      { key: 'no-token', completion: 'customer', 'texts.nl.title': 'x', 'texts.en.title': 'x' },
      cor,
      null,
    );
    expect(noCsrf.statusCode).toBe(403);
    expect(await remedies()).toEqual([{ key: 'update-plugin', retired_at: null }]);
  });

  it('speaks English to an English session', async () => {
    const saved = await h.post(
      '/app/account/preferences',
      { language: 'en', timeZone: 'Europe/Amsterdam' },
      cor,
    );
    expect(saved.statusCode).toBe(303);
    const page = await h.get(tab(), cor);
    expect(page.body).toMatch(/aria-current="page"\s*>Remedies<\/a/);
    expect(page.body).toContain('Add a remedy');
    expect(page.body).toContain('customer and we confirm');
  });
});
