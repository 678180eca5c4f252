import { authorize, systemActor, type Actor } from '../../domain/access.js';
import { conditionMet, embargoConditions } from '../../domain/embargo.js';
import { ConflictError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson, type Executor, stringMapJson } from '../../store/executor.js';
import * as repo from '../../store/publication.repository.js';
import { insertPublicUpdate, listPublicUpdates } from '../../store/public-update.repository.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { recordPublicChange, storedTextsSchema } from './publication.service.js';

/** A background round running longer than this is taken as hung (readiness fails). */

/**
 * Staged disclosure: embargoed blocks become public when their condition is met (the case is
 * resolved, or the date has passed), or when someone releases them by hand. A release is a
 * public change like any other: an audit entry, a timeline update ("technical details
 * published"), a new revision and an outbox event, in one transaction.
 */

type Trigger = 'resolved' | 'date' | 'manual';

const RELEASE_NOTE = {
  nl: 'De technische details zijn nu gepubliceerd.',
  en: 'The technical details have now been published.',
};

/** Conditions used in a case's public texts (notice, press statement, updates). */
async function conditionsOf(db: Executor, caseId: number): Promise<string[]> {
  const pub = await repo.findPublication(db, caseId);
  if (!pub || pub.withdrawn_at) return [];
  const bodies = [
    ...Object.values(readJson(pub.public_texts, storedTextsSchema)).map((t) => t.body),
    ...Object.values(pub.press_texts ? readJson(pub.press_texts, storedTextsSchema) : {}).map(
      (t) => t.body,
    ),
    ...(await listPublicUpdates(db, [caseId])).flatMap((u) =>
      Object.values(readJson(u.texts, stringMapJson)),
    ),
  ];
  return embargoConditions(bodies);
}

/**
 * Releases conditions of one case inside the caller's transaction; resolves with the ones
 * this call released (none if another process released them first).
 */
async function release(
  tx: Executor,
  database: Database,
  actor: Actor,
  caseId: number,
  candidates: string[],
  trigger: Trigger,
): Promise<string[]> {
  const now = nowIso();
  // The unique release row is the claim. Several servers run this loop; on PostgreSQL two
  // rounds can both find a condition due (each reads before the other commits), and only the
  // one whose insert lands may write the note, the revision and the outbox event: the other's
  // insert waits for the winner's commit and then inserts nothing.
  const released: string[] = [];
  for (const condition of candidates) {
    const inserted = await repo.insertEmbargoRelease(tx, {
      case_id: caseId,
      condition,
      trigger,
      released_by: actor.name,
      released_at: now,
    });
    if (inserted) released.push(condition);
  }
  if (released.length === 0) return [];
  const conditions = released;
  await insertPublicUpdate(tx, {
    case_id: caseId,
    status: 'update',
    at: now,
    texts: JSON.stringify(RELEASE_NOTE),
    created_by: actor.name,
    created_at: now,
  });
  const revision = await recordPublicChange(
    tx,
    caseId,
    'released',
    `technical details published (${conditions.join(', ')}; ${trigger})`,
    now,
  );
  await appendAudit(tx, database.dialect, actor, {
    action: 'publication.embargo-release',
    objectType: 'case',
    objectId: caseId,
    details: { conditions, trigger, revision },
  });
  return released;
}

/** The conditions of a case that are met now and not yet released. */
async function dueConditions(db: Executor, caseId: number, now: number): Promise<string[]> {
  const kase = await requireCase(db, caseId);
  const resolved = kase.resolved_at !== null || ['resolved', 'closed'].includes(kase.state);
  const already = new Set((await repo.listEmbargoReleases(db, [caseId])).map((r) => r.condition));
  if (already.has('*')) return [];
  return (await conditionsOf(db, caseId)).filter(
    (c) => !already.has(c) && conditionMet(c, { resolved, now }),
  );
}

/**
 * Releases every embargo whose condition is met now, for one case or all published cases.
 * Idempotent and safe to run from several processes: the release rows are unique per
 * condition, and the check runs again inside the transaction.
 */
export async function releaseDueEmbargoes(
  deps: { database: Database },
  options: { caseId?: number; now?: number } = {},
): Promise<{ released: { caseId: number; conditions: string[] }[] }> {
  const { db } = deps.database;
  const now = options.now ?? Date.now();
  const rows = options.caseId
    ? [{ case_id: options.caseId }]
    : (await repo.listPublicationRows(db)).map((r) => ({ case_id: Number(r.case_id) }));
  const released: { caseId: number; conditions: string[] }[] = [];
  const actor = systemActor('embargo');
  for (const { case_id: caseId } of rows) {
    // Read-only first: most runs find nothing due, and a write transaction per case every few
    // seconds would contend with dispatch workers for SQLite's write lock.
    if ((await dueConditions(db, caseId, now)).length === 0) continue;
    const done = await db.transaction().execute(async (tx) => {
      const due = await dueConditions(tx, caseId, now);
      if (due.length === 0) return null;
      const trigger: Trigger = due.includes('resolved') ? 'resolved' : 'date';
      const released = await release(tx, deps.database, actor, caseId, due, trigger);
      return released.length > 0 ? released : null;
    });
    if (done) released.push({ caseId, conditions: done });
  }
  return { released };
}

/** Releases every embargo of a case now, by hand (publishers). */
export async function releaseEmbargoNow(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
): Promise<{ conditions: string[] }> {
  authorize(actor, 'publication:publish');
  const { db } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const already = new Set(
      (await repo.listEmbargoReleases(tx, [kase.id])).map((r) => r.condition),
    );
    const pending = already.has('*')
      ? []
      : (await conditionsOf(tx, kase.id)).filter((c) => !already.has(c));
    if (pending.length === 0)
      throw new ConflictError(`${kase.reference} has no embargoed text waiting for release`);
    const released = await release(tx, deps.database, actor, kase.id, [...pending, '*'], 'manual');
    if (released.length === 0)
      throw new ConflictError(`${kase.reference} has no embargoed text waiting for release`);
    return { conditions: pending };
  });
}
