import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/domain/errors.js';
import { listAudit } from '../../src/services/access/audit.service.js';
import {
  addSupplement,
  createReport,
  editReport,
  findReportOfCase,
  listReports,
  redraftReport,
} from '../../src/services/reports/report.service.js';
import { approveReport, submitReport } from '../../src/services/reports/report-filing.service.js';
import { updateOrganisation } from '../../src/services/access/settings.service.js';
import { systemActor } from '../../src/domain/access.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { anna, bram, breachCase, carl, otto, rita, vera } from './report-fixture.js';

describe.each(DIALECTS)('regulator reports on %s', (dialect) => {
  let testDb: TestDatabase;
  let deps: { database: TestDatabase['database'] };

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    deps = { database: testDb.database };
    await updateOrganisation(
      systemActor('test'),
      {
        name: 'Voorbeeld Hosting B.V.',
        contactEmail: 'security@voorbeeld.nl',
        dpoEmail: 'fg@voorbeeld.nl',
        senderEmail: 'security@voorbeeld.nl',
        contactPhone: '+31 20 123 4567',
      },
      deps,
    );
  });
  afterAll(async () => testDb.destroy());

  it('drafts the GDPR Art. 33(3) report from the facts, the timeline and the settings, in nl and en', async () => {
    const { reference } = await breachCase(testDb.database);
    const report = await createReport(rita, reference, 'gdpr-art33', deps);
    const v1 = report.versions[0]!;
    expect(v1.status).toBe('draft');
    expect(v1.editors).toEqual(['rita']);
    const f = v1.content.fields;
    // (a) nature, categories, numbers
    expect(f.nature!.nl).toContain('Klantendatabase gekopieerd via gestolen beheersleutel');
    expect(f.nature!.nl).toContain('onbekend aantal ontvangers');
    expect(f.nature!.en).toContain('unknown number of recipients');
    expect(f.personalData!.nl).toContain('inloggegevens');
    expect(f.dataSubjects!.nl).toContain('ongeveer 12.000');
    expect(f.dataSubjects!.en).toContain('approximately 12,000');
    expect(f.records!.nl).toBe('ongeveer 48.000');
    // (b) contact point from the settings
    expect(f.contactPoint!.nl).toContain('fg@voorbeeld.nl');
    expect(f.contactPoint!.en).toContain('Data protection officer: fg@voorbeeld.nl');
    // (c) consequences, with the ENISA severity
    expect(f.consequences!.en).toContain('account takeover');
    expect(f.consequences!.en).toMatch(/Severity by the ENISA methodology: \d\.\d\d/);
    // (d) measures from the timeline
    expect(f.measures!.nl).toContain('Beheersleutel ingetrokken en alle sessies beëindigd.');
    expect(f.measures!.nl).toContain('De inbreuk is ingedamd op');
    expect(f.priorMeasures!.nl).toContain('zwakke of ongezouten hashfunctie');
    expect(f.crossBorder!.nl).toContain('leidende toezichthouder');
    expect(v1.content.figures).toMatchObject({
      dataSubjects: 12000,
      records: 48000,
      crossBorder: true,
    });

    const listed = await listReports(vera, reference, deps);
    expect(listed.reports).toHaveLength(1);
    expect(listed.clocks['gdpr-art33']).toMatchObject({ state: 'running', late: false });
    await expect(createReport(rita, reference, 'gdpr-art33', deps)).rejects.toThrow(ConflictError);
  });

  it('drafts the NIS2 reports with the contents of Art. 23(4)', async () => {
    const { reference } = await breachCase(testDb.database);
    const ew = await createReport(bram, reference, 'nis2-early-warning', deps);
    expect(ew.versions[0]!.content.fields.maliciousAct!.en).toMatch(
      /^Yes: .*unlawful or malicious act/,
    );
    expect(ew.versions[0]!.content.fields.crossBorderImpact!.en).toContain('cross-border');
    await approveReport(anna, ew.id, 1, {}, deps);
    await submitReport(bram, ew.id, 1, { authorityReference: 'CSIRT-EW-1' }, deps);

    const notification = await createReport(bram, reference, 'nis2-notification', deps);
    const n = notification.versions[0]!.content.fields;
    expect(n.update!.en).toContain('Follows the early warning of');
    expect(n.update!.en).toContain('CSIRT-EW-1');
    expect(n.initialAssessment!.en).toMatch(/Severity \(ENISA\): \d\.\d\d/);
    expect(n.initialAssessment!.en).toContain('Users affected: approximately 12,000');
    expect(n.indicatorsOfCompromise!.nl).toContain('203.0.113.77');

    const final = await createReport(bram, reference, 'nis2-final', deps);
    const d = final.versions[0]!.content.fields;
    expect(d.threatType!.en).toBe('Malicious attack.');
    expect(d.mitigation!.nl).toContain('Beheersleutel ingetrokken');
    expect(d.description!.en).toContain('Severity (ENISA)');
  });

  it('applies the four-eyes rule to the exact content, and any edit voids the approval', async () => {
    const { reference } = await breachCase(testDb.database);
    const report = await createReport(rita, reference, 'gdpr-art33', deps);
    // The drafter cannot approve, nor can a role without reports:approve.
    await expect(approveReport(rita, report.id, 1, {}, deps)).rejects.toThrow(ForbiddenError);
    await expect(approveReport(vera, report.id, 1, {}, deps)).rejects.toThrow(ForbiddenError);
    await expect(
      editReport(carl, report.id, 1, { fields: { other: { nl: 'x' } } }, deps),
    ).rejects.toThrow(ForbiddenError);
    // A stale hash is refused.
    await expect(
      approveReport(anna, report.id, 1, { contentHash: 'a'.repeat(64) }, deps),
    ).rejects.toThrow(ConflictError);

    const approved = await approveReport(
      anna,
      report.id,
      1,
      { contentHash: report.versions[0]!.contentHash },
      deps,
    );
    expect(approved.versions[0]).toMatchObject({ status: 'approved', approvedBy: 'anna' });

    const edited = await editReport(
      rita,
      report.id,
      1,
      { fields: { consequences: { nl: 'Accountovername en gerichte phishing.' } } },
      deps,
    );
    expect(edited.versions[0]).toMatchObject({
      status: 'changed-since-approval',
      approvedBy: null,
    });
    expect(edited.versions[0]!.content.fields.consequences).toMatchObject({
      nl: 'Accountovername en gerichte phishing.',
    });
    expect(edited.versions[0]!.content.fields.consequences!.en).toContain('account takeover');
    // Not submittable until approved again.
    await expect(
      submitReport(rita, report.id, 1, { authorityReference: 'M-1' }, deps),
    ).rejects.toThrow(/not approved/);

    // An approver who edited it is one of the writers now and cannot approve.
    await editReport(otto, report.id, 1, { figures: { dataSubjects: 12500 } }, deps);
    await expect(approveReport(otto, report.id, 1, {}, deps)).rejects.toThrow(/four-eyes/);
    const again = await approveReport(anna, report.id, 1, {}, deps);
    expect(again.versions[0]).toMatchObject({ status: 'approved', editors: ['rita', 'otto'] });
    expect(again.versions[0]!.content.figures.dataSubjects).toBe(12500);

    await expect(
      editReport(rita, report.id, 1, { fields: { bogus: { nl: 'x' } } }, deps),
    ).rejects.toThrow(ValidationError);

    const audit = await listAudit(systemActor('t'), testDb.database, {
      objectType: 'report',
      objectId: String(report.id),
      limit: 50,
    });
    expect(audit.map((a) => a.action).reverse()).toEqual([
      'report.create',
      'report.approve',
      'report.edit',
      'report.edit',
      'report.approve',
    ]);
    expect(audit[2]!.details).toMatchObject({ approvalVoided: true });
  });

  it('records the submission with the reference; a submitted version is frozen; supplements are new versions', async () => {
    const { reference } = await breachCase(testDb.database);
    const report = await createReport(rita, reference, 'gdpr-art33', deps);
    await expect(addSupplement(rita, report.id, {}, deps)).rejects.toThrow(/not submitted yet/);
    await approveReport(anna, report.id, 1, {}, deps);
    await expect(
      submitReport(rita, report.id, 1, { authorityReference: ' ' }, deps),
    ).rejects.toThrow();
    const submitted = await submitReport(
      rita,
      report.id,
      1,
      { authorityReference: 'AP-2026-1234' },
      deps,
    );
    expect(submitted.versions[0]).toMatchObject({
      status: 'submitted',
      authorityReference: 'AP-2026-1234',
      submittedBy: 'rita',
      delayReason: null,
    });
    await expect(
      editReport(rita, report.id, 1, { fields: { other: { nl: 'x' } } }, deps),
    ).rejects.toThrow(/cannot change/);
    await expect(
      submitReport(rita, report.id, 1, { authorityReference: 'again' }, deps),
    ).rejects.toThrow(/already submitted/);
    const listed = await listReports(vera, reference, deps);
    expect(listed.clocks['gdpr-art33']).toMatchObject({ state: 'done', late: false });

    const supplemented = await addSupplement(bram, report.id, {}, deps);
    expect(supplemented.versions.map((v) => v.version)).toEqual([1, 2]);
    const v2 = supplemented.versions[1]!;
    expect(v2.status).toBe('draft');
    expect(v2.content.fields.other!.nl).toContain(
      'Aanvulling op de melding (versie 1, kenmerk AP-2026-1234)',
    );
    // The supplement has its own four eyes: bram drafted it, rita did not.
    await expect(approveReport(bram, report.id, 2, {}, deps)).rejects.toThrow(ForbiddenError);
    const redrafted = await redraftReport(rita, report.id, 2, { fields: ['measures'] }, deps);
    expect(redrafted.versions[1]!.editors).toEqual(['bram', 'rita']);
    await approveReport(otto, report.id, 2, {}, deps);
    // A supplement has no fixed deadline: no delay reason needed even much later.
    const done = await submitReport(
      rita,
      report.id,
      2,
      { authorityReference: 'AP-2026-1234-2' },
      deps,
    );
    expect(done.versions.map((v) => v.status)).toEqual(['submitted', 'submitted']);
    expect((await findReportOfCase(vera, reference, 'gdpr-art33', deps)).versions).toHaveLength(2);
  });

  it('requires a reason for the delay when the notification is filed after 72 hours', async () => {
    const { reference } = await breachCase(testDb.database, { hoursAgo: 100 });
    const report = await createReport(rita, reference, 'gdpr-art33', deps);
    await approveReport(anna, report.id, 1, {}, deps);
    const error = await submitReport(
      rita,
      report.id,
      1,
      { authorityReference: 'AP-LATE' },
      deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      expect.objectContaining({ field: 'delayReason' }),
    ]);
    // Filed within the 72 hours (recorded afterwards): no reason needed.
    const onTime = new Date(Date.now() - 40 * 3_600_000).toISOString();
    const other = await breachCase(testDb.database, { hoursAgo: 100 });
    const r2 = await createReport(rita, other.reference, 'gdpr-art33', deps);
    await approveReport(anna, r2.id, 1, {}, deps);
    const filed = await submitReport(
      rita,
      r2.id,
      1,
      { authorityReference: 'AP-ONTIME', submittedAt: onTime },
      deps,
    );
    expect(filed.versions[0]!.submittedAt).toBe(onTime);

    const late = await submitReport(
      rita,
      report.id,
      1,
      {
        authorityReference: 'AP-LATE',
        delayReason: 'De omvang was pas na forensisch onderzoek bekend.',
      },
      deps,
    );
    expect(late.versions[0]!.delayReason).toBe('De omvang was pas na forensisch onderzoek bekend.');
    const clocks = (await listReports(vera, reference, deps)).clocks;
    expect(clocks['gdpr-art33']).toMatchObject({ state: 'done', late: true });
    await expect(
      submitReport(
        rita,
        r2.id,
        1,
        { authorityReference: 'x', submittedAt: new Date(Date.now() + 86_400_000).toISOString() },
        deps,
      ),
    ).rejects.toThrow();
  });
});
