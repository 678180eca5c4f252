/**
 * `candor export case`: the evidence bundle of a case for an auditor (docs/audit.md,
 * "Evidence bundle"). Everything is read from the live store and streamed into the zip; the
 * audit slice runs up to an anchor taken (and so verified) at the start of the export.
 */
import { createHash } from 'node:crypto';
import { authorize, type Actor } from '../../domain/access.js';
import { AUDIT_ANCHOR_FORMAT, type AuditAnchor } from '../../domain/audit-anchor.js';
import {
  ANCHOR_PATH,
  CHAIN_PATH,
  DELIVERY_CSV_COLUMNS,
  EVIDENCE_BUNDLE_FORMAT,
  MANIFEST_PATH,
  PUBLISHED_ANCHOR_PATH,
  type BundleManifest,
  type ManifestFile,
} from '../../domain/evidence-bundle.js';
import { csvRecord } from '../../ingest/csv-writer.js';
import { listCaseEvents } from '../../store/case.repository.js';
import type { Database } from '../../store/database.js';
import * as evidence from '../../store/evidence.repository.js';
import {
  nowIso,
  readJson,
  type Executor,
  jsonObject,
  stringListJson,
} from '../../store/executor.js';
import { listFactsVersions, listOverridesOfCases } from '../../store/assessment.repository.js';
import { listReportVersions } from '../../store/report.repository.js';
import { listStatements } from '../../store/statement.repository.js';
import type { AuditEventRow, CaseRow } from '../../store/schema.js';
import { latestPublishedAuditAnchor, takeAuditAnchor } from '../access/audit-anchor.service.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { toCaseView } from '../cases/case.service.js';
import { BundleZipWriter } from './evidence-bundle-zip.js';
import { writeRecipientCompletions } from './evidence-bundle-recipients.js';
import { exportReport } from './report-export.service.js';

/** Rows per keyset page when streaming deliveries, recipients and audit entries. */
export const EVIDENCE_PAGE = 5000;

export interface EvidenceDeps {
  database: Database;
  timeZone?: string;
}

export interface EvidenceBundleResult {
  file: string;
  caseReference: string;
  /** SHA-256 of manifest.json: print it, keep it, compare it when verifying. */
  manifestSha256: string;
  files: ManifestFile[];
  deliveries: number;
  recipients: number;
  /** Rows of remedy-completions.csv (a remedy confirmed for a recipient). */
  completions: number;
  auditEntries: number;
  auditLinks: number;
  anchor: AuditAnchor;
}

