/**
 * The demo's assessment: the facts of the web12 data breach (INC-<year>-0001) as the
 * security lead records them — names, email addresses and unsalted SHA-1 password hashes
 * copied by an attacker — so the assessment tab, the legal clocks and the reports have
 * something real to show, and the security lead and the DPO get an email address so the
 * clock alerts arrive in the demo mailbox. Runs once; later starts find the facts and
 * leave them alone.
 */
import { systemActor, type Actor } from '../domain/access.js';
import type { AssessmentFactsInput } from '../domain/assessment/assessment-facts.js';
import { getCaseAssessment, recordFacts } from '../services/assessment/assessment.service.js';
import { listCases } from '../services/cases/case.service.js';
import { updateUserEmail } from '../services/access/user-admin.service.js';
import { toUserView } from '../services/access/user.service.js';
import { countAffectedList } from '../store/affected.repository.js';
import { findUserByUsername } from '../store/user.repository.js';
import type { AppContext } from '../wiring.js';

/** The web12 breach, for a given number of affected customers. */
export function web12Facts(affected: number): AssessmentFactsInput {
  return {
    personalData: true,
    confidentiality: 'unknown-recipients',
    integrity: 'none',
    availability: 'none',
    dataCategories: ['simple', 'credentials'],
    dataSubjects: affected,
    records: affected,
    encryption: 'none',
    passwordStorage: 'weak-hash',
    backupAvailable: true,
    exfiltration: 'confirmed',
    maliciousIntent: true,
    identifiability: 'maximum',
    incidentKind: 'break-in',
    crossBorder: false,
    nis2: {
      entityType: 'important',
      serviceType: 'cloud',
      usersAffected: affected,
      euUsersAffectedPercent: 1.5,
      unavailability: 'none',
      dataCompromised: true,
    },
  };
}

/** Records the facts of the demo incident once (by the security lead). */
export async function seedDemoAssessment(ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const row = await findUserByUsername(db, 'sanne');
  if (!row) return;
  const user = toUserView(row);
  const sanne: Actor = {
    kind: 'user',
    userId: user.id,
    name: user.username,
    roles: user.roles,
    source: 'demo',
  };
  const incident = (await listCases(sanne, { kind: 'incident' }, ctx.deps)).find((c) =>
    c.title.includes('web12'),
  );
  if (!incident || (await getCaseAssessment(db, incident.id))) return;
  // The case team gets the legal-clock alerts in the demo mailbox (responder and approver).
  for (const [username, email] of [
    ['sanne', 'sanne@voorbeeldhosting.example'],
    ['fatima', 'privacy@voorbeeldhosting.example'],
  ] as const) {
    const member = await findUserByUsername(db, username);
    if (member && !member.email)
      await updateUserEmail(systemActor('demo'), username, email, ctx.deps);
  }
  const affected = await countAffectedList(db, incident.id);
  await recordFacts(sanne, incident.reference, web12Facts(affected), ctx.deps);
}
