import { Readable } from 'node:stream';
import { customersToJsonl, generateCustomers } from '../../src/demo/customer-generator.js';
import { systemActor, type Actor } from '../../src/domain/access.js';
import { importAffected } from '../../src/services/cases/affected.service.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { importCustomers } from '../../src/services/customers/customer-import.service.js';
import type { AppContext } from '../../src/wiring.js';

/** A bench user with one role, as the services see a person in the workspace. */
export function benchPerson(name: string, role: 'communicator' | 'approver' | 'responder'): Actor {
  return { kind: 'user', userId: null, name, roles: [role], source: 'bench' };
}

/**
 * `rows` synthetic customers (seed `seed`) in the registry, and an incident case whose
 * affected list names all of them, through the services as an import would.
 */
export async function prepareRecallCase(
  app: AppContext,
  rows: number,
  seed: number,
): Promise<{ caseId: number }> {
  await importCustomers(
    systemActor('bench'),
    Readable.from(customersToJsonl(rows, seed)),
    { source: 'bench', format: 'jsonl' },
    app.deps,
  );
  const kase = await createCase(
    benchPerson('sanne', 'responder'),
    {
      kind: 'incident',
      title: 'Klantgegevens gekopieerd',
      summary: 'Een aanvaller heeft een deel van onze klantgegevens gekopieerd.',
      statements: {
        what_happened: {
          nl: 'Een aanvaller heeft een deel van onze klantgegevens gekopieerd.',
          en: 'An attacker copied part of our customer data.',
        },
      },
      detectedAt: '2026-11-26T21:10:00Z',
      awareAt: '2026-11-27T02:45:00Z',
    },
    app.deps,
  );
  const affected = [...generateCustomers(rows, seed)].map(
    (c) => `${JSON.stringify({ external_id: c.external_id })}\n`,
  );
  await importAffected(
    benchPerson('sanne', 'responder'),
    kase.id,
    Readable.from(affected),
    { source: 'bench', format: 'jsonl' },
    app.deps,
  );
  return { caseId: kase.id };
}
