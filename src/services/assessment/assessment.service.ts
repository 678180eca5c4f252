import { authorize, type Actor } from '../../domain/access.js';
import {
  assessmentFactsSchema,
  describeFactIssues,
  overrideInputSchema,
  type Assessment,
  type AssessmentFacts,
  type DecisionKind,
  type EffectiveDecision,
  type OverrideInput,
  assessmentSchema,
} from '../../domain/assessment/assessment-facts.js';
import type { Locale } from '../../domain/assessment/enisa-severity.js';
import { assess, effectiveDecision } from '../../domain/assessment/notification-decision.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import * as store from '../../store/assessment.repository.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson, type Executor } from '../../store/executor.js';
import type { AssessmentFactsRow, AssessmentOverrideRow } from '../../store/schema-assessment.js';
import type { CaseRow } from '../../store/schema.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';

// Facts are versioned per case; each version stores the advice computed from it, so the
// record shows what Candor advised at the time even if the rules improve later. An
// override replaces one decision of the advice with a written rationale; it holds for the
// facts version it was made on: new facts bring the (new) advice back into force, and the
// override stays in the history.

export interface OverrideView {
  id: number;
  factsVersion: number;
  decision: DecisionKind;
  notify: boolean;
  publicCommunication: boolean | null;
  adviceNotify: boolean;
  rationale: string;
  decidedBy: string;
  decidedAt: string;
  /** Made on the facts version in force (false: superseded by newer facts). */
  current: boolean;
}

export interface CaseAssessment {
  caseId: number;
  factsVersion: number;
  facts: AssessmentFacts;
  recordedBy: string;
  recordedAt: string;
  /** The advice as stored with this facts version (English texts). */
  assessment: Assessment;
  overrides: OverrideView[];
  effective: EffectiveDecision;
}

function toOverrideView(row: AssessmentOverrideRow, currentVersion: number): OverrideView {
  return {
    id: row.id,
    factsVersion: row.facts_version,
    decision: row.decision as DecisionKind,
    notify: row.notify === 1,
    publicCommunication: row.public_communication === null ? null : row.public_communication === 1,
    adviceNotify: row.advice_notify === 1,
    rationale: row.rationale,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    current: row.facts_version === currentVersion,
  };
}

function compose(row: AssessmentFactsRow, overrideRows: AssessmentOverrideRow[]): CaseAssessment {
  const facts = readJson(row.facts, assessmentFactsSchema);
  const assessment = readJson(row.advice, assessmentSchema);
  const overrides = overrideRows.map((o) => toOverrideView(o, row.version));
  const current = overrides
    .filter((o) => o.current)
    .map((o) => ({
      decision: o.decision,
      notify: o.notify,
      publicCommunication: o.publicCommunication,
      rationale: o.rationale,
    }));
  return {
    caseId: row.case_id,
    factsVersion: row.version,
    facts,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
    assessment,
    overrides,
    effective: effectiveDecision(facts.personalData, assessment, current),
  };
}

/** The assessment of a case (facts in force, advice, overrides, decision in force), or null. */
export async function getCaseAssessment(
  db: Executor,
  caseId: number,
): Promise<CaseAssessment | null> {
  const row = await store.findLatestFacts(db, caseId);
  if (!row) return null;
  return compose(row, await store.listOverridesOfCases(db, [caseId]));
}

/** The assessments of several cases at once, keyed by case id (cases without facts absent). */
export async function getCaseAssessments(
  db: Executor,
  caseIds: readonly number[],
): Promise<Map<number, CaseAssessment>> {
  const [rows, overrides] = await Promise.all([
    store.listLatestFactsOfCases(db, caseIds),
    store.listOverridesOfCases(db, caseIds),
  ]);
  return new Map(
    rows.map((r) => [
      r.case_id,
      compose(
        r,
        overrides.filter((o) => o.case_id === r.case_id),
      ),
    ]),
  );
}

/** Parses a facts document or throws ValidationError naming every bad field. */
export function parseFactsOrThrow(input: unknown): AssessmentFacts {
  const parsed = assessmentFactsSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError('the assessment facts are invalid', describeFactIssues(parsed.error));
  return parsed.data;
}

