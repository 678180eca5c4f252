import type { Executor } from './executor.js';
import type { AuditEventRow } from './schema.js';

/** What the audit viewer filters on; every part optional. */
export interface AuditFilter {
  actor?: string;
  /** An action or an action prefix ending in '.', e.g. "user." for every user action. */
  action?: string;
  objectType?: string;
  objectId?: string;
  beforeSeq?: number;
  limit: number;
}

/** The newest entries first, filtered, a page at a time (keyset on seq). */
export async function listAuditEventsFiltered(
  db: Executor,
  filter: AuditFilter,
): Promise<AuditEventRow[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  if (filter.action) {
    q = filter.action.endsWith('.')
      ? q.where('action', '>=', filter.action).where('action', '<', `${filter.action}\uffff`)
      : q.where('action', '=', filter.action);
  }
  if (filter.objectType) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId) q = q.where('object_id', '=', filter.objectId);
  if (filter.beforeSeq) q = q.where('seq', '<', filter.beforeSeq);
  return q.orderBy('seq', 'desc').limit(filter.limit).execute();
}

/** The distinct actions and actors on record, for the filter's choices. */
export async function listAuditVocabulary(
  db: Executor,
): Promise<{ actions: string[]; actors: string[]; objectTypes: string[] }> {
  const actions = await db
    .selectFrom('audit_events')
    .select('action')
    .distinct()
    .orderBy('action')
    .execute();
  const actors = await db
    .selectFrom('audit_events')
    .select('actor')
    .distinct()
    .orderBy('actor')
    .limit(500)
    .execute();
  const types = await db
    .selectFrom('audit_events')
    .select('object_type')
    .distinct()
    .orderBy('object_type')
    .execute();
  return {
    actions: actions.map((r) => r.action),
    actors: actors.map((r) => r.actor),
    objectTypes: types.map((r) => r.object_type),
  };
}
