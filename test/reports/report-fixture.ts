/**
 * Cases for the report and register tests: an incident with facts recorded through the
 * assessment service (so advice and decisions are real), timeline notes, and the actors
 * that play the roles of the four-eyes rule.
 */
import type { Actor, Role } from '../../src/domain/access.js';
import type { AssessmentFactsInput } from '../../src/domain/assessment/assessment-facts.js';
import { recordFacts } from '../../src/services/assessment/assessment.service.js';
import { addCaseEvent, createCase, updateCase } from '../../src/services/cases/case.service.js';
import type { Database } from '../../src/store/database.js';

export const person = (name: string, ...roles: Role[]): Actor => ({
  kind: 'user',
  userId: null,
  name,
  roles,
  source: 'test',
});

/** Rita drafts and edits; Anna approves; Vera only reads; Bram responds too. */
export const rita = person('rita', 'responder');
export const bram = person('bram', 'responder');
export const anna = person('anna', 'approver');
export const otto = person('otto', 'approver');
export const vera = person('vera', 'viewer');
export const carl = person('carl', 'communicator');

export const BREACH_FACTS: AssessmentFactsInput = {
  personalData: true,
  confidentiality: 'unknown-recipients',
  dataCategories: ['simple', 'credentials'],
  dataSubjects: 12000,
  records: 48000,
  passwordStorage: 'weak-hash',
  exfiltration: 'confirmed',
  maliciousIntent: true,
  identifiability: 'maximum',
  crossBorder: true,
  nis2: {
    entityType: 'important',
    serviceType: 'cloud',
    usersAffected: 12000,
    euUsersAffectedPercent: 8,
    dataCompromised: true,
    maliciousAccessSevereDisruption: true,
  },
};

/** An incident that became known `hoursAgo` hours ago, with facts and two timeline notes. */
export async function breachCase(
  database: Database,
  options: { hoursAgo?: number; title?: string; facts?: AssessmentFactsInput | null } = {},
): Promise<{ reference: string; id: number }> {
  const deps = { database };
  const aware = new Date(Date.now() - (options.hoursAgo ?? 5) * 3_600_000).toISOString();
  const kase = await createCase(
    rita,
    {
      kind: 'incident',
      title: options.title ?? 'Klantendatabase gekopieerd via gestolen beheersleutel',
      summary: 'Een aanvaller kopieerde de tabel met klantaccounts van het klantenpaneel.',
      statements: {
        what_happened: {
          nl: 'Een aanvaller kopieerde de tabel met klantaccounts van het klantenpaneel.',
          en: 'An attacker copied the table of customer accounts from the customer panel.',
        },
      },
      detectedAt: aware,
      awareAt: aware,
    },
    deps,
  );
  await updateCase(
    rita,
    kase.reference,
    { containedAt: new Date(Date.now() - 3_600_000).toISOString() },
    deps,
  );
  await addCaseEvent(
    rita,
    kase.reference,
    { text: 'Beheersleutel ingetrokken en alle sessies beëindigd.' },
    deps,
  );
  await addCaseEvent(
    rita,
    kase.reference,
    { text: 'IoC: 203.0.113.77 (SSH), sha256 9f2c…e1' },
    deps,
  );
  if (options.facts !== null)
    await recordFacts(rita, kase.reference, options.facts ?? BREACH_FACTS, deps);
  return { reference: kase.reference, id: kase.id };
}
