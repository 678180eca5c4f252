import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvText } from './csv-parse.js';
import { extractPdfText } from '../../src/channels/letters/pdf-text.js';
import { createReport } from '../../src/services/reports/report.service.js';
import { approveReport, submitReport } from '../../src/services/reports/report-filing.service.js';
import { createTestContext } from '../support/app-context.js';
import { runCandor, type CandorRun } from '../support/candor-process.js';
import { DIALECTS, databaseUrl } from '../support/databases.js';
import { anna, breachCase, rita } from './report-fixture.js';

/** `candor reports …` and `candor register export` as an operator runs them, on both engines. */
describe.each(DIALECTS)('candor reports and register on %s', { timeout: 180_000 }, (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let dir: string;
  let reference: string;

  const candor = (args: string[]): Promise<CandorRun> =>
    runCandor(args, { dataDir: dir, databaseUrl: databaseUrl(ctx.testDb.config) });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-reports-'));
    ctx = await createTestContext(dialect);
    reference = (await breachCase(ctx.database)).reference;
    const deps = { database: ctx.database };
    const report = await createReport(rita, reference, 'gdpr-art33', deps);
    await approveReport(anna, report.id, 1, {}, deps);
    await submitReport(rita, report.id, 1, { authorityReference: 'AP-CLI-1' }, deps);
  });
  afterAll(async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the reports of a case and exports a version as PDF, JSON and sheet', async () => {
    const list = await candor(['reports', 'list', reference]);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^gdpr-art33 \(report \d+\) due \S+Z\n {2}v1 submitted approved by anna submitted \S+ ref AP-CLI-1\n$/,
    );

    const pdfFile = path.join(dir, 'report.pdf');
    const pdf = await candor([
      'reports',
      'export',
      reference,
      'gdpr-art33',
      '--format',
      'pdf',
      '-o',
      pdfFile,
    ]);
    expect([pdf.code, pdf.stderr]).toEqual([0, expect.stringContaining('wrote')]);
    expect(extractPdfText(fs.readFileSync(pdfFile)).flat).toContain('AP-CLI-1');

    const json = await candor([
      'reports',
      'export',
      reference,
      'gdpr-art33',
      '--format',
      'json',
      '--version',
      '1',
      '-o',
      '-',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 'candor-report/1', version: 1 });

    const sheet = await candor([
      'reports',
      'export',
      reference,
      'gdpr-art33',
      '--format',
      'sheet',
      '--lang',
      'en',
      '-o',
      '-',
    ]);
    expect(sheet.stdout).toContain('8. Follow-up actions');

    const badKind = await candor([
      'reports',
      'export',
      reference,
      'gdpr',
      '--format',
      'pdf',
      '-o',
      '-',
    ]);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('KIND must be one of gdpr-art33');
  });

  it('exports the register as CSV and PDF with filters', async () => {
    const csvFile = path.join(dir, 'register.csv');
    const csv = await candor([
      'register',
      'export',
      '--format',
      'csv',
      '--notified',
      'yes',
      '-o',
      csvFile,
    ]);
    expect(csv.code).toBe(0);
    const rows = readCsvText(fs.readFileSync(csvFile, 'utf8'));
    expect(rows).toHaveLength(2);
    expect(rows[1]![0]).toBe(reference);
    const pdfFile = path.join(dir, 'register.pdf');
    const pdf = await candor([
      'register',
      'export',
      '--format',
      'pdf',
      '--lang',
      'en',
      '-o',
      pdfFile,
    ]);
    expect(pdf.code).toBe(0);
    expect(extractPdfText(fs.readFileSync(pdfFile)).flat).toContain(reference);
    const bad = await candor([
      'register',
      'export',
      '--format',
      'csv',
      '--notified',
      'no',
      '--severity',
      'huge',
      '-o',
      '-',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('severity');
  });
});