/** Records a new version of a case's facts with the advice computed from them. */
export async function recordFacts(
  actor: Actor,
  caseRef: string | number,
  input: unknown,
  deps: { database: Database },
): Promise<CaseAssessment> {
  authorize(actor, 'assessment:write');
  const facts = parseFactsOrThrow(input);
  const advice = assess(facts, 'en');
  const { db, dialect } = deps.database;
  try {
    return await db.transaction().execute(async (tx) => {
      const kase = await requireCase(tx, caseRef);
      const previous = await store.findLatestFacts(tx, kase.id);
      const version = (previous?.version ?? 0) + 1;
      await store.insertFacts(tx, {
        case_id: kase.id,
        version,
        facts: JSON.stringify(facts),
        advice: JSON.stringify(advice),
        recorded_by: actor.name,
        recorded_at: nowIso(),
      });
      await appendAudit(tx, dialect, actor, {
        action: 'assessment.facts',
        objectType: 'case',
        objectId: kase.id,
        details: {
          reference: kase.reference,
          version,
          severity: { score: advice.severity.score, level: advice.severity.level },
          authority: advice.authority.notify,
          subjects: advice.subjects.notify,
          publicCommunication: advice.subjects.publicCommunication,
          nis2: advice.nis2.significant,
        },
      });
      return (await getCaseAssessment(tx, kase.id))!;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(
        'someone recorded facts for this case at the same moment; reload and try again',
      );
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '23505' || /UNIQUE constraint failed/.test(e.message ?? '');
}

/** Overrides one decision of the advice in force, with a written rationale. */
export async function overrideDecision(
  actor: Actor,
  caseRef: string | number,
  input: OverrideInput,
  deps: { database: Database },
): Promise<CaseAssessment> {
  authorize(actor, 'assessment:override');
  const parsed = overrideInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError('the override is invalid', describeFactIssues(parsed.error));
  const o = parsed.data;
  if (o.publicCommunication !== undefined && o.decision !== 'subjects')
    throw new ValidationError('the override is invalid', [
      {
        field: 'publicCommunication',
        message: 'only the subjects decision has a public communication',
      },
    ]);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const current = await store.findLatestFacts(tx, kase.id);
    if (!current)
      throw new ConflictError(`${kase.reference} has no assessment facts yet; record them first`);
    const advice = readJson(current.advice, assessmentSchema);
    const adviceNotify =
      o.decision === 'authority'
        ? advice.authority.notify
        : o.decision === 'subjects'
          ? advice.subjects.notify
          : advice.nis2.significant;
    await store.insertOverride(tx, {
      case_id: kase.id,
      facts_version: current.version,
      decision: o.decision,
      notify: o.notify ? 1 : 0,
      public_communication:
        o.decision === 'subjects' ? (o.notify && o.publicCommunication ? 1 : 0) : null,
      advice_notify: adviceNotify ? 1 : 0,
      rationale: o.rationale,
      decided_by: actor.name,
      decided_at: nowIso(),
    });
    await appendAudit(tx, dialect, actor, {
      action: 'assessment.override',
      objectType: 'case',
      objectId: kase.id,
      details: {
        reference: kase.reference,
        factsVersion: current.version,
        decision: o.decision,
        advice: adviceNotify,
        override: o.notify,
        publicCommunication: o.publicCommunication ?? null,
        rationale: o.rationale,
      },
    });
    return (await getCaseAssessment(tx, kase.id))!;
  });
}

export interface CaseAssessmentRead {
  case: CaseRow;
  assessment: CaseAssessment | null;
  /** The advice with its texts in the reader's language (recomputed from the stored facts). */
  localAdvice: Assessment | null;
}

/** What the API and the case page show: the case and its assessment, texts in `locale`. */
export async function readCaseAssessment(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
  locale: Locale = 'en',
): Promise<CaseAssessmentRead> {
  authorize(actor, 'cases:read');
  const db = deps.database.db;
  const kase = await requireCase(db, caseRef);
  const assessment = await getCaseAssessment(db, kase.id);
  return {
    case: kase,
    assessment,
    localAdvice: assessment
      ? locale === 'en'
        ? assessment.assessment
        : assess(assessment.facts, locale)
      : null,
  };
}
