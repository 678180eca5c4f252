import { authorize, type Actor } from '../../domain/access.js';
import { checkAnchor, type AuditAnchor } from '../../domain/audit-anchor.js';
import { AuditChainVerifier, hashAuditEntry, type AuditFinding } from '../../domain/audit-chain.js';
import type { Database, Dialect } from '../../store/database.js';
import {
  findAuditEventHash,
  findAuditHead,
  insertAuditEvent,
  listAuditEventsAfter,
  listRecentAuditEvents,
  lockAuditHead,
} from '../../store/audit.repository.js';
import { nowIso, readJson, type Executor, jsonObject } from '../../store/executor.js';
import { GENESIS_HASH } from '../../store/migrations/2026-11-27T1000-foundation.js';

/** What happened, to what: the caller supplies this, the chain adds who/when/hashes. */
export interface AuditAction {
  action: string;
  objectType: string;
  objectId?: string | number | null;
  details?: Record<string, unknown>;
}

/**
 * Appends an audit entry inside the caller's transaction, so the entry and the change it
 * records commit or roll back together.
 */
export async function appendAudit(
  tx: Executor,
  dialect: Dialect,
  actor: Actor,
  event: AuditAction,
): Promise<void> {
  const head = await lockAuditHead(tx, dialect);
  const content = {
    seq: head.seq + 1,
    at: nowIso(),
    actor: actor.name,
    action: event.action,
    objectType: event.objectType,
    objectId:
      event.objectId === undefined || event.objectId === null ? null : String(event.objectId),
    source: actor.source,
    details: event.details ?? {},
    prevHash: head.hash,
  };
  await insertAuditEvent(tx, {
    seq: content.seq,
    at: content.at,
    actor: content.actor,
    action: content.action,
    object_type: content.objectType,
    object_id: content.objectId,
    source: content.source,
    details: JSON.stringify(content.details),
    prev_hash: content.prevHash,
    hash: hashAuditEntry(content),
  });
}

/** Result of recomputing the whole chain. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string };
  findings: AuditFinding[];
}

/**
 * Recomputes every hash and link, streaming the table a page at a time, and checks that the
 * chain still extends each anchor given (the entry at its sequence still has its hash).
 * Without anchors this proves only that the chain is consistent with itself: whoever can
 * write the database can change an entry and recompute every later hash.
 */
export async function verifyAuditChain(
  actor: Actor,
  database: Database,
  options: { anchors?: readonly { anchor: AuditAnchor; label: string }[] } = {},
): Promise<AuditVerification> {
  authorize(actor, 'audit:verify');
  const verifier = new AuditChainVerifier(GENESIS_HASH);
  const head = await findAuditHead(database.db);
  let after = 0;
  for (;;) {
    const page = await listAuditEventsAfter(database.db, after, 5000);
    for (const row of page) {
      verifier.add({
        seq: row.seq,
        at: row.at,
        actor: row.actor,
        action: row.action,
        objectType: row.object_type,
        objectId: row.object_id,
        source: row.source,
        details: readJson(row.details, jsonObject),
        prevHash: row.prev_hash,
        hash: row.hash,
      });
    }
    if (page.length < 5000) break;
    after = page[page.length - 1]!.seq;
  }
  const findings = verifier.finish(head);
  for (const { anchor, label } of options.anchors ?? []) {
    const stored =
      anchor.seq === 0 ? GENESIS_HASH : await findAuditEventHash(database.db, anchor.seq);
    const finding = checkAnchor(anchor, stored, label);
    if (finding) findings.push(finding);
  }
  return { ok: findings.length === 0, entries: verifier.count, head, findings };
}

/** Public shape of an audit entry. */
export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  source: string;
  details: Record<string, unknown>;
  hash: string;
}

/** Newest entries first, for the viewer and the API. */
export async function listAudit(
  actor: Actor,
  database: Database,
  filter: { objectType?: string; objectId?: string; beforeSeq?: number; limit: number },
): Promise<AuditEntryView[]> {
  authorize(actor, 'audit:read');
  const rows = await listRecentAuditEvents(database.db, filter);
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    source: r.source,
    details: readJson(r.details, jsonObject),
    hash: r.hash,
  }));
}
