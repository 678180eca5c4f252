import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNotice } from '../../src/services/notices/notice.service.js';
import { getStatements } from '../../src/services/cases/statement.service.js';
import { databaseUrl, DIALECTS } from '../support/databases.js';
import { runCandor } from '../support/candor-process.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  type DispatchTestContext,
  type People,
} from '../dispatch/scenario.js';

/** `candor notices approve` shows what is approved — statements in place — and pins its hash. */
describe.each(DIALECTS)('notices approve on the command line on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  let where: { dataDir: string; databaseUrl: string };

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
    where = {
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'candor-cli-')),
      databaseUrl: databaseUrl(ctx.testDb.config),
    };
  });
  afterAll(async () => {
    await ctx?.close();
    fs.rmSync(where.dataDir, { recursive: true, force: true });
  });

  it('prints the resolved content and approves exactly that hash; a stale hash is refused', async () => {
    const s = await buildScenario(ctx, people, { customers: 3, until: 'notice' });
    const before = await getNotice(people.vera, s.noticeId, ctx.deps);

    const stale = await runCandor(
      ['notices', 'approve', String(s.noticeId), '--as', 'fatima', '--hash', 'f'.repeat(64)],
      where,
    );
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toMatch(/changed after you opened it/);
    expect((await getNotice(people.vera, s.noticeId, ctx.deps)).status).toBe('draft');

    const run = await runCandor(
      ['notices', 'approve', String(s.noticeId), '--as', 'fatima'],
      where,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The statements are in place: the approver reads what recipients will read.
    expect(run.stdout).toContain('An attacker copied part of our customer database');
    expect(run.stdout).toContain('Een aanvaller kopieerde een deel van onze klantendatabase');
    expect(run.stdout).not.toContain('{{ statements.what_happened }}');
    expect(run.stdout).toContain(`Approving content ${before.approvalHash}`);
    const after = await getNotice(people.vera, s.noticeId, ctx.deps);
    expect(after.status).toBe('approved');
    expect(after.approvedSnapshotHash).toBe(before.approvalHash);

    const show = await runCandor(['notices', 'show', String(s.noticeId)], where);
    expect(show.stdout).toContain(`Content hash to approve: ${before.approvalHash}`);
  }, 60_000);

  it('opens a case with statements per language; a malformed one is refused, naming the option', async () => {
    const bad = await runCandor(
      ['cases', 'create', '--kind', 'incident', '--title', 'Lek', '--statement', 'what.nl=x'],
      where,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--statement "what\.nl=x": expected KEY\.LANG=TEXT/);
    const good = await runCandor(
      [
        'cases',
        'create',
        '--kind',
        'incident',
        '--title',
        'Lek in het portaal',
        '--statement',
        'what_happened.nl=Een aanvaller kwam binnen.',
        '--statement',
        'what_happened.en=An attacker got in.',
      ],
      where,
    );
    expect(good.code).toBe(0);
    const id = Number(good.stdout.trim());
    expect(await getStatements(people.vera, id, ctx.deps)).toEqual({
      what_happened: { nl: 'Een aanvaller kwam binnen.', en: 'An attacker got in.' },
    });
  }, 60_000);
});
