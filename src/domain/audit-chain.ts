import { createHash } from 'node:crypto';

/** The fields of an audit entry that its hash covers. */
export interface AuditEntryContent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  source: string;
  details: unknown;
  prevHash: string;
}

/** JSON with object keys sorted, so the hash does not depend on key order or engine. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 over the canonical form of the entry, including the previous entry's hash. */
export function hashAuditEntry(entry: AuditEntryContent): string {
  const body = canonicalJson([
    entry.seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.objectType,
    entry.objectId,
    entry.source,
    entry.details,
    entry.prevHash,
  ]);
  return createHash('sha256').update(body).digest('hex');
}

/** A stored entry as the verifier sees it. */
export interface StoredAuditEntry extends AuditEntryContent {
  hash: string;
}

/** One thing wrong with the chain, phrased for the operator. */
export interface AuditFinding {
  seq: number;
  problem:
    | 'altered'
    | 'removed'
    | 'reordered'
    | 'unlinked'
    | 'tail-removed'
    | 'anchor-mismatch'
    | 'anchor-missing';
  message: string;
}

/**
 * Incremental verifier: feed entries in storage order (ascending seq). It recomputes each
 * hash and checks each link, so an edited entry, a deleted one, a swapped pair and a
 * truncated tail (against the head record) are each named.
 */
export class AuditChainVerifier {
  private expectedSeq = 1;
  private prevStoredHash: string;
  readonly findings: AuditFinding[] = [];
  count = 0;

  constructor(genesisHash: string) {
    this.prevStoredHash = genesisHash;
  }

  /** Checks the next entry. */
  add(entry: StoredAuditEntry): void {
    this.count++;
    if (entry.seq < this.expectedSeq) {
      this.findings.push({
        seq: entry.seq,
        problem: 'reordered',
        message: `entry ${entry.seq} appears after entry ${this.expectedSeq - 1}`,
      });
    } else if (entry.seq > this.expectedSeq) {
      const missing =
        entry.seq - 1 === this.expectedSeq
          ? `entry ${this.expectedSeq} was removed`
          : `entries ${this.expectedSeq}–${entry.seq - 1} were removed`;
      this.findings.push({ seq: this.expectedSeq, problem: 'removed', message: missing });
    }
    const recomputed = hashAuditEntry(entry);
    if (recomputed !== entry.hash) {
      this.findings.push({
        seq: entry.seq,
        problem: 'altered',
        message: `entry ${entry.seq} (${entry.action}) was altered: its content no longer matches its hash`,
      });
    } else if (entry.prevHash !== this.prevStoredHash && entry.seq === this.expectedSeq) {
      // Content intact but linked to something other than its predecessor: the predecessor
      // was replaced wholesale or entries were moved.
      this.findings.push({
        seq: entry.seq,
        problem: 'unlinked',
        message: `entry ${entry.seq} does not follow entry ${entry.seq - 1}: the chain was rewritten or reordered here`,
      });
    }
    this.prevStoredHash = entry.hash;
    this.expectedSeq = Math.max(this.expectedSeq, entry.seq + 1);
  }

  /** Compares the end of the chain with the head record that every append updates. */
  finish(head: { seq: number; hash: string }): AuditFinding[] {
    const lastSeq = this.expectedSeq - 1;
    if (head.seq > lastSeq) {
      this.findings.push({
        seq: lastSeq + 1,
        problem: 'tail-removed',
        message:
          head.seq === lastSeq + 1
            ? `entry ${head.seq} (the latest) was removed`
            : `entries ${lastSeq + 1}–${head.seq} (the latest) were removed`,
      });
    } else if (head.seq === lastSeq && head.hash !== this.prevStoredHash && lastSeq > 0) {
      this.findings.push({
        seq: lastSeq,
        problem: 'altered',
        message: `entry ${lastSeq} (the latest) does not match the recorded chain head`,
      });
    }
    return this.findings;
  }
}
