import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { readCsvText } from '../reports/csv-parse.js';
import { createTestContext } from '../support/app-context.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { decodeQr, pdfInfo } from './pdf-reader.js';

const address = (n: number) => ({
  street: `Kanaalweg ${n}`,
  postal_code: '2311 AB',
  city: 'Leiden',
  country: 'NL',
});

/** `candor letters build|posted|list` as an operator runs them, on both engines. */
describe.each(DIALECTS)('candor letters on %s', { timeout: 180_000 }, (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;
  let recall: RecallCase;
  const candor = (args: string[]): Promise<CandorRun> =>
    runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(ctx.testDb.config) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-letters-cli-'));
    ctx = await createTestContext(dialect);
    // The CLI derives personal links from the same installation secret as the test.
    fs.writeFileSync(path.join(dir, 'secret.key'), ctx.deps.secret.toString('base64url'));
    recall = await createRecallCase(ctx, [
      ...[1, 2, 3].map((n) => ({
        external_id: `P-${n}`,
        email: null,
        name: `Post Klant ${n}`,
        language: 'nl' as const,
        impact: {},
        attributes: address(n),
      })),
      { external_id: 'P-NONE', email: null, name: 'Nergens', language: 'nl', impact: {} },
      {
        external_id: 'P-MAIL',
        email: 'p-mail@example.nl',
        name: 'Per Mail',
        language: 'nl',
        impact: {},
        attributes: address(9),
      },
    ]);
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes one PDF and manifest per batch, names who has no address and exits 3', async () => {
    const out = path.join(dir, 'print');
    const run = await candor(['letters', 'build', recall.reference, '--out', out, '--batch', '2']);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('3 letters in 2 batches');
    expect(run.stdout).toContain('P-NONE');
    expect(run.stdout).toContain('no street, no postal_code, no city');
    expect(run.stderr).toMatch(/letters: 3 printed/);
    const pdfs = fs
      .readdirSync(out)
      .filter((f) => f.endsWith('.pdf'))
      .sort();
    expect(pdfs).toHaveLength(2);
    let letters = 0;
    for (const file of pdfs) {
      const pdf = fs.readFileSync(path.join(out, file));
      expect(fs.statSync(path.join(out, file)).mode & 0o077).toBe(0);
      const [, ...rows] = readCsvText(
        fs.readFileSync(path.join(out, file.replace(/\.pdf$/, '.csv')), 'utf8'),
      );
      expect(pdfInfo(pdf).pages).toBe(Number(rows[rows.length - 1]![2]));
      for (const row of rows) {
        const recipient = recall.recipients.get(row[4]!)!;
        expect(decodeQr(pdf, Number(row[1]))).toBe(`${ctx.deps.publicUrl}/n/${recipient.token}`);
      }
      letters += rows.length;
    }
    expect(letters).toBe(3);

    const again = await candor(['letters', 'build', String(recall.dispatchId), '--out', out]);
    expect(again.stdout).toContain('0 letters in 0 batches');
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.pdf'))).toHaveLength(2);
  });

  it('marks a batch posted once, and lists the batches', async () => {
    const batch = await ctx.database.db
      .selectFrom('letter_batches')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const posted = await candor(['letters', 'posted', String(batch.id)]);
    expect([posted.code, posted.stdout]).toEqual([0, `batch ${batch.id}: 2 letters posted\n`]);
    const twice = await candor(['letters', 'posted', String(batch.id)]);
    expect(twice.stdout).toContain('was already posted');
    const list = await candor(['letters', 'list', recall.reference]);
    expect(list.stdout).toMatch(
      new RegExp(`batch ${batch.id} {2}dispatch \\d+ {2}posted {2}2 letters`),
    );
    const bad = await candor(['letters', 'build', recall.reference, '--batch', 'many']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--batch must be')]);
  });
});