/** Writes the evidence bundle of a case to `file`; a failure leaves no partial file. */
export async function exportEvidenceBundle(
  actor: Actor,
  caseKey: string,
  file: string,
  deps: EvidenceDeps,
): Promise<EvidenceBundleResult> {
  authorize(actor, 'cases:read');
  authorize(actor, 'audit:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseKey);
  // Verifies the whole chain first: a bundle of a chain that no longer verifies is refused.
  const anchor = await takeAuditAnchor(actor, deps.database);
  const published = await latestPublishedAuditAnchor(deps.database);
  const exportedAt = nowIso();
  const writer = new BundleZipWriter(file);
  const counts = { deliveries: 0, recipients: 0, completions: 0, auditEntries: 0, auditLinks: 0 };
  let manifestSha256: string;
  try {
    await writer.addFile('README.txt', bundleReadme(kase.reference, exportedAt));
    await writeCaseFiles(writer, db, kase);
    const ids = await writeNoticesAndDispatches(writer, db, kase.id);
    counts.deliveries = await writeDeliveries(writer, db, ids.dispatches);
    const completed = await writeRecipientCompletions(writer, db, kase.id, EVIDENCE_PAGE);
    counts.recipients = completed.recipients;
    counts.completions = completed.completions;
    const { reports, batches } = await evidence.listCaseReportsAndBatches(db, kase.id);
    for (const report of reports) {
      for (const version of await listReportVersions(db, report.id)) {
        for (const [format, language] of [
          ['json', 'nl'],
          ['pdf', 'nl'],
          ['pdf', 'en'],
        ] as const) {
          const out = await exportReport(
            actor,
            report.id,
            version.version,
            format,
            { language },
            deps,
          );
          await writer.addFile(`reports/${out.fileName}`, out.body);
        }
      }
    }
    await writer.addFile(ANCHOR_PATH, json(anchor));
    const publishedAnchor: AuditAnchor | null =
      published && published.seq >= 1 && published.seq <= anchor.seq
        ? {
            format: AUDIT_ANCHOR_FORMAT,
            seq: published.seq,
            hash: published.hash,
            at: published.anchoredAt,
          }
        : null;
    if (publishedAnchor) await writer.addFile(PUBLISHED_ANCHOR_PATH, json(publishedAnchor));
    const related = {
      caseId: kase.id,
      notices: new Set(ids.noticeIds.map(String)),
      dispatches: new Set(ids.dispatches.map((d) => String(d.id))),
      reports: new Set(reports.map((r) => String(r.id))),
      batches: new Set(batches.map((b) => String(b.id))),
    };
    const first = await evidence.findFirstCaseAuditSeq(db, kase.id);
    const from = Math.min(first ?? anchor.seq, publishedAnchor?.seq ?? Infinity, anchor.seq);
    await writer.addStream(
      CHAIN_PATH,
      chainLines(db, from, anchor.seq, (row) => {
        const mine = concernsCase(row, related);
        if (mine) counts.auditEntries++;
        else counts.auditLinks++;
        return mine;
      }),
    );
    const manifest: BundleManifest = {
      format: EVIDENCE_BUNDLE_FORMAT,
      case: { id: kase.id, reference: kase.reference },
      exportedAt,
      exportedBy: actor.name,
      files: [...writer.files],
    };
    const manifestText = json(manifest);
    manifestSha256 = createHash('sha256').update(manifestText).digest('hex');
    await writer.addFile(MANIFEST_PATH, manifestText);
    await writer.close();
  } catch (error) {
    await writer.abort(file);
    throw error;
  }
  // Who took which evidence out, and its fingerprint, is itself evidence.
  await deps.database.db.transaction().execute(async (tx) => {
    await appendAudit(tx, deps.database.dialect, actor, {
      action: 'case.evidence_export',
      objectType: 'case',
      objectId: kase.id,
      details: { reference: kase.reference, manifestSha256, anchorSeq: anchor.seq },
    });
  });
  return {
    file,
    caseReference: kase.reference,
    manifestSha256,
    files: writer.files.slice(0, -1),
    ...counts,
    anchor,
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** case.json, timeline.json and assessment.json. */
async function writeCaseFiles(writer: BundleZipWriter, db: Executor, kase: CaseRow): Promise<void> {
  const statements = await listStatements(db, kase.id);
  await writer.addFile(
    'case.json',
    json({
      case: toCaseView(kase),
      statements: statements.map((s) => ({
        key: s.key,
        language: s.language,
        text: s.text,
        updatedBy: s.updated_by,
        updatedAt: s.updated_at,
      })),
    }),
  );
  const events = await listCaseEvents(db, kase.id);
  await writer.addFile(
    'timeline.json',
    json(
      events.map((e) => ({
        id: e.id,
        kind: e.kind,
        at: e.at,
        text: e.text,
        actor: e.actor,
        recordedAt: e.recorded_at,
      })),
    ),
  );
  const facts = await listFactsVersions(db, kase.id);
  const overrides = await listOverridesOfCases(db, [kase.id]);
  await writer.addFile(
    'assessment.json',
    json({
      facts: facts.map((f) => ({
        version: f.version,
        facts: readJson(f.facts, jsonObject),
        advice: readJson(f.advice, jsonObject),
        recordedBy: f.recorded_by,
        recordedAt: f.recorded_at,
      })),
      decisions: overrides.map((o) => ({
        factsVersion: o.facts_version,
        decision: o.decision,
        notify: o.notify === 1,
        publicCommunication: o.public_communication === null ? null : o.public_communication === 1,
        adviceNotify: o.advice_notify === 1,
        rationale: o.rationale,
        decidedBy: o.decided_by,
        decidedAt: o.decided_at,
      })),
    }),
  );
}

/** notices.json (texts, every approval with its snapshot) and dispatches.json. */
async function writeNoticesAndDispatches(
  writer: BundleZipWriter,
  db: Executor,
  caseId: number,
): Promise<{ noticeIds: number[]; dispatches: { id: number; noticeId: number }[] }> {
  const notices = await evidence.listNoticesWithApprovals(db, caseId);
  await writer.addFile(
    'notices.json',
    json(
      notices.map(({ notice: n, texts, approvals }) => ({
        id: n.id,
        audience: n.audience,
        title: n.title,
        defaultLanguage: n.default_language,
        version: n.version,
        contentHash: n.content_hash,
        editors: readJson(n.editors, stringListJson),
        approvalInForce: n.approval_id,
        createdBy: n.created_by,
        createdAt: n.created_at,
        updatedAt: n.updated_at,
        texts: texts.map((t) => ({ language: t.language, subject: t.subject, body: t.body })),
        approvals: approvals.map((a) => ({
          id: a.id,
          version: a.version,
          contentHash: a.content_hash,
          snapshotHash: a.snapshot_hash,
          approvedBy: a.approved_by,
          approvedAt: a.approved_at,
          voidedAt: a.voided_at,
          voidedBy: a.voided_by,
          voidedReason: a.voided_reason,
          snapshot: readJson(a.snapshot, jsonObject),
        })),
      })),
    ),
  );
  const dispatches = await evidence.listCaseDispatches(db, caseId);
  await writer.addFile(
    'dispatches.json',
    json(
      dispatches.map((d) => ({
        id: d.id,
        noticeId: d.notice_id,
        approvalId: d.approval_id,
        state: d.state,
        contentHash: d.content_hash,
        total: d.total,
        createdBy: d.created_by,
        createdAt: d.created_at,
        finishedAt: d.finished_at,
      })),
    ),
  );
  return {
    noticeIds: notices.map((n) => n.notice.id),
    dispatches: dispatches.map((d) => ({ id: d.id, noticeId: d.notice_id })),
  };
}

/** deliveries.csv, streamed dispatch by dispatch in keyset pages; returns the row count. */
async function writeDeliveries(
  writer: BundleZipWriter,
  db: Executor,
  dispatches: readonly { id: number; noticeId: number }[],
): Promise<number> {
  let count = 0;
  async function* rows(): AsyncGenerator<string> {
    yield csvRecord(DELIVERY_CSV_COLUMNS);
    for (const { id: dispatchId, noticeId } of dispatches) {
      let after: evidence.DeliveryCursor | null = null;
      for (;;) {
        const page = await evidence.listDeliveryPage(db, dispatchId, after, EVIDENCE_PAGE);
        let text = '';
        for (const d of page) {
          text += csvRecord(
            [
              String(d.dispatch_id),
              String(noticeId),
              String(d.id),
              d.external_id,
              d.channel,
              d.email,
              d.state,
              String(d.attempts),
              d.message_id,
              d.sent_at,
              d.next_attempt_at,
              d.updated_at,
              d.smtp_response,
            ],
            { neutraliseFormulas: true },
          );
        }
        count += page.length;
        if (text) yield text;
        if (page.length < EVIDENCE_PAGE) break;
        const last = page[page.length - 1]!;
        after = { recipientId: last.recipient_id, channel: last.channel };
      }
    }
  }
  await writer.addStream('deliveries.csv', rows());
  return count;
}

interface CaseObjects {
  caseId: number;
  notices: Set<string>;
  dispatches: Set<string>;
  reports: Set<string>;
  batches: Set<string>;
}

/**
 * Whether an audit entry is about the case: the case itself, one of its notices, dispatches,
 * reports or letter batches, or an entry whose details name the case, notice or dispatch
 * (recipients' acknowledgements and remedies, bounces).
 */
export function concernsCase(row: AuditEventRow, objects: CaseObjects): boolean {
  const id = row.object_id ?? '';
  switch (row.object_type) {
    case 'case':
      if (id === String(objects.caseId)) return true;
      break;
    case 'notice':
      if (objects.notices.has(id)) return true;
      break;
    case 'dispatch':
      if (objects.dispatches.has(id)) return true;
      break;
    case 'report':
      if (objects.reports.has(id)) return true;
      break;
    case 'letter_batch':
      if (objects.batches.has(id)) return true;
      break;
  }
  const details = readJson(row.details, jsonObject.nullable());
  if (!details || typeof details !== 'object') return false;
  const named = (key: string, set?: Set<string>): boolean => {
    const value = details[key];
    if (typeof value !== 'string' && typeof value !== 'number') return false;
    return set ? set.has(String(value)) : String(value) === String(objects.caseId);
  };
  return (
    named('caseId') || named('noticeId', objects.notices) || named('dispatchId', objects.dispatches)
  );
}

/** The lines of audit/chain.jsonl: the case's entries in full, every other one as its link. */
async function* chainLines(
  db: Executor,
  from: number,
  to: number,
  isOfCase: (row: AuditEventRow) => boolean,
): AsyncGenerator<string> {
  let after = from - 1;
  for (;;) {
    const page = await evidence.listAuditRange(db, after, to, EVIDENCE_PAGE);
    let text = '';
    for (const row of page) {
      const line = isOfCase(row)
        ? {
            seq: row.seq,
            at: row.at,
            actor: row.actor,
            action: row.action,
            objectType: row.object_type,
            objectId: row.object_id,
            source: row.source,
            details: readJson(row.details, jsonObject.nullable()),
            prevHash: row.prev_hash,
            hash: row.hash,
          }
        : { seq: row.seq, prevHash: row.prev_hash, hash: row.hash };
      text += `${JSON.stringify(line)}\n`;
    }
    if (text) yield text;
    if (page.length < EVIDENCE_PAGE) break;
    after = page[page.length - 1]!.seq;
  }
}

/** A short guide inside the bundle, for whoever opens it without the docs at hand. */
function bundleReadme(reference: string, exportedAt: string): string {
  return [
    `Evidence bundle of case ${reference}, exported ${exportedAt} by Candor.`,
    '',
    'manifest.json       SHA-256 and size of every other file',
    'case.json           the case and its statements',
    'timeline.json       the timeline (case events)',
    'assessment.json     facts versions with the advice, and the decisions that overrode it',
    'notices.json        every notice with its texts and every approval (snapshot)',
    'dispatches.json     the dispatches',
    'deliveries.csv      one row per delivery: external id, channel, state, attempts, message id, times',
    'recipients.csv      per recipient: acknowledged and remedied',
    'remedies.json       the remedies customers were asked to take, with their texts',
    'remedy-completions.csv  per remedy and recipient: confirmed by customer, by provider, done',
    'reports/            regulator reports, each version as JSON and PDF (nl, en)',
    "audit/chain.jsonl   the audit chain from the case's first entry to the anchor: the case's",
    '                    entries in full, other entries as (seq, prevHash, hash) links',
    'audit/anchor.json   the chain head at export (candor-audit-anchor/1)',
    '',
    'Check it: candor verify-bundle bundle.zip --manifest-sha256 <hash printed at export>',
    'Check the anchor against the live log: candor audit verify --anchor audit/anchor.json',
    '',
  ].join('\n');
}
