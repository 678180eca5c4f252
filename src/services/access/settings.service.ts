import { authorize, type Actor } from '../../domain/access.js';
import {
  DEFAULT_ORGANISATION,
  organisationSchema,
  type Organisation,
} from '../../domain/organisation.js';
import type { Database } from '../../store/database.js';
import { nowIso } from '../../store/executor.js';
import { findSetting, upsertSetting } from '../../store/settings.repository.js';
import { appendAudit } from './audit.service.js';
import { revalidateApprovals } from '../notices/notice-approval.service.js';

/** The organisation settings, or the placeholder defaults. */
export async function getOrganisation(deps: { database: Database }): Promise<Organisation> {
  const stored = await findSetting(deps.database.db, 'organisation', organisationSchema.partial());
  return organisationSchema.parse({ ...DEFAULT_ORGANISATION, ...stored });
}

/** Updates the organisation settings (admins). */
export async function updateOrganisation(
  actor: Actor,
  input: Partial<Organisation>,
  deps: { database: Database },
): Promise<Organisation> {
  authorize(actor, 'settings:manage');
  const next = organisationSchema.parse({ ...(await getOrganisation(deps)), ...input });
  const { db, dialect } = deps.database;
  await db.transaction().execute(async (tx) => {
    await upsertSetting(tx, 'organisation', next, actor.name, nowIso());
    await appendAudit(tx, dialect, actor, {
      action: 'settings.update',
      objectType: 'settings',
      objectId: 'organisation',
      details: { ...next },
    });
    // The sender's details are in every notice: approvals that used a changed one end.
    await revalidateApprovals(tx, dialect, actor, { cause: 'organisation settings changed' });
  });
  return next;
}
