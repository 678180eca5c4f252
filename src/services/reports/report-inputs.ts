/**
 * Gathers what drafting a report needs from the rest of the case (facts, assessment and
 * decisions from the assessment part, timeline, organisation, personal notices sent), and
 * the legal clocks of the reports. The one place that knows the assessment part's API.
 */
import { assess } from '../../domain/assessment/notification-decision.js';
import type { DraftInput } from '../../domain/reports/report-draft.js';
import type { ReportKind } from '../../domain/reports/report-content.js';
import {
  legalClocks,
  lateFilingRequiresReason,
  type LegalClock,
} from '../../domain/assessment/legal-clocks.js';
import type { Database } from '../../store/database.js';
import { listCaseEvents } from '../../store/case.repository.js';
import type { Executor } from '../../store/executor.js';
import { findSubjectsNotified, listSubmissionsOfCases } from '../../store/report.repository.js';
import type { CaseRow } from '../../store/schema.js';
import { getCaseAssessment } from '../assessment/assessment.service.js';
import {
  DEFAULT_ORGANISATION,
  organisationSchema,
  type Organisation,
} from '../../domain/organisation.js';
import { findSetting } from '../../store/settings.repository.js';

export const DEFAULT_REPORT_TIME_ZONE = 'Europe/Amsterdam';

export interface ReportDeps {
  database: Database;
  /** Time zone of dates in report texts; default Europe/Amsterdam. */
  timeZone?: string;
}

/**
 * The organisation settings read on the given executor: inside a transaction the report
 * services must not reach for the database handle (on SQLite that waits for itself).
 */
export async function organisationOn(db: Executor): Promise<Organisation> {
  const stored = await findSetting(db, 'organisation', organisationSchema.partial());
  return organisationSchema.parse({ ...DEFAULT_ORGANISATION, ...stored });
}

/** The submissions of a case's reports, in the shape the legal clocks take. */
export async function caseSubmissions(db: Executor, caseId: number) {
  const rows = await listSubmissionsOfCases(db, [caseId]);
  return rows.map((r) => ({
    kind: r.kind,
    version: r.version,
    submittedAt: r.submitted_at,
    reference: r.authority_reference,
    delayReason: r.delay_reason,
  }));
}

/** The assessment of a case: facts, advice, overrides and the decision in force (or nulls). */
export async function caseAssessment(db: Executor, caseId: number) {
  const found = await getCaseAssessment(db, caseId);
  return {
    facts: found?.facts ?? null,
    assessment: found?.assessment ?? null,
    decision: found?.effective ?? null,
    overrides: found?.overrides ?? [],
  };
}

/** Everything the drafting functions read about a case. */
export async function draftInputFor(
  db: Executor,
  kase: CaseRow,
  deps: ReportDeps,
  supplementTo?: DraftInput['supplementTo'],
): Promise<DraftInput> {
  const [events, assessment, organisation, subjectsNotice, submissions] = await Promise.all([
    listCaseEvents(db, kase.id),
    caseAssessment(db, kase.id),
    organisationOn(db),
    findSubjectsNotified(db, kase.id),
    caseSubmissions(db, kase.id),
  ]);
  return {
    case: {
      reference: kase.reference,
      title: kase.title,
      summary: kase.summary,
      detectedAt: kase.detected_at,
      awareAt: kase.aware_at,
      containedAt: kase.contained_at,
      resolvedAt: kase.resolved_at,
    },
    events: events.map((e) => ({ kind: e.kind, at: e.at, text: e.text })),
    facts: assessment.facts,
    assessment: assessment.assessment,
    localAdvice: assessment.facts
      ? { nl: assess(assessment.facts, 'nl'), en: assess(assessment.facts, 'en') }
      : null,
    decision: assessment.decision,
    organisation,
    subjectsNotice,
    submissions,
    supplementTo,
    timeZone: deps.timeZone ?? DEFAULT_REPORT_TIME_ZONE,
  };
}

/** The legal clock of each report kind for a case (none before awareness). */
export async function reportClocks(
  db: Executor,
  kase: CaseRow,
  now: Date = new Date(),
): Promise<Partial<Record<ReportKind, LegalClock>>> {
  if (kase.aware_at === null) return {};
  const [{ decision }, submissions] = await Promise.all([
    caseAssessment(db, kase.id),
    caseSubmissions(db, kase.id),
  ]);
  const clocks = legalClocks(
    kase.aware_at,
    decision,
    submissions.map((s) => ({ kind: s.kind, submittedAt: s.submittedAt })),
    now,
  );
  const byKind: Partial<Record<ReportKind, LegalClock>> = {};
  for (const clock of clocks) byKind[clock.kind] = clock;
  return byKind;
}

export { lateFilingRequiresReason, type LegalClock };
