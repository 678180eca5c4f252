import { authorize, type Actor } from '../../domain/access.js';
import type { EffectiveDecision } from '../../domain/assessment/assessment-facts.js';
import {
  legalClocks,
  type ClockSubmission,
  type LegalClock,
} from '../../domain/assessment/legal-clocks.js';
import type { Database } from '../../store/database.js';
import type { Executor } from '../../store/executor.js';
import { listSubmissionsOfCases } from '../../store/report.repository.js';
import type { CaseRow } from '../../store/schema.js';
import { getCaseAssessments } from './assessment.service.js';
import { requireCase } from '../cases/case-lookup.js';

// The legal clocks of cases, from their aware_at, the decision in force and the reports
// submitted (the regulator reports record submitted_at per report version).

export interface CaseClocks {
  caseId: number;
  reference: string;
  title: string;
  awareAt: string | null;
  /** null: not assessed yet (the GDPR clock then runs provisionally). */
  decision: EffectiveDecision | null;
  clocks: LegalClock[];
}

/** The clocks of several cases at once (dashboard, alert loop). */
export async function clocksOfCases(
  db: Executor,
  cases: readonly CaseRow[],
  now: Date,
): Promise<CaseClocks[]> {
  const ids = cases.map((c) => c.id);
  const [assessments, submissions] = await Promise.all([
    getCaseAssessments(db, ids),
    listSubmissionsOfCases(db, ids),
  ]);
  return cases.map((c) => {
    const decision = assessments.get(c.id)?.effective ?? null;
    // A report answers the legal clock of its kind (the compiler checks every kind is one).
    const subs: ClockSubmission[] = submissions
      .filter((s) => s.case_id === c.id)
      .map((s) => ({ kind: s.kind, submittedAt: s.submitted_at }));
    return {
      caseId: c.id,
      reference: c.reference,
      title: c.title,
      awareAt: c.aware_at,
      decision,
      clocks: legalClocks(c.aware_at, decision, subs, now),
    };
  });
}

/** The clocks of one case, for the API and the case page. */
export async function readCaseClocks(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
  now: Date = new Date(),
): Promise<CaseClocks> {
  authorize(actor, 'cases:read');
  const db = deps.database.db;
  const kase = await requireCase(db, caseRef);
  const [one] = await clocksOfCases(db, [kase], now);
  return one!;
}
