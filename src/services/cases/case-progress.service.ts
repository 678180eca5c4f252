import { authorize, type Actor } from '../../domain/access.js';
import type { CaseState } from '../../domain/case.js';
import {
  closeBlockers,
  recallSteps,
  type RecallFacts,
  type RecallStepStatus,
  type RecallViewer,
} from '../../domain/recall-steps.js';
import type { LegalClock } from '../../domain/assessment/legal-clocks.js';
import type { Database } from '../../store/database.js';
import { countAffectedList, countAffectedSet } from '../../store/affected.repository.js';
import { countDeliveriesByState, listDispatchesOfCase } from '../../store/dispatch.repository.js';
import { listNoticesOfCase } from '../../store/notice.repository.js';
import { findPublication } from '../../store/publication.repository.js';
import { countFrozenRecipients, countResponses } from '../../store/recipient.repository.js';
import { readJson, type Executor, stringListJson } from '../../store/executor.js';
import type { CaseRow } from '../../store/schema.js';
import { filterOf } from './affected.service.js';
import { requireCase } from './case-lookup.js';
import { clocksOfCases } from '../assessment/legal-clock.service.js';

// Gathers what the recall tracker needs about one case (a handful of indexed counts) and
// hands it to the pure step computation in src/domain/recall-steps.ts.

/** The tracker of one case for one viewer, with the clocks its deadline banner shows. */
export interface CaseProgress {
  reference: string;
  kind: 'incident' | 'advisory';
  state: CaseState;
  awareAt: string | null;
  steps: RecallStepStatus[];
  clocks: LegalClock[];
}

/** The facts the steps are computed from (exported for the close guard). */
export async function gatherRecallFacts(
  db: Executor,
  dialect: Database['dialect'],
  kase: CaseRow,
  now: Date,
): Promise<RecallFacts & { unsentNotices: number }> {
  const [clocks, notices, dispatches, publication, responses] = await Promise.all([
    clocksOfCases(db, [kase], now).then((c) => c[0]!),
    listNoticesOfCase(db, kase.id),
    listDispatchesOfCase(db, kase.id),
    findPublication(db, kase.id),
    countResponses(db, kase.id),
  ]);
  const affectedNotices = notices.filter((n) => n.audience === 'affected');
  const live = dispatches.filter((d) => d.state !== 'cancelled');
  const dispatchFacts = await Promise.all(
    live.map(async (d) => {
      if (d.state === 'completed') return { state: d.state, total: d.total, done: d.total };
      const counts = await countDeliveriesByState(db, d.id);
      const done = (['sent', 'bounced', 'failed', 'cancelled'] as const).reduce(
        (s, k) => s + (counts[k] ?? 0),
        0,
      );
      return { state: d.state, total: d.total, done };
    }),
  );
  return {
    kind: kase.kind === 'advisory' ? 'advisory' : 'incident',
    state: kase.state,
    awareAt: kase.aware_at,
    decision: clocks.decision
      ? {
          authorityNotify: clocks.decision.personalData && clocks.decision.authority.notify,
          subjectsNotify: clocks.decision.subjects.notify,
        }
      : null,
    affected: await affectedCount(db, dialect, kase),
    notices: affectedNotices.map((n) => ({
      approved: n.approved_hash !== null && n.approved_hash === n.content_hash,
      editors: readJson(n.editors, stringListJson),
    })),
    dispatches: dispatchFacts,
    published: publication !== undefined && publication.withdrawn_at === null,
    clocks: clocks.clocks,
    responses,
    unsentNotices: affectedNotices.filter((n) => !live.some((d) => d.notice_id === n.id)).length,
  };
}

// The list alone answers "is anyone affected" cheaply; the filter is counted only when the
// list is empty (a filter over a large registry is the expensive part).
async function affectedCount(
  db: Executor,
  dialect: Database['dialect'],
  kase: CaseRow,
): Promise<number> {
  if (kase.frozen_at) return (await countFrozenRecipients(db, kase.id)).total;
  const list = await countAffectedList(db, kase.id);
  if (list > 0 || !kase.affected_filter) return list;
  return (await countAffectedSet(db, kase.id, filterOf(kase, dialect))).total;
}

/** The recall steps of a case as this viewer should see them, and its legal clocks. */
export async function getCaseProgress(
  actor: Actor,
  caseRef: string | number,
  viewer: RecallViewer,
  deps: { database: Database },
  now: Date = new Date(),
): Promise<CaseProgress> {
  authorize(actor, 'cases:read');
  const { db, dialect } = deps.database;
  const kase = await requireCase(db, caseRef);
  const facts = await gatherRecallFacts(db, dialect, kase, now);
  return {
    reference: kase.reference,
    kind: facts.kind,
    state: facts.state,
    awareAt: kase.aware_at,
    steps: recallSteps(facts, viewer),
    clocks: [...facts.clocks],
  };
}

/** What closing the case would leave open now (null: nothing), for the confirm step. */
export async function readCloseBlockers(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
  now: Date = new Date(),
): Promise<ReturnType<typeof closeBlockers>> {
  authorize(actor, 'cases:read');
  const { db, dialect } = deps.database;
  const kase = await requireCase(db, caseRef);
  const facts = await gatherRecallFacts(db, dialect, kase, now);
  return closeBlockers({ clocks: facts.clocks, unsentNotices: facts.unsentNotices });
}
