import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPublicationSettings } from '../../src/services/publication/disclosure.service.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from './workspace-support.js';

describe.each(DIALECTS)('disclosure settings page on %s', (dialect) => {
  let h: WorkspaceHarness;
  let admin: string;
  let writer: string;
  beforeAll(async () => {
    h = await createHarness(dialect, { requireTotpForAdmins: false });
    await h.addUser('boss', ['admin']);
    await h.addUser('joost', ['communicator']);
    admin = await h.login('boss');
    writer = await h.login('joost');
  });
  afterAll(() => h.close());

  it('is linked from the settings page and shows the defaults', async () => {
    expect((await h.get('/app/settings', admin)).body).toContain('href="/app/settings/disclosure"');
    const page = await h.get('/app/settings/disclosure', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Klantkenmerken met namen van servers');
    expect(page.body).toMatch(/name="infrastructureAttributeKeys"[^>]*>\s*server\nservers\nhost/);
    expect((await h.get('/app/settings/disclosure', writer)).statusCode).toBe(403);
  });

  it('names the wrong line, keeps what was typed, and saves a valid form', async () => {
    const form = {
      internalDomains: 'corp.example.com',
      infrastructureAttributeKeys: 'Server\nRack',
      internalNames: 'db-cluster-2\n<b>7</b>',
      readabilityThreshold: '40',
    };
    const bad = await h.post('/app/settings/disclosure', form, admin);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('id="disclosure-internalNames-error"');
    expect(bad.body).toContain(
      '&#39;&lt;b&gt;7&lt;/b&gt;&#39;: must start and end with a letter or digit',
    );
    expect(bad.body).toContain('db-cluster-2\n&lt;b&gt;7&lt;/b&gt;</textarea');
    const notANumber = await h.post(
      '/app/settings/disclosure',
      { ...form, internalNames: 'db-cluster-2', readabilityThreshold: 'hoog' },
      admin,
    );
    expect(notANumber.statusCode).toBe(422);
    expect(notANumber.body).toContain('Vul een getal in.');

    const ok = await h.post(
      '/app/settings/disclosure',
      { ...form, internalNames: 'db-cluster-2, Project Falcon' },
      admin,
    );
    expect(ok.statusCode).toBe(303);
    expect(await getPublicationSettings(h.ctx.database.db)).toEqual({
      internalDomains: ['corp.example.com'],
      infrastructureAttributeKeys: ['server', 'rack'],
      internalNames: ['db-cluster-2', 'Project Falcon'],
      readabilityThreshold: 40,
    });
    const audit = await h.get('/app/audit?actor=boss&action=settings.', admin);
    expect(audit.body).toContain('<code>settings.update</code>');
  });
});
