import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { SESSION_COOKIE } from '../../src/http/workspace/workspace-hook.js';
import { verifyEvidenceBundle } from '../../src/services/reports/evidence-bundle-verify.service.js';
import { listAudit } from '../../src/services/access/audit.service.js';
import { createSession } from '../../src/services/access/session.service.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import {
  createCaseVia,
  startWorkspace,
  type WorkspaceFixture,
} from '../workspace-cases/case-workspace-app.js';

/** "Download evidence bundle" on the case overview: for roles that may read the audit log. */
describe.each(DIALECTS)('evidence bundle download in the workspace on %s', (dialect) => {
  let w: WorkspaceFixture;
  let dir: string;
  beforeAll(async () => {
    w = await startWorkspace(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-evidence-ws-'));
  });
  afterAll(async () => {
    await w.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers the bundle to an approver, and it verifies', async () => {
    const reference = await createCaseVia(w.clients.rita!);
    const link = `href="/app/cases/${reference}/evidence-bundle.zip"`;
    expect((await w.clients.anna!.get(`/app/cases/${reference}`)).body).toContain(link);
    expect((await w.clients.nina!.get(`/app/cases/${reference}`)).body).toContain(
      'Bewijsdossier downloaden',
    );
    // The link is on the page only for roles that may read the audit log; the URL refuses the rest.
    for (const name of ['vera', 'cor']) {
      expect((await w.clients[name]!.get(`/app/cases/${reference}`)).body).not.toContain(link);
      const refused = await w.clients[name]!.get(`/app/cases/${reference}/evidence-bundle.zip`);
      expect(refused.status).toBe(403);
    }

    // Raw bytes: a session of a fresh approver, as the login makes it.
    const { user } = await createUser(
      systemActor('test'),
      { username: 'edda', roles: ['approver'], password: 'correct horse battery staple' },
      w.ctx.deps,
    );
    const token = await createSession(
      { database: w.ctx.database, workspace: w.ctx.config.workspace },
      user.id,
      'full',
      { ip: '127.0.0.1', userAgent: 'test' },
    );
    const res = await w.app.inject({
      method: 'GET',
      url: `/app/cases/${reference}/evidence-bundle.zip`,
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${reference}-evidence.zip"`,
    );
    const sha = String(res.headers['x-candor-manifest-sha256']);
    const file = path.join(dir, 'download.zip');
    fs.writeFileSync(file, res.rawPayload);
    const verification = await verifyEvidenceBundle(file, { manifestSha256: sha });
    expect(verification.findings).toEqual([]);
    expect(verification.manifest?.exportedBy).toBe('edda');

    const [latest] = await listAudit(systemActor(), w.ctx.database, { limit: 1 });
    expect(latest).toMatchObject({
      action: 'case.evidence_export',
      actor: 'edda',
      details: { reference, manifestSha256: sha },
    });

    const unknown = await w.app.inject({
      method: 'GET',
      url: '/app/cases/INC-1999-9999/evidence-bundle.zip',
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    });
    expect(unknown.statusCode).toBe(404);

    // The API answers the same bundle to a token of an audit reader, and refuses a viewer's.
    const { token: apiToken } = await createApiToken(
      systemActor('test'),
      'edda',
      { label: 'audit' },
      w.ctx.deps,
    );
    const api = await w.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${reference}/evidence-bundle`,
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(api.statusCode).toBe(200);
    const apiFile = path.join(dir, 'api.zip');
    fs.writeFileSync(apiFile, api.rawPayload);
    const apiCheck = await verifyEvidenceBundle(apiFile, {
      manifestSha256: String(api.headers['x-candor-manifest-sha256']),
    });
    expect(apiCheck.findings).toEqual([]);
    const { token: viewerToken } = await createApiToken(
      systemActor('test'),
      'vera',
      { label: 'read' },
      w.ctx.deps,
    );
    const refused = await w.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${reference}/evidence-bundle`,
      headers: { authorization: `Bearer ${viewerToken}` },
    });
    expect(refused.statusCode).toBe(403);
  });
});
