import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import type { CompletionOverview } from '../../src/services/remedies/completion.service.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';
import { buildCompletionScenario, type CompletionScenario } from './completion-scenario.js';

describe.each(DIALECTS)('completion tab and API on %s', (dialect) => {
  let h: WorkspaceHarness;
  let s: CompletionScenario;
  let vera: string;
  const tokens: Record<string, string> = {};
  const tab = () => `/app/cases/${s.recall.reference}/completion`;
  const api = (path: string, token: string | undefined) =>
    h.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${s.recall.reference}${path}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  /** External ids in the open list of a page, in order. */
  const openIds = (body: string) => {
    const table = /<table class="completion-open-table">([\s\S]*?)<\/table>/.exec(body);
    return table ? [...table[1]!.matchAll(/class="muted"\s*>(R\d)<\/span/g)].map((m) => m[1]) : [];
  };

  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.addUser('vera', ['viewer']);
    await h.addUser('portal', ['responder']);
    vera = await h.login('vera');
    const admin = systemActor('test');
    tokens.vera = (await createApiToken(admin, 'vera', { label: 't' }, h.ctx.deps)).token;
    tokens.portal = (
      await createApiToken(admin, 'portal', { label: 'p', scope: 'portal' }, h.ctx.deps)
    ).token;
    s = await buildCompletionScenario(h.ctx);
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows the counts, rates, curves and open list to a reader of cases', async () => {
    const res = await h.get(tab(), vera);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('aria-current="page"');
    expect(body).toMatch(/<a\s+href="[^"]+\/completion"\s+aria-current="page"\s*>Afronding<\/a/);
    // Reached 5 of 8, read 4, completed 1 (62,5 %, 50 %, 12,5 %).
    expect(body).toContain('62,5%');
    expect(body).toContain('12,5%');
    expect(body).toContain('Herstelstap: Werk de plug-in bij');
    expect(body).toContain('Herstelstap: Vervallen stap (vervallen)');
    expect(body.match(/<svg/g)!.length).toBeGreaterThanOrEqual(2);
    expect(body).toContain('Afronding per herstelstap');
    expect(openIds(body)).toEqual(['R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']);
    // Formula-looking names are only text here, escaped.
    expect(body).toContain('=HYPERLINK(&quot;http://evil.example&quot;');
    expect(body).toContain(`href="${tab()}/open.csv"`);
  });

  it('filters with the GET form, pages after a cursor, and exports the same filter', async () => {
    const unreached = await h.get(`${tab()}?stage=unreached&remedy=&language=&problem=&q=`, vera);
    expect(openIds(unreached.body)).toEqual(['R3', 'R4', 'R6']);
    expect(unreached.body).toContain(`href="${tab()}/open.csv?stage=unreached"`);
    const after = await h.get(`${tab()}?after=${s.ids.R5}`, vera);
    expect(openIds(after.body)).toEqual(['R6', 'R7', 'R8']);
    expect(after.body).toContain('Eerste pagina');
    const en = await h.get(`${tab()}?language=en&stage=read`, vera);
    expect(openIds(en.body)).toEqual(['R2']);

    const csv = await h.get(`${tab()}/open.csv?problem=no-email`, vera);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`open-${s.recall.reference}.csv`);
    expect(csv.body.trim().split('\n')).toEqual([
      'external_id,name,email,language,reached,delivery_problem,acknowledged_at,open_remedies',
      'R5,Eva Brief,,nl,yes,no-email,2026-10-26T09:00:00.000Z,update-plugin rotate-key',
      'R6,Frank Nowhere,,en,no,no-email,,update-plugin rotate-key',
    ]);
    expect((await h.get(`${tab()}?remedy=nope`, vera)).statusCode).toBe(404);
    expect((await h.get(`${tab()}?stage=bogus`, vera)).statusCode).toBe(400);
  });

  it('keeps the tab from those who are not logged in', async () => {
    const res = await h.get(tab());
    expect(res.statusCode).not.toBe(200);
    expect(res.body).not.toContain('R3');
    expect((await h.get(`${tab()}/open.csv`)).body).not.toContain('R3');
  });

  it('answers the API with counts, rates, per remedy and the curve in a chosen zone', async () => {
    const res = await api('/completion?timeZone=UTC&language=nl', tokens.vera);
    expect(res.statusCode).toBe(200);
    const o = res.json<CompletionOverview>();
    expect(o.figures).toMatchObject({ affected: 8, reached: 5, read: 4, completed: 1 });
    expect(o.figures.rates.readOfReached).toBe(0.8);
    expect(o.remedies[0]).toMatchObject({ key: 'update-plugin', title: 'Werk de plug-in bij' });
    expect(o.curve!.timeZone).toBe('UTC');
    expect(o.curve!.days.slice(0, 3)).toEqual(['2026-10-23', '2026-10-24', '2026-10-25']);
    expect(o.curve!.read.slice(0, 4)).toEqual([2, 3, 3, 4]);
    expect(o.curve!.completed.at(-1)).toBe(1);
    expect(o).not.toHaveProperty('kase');
    const local = (await api('/completion', tokens.vera)).json<CompletionOverview>();
    expect(local.curve!.timeZone).toBe('Europe/Amsterdam');
    expect(local.curve!.read.slice(0, 4)).toEqual([2, 2, 3, 4]);
    expect((await api('/completion?timeZone=Mars/Base', tokens.vera)).statusCode).toBe(400);

    const csv = await api('/completion/open.csv?q=R3', tokens.vera);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\n')[1]).toBe(
      `R3,"'=HYPERLINK(""http://evil.example"",""klik"")",r3@example.nl,nl,no,bounced,,rotate-key`,
    );
  });

  it('refuses tokens without case access, no token, and unknown cases', async () => {
    expect((await api('/completion', tokens.portal)).statusCode).toBe(403);
    expect((await api('/completion/open.csv', tokens.portal)).statusCode).toBe(403);
    expect((await api('/completion', undefined)).statusCode).toBe(401);
    const unknown = await h.app.inject({
      method: 'GET',
      url: '/api/v1/cases/INC-1999-999/completion',
      headers: { authorization: `Bearer ${tokens.vera}` },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
