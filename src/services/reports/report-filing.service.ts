/**
 * Filing a report version: four-eyes approval of its exact content, and the record of its
 * submission to the authority (reference, time, and the reason for a delay when late).
 */
import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../domain/errors.js';
import type { ReportView } from '../../domain/reports/report-view.js';
import { nowIso, readJson, stringListJson } from '../../store/executor.js';
import * as reports from '../../store/report.repository.js';
import { revalidateApprovals } from '../notices/notice-approval.service.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { lateFilingRequiresReason, reportClocks, type ReportDeps } from './report-inputs.js';
import { reportView, requireReport, requireVersion } from './report.service.js';

export const submitReportSchema = z.object({
  authorityReference: z
    .string()
    .trim()
    .min(1, "must not be empty: the authority's reference (meldnummer) of the submission")
    .max(200),
  submittedAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time' })
    .optional()
    .describe('When it was submitted; default now. Not in the future.'),
  delayReason: z
    .string()
    .trim()
    .max(10_000)
    .optional()
    .describe('Required when submitted after the legal deadline (GDPR Art. 33(1)).'),
  contentHash: z.string().length(64).optional(),
});
export type SubmitReport = z.input<typeof submitReportSchema>;

/** Four eyes: someone who drafted or edited none of this version approves its exact content. */
export async function approveReport(
  actor: Actor,
  reportId: number,
  version: number,
  options: { contentHash?: string },
  deps: ReportDeps,
): Promise<ReportView> {
  authorize(actor, 'reports:approve');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const report = await requireReport(tx, reportId);
    const row = await requireVersion(tx, reportId, version);
    if (readJson(row.editors, stringListJson).includes(actor.name)) {
      throw new ForbiddenError(
        `four-eyes rule: ${actor.name} drafted or edited this version and cannot approve it`,
      );
    }
    if (row.submitted_at !== null)
      throw new ConflictError(`version ${version} is already submitted`);
    if (options.contentHash !== undefined && options.contentHash !== row.content_hash) {
      throw new ConflictError('the report changed after you opened it; review the new content');
    }
    const now = nowIso();
    await reports.updateReportVersion(tx, row.id, {
      approved_by: actor.name,
      approved_at: now,
      approved_hash: row.content_hash,
      updated_at: now,
    });
    await appendAudit(tx, dialect, actor, {
      action: 'report.approve',
      objectType: 'report',
      objectId: reportId,
      details: { kind: report.kind, version, contentHash: row.content_hash },
    });
    const kase = await requireCase(tx, report.case_id);
    return reportView(tx, report, kase.reference);
  });
}

/**
 * Records the submission of an approved version: when, the authority's reference, and —
 * when the first version of a report goes in after its deadline — the reason for the delay.
 */
export async function submitReport(
  actor: Actor,
  reportId: number,
  version: number,
  input: SubmitReport,
  deps: ReportDeps,
  now: Date = new Date(),
): Promise<ReportView> {
  authorize(actor, 'reports:submit');
  const data = submitReportSchema.parse(input);
  const submittedAt = data.submittedAt
    ? new Date(data.submittedAt).toISOString()
    : now.toISOString();
  if (new Date(submittedAt).getTime() > now.getTime() + 60_000) {
    throw new ValidationError('a submission cannot lie in the future', [
      { field: 'submittedAt', message: 'must not be in the future' },
    ]);
  }
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const report = await requireReport(tx, reportId);
    const row = await requireVersion(tx, reportId, version);
    if (row.submitted_at !== null)
      throw new ConflictError(`version ${version} is already submitted`);
    if (row.approved_hash !== row.content_hash) {
      throw new ConflictError(
        `version ${version} is not approved in its current form; four eyes must approve it first`,
      );
    }
    if (data.contentHash !== undefined && data.contentHash !== row.content_hash) {
      throw new ConflictError('the report changed after you opened it; review the new content');
    }
    const kase = await requireCase(tx, report.case_id);
    // Only the first version answers a deadline; supplements follow "without undue further delay".
    let late = false;
    if (version === 1) {
      const clock = (await reportClocks(tx, kase, now))[report.kind];
      late = clock !== undefined && lateFilingRequiresReason(clock, submittedAt);
    }
    if (late && (data.delayReason ?? '') === '') {
      throw new ValidationError('submitted after the deadline: give the reason for the delay', [
        {
          field: 'delayReason',
          message: 'required when a report is filed after its deadline (GDPR Art. 33(1))',
        },
      ]);
    }
    await reports.updateReportVersion(tx, row.id, {
      submitted_at: submittedAt,
      submitted_by: actor.name,
      authority_reference: data.authorityReference,
      delay_reason:
        data.delayReason === undefined || data.delayReason === '' ? null : data.delayReason,
      updated_at: nowIso(),
    });
    await reports.touchReport(tx, reportId, nowIso());
    await appendAudit(tx, dialect, actor, {
      action: 'report.submit',
      objectType: 'report',
      objectId: reportId,
      details: {
        caseId: kase.id,
        kind: report.kind,
        version,
        submittedAt,
        authorityReference: data.authorityReference,
        late,
        delayReason: data.delayReason ?? null,
        contentHash: row.content_hash,
      },
    });
    // "We have told the authority" is now a fact notices may state.
    await revalidateApprovals(tx, dialect, actor, {
      caseId: kase.id,
      cause: 'authority report submitted',
    });
    return reportView(tx, report, kase.reference);
  });
}
