import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { checkDisclosure } from '../../domain/disclosure-check.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import {
  publicLanguageSchema,
  updateStatusSchema,
  type PublicUpdate,
  publicUpdateSchema,
} from '../../domain/publication.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson } from '../../store/executor.js';
import { findPublication } from '../../store/publication.repository.js';
import { insertPublicUpdate, listPublicUpdates } from '../../store/public-update.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { getPublicationSettings, loadInternalNames } from './disclosure.service.js';
import { recordPublicChange } from './publication.service.js';

export const newPublicUpdateSchema = z.object({
  status: updateStatusSchema,
  at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time' }).optional(),
  texts: z
    .partialRecord(publicLanguageSchema, z.string().trim().min(1, 'must not be empty').max(20_000))
    .refine((t) => Object.keys(t).length > 0, 'at least one language version is required'),
  /** Publishes despite disclosure findings; the reason is audited. */
  acceptFindingsReason: z.string().trim().min(3).max(1000).optional(),
});
export type NewPublicUpdate = z.input<typeof newPublicUpdateSchema>;

/**
 * Posts a timeline update to a published case (investigating, identified, contained,
 * resolved, or a free update). It is public at once, so it runs the disclosure check first:
 * findings refuse it unless the publisher accepts them with a reason.
 */
export async function postPublicUpdate(
  actor: Actor,
  caseRef: string | number,
  input: NewPublicUpdate,
  deps: { database: Database },
): Promise<PublicUpdate> {
  authorize(actor, 'publication:publish');
  const data = newPublicUpdateSchema.parse(input);
  const { db, dialect } = deps.database;
  const settings = await getPublicationSettings(db);
  // An update is as public as a public notice: our server names stay out of it too.
  const findings = checkDisclosure(
    Object.entries(data.texts).map(([language, body]) => ({ language, subject: '', body })),
    {
      internalDomains: settings.internalDomains,
      internalNames: await loadInternalNames(deps.database, settings),
    },
  );
  if (findings.length > 0 && !data.acceptFindingsReason) {
    throw new ValidationError(
      `the disclosure check has ${findings.length} finding${findings.length === 1 ? '' : 's'}: fix the text or accept them with a reason`,
      findings.map((f) => ({
        field: `texts.${f.language}`,
        message: `line ${f.line}: ${f.message}: ${f.excerpt}`,
      })),
    );
  }
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const pub = await findPublication(tx, kase.id);
    if (!pub || pub.withdrawn_at)
      throw new ConflictError(
        `${kase.reference} is not published yet: publish it before posting updates`,
      );
    const now = nowIso();
    const at = data.at ? new Date(data.at).toISOString() : now;
    const id = await insertPublicUpdate(tx, {
      case_id: kase.id,
      status: data.status,
      at,
      texts: JSON.stringify(data.texts),
      created_by: actor.name,
      created_at: now,
    });
    const revision = await recordPublicChange(
      tx,
      kase.id,
      'updated',
      `update: ${data.status}`,
      now,
    );
    await appendAudit(tx, dialect, actor, {
      action: 'publication.update',
      objectType: 'case',
      objectId: kase.id,
      details: {
        updateId: id,
        status: data.status,
        at,
        revision,
        ...(findings.length > 0
          ? {
              acceptedFindings: findings.map((f) => ({ rule: f.rule, excerpt: f.excerpt })),
              reason: data.acceptFindingsReason,
            }
          : {}),
      },
    });
    return { id, status: data.status, at, text: data.texts };
  });
}

/** The raw updates of a case (with embargo markup): for the workspace. */
export async function listCaseUpdates(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
): Promise<(PublicUpdate & { createdBy: string })[]> {
  authorize(actor, 'cases:read');
  const db = deps.database.db;
  const kase = await requireCase(db, caseRef);
  return (await listPublicUpdates(db, [kase.id])).map((u) => ({
    id: Number(u.id),
    status: u.status,
    at: u.at,
    text: readJson(u.texts, publicUpdateSchema.shape.text),
    createdBy: u.created_by,
  }));
}
