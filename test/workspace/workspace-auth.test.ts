import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { createHarness, PASSWORD, type WorkspaceHarness } from './workspace-support.js';

describe.each(DIALECTS)('workspace login and sessions on %s', (dialect) => {
  let h: WorkspaceHarness;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('lead', ['responder']);
    await h.addUser('viewer', ['viewer']);
  });
  afterAll(() => h.close());

  it('sends a GET without a session to the login page, keeping where it was going', async () => {
    const response = await h.get('/app/customers?q=x');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/app/login?next=%2Fapp%2Fcustomers%3Fq%3Dx');
  });

  it('logs in with the right password and shows the dashboard', async () => {
    const cookie = await h.login('lead');
    const page = await h.get('/app', cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Overzicht</h1>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses a wrong password with a generic message, the same as an unknown user', async () => {
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      payload: `username=lead&password=${encodeURIComponent(`${PASSWORD}x`)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/app/login',
      payload: `username=nobody&password=${encodeURIComponent(PASSWORD)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const message = (body: string) => /role="alert" id="login-error">([^<]*)</.exec(body)?.[1];
    expect(message(wrong.body)).toBe('Gebruikersnaam of wachtwoord klopt niet.');
    expect(message(unknown.body)).toBe(message(wrong.body));
    expect(wrong.cookies.find((c) => c.name === 'candor_session')).toBeUndefined();
  });
});
