import { validityWarning } from '../../domain/posture/posture-document.js';
import { publishedPostureVersions } from '../publication/posture.service.js';
import { authorize, type Actor } from '../../domain/access.js';
import type { LegalClock } from '../../domain/assessment/legal-clocks.js';
import type { CaseState, CaseView } from '../../domain/case.js';
import { DELIVERY_STATES, FINAL_STATES } from '../../domain/delivery.js';
import type { Database } from '../../store/database.js';
import { countDeliveriesByState, listDispatchesOfCase } from '../../store/dispatch.repository.js';
import { listCases } from '../../store/case.repository.js';
import { countResponses } from '../../store/recipient.repository.js';
import { toCaseView } from './case.service.js';
import { getRecallCurve, type RecallCurve } from '../dispatch/dispatch-progress.service.js';
import { clocksOfCases } from '../assessment/legal-clock.service.js';

/** The states a case is "open" in: someone still has work on it. */
export const OPEN_STATES: readonly CaseState[] = ['draft', 'open', 'notifying', 'monitoring'];

/** One open case as the dashboard shows it. */
export interface DashboardCase {
  case: CaseView;
  /** Frozen recipients and their responses (0 before the affected set is frozen). */
  recipients: number;
  acknowledged: number;
  remedied: number;
  /** Deliveries over all dispatches of the case. */
  deliveries: {
    total: number;
    /** In a final state (sent, bounced, failed, cancelled). */
    done: number;
    sent: number;
    problems: number;
    dispatches: number;
    running: number;
  };
  /** The legal clocks (GDPR, NIS2) of the case at the moment of loading. */
  clocks: LegalClock[];
  /** Acknowledged and remedied per day since the first dispatch; null before any dispatch. */
  recall: RecallCurve | null;
}

/** Everything the dashboard shows. */
export interface DashboardData {
  openCases: DashboardCase[];
  totals: {
    openCases: number;
    recipients: number;
    acknowledged: number;
    remedied: number;
    /** Legal clocks past their due time and not submitted, over all open cases. */
    overdueClocks: number;
  };
  /** The posture statement lapses within 30 days, or has lapsed (docs/posture.md). */
  postureWarning: { version: number; validUntil: string; daysLeft: number; lapsed: boolean } | null;
}

/**
 * The dashboard's figures: per open case the delivery progress and the acknowledgement
 * and completion counts. Each figure is an indexed count per case or per dispatch, and
 * there are few open cases, so this stays cheap even with a million recipients. The legal
 * clocks of all open cases come from one batch (two queries); the recall curve is a grouped
 * count per case, bounded by the days since its first dispatch.
 */
export async function loadDashboard(
  actor: Actor,
  deps: { database: Database },
  now: Date = new Date(),
): Promise<DashboardData> {
  authorize(actor, 'cases:read');
  const db = deps.database.db;
  const rows = await listCases(db, { states: [...OPEN_STATES], limit: 100 });
  const clocks = await clocksOfCases(db, rows, now);
  const openCases: DashboardCase[] = [];
  for (const [i, row] of rows.entries()) {
    const c = toCaseView(row);
    const responses = await countResponses(db, c.id);
    const dispatches = await listDispatchesOfCase(db, c.id);
    const deliveries = {
      total: 0,
      done: 0,
      sent: 0,
      problems: 0,
      dispatches: dispatches.length,
      running: 0,
    };
    for (const d of dispatches) {
      if (d.state === 'running' || d.state === 'preparing') deliveries.running++;
      const counts = await countDeliveriesByState(db, d.id, 'email');
      for (const state of DELIVERY_STATES) {
        const n = counts[state] ?? 0;
        deliveries.total += n;
        if (FINAL_STATES.includes(state)) deliveries.done += n;
        if (state === 'sent') deliveries.sent += n;
        if (state === 'bounced' || state === 'failed') deliveries.problems += n;
      }
    }
    openCases.push({
      case: c,
      recipients: responses.total,
      acknowledged: responses.acknowledged,
      remedied: responses.remedied,
      deliveries,
      clocks: clocks[i]?.clocks ?? [],
      recall: await getRecallCurve(actor, row, deps, now),
    });
  }
  const [posture] = await publishedPostureVersions(db);
  const warning = posture ? validityWarning(posture.validUntil, now) : null;
  return {
    openCases,
    postureWarning:
      posture && warning
        ? { version: posture.version, validUntil: posture.validUntil, ...warning }
        : null,
    totals: {
      openCases: openCases.length,
      recipients: openCases.reduce((s, c) => s + c.recipients, 0),
      acknowledged: openCases.reduce((s, c) => s + c.acknowledged, 0),
      remedied: openCases.reduce((s, c) => s + c.remedied, 0),
      overdueClocks: openCases.reduce(
        (s, c) => s + c.clocks.filter((k) => k.state === 'overdue').length,
        0,
      ),
    },
  };
}
