import { z } from 'zod';
import { hashAuditEntry } from './audit-chain.js';
import { auditAnchorSchema, type AuditAnchor } from './audit-anchor.js';

/**
 * The evidence bundle of a case: a zip an auditor can check without access to our systems.
 * Every file's SHA-256 is in manifest.json; the audit slice is a stretch of the hash chain
 * (`audit/chain.jsonl`) in which the case's own entries appear in full and every other entry
 * as its link only (sequence, previous hash, hash), from the first entry that concerns the
 * case (or an earlier published anchor) up to the chain head at export time.
 */

/** The version of the manifest; bump it when files or fields change meaning. */
export const EVIDENCE_BUNDLE_FORMAT = 'candor-evidence-bundle/1';
export const MANIFEST_PATH = 'manifest.json';
export const CHAIN_PATH = 'audit/chain.jsonl';
export const ANCHOR_PATH = 'audit/anchor.json';
export const PUBLISHED_ANCHOR_PATH = 'audit/published-anchor.json';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits (SHA-256)');

export const manifestFileSchema = z.object({
  path: z.string().min(1),
  sha256: sha256Hex,
  bytes: z.number().int().min(0),
});

export const bundleManifestSchema = z.object({
  format: z.literal(EVIDENCE_BUNDLE_FORMAT),
  case: z.object({ id: z.number().int(), reference: z.string() }),
  exportedAt: z.string(),
  exportedBy: z.string(),
  files: z.array(manifestFileSchema),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/** A line of audit/chain.jsonl for an entry of the case: everything its hash covers. */
export const chainEntrySchema = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  source: z.string(),
  details: z.unknown(),
  prevHash: sha256Hex,
  hash: sha256Hex,
});
/** A line for an entry outside the case: only its link in the chain. */
export const chainLinkSchema = z.object({
  seq: z.number().int().min(1),
  prevHash: sha256Hex,
  hash: sha256Hex,
});
export type ChainEntry = z.infer<typeof chainEntrySchema>;
export type ChainLink = z.infer<typeof chainLinkSchema>;

export { auditAnchorSchema };

/** One thing in a bundle that does not match, naming the file and, where known, the line or entry. */
export interface BundleFinding {
  file: string;
  line?: number;
  seq?: number;
  message: string;
}

/**
 * Checks audit/chain.jsonl line by line, in one pass and constant memory: each full entry's
 * hash is recomputed, each line must link to the one before (its prevHash is the previous
 * hash, its seq the next number), and the last line must be the export anchor. Hashes of
 * link-only lines are taken as given: the bundle cannot recompute entries it does not hold,
 * which is why the anchor can also be checked against the live system (docs/audit.md).
 */
export class ChainSliceChecker {
  readonly findings: BundleFinding[] = [];
  private line = 0;
  private last: ChainLink | null = null;
  private readonly seen = new Map<number, string>();
  entries = 0;
  links = 0;

  constructor(
    private readonly anchors: readonly { anchor: AuditAnchor; label: string }[],
    private readonly file = CHAIN_PATH,
  ) {}

  /** Checks the next line of the file. */
  addLine(text: string): void {
    this.line++;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.fail('not JSON');
    }
    const isEntry = typeof value === 'object' && value !== null && 'action' in value;
    const parsed = isEntry ? chainEntrySchema.safeParse(value) : chainLinkSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return this.fail(`${issue.path.join('.') || '(line)'}: ${issue.message}`);
    }
    const row: ChainLink = parsed.data;
    if (isEntry) {
      const entry = parsed.data as ChainEntry;
      this.entries++;
      if (hashAuditEntry(entry) !== entry.hash) {
        this.fail(
          `entry ${entry.seq} (${entry.action}) was altered: its content no longer matches its hash`,
          entry.seq,
        );
      }
    } else this.links++;
    if (this.last && row.seq !== this.last.seq + 1) {
      this.fail(
        `entry ${row.seq} follows entry ${this.last.seq}: entries are missing or moved`,
        row.seq,
      );
    } else if (this.last && row.prevHash !== this.last.hash) {
      this.fail(
        `entry ${row.seq} does not link to entry ${this.last.seq}: the chain was rewritten here`,
        row.seq,
      );
    }
    for (const { anchor } of this.anchors)
      if (anchor.seq === row.seq) this.seen.set(row.seq, row.hash);
    this.last = { seq: row.seq, prevHash: row.prevHash, hash: row.hash };
  }

  /** Checks the anchors against the lines seen; returns every finding. */
  finish(): BundleFinding[] {
    for (const { anchor, label } of this.anchors) {
      const hash = this.seen.get(anchor.seq);
      if (hash === undefined) {
        this.findings.push({
          file: label,
          seq: anchor.seq,
          message: `entry ${anchor.seq}, anchored in ${label}, is not in ${this.file}`,
        });
      } else if (hash !== anchor.hash) {
        this.findings.push({
          file: label,
          seq: anchor.seq,
          message: `entry ${anchor.seq} in ${this.file} does not have the hash anchored in ${label} (${anchor.hash.slice(0, 16)}…, found ${hash.slice(0, 16)}…)`,
        });
      }
    }
    return this.findings;
  }

  private fail(message: string, seq?: number): void {
    this.findings.push({ file: this.file, line: this.line, ...(seq ? { seq } : {}), message });
  }
}

/** The columns of deliveries.csv, one row per delivery (recipient × channel × dispatch). */
export const DELIVERY_CSV_COLUMNS = [
  'dispatch_id',
  'notice_id',
  'delivery_id',
  'external_id',
  'channel',
  'address',
  'state',
  'attempts',
  'message_id',
  'sent_at',
  'next_attempt_at',
  'updated_at',
  'response',
] as const;

/** The columns of recipients.csv: every recipient's acknowledgement and remedy state. */
export const RECIPIENT_CSV_COLUMNS = [
  'recipient_id',
  'external_id',
  'language',
  'acknowledged_at',
  'remedied_at',
] as const;

/** Formats a finding as one line for the operator. */
export function describeFinding(f: BundleFinding): string {
  const where = f.line !== undefined ? `${f.file} line ${f.line}` : f.file;
  return `${where}: ${f.message}`;
}
