/**
 * The demo's regulator report: the GDPR Art. 33 notification of the web12 data breach
 * (INC-<year>-0001), drafted by the security lead, approved by the DPO (four eyes) and
 * recorded as submitted to the Autoriteit Persoonsgegevens. Runs once; later starts find
 * the report and leave it alone.
 */
import type { Actor } from '../domain/access.js';
import type { AssessmentFactsInput } from '../domain/assessment/assessment-facts.js';
import { getCaseAssessment, recordFacts } from '../services/assessment/assessment.service.js';
import { listCases } from '../services/cases/case.service.js';
import { createReport, listReports } from '../services/reports/report.service.js';
import { approveReport, submitReport } from '../services/reports/report-filing.service.js';
import { toUserView } from '../services/access/user.service.js';
import { findUserByUsername } from '../store/user.repository.js';
import type { AppContext } from '../wiring.js';

/** Facts of the web12 breach, used only if the assessment demo did not record any. */
const WEB12_FACTS: AssessmentFactsInput = {
  personalData: true,
  confidentiality: 'unknown-recipients',
  dataCategories: ['simple', 'credentials'],
  passwordStorage: 'strong-salted-hash',
  exfiltration: 'confirmed',
  maliciousIntent: true,
  identifiability: 'maximum',
  incidentKind: 'break-in',
  subsequentMeasures: true,
};

/** Drafts, approves and submits the Art. 33 report of the demo incident. */
export async function seedDemoReports(ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const as = async (username: string): Promise<Actor | null> => {
    const row = await findUserByUsername(db, username);
    if (!row) return null;
    const user = toUserView(row);
    return {
      kind: 'user',
      userId: user.id,
      name: user.username,
      roles: user.roles,
      source: 'demo',
    };
  };
  const [sanne, fatima] = await Promise.all([as('sanne'), as('fatima')]);
  if (!sanne || !fatima) return;
  const incident = (await listCases(sanne, { kind: 'incident' }, ctx.deps)).find((c) =>
    c.reference.endsWith('-0001'),
  );
  if (!incident || !incident.awareAt) return;
  const deps = { database: ctx.database, timeZone: ctx.config.workspace.defaultTimeZone };
  if ((await listReports(sanne, incident.id, deps)).reports.length > 0) return;
  if (!(await getCaseAssessment(db, incident.id))) {
    await recordFacts(
      sanne,
      incident.id,
      { ...WEB12_FACTS, dataSubjects: 1200, records: 3600 },
      ctx.deps,
    );
  }
  // Filed some hours after awareness, well inside each deadline (the NIS2 early warning within
  // 24 hours, the notifications within 72), so the demo's days-old incident has no overdue clock.
  const year = new Date(incident.awareAt).getUTCFullYear();
  const filings = [
    { kind: 'gdpr-art33', hours: 6, reference: `M-${year}-104729` },
    { kind: 'nis2-early-warning', hours: 5, reference: `CSIRT-${year}-0311` },
    { kind: 'nis2-notification', hours: 30, reference: `CSIRT-${year}-0311-2` },
  ] as const;
  for (const filing of filings) {
    const report = await createReport(sanne, incident.id, filing.kind, deps);
    await approveReport(fatima, report.id, 1, {}, deps);
    const submittedAt = new Date(
      Math.min(Date.now(), new Date(incident.awareAt).getTime() + filing.hours * 3_600_000),
    ).toISOString();
    await submitReport(
      sanne,
      report.id,
      1,
      { authorityReference: filing.reference, submittedAt },
      deps,
    );
  }
}
