import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdfText } from '../../src/channels/letters/pdf-text.js';
import { ForbiddenError } from '../../src/domain/errors.js';
import { REGISTER_CSV_HEADER } from '../../src/domain/reports/breach-register.js';
import { readCsvText } from './csv-parse.js';
import { overrideDecision } from '../../src/services/assessment/assessment.service.js';
import { exportRegister, listRegister } from '../../src/services/reports/register.service.js';
import { createReport } from '../../src/services/reports/report.service.js';
import { approveReport, submitReport } from '../../src/services/reports/report-filing.service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { anna, breachCase, carl, rita, vera } from './report-fixture.js';

const RATIONALE =
  'Alleen versleutelde back-ups zijn geraakt; de sleutel is niet gecompromitteerd, dus geen risico.';

describe.each(DIALECTS)('breach register on %s', (dialect) => {
  let testDb: TestDatabase;
  let deps: { database: TestDatabase['database'] };
  const refs: Record<'notified' | 'overridden' | 'bare' | 'formula', string> = {
    notified: '',
    overridden: '',
    bare: '',
    formula: '',
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    deps = { database: testDb.database };
    refs.notified = (
      await breachCase(testDb.database, { title: 'Klantendatabase gekopieerd' })
    ).reference;
    const report = await createReport(rita, refs.notified, 'gdpr-art33', deps);
    await approveReport(anna, report.id, 1, {}, deps);
    await submitReport(rita, report.id, 1, { authorityReference: 'AP-REG-1' }, deps);

    refs.overridden = (
      await breachCase(testDb.database, { title: 'Back-upschijf zoekgeraakt bij verhuizing' })
    ).reference;
    await overrideDecision(
      anna,
      refs.overridden,
      { decision: 'authority', notify: false, rationale: RATIONALE },
      deps,
    );
    refs.bare = (
      await breachCase(testDb.database, { title: 'Verdachte inlogpogingen', facts: null })
    ).reference;
    refs.formula = (
      await breachCase(testDb.database, {
        title: '=HYPERLINK("http://evil.example/x","klik")',
        facts: { personalData: false },
      })
    ).reference;
  });
  afterAll(async () => testDb.destroy());

  it('lists every case, notified or not, with facts, effects, remedial action and the decisions with their rationale', async () => {
    const entries = await listRegister(vera, {}, deps);
    expect(entries.map((e) => e.reference)).toEqual([
      refs.notified,
      refs.overridden,
      refs.bare,
      refs.formula,
    ]);
    const [notified, overridden, bare] = entries;
    expect(notified).toMatchObject({
      notified: true,
      personalData: true,
      dataSubjects: 12000,
      records: 48000,
      submissions: [
        expect.objectContaining({ kind: 'gdpr-art33', authorityReference: 'AP-REG-1' }),
      ],
    });
    expect(notified!.decisions.authority).toMatchObject({
      advice: true,
      decision: true,
      source: 'advice',
    });
    expect(notified!.decisions.authority.adviceReasons.join(' ')).toMatch(/Art\. 33/);
    expect(notified!.effects.nl).toContain('overname van accounts');
    expect(notified!.remedialAction.nl).toContain('Beheersleutel ingetrokken');

    expect(overridden).toMatchObject({ notified: false, submissions: [] });
    expect(overridden!.decisions.authority).toMatchObject({
      advice: true,
      decision: false,
      source: 'override',
      rationale: RATIONALE,
    });
    expect(bare).toMatchObject({ notified: false, personalData: null, severity: null });
    expect(bare!.decisions.authority.decision).toBeNull();
    expect(bare!.remedialAction.en).toContain('Beheersleutel ingetrokken');
  });

  it('filters by notified, severity, kind and year', async () => {
    const notified = await listRegister(vera, { notified: 'yes' }, deps);
    expect(notified.map((e) => e.reference)).toEqual([refs.notified]);
    const not = await listRegister(vera, { notified: 'no' }, deps);
    expect(not.map((e) => e.reference)).toEqual([refs.overridden, refs.bare, refs.formula]);
    const level = (await listRegister(vera, {}, deps))[0]!.severity!.level;
    const bySeverity = await listRegister(vera, { severity: level }, deps);
    expect(bySeverity.map((e) => e.reference)).toContain(refs.notified);
    expect(bySeverity.every((e) => e.severity?.level === level)).toBe(true);
    expect(await listRegister(vera, { kind: 'advisory' }, deps)).toEqual([]);
    const year = new Date().getUTCFullYear();
    expect(await listRegister(vera, { year: String(year) }, deps)).toHaveLength(4);
    expect(await listRegister(vera, { year: year - 1 }, deps)).toEqual([]);
    await expect(listRegister(vera, { severity: 'catastrophic' }, deps)).rejects.toThrow();
  });

  it('exports CSV that a spreadsheet cannot run as a formula', async () => {
    const file = await exportRegister(rita, 'csv', {}, { language: 'en' }, deps);
    expect(file.contentType).toMatch(/^text\/csv/);
    expect(file.fileName).toMatch(/^breach-register-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = readCsvText(file.body.toString('utf8'));
    expect(rows[0]).toEqual([...REGISTER_CSV_HEADER]);
    expect(rows).toHaveLength(5);
    const byRef = new Map(rows.slice(1).map((r) => [r[0], r]));
    const col = (name: (typeof REGISTER_CSV_HEADER)[number]) => REGISTER_CSV_HEADER.indexOf(name);
    const formula = byRef.get(refs.formula)!;
    expect(formula[col('title')]).toBe(`'=HYPERLINK("http://evil.example/x","klik")`);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const overridden = byRef.get(refs.overridden)!;
    expect(overridden[col('authority_advice')]).toBe('yes');
    expect(overridden[col('authority_decision')]).toBe('no');
    expect(overridden[col('authority_source')]).toBe('override');
    expect(overridden[col('authority_rationale')]).toBe(RATIONALE);
    expect(byRef.get(refs.notified)![col('submissions')]).toContain('AP-REG-1');
    expect(byRef.get(refs.notified)![col('notified')]).toBe('yes');
  });

  it('exports the register as a PDF, the document an auditor asks for', async () => {
    const file = await exportRegister(anna, 'pdf', { notified: 'no' }, { language: 'nl' }, deps);
    const { flat } = extractPdfText(file.body);
    expect(flat).toContain('Register van inbreuken (AVG art. 33 lid 5)');
    expect(flat).toContain('notified=no');
    for (const ref of [refs.overridden, refs.bare, refs.formula]) expect(flat).toContain(ref);
    expect(flat).not.toContain(refs.notified);
    expect(flat).toContain('besluit (afwijkend van advies)');
    expect(flat).toContain('Alleen versleutelde back-ups zijn geraakt');
    expect(flat).toContain('nog niet beoordeeld');
  });

  it('requires register:read to list and register:export to export', async () => {
    await expect(listRegister(carl, {}, deps)).rejects.toThrow(ForbiddenError);
    await expect(exportRegister(vera, 'csv', {}, {}, deps)).rejects.toThrow(ForbiddenError);
  });
});
