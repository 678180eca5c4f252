import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAtStep, totpStep } from '../../src/domain/totp.js';
import {
  enrolment,
  hasTotp,
  verifyCode,
  type TotpDeps,
} from '../../src/services/access/totp.service.js';
import { runCandor } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from './workspace-support.js';

describe.each(DIALECTS)('candor users totp-reset on %s', { timeout: 60_000 }, (dialect) => {
  let h: WorkspaceHarness;
  let deps: TotpDeps;
  let dir: string;
  let userId: number;

  const candor = (args: string[]) =>
    runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(h.databaseConfig) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-totp-cli-'));
    h = await createHarness(dialect);
    deps = { database: h.ctx.database, secret: h.ctx.deps.secret };
    userId = await h.addUser('root', ['admin']);
    const e = (await enrolment(deps, { id: userId, username: 'root' }, 'Candor'))!;
    const code = totpCodeAtStep(e.secret, totpStep(Date.now()));
    expect(
      await verifyCode(deps, { id: userId, username: 'root' }, code, '127.0.0.1', 'confirm'),
    ).toEqual({ ok: true });
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('removes the second factor, and says so', async () => {
    expect(await hasTotp(deps, userId)).toBe(true);
    const run = await candor(['users', 'totp-reset', 'root']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Removed the second factor of root');
    expect(await hasTotp(deps, userId)).toBe(false);
  });

  it('names an unknown user', async () => {
    const run = await candor(['users', 'totp-reset', 'nobody']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no user named "nobody"');
  });
});
