import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPostureContent } from '../../src/demo/demo-posture.js';
import { systemActor } from '../../src/domain/access.js';
import {
  approvePostureDraft,
  postureDraft,
  publishPostureDraft,
} from '../../src/services/publication/posture.service.js';
import { createUser } from '../../src/services/access/user.service.js';
import { createTestContext } from '../support/app-context.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';

/** `candor posture …` as an operator runs it, on both engines. */
describe.each(DIALECTS)('candor posture on %s', { timeout: 180_000 }, (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;
  const candor = (args: string[]): Promise<CandorRun> =>
    runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(ctx.testDb.config) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-posture-'));
    ctx = await createTestContext(dialect);
    await createUser(
      systemActor('test'),
      { username: 'abe', roles: ['approver'], password: 'correct horse battery' },
      ctx.deps,
    );
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says clearly when nothing is published', async () => {
    const run = await candor(['posture', 'show']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no posture statement is published yet');
  });

  it('writes a draft from a file; shows and exports what is published', async () => {
    const file = path.join(dir, 'posture.json');
    fs.writeFileSync(file, JSON.stringify(demoPostureContent(new Date())));
    const draft = await candor(['posture', 'draft', file]);
    expect(draft.stderr).toBe('');
    expect(draft.stdout).toContain('draft saved (draft)');
    expect((await postureDraft(systemActor('test'), ctx.deps)).authors).toEqual(['system:cli']);
    const abe = {
      kind: 'user',
      userId: null,
      name: 'abe',
      roles: ['approver'],
      source: 'test',
    } as const;
    await approvePostureDraft(abe, {}, ctx.deps);
    await publishPostureDraft(systemActor('test'), ctx.deps);

    const show = await candor(['posture', 'show', '--lang', 'en']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('posture statement version 1');
    expect(show.stdout).toMatch(/NIS2 Art\. 21\(2\)\(e\)\s+in-place\s+EXPIRED/);
    expect(show.stdout).toContain('customers-24h (customer-notice within 24 h)');

    const out = path.join(dir, 'export.json');
    expect((await candor(['posture', 'export', '--out', out])).code).toBe(0);
    const schema = await candor(['posture', 'export', '--schema']);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(schema.stdout) as object);
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { version: number };
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.version).toBe(1);
    const bad = await candor(['posture', 'show', '--version', 'two']);
    expect(bad.code).toBe(2);
  });
});
