import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/lib/secrets.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import { runCandor } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';

/** `candor tokens create --expires`, `tokens list [USER]`, `tokens revoke ID`. */
describe.each(DIALECTS)('candor tokens on %s', { timeout: 180_000 }, (dialect) => {
  let h: WorkspaceHarness;
  let dir: string;

  const candor = (args: string[]) =>
    runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(h.databaseConfig) });
  const me = (token: string) =>
    h.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-tokens-cli-'));
    h = await createHarness(dialect);
    await h.addUser('ivo', ['responder']);
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a token with an expiry, lists it without the secret, and revokes it', async () => {
    const created = await candor([
      'tokens',
      'create',
      'ivo',
      '--label',
      'deploy',
      '--expires',
      '90d',
    ]);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^cnd_/);
    expect((await me(token)).statusCode).toBe(200);
    const row = await h.ctx.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirstOrThrow();
    expect(Date.parse(row.expires_at!) - Date.parse(row.created_at)).toBe(90 * 86_400_000);

    const listed = await candor(['tokens', 'list', 'ivo']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${row.id}\tivo\tdeploy\t${token.slice(0, 12)}\t`);
    expect(listed.stdout).toContain('\tactive');
    expect(listed.stdout).not.toContain(token);
    const all = await candor(['tokens', 'list', '--json']);
    expect(JSON.parse(all.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: Number(row.id), username: 'ivo' })]),
    );

    const revoked = await candor(['tokens', 'revoke', String(row.id)]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked token ${row.id}`);
    expect((await me(token)).statusCode).toBe(401);
    const after = await h.ctx.database.db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after.revoked_at).not.toBeNull();
    const audit = await h.ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'token.revoke')
      .executeTakeFirstOrThrow();
    expect(readJson(audit.details, jsonObject)).toMatchObject({
      tokenId: Number(row.id),
      label: 'deploy',
    });
  });

  it('names a bad expiry and an unknown token', async () => {
    const bad = await candor(['tokens', 'create', 'ivo', '--expires', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--expires must be a number of days');
    const unknown = await candor(['tokens', 'revoke', '99999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no token 99999');
  });
});
