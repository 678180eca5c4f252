import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';
import { pdfInfo } from './pdf-reader.js';

const withAddress = (n: number) => ({
  street: `Singel ${n}`,
  postal_code: '1015 AA',
  city: 'Amsterdam',
  country: 'NL',
});

describe.each(DIALECTS)('workspace letters on %s', (dialect) => {
  let h: WorkspaceHarness;
  let recall: RecallCase;
  let sanne: string;
  let vera: string;
  const page = () => `/app/cases/${recall.reference}/letters`;

  /** Follows a 303 like a browser: with the flash cookie the redirect set. */
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
        external_id: 'W-1',
        email: null,
        name: 'Wim Brief',
        language: 'nl',
        impact: {},
        attributes: withAddress(1),
      },
      {
        external_id: 'W-2',
        email: null,
        name: 'Wanda Brief',
        language: 'en',
        impact: {},
        attributes: withAddress(2),
      },
      { external_id: 'W-NONE', email: null, name: 'Nergens', language: 'nl', impact: {} },
      {
        external_id: 'W-MAIL',
        email: 'w@example.nl',
        name: 'Per Mail',
        language: 'nl',
        impact: {},
      },
    ]);
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows a viewer who waits for a letter, without the means to print or download', async () => {
    const dispatchTab = await h.get(`/app/cases/${recall.reference}/dispatch`, vera);
    expect(dispatchTab.body).toContain(`href="${page()}"`);
    const res = await h.get(page(), vera);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Klaar om te drukken: 2');
    expect(res.body).toContain('W-NONE');
    expect(res.body).toContain('straat, postcode, plaats');
    expect(res.body).toContain('U mag geen brieven maken');
    expect(res.body).not.toContain('Brieven maken</button>');
    const forced = await h.post(page(), { batch: '1' }, vera);
    expect(forced.statusCode).toBe(403);
  });

  it('makes letters in batches, offers each PDF and manifest, and records the posting', async () => {
    const built = await h.post(page(), { batch: '1' }, sanne);
    expect(built.statusCode).toBe(303);
    const after = await follow(built, sanne);
    expect(after.body).toContain('2 brieven in 2 partijen. 1 zonder postadres.');
    const batches = await h.ctx.database.db
      .selectFrom('letter_batches')
      .selectAll()
      .orderBy('id')
      .execute();
    expect(batches).toHaveLength(2);
    const first = batches[0]!;
    expect(after.body).toContain(`href="${page()}/${first.id}.pdf"`);
    // The heading names the table; its caption is for screen readers, not a second title.
    expect(after.body).toMatch(/<h3>Partijen<\/h3>/);
    expect(after.body).toMatch(/<caption class="visually-hidden">\s*Partijen\s*<\/caption>/);

    const pdf = await h.get(`${page()}/${first.id}.pdf`, sanne);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['cache-control']).toBe('no-store');
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(first.pdf_sha256);
    expect(pdfInfo(pdf.rawPayload).pages).toBe(Number(first.pages));
    // The link in the letter opens the recipient's page, though they never had a mail.
    const w1 = recall.recipients.get('W-1')!;
    expect((await h.get(`/n/${w1.token}`)).statusCode).toBe(200);
    const csv = await h.get(`${page()}/${first.id}.csv`, sanne);
    expect(csv.body.split('\n')[1]).toMatch(/^1,1,\d+,\d+,W-1,/);

    expect((await h.get(`${page()}/${first.id}.pdf`, vera)).statusCode).toBe(403);
    expect(
      (await h.get(`/app/cases/INC-1999-0001/letters/${first.id}.pdf`, sanne)).statusCode,
    ).toBe(404);
    expect((await h.get(`${page()}/x.pdf`, sanne)).statusCode).toBe(400);

    const posted = await h.post(`${page()}/${first.id}/posted`, {}, sanne);
    expect(posted.statusCode).toBe(303);
    expect((await follow(posted, sanne)).body).toContain(`Partij ${first.id}: 1 brieven gepost.`);
    const states = await h.ctx.database.db
      .selectFrom('deliveries')
      .select('state')
      .where('channel', '=', 'letter')
      .orderBy('id')
      .execute();
    expect(states.map((s) => s.state)).toEqual(['posted', 'printed']);
    const audit = await h.ctx.database.db
      .selectFrom('audit_events')
      .select(['actor', 'action'])
      .where('action', '=', 'letters.post')
      .execute();
    expect(audit).toEqual([{ actor: 'sanne', action: 'letters.post' }]);
    expect((await h.post(`${page()}/${first.id}/posted`, {}, vera)).statusCode).toBe(403);
  });
});
