import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(DIALECTS)('NUL characters refused at the edge on %s', (dialect) => {
  let h: WorkspaceHarness;
  let bearer: string;

  beforeAll(async () => {
    h = await createHarness(dialect);
    await h.addUser('ada', ['admin']);
    const { token } = await createApiToken(
      systemActor('test'),
      'ada',
      { label: 'test' },
      h.ctx.deps,
    );
    bearer = `Bearer ${token}`;
  });
  afterAll(() => h.close());

  const sessions = () => h.ctx.database.db.selectFrom('workspace_sessions').selectAll().execute();

  it('answers the unauthenticated login with 400 naming the field, and creates no session', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      payload: new URLSearchParams({ username: 'ada\u0000', password: 'x' }).toString(),
      headers: FORM,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('body.username');
    expect(await sessions()).toEqual([]);
  });

  it('answers an API body with 400 naming the field, and stores nothing', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { authorization: bearer },
      payload: { kind: 'incident', title: 'Leak\u0000 of data' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 400,
      errors: [{ field: 'body.title', message: 'must not contain a NUL character' }],
    });
    const list = await h.app.inject({ url: '/api/v1/cases', headers: { authorization: bearer } });
    expect(list.statusCode).toBe(200);
    expect(JSON.stringify(list.json())).not.toContain('Leak');
  });

  it('answers a NUL in the query string or a nested value with 400 naming where', async () => {
    const query = await h.app.inject({
      url: '/api/v1/customers?q=a%00b',
      headers: { authorization: bearer },
    });
    expect(query.statusCode).toBe(400);
    expect(query.json()).toMatchObject({ errors: [{ field: 'querystring.q' }] });
    const nested = await h.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { authorization: bearer },
      payload: { kind: 'incident', title: 'Fine', statements: { what: { en: 'x\u0000' } } },
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json()).toMatchObject({ errors: [{ field: 'body.statements.what.en' }] });
  });
});
