import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { findBuiltinTemplate } from '../../src/domain/notices/builtin-templates.js';
import { TemplateLimitError } from '../../src/domain/notices/render-limits.js';
import { renderPublicText } from '../../src/services/publication/public-text.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  flat,
  startWorkspace,
  type WorkspaceClient,
  type WorkspaceFixture,
} from '../workspace-cases/case-workspace-app.js';

// Issue 11, item 3: what a communicator can write must not stall the server.
const NESTED_LOOP = '{% for a in (1..1000) %}{% for b in (1..1000) %}x{% endfor %}{% endfor %}';
const APPEND_BOMB =
  '{% assign s = "xxxxxxxxxx" %}{% for i in (1..22) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}';

const NL = findBuiltinTemplate('incident', 'nl');
const EN = findBuiltinTemplate('incident', 'en');

describe.each(DIALECTS)('template render limits on %s', (dialect) => {
  let w: WorkspaceFixture;
  let c: Record<string, WorkspaceClient>;
  let reference: string;
  let base: string;
  let noticeId: number;
  let bearer: string;

  beforeAll(async () => {
    w = await startWorkspace(dialect);
    c = w.clients;
    reference = await createCaseVia(c.rita!);
    base = `/app/cases/${reference}/notices`;
    const list = await c.rita!.upload(`/app/cases/${reference}/affected/upload`, {
      name: 'list.csv',
      content: 'external_id,domains\nK-1,bakkerij.nl\nK-2,smith.example\n',
    });
    expect(list.status).toBe(200);
    const created = await c.cor!.post(base, {});
    noticeId = Number(/notice=(\d+)/.exec(created.location!)![1]);
    bearer = `Bearer ${(await createApiToken(systemActor('test'), 'cor', { label: 't' }, w.ctx.deps)).token}`;
  });
  afterAll(() => w.close());

  function api(method: 'POST' | 'PATCH' | 'GET', url: string, payload?: object) {
    return w.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: bearer },
      payload,
    });
  }

  it.each([
    ['a nested loop', NESTED_LOOP, /render time limit/],
    ['an append bomb', APPEND_BOMB, /memory limit of 1,000,000 units/],
  ])('refuses %s at save over the API, naming the field and the limit', async (_n, bomb, limit) => {
    const create = await api('POST', `/cases/${reference}/notices`, {
      texts: { nl: NL, en: { subject: EN.subject, body: `${EN.body}\n\n${bomb}` } },
    });
    expect(create.statusCode).toBe(422);
    const problem = create.json<{ errors: { field: string; message: string }[] }>();
    expect(problem.errors.map((e) => e.field)).toEqual(['en.body']);
    expect(problem.errors[0]!.message).toMatch(limit);
    const patch = await api('PATCH', `/notices/${noticeId}`, {
      texts: { nl: { subject: bomb, body: NL.body }, en: EN },
    });
    expect(patch.statusCode).toBe(422);
    expect(patch.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'nl.subject',
    ]);
    // Nothing was stored: the notice still has its template text.
    const stored = await api('GET', `/notices/${noticeId}`);
    expect(stored.json<{ texts: { nl: { subject: string } } }>().texts.nl.subject).toBe(
      NL.subject.trim(),
    );
  });

  it.each([
    ['a nested loop', NESTED_LOOP, /tijdslimiet/],
    ['an append bomb', APPEND_BOMB, /geheugenlimiet/],
  ])('refuses %s at save in the workspace, next to the field', async (_n, bomb, limit) => {
    const res = await c.cor!.post(`${base}/${noticeId}`, {
      'nl.format': 'liquid',
      'nl.subject': NL.subject,
      'nl.body': `${NL.body}\n\n${bomb}`,
      'en.format': 'liquid',
      'en.subject': EN.subject,
      'en.body': EN.body,
      lang: 'nl',
    });
    expect(res.status).toBe(400);
    const error = /id="notice-nl\.body-error">([^<]*)</.exec(flat(res.body))?.[1] ?? '';
    expect(error).toMatch(limit);
    expect(error).toMatch(/limit/);
  });

  it('previews a bad template already in the database fast and with the reason, while /healthz keeps answering', async () => {
    await w.ctx.database.db
      .updateTable('notice_texts')
      // 3,000 × 3,000: unbounded, this preview held the event loop for ~9 s here.
      .set({ body: `${EN.body}\n\n${NESTED_LOOP.replaceAll('1000', '3000')}` })
      .where('notice_id', '=', noticeId)
      .where('language', '=', 'en')
      .execute();
    const started = performance.now();
    const shown = c.cor!.get(`${base}/${noticeId}/preview.html?lang=en&sample=K-2`);
    let shownDone = false;
    void shown.finally(() => (shownDone = true));
    const latencies: number[] = [];
    while (!shownDone) {
      const t = performance.now();
      const health = await w.app.inject({ url: '/healthz' });
      expect(health.statusCode).toBe(200);
      latencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const page = await shown;
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/the template takes longer than 200 ms to render/);
    expect(latencies.length).toBeGreaterThan(0);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    console.log(
      `preview ${Math.round(performance.now() - started)} ms; /healthz max ${Math.round(Math.max(...latencies))} ms over ${latencies.length}`,
    );
  });

  it('fails the approval check of such a template, naming the limit', async () => {
    const check = await api('GET', `/notices/${noticeId}/check`);
    expect(check.statusCode).toBe(200);
    const result = check.json<{ ok: boolean; errors: string[] }>();
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual(expect.stringMatching(/^en\.body: .*render time limit/));
  });
});

describe('the public text of a snapshot over the render limits', () => {
  it('is refused with the limit named, not rendered', () => {
    const snapshot = {
      audience: 'public',
      defaultLanguage: 'en' as const,
      texts: { en: { subject: 'Security notice', body: `Hello.\n\n${APPEND_BOMB}` } },
      values: { en: {} },
    };
    const started = performance.now();
    expect(() => renderPublicText(snapshot, 'en', 'https://example.test/security')).toThrow(
      TemplateLimitError,
    );
    expect(() => renderPublicText(snapshot, 'en', 'https://example.test/security')).toThrow(
      /memory limit/,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
