import { authorize, type Actor } from '../../domain/access.js';
import { AUDIT_ANCHOR_FORMAT, type AuditAnchor } from '../../domain/audit-anchor.js';
import { ConflictError } from '../../domain/errors.js';
import { findLatestAuditAnchor, insertAuditAnchor } from '../../store/audit.repository.js';
import type { Database } from '../../store/database.js';
import { nowIso } from '../../store/executor.js';
import { bumpSiteRevision } from '../../store/publication.repository.js';
import { appendAudit, verifyAuditChain } from './audit.service.js';

/**
 * Takes an anchor of the audit chain: its head (sequence and hash) now. The chain is verified
 * first: an anchor of a chain that no longer verifies would vouch for the damage.
 */
export async function takeAuditAnchor(actor: Actor, database: Database): Promise<AuditAnchor> {
  authorize(actor, 'audit:verify');
  const verification = await verifyAuditChain(actor, database);
  if (!verification.ok) {
    throw new ConflictError(
      `the audit chain does not verify (${verification.findings.length} findings; run \`candor audit verify\`): an anchor of it would vouch for the damage`,
    );
  }
  return {
    format: AUDIT_ANCHOR_FORMAT,
    seq: verification.head.seq,
    hash: verification.head.hash,
    at: nowIso(),
  };
}

/**
 * Takes an anchor and records it for the public security page (the site is re-rendered), so
 * that copies of it exist outside the database: every visitor, cache and archive of the page.
 * The publication itself is audited, as the entry after the anchored one.
 */
export async function publishAuditAnchor(actor: Actor, database: Database): Promise<AuditAnchor> {
  const anchor = await takeAuditAnchor(actor, database);
  await database.db.transaction().execute(async (tx) => {
    await insertAuditAnchor(tx, {
      seq: anchor.seq,
      hash: anchor.hash,
      anchored_at: anchor.at,
      published_by: actor.name,
    });
    await bumpSiteRevision(tx, anchor.at);
    await appendAudit(tx, database.dialect, actor, {
      action: 'audit.anchor_published',
      objectType: 'audit',
      objectId: anchor.seq,
      details: { seq: anchor.seq, hash: anchor.hash },
    });
  });
  return anchor;
}

/** The anchor published last, for the public security page (null when none was). */
export async function latestPublishedAuditAnchor(
  database: Database,
): Promise<{ seq: number; hash: string; anchoredAt: string } | null> {
  return findLatestAuditAnchor(database.db);
}
