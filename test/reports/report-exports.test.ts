import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdfText } from '../../src/channels/letters/pdf-text.js';
import {
  reportExportJsonSchema,
  reportExportSchema,
} from '../../src/domain/reports/report-export.js';
import { AP_SECTIONS } from '../../src/domain/reports/report-sheet.js';
import { exportReport, reportSheet } from '../../src/services/reports/report-export.service.js';
import { createReport } from '../../src/services/reports/report.service.js';
import { approveReport, submitReport } from '../../src/services/reports/report-filing.service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { anna, breachCase, rita, vera } from './report-fixture.js';

describe.each(DIALECTS)('report exports on %s', (dialect) => {
  let testDb: TestDatabase;
  let deps: { database: TestDatabase['database']; timeZone: string };
  let reportId: number;
  let reference: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    deps = { database: testDb.database, timeZone: 'Europe/Amsterdam' };
    ({ reference } = await breachCase(testDb.database));
    const report = await createReport(rita, reference, 'gdpr-art33', deps);
    reportId = report.id;
    await approveReport(anna, reportId, 1, {}, deps);
    await submitReport(rita, reportId, 1, { authorityReference: 'AP-M-778899' }, deps);
  });
  afterAll(async () => testDb.destroy());

  it('exports a PDF that carries the report, its approval and submission, in Dutch and English', async () => {
    const file = await exportReport(vera, reportId, 1, 'pdf', { language: 'nl' }, deps);
    expect(file.contentType).toBe('application/pdf');
    expect(file.fileName).toBe(`${reference}-gdpr-art33-v1.nl.pdf`);
    expect(file.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { flat, info, pages } = extractPdfText(file.body);
    for (const expected of [
      'Melding van een inbreuk in verband met persoonsgegevens (AVG art. 33)',
      reference,
      'Goedgekeurd door anna',
      'AP-M-778899',
      'Klantendatabase gekopieerd via gestolen beheersleutel',
      'ongeveer 12.000',
      'privacy@example.com',
      'Beheersleutel ingetrokken en alle sessies beëindigd.',
      `pagina 1 van ${pages.length}`,
      ...AP_SECTIONS.map((s, i) => `${i}. ${s.title.nl}`),
    ]) {
      expect(flat).toContain(expected);
    }
    expect(info.Title).toBe(
      'Melding van een inbreuk in verband met persoonsgegevens (AVG art. 33)',
    );
    // The same version gives the same bytes.
    const again = await exportReport(vera, reportId, 1, 'pdf', { language: 'nl' }, deps);
    expect(again.body.equals(file.body)).toBe(true);

    const en = extractPdfText(
      (await exportReport(vera, reportId, 1, 'pdf', { language: 'en' }, deps)).body,
    );
    expect(en.flat).toContain('Notification of a personal data breach (GDPR Art. 33)');
    expect(en.flat).toContain('approximately 12,000');
    expect(en.flat).toContain('Approved by anna');
  });

  it('exports JSON that matches its published JSON Schema', async () => {
    const file = await exportReport(vera, reportId, 'latest', 'json', {}, deps);
    expect(file.contentType).toMatch(/^application\/json/);
    const doc = JSON.parse(file.body.toString('utf8')) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(reportExportJsonSchema());
    expect(validate.errors ?? validate(doc)).toBe(true);
    expect(reportExportSchema.parse(doc)).toMatchObject({
      format: 'candor-report/1',
      kind: 'gdpr-art33',
      version: 1,
      status: 'submitted',
      approval: { by: 'anna' },
      submission: { authorityReference: 'AP-M-778899', by: 'rita', delayReason: null },
      deadline: { late: false },
      figures: { dataSubjects: 12000, records: 48000 },
    });
    const keys = (doc.fields as { key: string }[]).map((f) => f.key);
    expect(keys).toEqual([
      'contactPoint',
      'timeline',
      'nature',
      'personalData',
      'records',
      'dataSubjects',
      'priorMeasures',
      'consequences',
      'measures',
      'subjectsInformed',
      'crossBorder',
      'other',
    ]);
    // A document missing a required part fails the schema.
    const broken = { ...doc };
    delete broken.fields;
    expect(validate(broken)).toBe(false);
  });

  it('exports the sheet of the AP notification form with every section, Dutch answers, labels in nl or en', async () => {
    const nl = (
      await exportReport(vera, reportId, 1, 'sheet', { language: 'nl' }, deps)
    ).body.toString('utf8');
    for (const [i, s] of AP_SECTIONS.entries()) expect(nl).toContain(`${i}. ${s.title.nl}`);
    for (const expected of [
      'Contactgegevens en algemene informatie',
      'Tijdlijn',
      'Aard van de inbreuk (GDPR Art. 33(3)(a))',
      'Persoonsgegevens die betrokken zijn bij het datalek',
      'getroffen groep',
      'Maatregelen die zijn getroffen voordat het datalek plaatsvond',
      'Gevolgen van het datalek',
      'Vervolgacties naar aanleiding van het datalek',
      'Informeren van de betrokkenen',
      'Nieuwe melding',
      'Meldnummer:\n  AP-M-778899',
      'Duurt de inbreuk nog voort?:\n  ja',
      'Aantal betrokkenen (bij benadering):\n  12000',
    ]) {
      expect(nl).toContain(expected);
    }
    const en = (
      await exportReport(vera, reportId, 1, 'sheet', { language: 'en' }, deps)
    ).body.toString('utf8');
    for (const s of AP_SECTIONS) expect(en).toContain(s.title.en);
    // English questions, the Dutch answers that go into the form.
    expect(en).toContain('Is the breach still ongoing?:\n  ja');

    const sheet = await reportSheet(vera, reportId, 1, { labels: 'nl', values: 'nl' }, deps);
    expect(sheet.sections.map((s) => s.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
