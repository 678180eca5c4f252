import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createRemedy } from '../../src/services/remedies/remedy.service.js';
import { createTestContext } from '../support/app-context.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { bounceCustomers } from '../bounces/bounce-context.js';

const texts = {
  nl: { title: 'Werk de plugin bij', instructions: 'Naar 4.2.1.' },
  en: { title: 'Update the plugin', instructions: 'To 4.2.1.' },
};

/** `candor remedies confirm|list` as an operator runs them, on both engines. */
describe.concurrent.each(DIALECTS)('candor remedies on %s', { timeout: 240_000 }, (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let recall: RecallCase;
  let dir: string;
  const candor = (args: string[]): Promise<CandorRun> =>
    runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(ctx.testDb.config) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-remedies-'));
    ctx = await createTestContext(dialect);
    recall = await createRecallCase(ctx, bounceCustomers('CL', 4));
    await createRemedy(
      systemActor('test'),
      recall.caseId,
      { key: 'update-plugin', completion: 'provider', texts },
      ctx.deps,
    );
  });
  afterAll(async () => {
    await ctx?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('confirms from a semicolon CSV with a BOM, reporting bad and unknown lines by number', async () => {
    const file = path.join(dir, 'scan.csv');
    // Line 3: a field too many; line 4: empty id; line 5: not a recipient.
    fs.writeFileSync(
      file,
      '\uFEFFexternal_id;scanned_at\r\nCL-1;2026-12-06\r\nCL-2;2026-12-06;x\r\n;2026-12-06\r\nNOPE-7;2026-12-06\r\nCL-3;2026-12-06\r\nCL-1;2026-12-07\r\n',
    );
    const run = await candor(['remedies', 'confirm', recall.reference, 'update-plugin', file]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/2 confirmed, 0 already confirmed, 2 completed/);
    expect(run.stdout).toMatch(/1 duplicates/);
    expect(run.stdout).toMatch(/line 4: external_id: missing or empty/);
    expect(run.stdout).toMatch(/line 5: external_id: "NOPE-7" is not a recipient of/);
    expect(run.stdout).toMatch(/line 3: \(row\): expected 2 fields as in the header, found 3/);

    const again = await candor([
      'remedies',
      'confirm',
      recall.reference,
      'update-plugin',
      file,
      '--json',
    ]);
    const summary = JSON.parse(again.stdout) as {
      result: { alreadyConfirmed: number; confirmed: number };
    };
    expect(summary.result).toMatchObject({ confirmed: 0, alreadyConfirmed: 2 });

    const jsonl = path.join(dir, 'found-again.jsonl');
    fs.writeFileSync(jsonl, '{"external_id":"CL-3"}\n{"externalId":"CL-4"}\nnot json\n');
    const withdraw = await candor([
      'remedies',
      'confirm',
      recall.reference,
      'update-plugin',
      jsonl,
      '--withdraw',
    ]);
    expect(withdraw.code).toBe(3);
    expect(withdraw.stdout).toMatch(/1 withdrawn, 1 not confirmed, 0 completed, 1 reopened/);
    expect(withdraw.stdout).toMatch(/line 3: /);

    const list = await candor(['remedies', 'list', recall.reference]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('1. update-plugin (provider): Update the plugin');
    expect(list.stdout).toContain('completed 1 of 4');
  });
});
