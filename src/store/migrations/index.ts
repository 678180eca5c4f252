import type { Migration } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';
import { foundation } from './2026-11-27T1000-foundation.js';
import { recallLoop } from './2026-11-27T1100-recall-loop.js';
import { workspace } from './2026-11-27T1200-workspace.js';
import { publication } from './2026-11-27T1300-publication.js';
import { csaf } from './2026-11-27T1310-csaf.js';
import { assessment } from './2026-11-27T1400-assessment.js';
import { reports } from './2026-11-27T1410-reports.js';
import { dispatchOnce } from './2026-11-27T1500-dispatch-once.js';
import { recoveryCodes } from './2026-11-27T1510-recovery-codes.js';
import { statementsSnapshots } from './2026-12-07T0900-statements-snapshots.js';
import { portalAccess } from './2026-12-07T1100-portal.js';
import { auditAnchors } from './2026-12-07T1200-audit-anchors.js';
import { deliveryRetriesIndex } from './2026-12-07T1300-delivery-retries-index.js';
import { letters } from './2026-12-07T1200-letters.js';
import { posture } from './2026-12-07T1300-posture.js';
import { remedies } from './2026-12-07T1400-remedies.js';
import { remedyConfirmations } from './2026-12-07T1410-remedy-confirmations.js';
import { completionIndexes } from './2026-12-07T1415-completion-indexes.js';
import { reminders } from './2026-12-07T1450-reminders.js';
import { recipientSearch } from './2026-12-07T1700-recipient-search.js';
import { jobLeases } from './2026-12-07T2000-job-leases.js';
import { multiProcess } from './2026-12-07T1440-multi-process.js';
import { questions } from './2026-12-07T1420-questions.js';

/** Every migration, by timestamped name; Kysely applies them in name order. */
export function allMigrations(dialect: Dialect): Record<string, Migration> {
  const t = columnTypes(dialect);
  return {
    '2026-11-27T1000-foundation': foundation(t),
    '2026-11-27T1100-recall-loop': recallLoop(t),
    '2026-11-27T1200-workspace': workspace(t),
    '2026-11-27T1300-publication': publication(t),
    '2026-11-27T1310-csaf': csaf(t),
    '2026-11-27T1400-assessment': assessment(t),
    '2026-11-27T1410-reports': reports(t),
    '2026-11-27T1500-dispatch-once': dispatchOnce(),
    '2026-11-27T1510-recovery-codes': recoveryCodes(t),
    '2026-12-07T0900-statements-snapshots': statementsSnapshots(t),
    '2026-12-07T1100-portal': portalAccess(),
    '2026-12-07T1200-audit-anchors': auditAnchors(t),
    '2026-12-07T1200-letters': letters(t),
    '2026-12-07T1300-delivery-retries-index': deliveryRetriesIndex(),
    '2026-12-07T1300-posture': posture(t),
    '2026-12-07T1400-remedies': remedies(t),
    '2026-12-07T1410-remedy-confirmations': remedyConfirmations(),
    '2026-12-07T1415-completion-indexes': completionIndexes(),
    '2026-12-07T1420-questions': questions(t),
    '2026-12-07T1440-multi-process': multiProcess(t),
    '2026-12-07T1450-reminders': reminders(t),
    '2026-12-07T1700-recipient-search': recipientSearch(t),
    '2026-12-07T2000-job-leases': jobLeases(t),
  };
}
