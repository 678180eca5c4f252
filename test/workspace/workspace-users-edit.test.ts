import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJson, stringListJson } from '../../src/store/executor.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from './workspace-support.js';

/** Editing an existing user on the users screen: name, email, roles; no self-lockout. */
describe.each(DIALECTS)('editing users on %s', (dialect) => {
  let h: WorkspaceHarness;
  let admin: string;
  let bossId: number;
  let petraId: number;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    bossId = await h.addUser('boss', ['admin']);
    petraId = await h.addUser('petra', ['viewer']);
    admin = await h.login('boss');
  });
  afterAll(() => h.close());

  const userRow = (id: number) =>
    h.ctx.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('shows the form with the stored values and saves name, email and roles, audited', async () => {
    const petra = await h.login('petra');
    expect((await h.get('/app/customers/import', petra)).statusCode).toBe(403); // viewer
    const list = await h.get('/app/users', admin);
    expect(list.body).toContain('href="/app/users/petra/edit"');
    const form = await h.get('/app/users/petra/edit', admin);
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/name="roles"\s+value="viewer"\s+checked/);
    expect(form.body).not.toMatch(/name="roles"\s+value="responder"\s+checked/);

    const saved = await h.post(
      '/app/users/petra/edit',
      {
        displayName: 'Petra <b>Pieters</b>',
        email: 'petra@example.com',
        roles: 'responder',
      },
      admin,
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/app/users');
    const row = await userRow(petraId);
    expect(row.display_name).toBe('Petra <b>Pieters</b>');
    expect(row.email).toBe('petra@example.com');
    expect(readJson(row.roles, stringListJson)).toEqual(['responder']);
    // The new role applies to her running session at once.
    expect((await h.get('/app/customers/import', petra)).statusCode).toBe(200);
    const flashCookie = saved.cookies.find((c) => c.name === 'candor_flash')!;
    const page = await h.get('/app/users', `${admin}; candor_flash=${flashCookie.value}`);
    expect(page.body).toContain('Gebruiker opgeslagen.');
    expect(page.body).toContain('Petra &lt;b&gt;Pieters&lt;/b&gt;'); // escaped, not markup
    const audit = await h.ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.update')
      .execute();
    expect(audit).toHaveLength(1);
    const details = readJson(
      audit[0]!.details,
      z.object({ changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })) }),
    );
    expect(details.changes.roles).toEqual({ from: ['viewer'], to: ['responder'] });
    expect(details.changes.email).toEqual({ from: null, to: 'petra@example.com' });
    expect(details.changes.displayName?.to).toBe('Petra <b>Pieters</b>');
    // Saving the same values again records nothing.
    const body = new URLSearchParams({
      displayName: 'Petra <b>Pieters</b>',
      email: 'petra@example.com',
    });
    body.append('roles', 'responder');
    expect(
      (await h.post('/app/users/petra/edit', Object.fromEntries(body), admin)).statusCode,
    ).toBe(303);
    const again = await h.ctx.database.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'user.update')
      .execute();
    expect(again).toHaveLength(1);
  });

  it('keeps several roles and clears the email when left empty', async () => {
    const token = await h.csrfOf(admin);
    const body = new URLSearchParams({ displayName: 'Petra', email: '', _csrf: token });
    body.append('roles', 'approver');
    body.append('roles', 'communicator');
    const response = await h.app.inject({
      method: 'POST',
      url: '/app/users/petra/edit',
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin },
    });
    expect(response.statusCode).toBe(303);
    const row = await userRow(petraId);
    expect(readJson(row.roles, stringListJson)).toEqual(['communicator', 'approver']);
    expect(row.email).toBeNull();
  });

  it('shows the form again naming the field when a value is wrong, and saves nothing', async () => {
    const noRole = await h.post('/app/users/petra/edit', { displayName: 'X', email: '' }, admin);
    expect(noRole.statusCode).toBe(422);
    expect(noRole.body).toContain('id="edit-user-errors"');
    expect(noRole.body).toContain('roles: choose at least one role');
    expect(noRole.body).toContain('value="X"'); // what was typed stays in the form
    const badMail = await h.post(
      '/app/users/petra/edit',
      { displayName: 'Petra', email: 'not-a-mail', roles: 'viewer' },
      admin,
    );
    expect(badMail.statusCode).toBe(422);
    expect(badMail.body).toContain('email: must be an email address');
    const noName = await h.post(
      '/app/users/petra/edit',
      { displayName: '   ', email: '', roles: 'viewer' },
      admin,
    );
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('displayName: must not be empty');
    const unknownRole = await h.post(
      '/app/users/petra/edit',
      { displayName: 'Petra', email: '', roles: 'god' },
      admin,
    );
    expect(unknownRole.statusCode).toBe(422);
    expect(unknownRole.body).toMatch(/roles\.0: /);
    const row = await userRow(petraId);
    expect(readJson(row.roles, stringListJson)).toEqual(['communicator', 'approver']);
    expect(row.display_name).toBe('Petra');
  });

  it('refuses an admin removing their own admin role or disabling themselves', async () => {
    const form = await h.get('/app/users/boss/edit', admin);
    expect(form.body).toContain('id="edit-roles-hint"');
    const own = await h.post(
      '/app/users/boss/edit',
      { displayName: 'Boss', email: '', roles: 'viewer' },
      admin,
    );
    expect(own.statusCode).toBe(422);
    expect(own.body).toContain('you cannot remove your own admin role');
    expect(readJson((await userRow(bossId)).roles, stringListJson)).toEqual(['admin']);
    // Adding a role to oneself, keeping admin, is fine.
    const token = await h.csrfOf(admin);
    const body = new URLSearchParams({ displayName: 'Boss', email: '', _csrf: token });
    body.append('roles', 'admin');
    body.append('roles', 'viewer');
    const more = await h.app.inject({
      method: 'POST',
      url: '/app/users/boss/edit',
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin },
    });
    expect(more.statusCode).toBe(303);
    expect(readJson((await userRow(bossId)).roles, stringListJson)).toEqual(['admin', 'viewer']);
    const disable = await h.post('/app/users/boss/disable', {}, admin);
    expect(disable.statusCode).toBe(409);
    expect((await userRow(bossId)).disabled_at).toBeNull();
    expect((await h.get('/app/users', admin)).statusCode).toBe(200); // still in
  });

  it('allows only admins, with the CSRF token, on existing users', async () => {
    const petra = await h.login('petra'); // communicator and approver now
    expect((await h.get('/app/users/boss/edit', petra)).statusCode).toBe(403);
    const forged = await h.post(
      '/app/users/boss/edit',
      { displayName: 'Mallory', email: '', roles: 'viewer' },
      petra,
    );
    expect(forged.statusCode).toBe(403);
    const noToken = await h.post(
      '/app/users/petra/edit',
      { displayName: 'P', email: '', roles: 'admin' },
      admin,
      null,
    );
    expect(noToken.statusCode).toBe(403);
    expect(readJson((await userRow(petraId)).roles, stringListJson)).toEqual([
      'communicator',
      'approver',
    ]);
    expect((await h.get('/app/users/nobody/edit', admin)).statusCode).toBe(404);
    expect(
      (
        await h.post(
          '/app/users/nobody/edit',
          { displayName: 'N', email: '', roles: 'viewer' },
          admin,
        )
      ).statusCode,
    ).toBe(404);
  });
});
