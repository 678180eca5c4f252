import { authorize, type Actor } from '../domain/access.js';
import type { CaseView } from '../domain/case.js';
import type { Database } from '../store/database.js';
import { listCases } from './case.service.js';

/** One open case as the dashboard shows it. */
export interface DashboardCase {
  case: CaseView;
}

/** Everything the dashboard shows. */
export interface DashboardData {
  openCases: DashboardCase[];
}

/** The dashboard's figures for the actor. */
export async function loadDashboard(
  actor: Actor,
  deps: { database: Database },
): Promise<DashboardData> {
  authorize(actor, 'cases:read');
  const cases = await listCases(actor, {}, deps);
  return { openCases: cases.map((c) => ({ case: c })) };
}
