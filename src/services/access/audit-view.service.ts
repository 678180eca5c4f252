import { authorize, type Actor } from '../../domain/access.js';
import type { Database } from '../../store/database.js';
import { readJson, jsonObject } from '../../store/executor.js';
import {
  listAuditEventsFiltered,
  listAuditVocabulary,
  type AuditFilter,
} from '../../store/audit-view.repository.js';
import type { AuditEntryView } from './audit.service.js';

/** One page of the audit viewer. */
export interface AuditPage {
  entries: AuditEntryView[];
  /** The seq to continue before, when there are older entries. */
  nextBeforeSeq: number | null;
  vocabulary: { actions: string[]; actors: string[]; objectTypes: string[] };
}

/** Audit entries for the viewer, newest first, filtered by actor, action and object. */
export async function browseAudit(
  actor: Actor,
  database: Database,
  filter: AuditFilter,
): Promise<AuditPage> {
  authorize(actor, 'audit:read');
  const rows = await listAuditEventsFiltered(database.db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  return {
    entries: page.map((r) => ({
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      source: r.source,
      details: readJson(r.details, jsonObject),
      hash: r.hash,
    })),
    nextBeforeSeq: rows.length > filter.limit ? Number(page[page.length - 1]!.seq) : null,
    vocabulary: await listAuditVocabulary(database.db),
  };
}
