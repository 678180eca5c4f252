import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { AuditFinding } from './audit-chain.js';

/**
 * An anchor is the audit chain's head written down outside the database: which entry was the
 * latest, its hash, and when. The chain is unkeyed SHA-256, so whoever can write the database
 * can change an entry and recompute every later hash; the chain then verifies as intact. It
 * cannot also change the copies of an anchor kept elsewhere (a ticket, a mail, the public
 * security page, a notary), and the recomputed entry no longer has the anchored hash.
 */

/** The version of the anchor document; bump it when the fields change meaning. */
export const AUDIT_ANCHOR_FORMAT = 'candor-audit-anchor/1';

export const auditAnchorSchema = z.object({
  format: z.literal(AUDIT_ANCHOR_FORMAT),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits (SHA-256)'),
  at: z.iso.datetime({ offset: true }),
});
export type AuditAnchor = z.infer<typeof auditAnchorSchema>;

/** Parses an anchor document; the error names the source and each bad field. */
export function parseAuditAnchor(text: string, source: string): AuditAnchor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${source} is not an audit anchor: not JSON`, [
      { field: source, message: (error as Error).message },
    ]);
  }
  const parsed = auditAnchorSchema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(
      `${source} is not an audit anchor`,
      parsed.error.issues.map((i) => ({
        field: i.path.join('.') || '(document)',
        message: i.message,
      })),
    );
  }
  return parsed.data;
}

/**
 * Whether the chain still extends an anchor: the entry at the anchor's sequence must still
 * exist with the anchored hash. `storedHash` is that entry's hash now (null: no such entry).
 */
export function checkAnchor(
  anchor: AuditAnchor,
  storedHash: string | null,
  label: string,
): AuditFinding | null {
  if (storedHash === anchor.hash) return null;
  if (storedHash === null) {
    return {
      seq: anchor.seq,
      problem: 'anchor-missing',
      message: `entry ${anchor.seq}, anchored in ${label} on ${anchor.at}, is gone: the chain was cut back or rewritten before it`,
    };
  }
  return {
    seq: anchor.seq,
    problem: 'anchor-mismatch',
    message: `entry ${anchor.seq} no longer has the hash anchored in ${label} on ${anchor.at} (${anchor.hash.slice(0, 16)}…, now ${storedHash.slice(0, 16)}…): an entry at or before ${anchor.seq} was changed and the chain recomputed`,
  };
}
