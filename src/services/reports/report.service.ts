/**
 * Regulator reports of a case: draft from the facts, edit per field, four-eyes approval of
 * the exact content, submission with the authority's reference (and a reason when late),
 * and phased supplements as new versions (GDPR Art. 33(4)). Approval and submission are in
 * report-filing.service.ts.
 */
import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import {
  REPORT_FIELDS,
  applyReportEdit,
  reportContentHash,
  reportContentSchema,
  reportEditSchema,
  type ReportContent,
  type ReportEdit,
  type ReportKind,
} from '../../domain/reports/report-content.js';
import { draftField, draftReport } from '../../domain/reports/report-draft.js';
import type {
  CaseReportsView,
  ReportVersionStatus,
  ReportVersionView,
  ReportView,
} from '../../domain/reports/report-view.js';
import { nowIso, readJson, type Executor, stringListJson } from '../../store/executor.js';
import * as reports from '../../store/report.repository.js';
import type { ReportRow, ReportVersionRow } from '../../store/schema-reports.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { draftInputFor, reportClocks, type ReportDeps } from './report-inputs.js';

function versionStatus(row: ReportVersionRow): ReportVersionStatus {
  if (row.submitted_at !== null) return 'submitted';
  if (row.approved_hash === null) return 'draft';
  return row.approved_hash === row.content_hash ? 'approved' : 'changed-since-approval';
}

/** Presents a stored version. */
export function toVersionView(row: ReportVersionRow): ReportVersionView {
  const approved = row.approved_hash === row.content_hash;
  return {
    id: row.id,
    version: row.version,
    status: versionStatus(row),
    content: readJson(row.content, reportContentSchema),
    contentHash: row.content_hash,
    editors: readJson(row.editors, stringListJson),
    approvedBy: approved ? row.approved_by : null,
    approvedAt: approved ? row.approved_at : null,
    submittedAt: row.submitted_at,
    submittedBy: row.submitted_by,
    authorityReference: row.authority_reference,
    delayReason: row.delay_reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A report with its versions. */
export async function reportView(
  db: Executor,
  row: ReportRow,
  caseReference: string,
): Promise<ReportView> {
  const versions = await reports.listReportVersions(db, row.id);
  return {
    id: row.id,
    caseId: row.case_id,
    caseReference,
    kind: row.kind,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    versions: versions.map(toVersionView),
  };
}

/** Loads a report or throws NotFoundError. */
export async function requireReport(db: Executor, id: number): Promise<ReportRow> {
  const row = await reports.findReport(db, id);
  if (!row) throw new NotFoundError(`no report ${id}`);
  return row;
}

/** Loads a version (or the latest) of a report or throws NotFoundError. */
export async function requireVersion(
  db: Executor,
  reportId: number,
  version: number | 'latest',
): Promise<ReportVersionRow> {
  const versions = await reports.listReportVersions(db, reportId);
  const row = version === 'latest' ? versions.at(-1) : versions.find((v) => v.version === version);
  if (!row) throw new NotFoundError(`report ${reportId} has no version ${version}`);
  return row;
}

/** The reports of a case with the legal clock of each kind. */
export async function listReports(
  actor: Actor,
  caseRef: string | number,
  deps: ReportDeps,
): Promise<CaseReportsView> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const rows = await reports.listReportsOfCase(db, kase.id);
  return {
    caseReference: kase.reference,
    reports: await Promise.all(rows.map((r) => reportView(db, r, kase.reference))),
    clocks: await reportClocks(db, kase),
  };
}

/** One report with its versions. */
export async function getReport(actor: Actor, id: number, deps: ReportDeps): Promise<ReportView> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const row = await requireReport(db, id);
  const kase = await requireCase(db, row.case_id);
  return reportView(db, row, kase.reference);
}

/** The report of a kind of a case, by case reference: for the CLI and downloads. */
export async function findReportOfCase(
  actor: Actor,
  caseRef: string | number,
  kind: ReportKind,
  deps: ReportDeps,
): Promise<ReportView> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const row = await reports.findReportOfCase(db, kase.id, kind);
  if (!row) throw new NotFoundError(`case ${kase.reference} has no ${kind} report`);
  return reportView(db, row, kase.reference);
}

/** Drafts a report of a kind from the case: version 1, its drafter recorded as editor. */
export async function createReport(
  actor: Actor,
  caseRef: string | number,
  kind: ReportKind,
  deps: ReportDeps,
): Promise<ReportView> {
  authorize(actor, 'reports:write');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    if (await reports.findReportOfCase(tx, kase.id, kind)) {
      throw new ConflictError(
        `case ${kase.reference} already has a ${kind} report; add a supplement (a new version) instead`,
      );
    }
    const content = draftReport(kind, await draftInputFor(tx, kase, deps));
    const now = nowIso();
    const id = await reports.insertReport(tx, {
      case_id: kase.id,
      kind,
      created_by: actor.name,
      created_at: now,
      updated_at: now,
    });
    const hash = await insertVersion(tx, id, 1, content, actor, now);
    await appendAudit(tx, dialect, actor, {
      action: 'report.create',
      objectType: 'report',
      objectId: id,
      details: { caseId: kase.id, kind, version: 1, contentHash: hash },
    });
    return reportView(tx, (await reports.findReport(tx, id))!, kase.reference);
  });
}

async function insertVersion(
  tx: Executor,
  reportId: number,
  version: number,
  content: ReportContent,
  actor: Actor,
  now: string,
): Promise<string> {
  const hash = reportContentHash(content);
  await reports.insertReportVersion(tx, {
    report_id: reportId,
    version,
    content: JSON.stringify(content),
    content_hash: hash,
    editors: JSON.stringify([actor.name]),
    approved_by: null,
    approved_at: null,
    approved_hash: null,
    submitted_at: null,
    submitted_by: null,
    authority_reference: null,
    delay_reason: null,
    created_by: actor.name,
    created_at: now,
    updated_at: now,
  });
  return hash;
}

/** A phased supplement (GDPR Art. 33(4)): a new version once the latest one was submitted. */
export async function addSupplement(
  actor: Actor,
  reportId: number,
  options: { from?: 'facts' | 'previous' },
  deps: ReportDeps,
): Promise<ReportView> {
  authorize(actor, 'reports:write');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const report = await requireReport(tx, reportId);
    const latest = await requireVersion(tx, reportId, 'latest');
    if (latest.submitted_at === null) {
      throw new ConflictError(
        `version ${latest.version} is not submitted yet; edit it instead of adding a supplement`,
      );
    }
    const kase = await requireCase(tx, report.case_id);
    const supplementTo = { version: latest.version, reference: latest.authority_reference };
    const fresh = draftReport(report.kind, await draftInputFor(tx, kase, deps, supplementTo));
    const content =
      options.from === 'previous'
        ? {
            ...readJson(latest.content, reportContentSchema),
            fields: {
              ...readJson(latest.content, reportContentSchema).fields,
              ...(fresh.fields.other ? { other: fresh.fields.other } : {}),
            },
          }
        : fresh;
    const now = nowIso();
    const version = latest.version + 1;
    const hash = await insertVersion(tx, reportId, version, content, actor, now);
    await reports.touchReport(tx, reportId, now);
    await appendAudit(tx, dialect, actor, {
      action: 'report.supplement',
      objectType: 'report',
      objectId: reportId,
      details: { kind: report.kind, version, from: options.from ?? 'facts', contentHash: hash },
    });
    return reportView(tx, report, kase.reference);
  });
}

async function changeContent(
  actor: Actor,
  reportId: number,
  version: number,
  deps: ReportDeps,
  action: string,
  change: (tx: Executor, current: ReportContent, report: ReportRow) => Promise<ReportContent>,
  expectedHash?: string,
): Promise<ReportView> {
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const report = await requireReport(tx, reportId);
    const row = await requireVersion(tx, reportId, version);
    if (row.submitted_at !== null) {
      throw new ConflictError(
        `version ${version} was submitted on ${row.submitted_at} and cannot change; add a supplement`,
      );
    }
    if (expectedHash !== undefined && expectedHash !== row.content_hash) {
      throw new ConflictError('the report changed after you opened it; review the new content');
    }
    const current = readJson(row.content, reportContentSchema);
    const next = reportContentSchema.parse(await change(tx, current, report));
    const hash = reportContentHash(next);
    const editors = [...new Set([...readJson(row.editors, stringListJson), actor.name])];
    const voided = row.approved_hash !== null && hash !== row.content_hash;
    const now = nowIso();
    await reports.updateReportVersion(tx, row.id, {
      content: JSON.stringify(next),
      content_hash: hash,
      editors: JSON.stringify(editors),
      updated_at: now,
    });
    await reports.touchReport(tx, reportId, now);
    await appendAudit(tx, dialect, actor, {
      action,
      objectType: 'report',
      objectId: reportId,
      details: { kind: report.kind, version, contentHash: hash, approvalVoided: voided },
    });
    const kase = await requireCase(tx, report.case_id);
    return reportView(tx, report, kase.reference);
  });
}

/** Edits fields (per language) or figures of an unsubmitted version; any approval is void. */
export async function editReport(
  actor: Actor,
  reportId: number,
  version: number,
  input: ReportEdit,
  deps: ReportDeps,
): Promise<ReportView> {
  authorize(actor, 'reports:write');
  const edit = reportEditSchema.parse(input);
  return changeContent(
    actor,
    reportId,
    version,
    deps,
    'report.edit',
    async (_tx, current) => {
      const { content, unknownFields } = applyReportEdit(current, edit);
      if (unknownFields.length > 0) {
        const known = REPORT_FIELDS[current.kind].map((f) => f.key).join(', ');
        throw new ValidationError(
          'unknown report fields',
          unknownFields.map((f) => ({
            field: `fields.${f}`,
            message: `not a field of a ${current.kind} report (fields: ${known})`,
          })),
        );
      }
      return content;
    },
    edit.contentHash,
  );
}

/** Drafts fields again from the current facts (all, or the named ones). */
export async function redraftReport(
  actor: Actor,
  reportId: number,
  version: number,
  options: { fields?: string[] },
  deps: ReportDeps,
): Promise<ReportView> {
  authorize(actor, 'reports:write');
  return changeContent(
    actor,
    reportId,
    version,
    deps,
    'report.redraft',
    async (tx, current, report) => {
      const kase = await requireCase(tx, report.case_id);
      const earlier = version > 1 ? await requireVersion(tx, reportId, version - 1) : null;
      const input = await draftInputFor(
        tx,
        kase,
        deps,
        earlier ? { version: earlier.version, reference: earlier.authority_reference } : undefined,
      );
      const keys = options.fields ?? REPORT_FIELDS[current.kind].map((f) => f.key);
      const known = new Set(REPORT_FIELDS[current.kind].map((f) => f.key));
      const unknown = keys.filter((k) => !known.has(k));
      if (unknown.length > 0) {
        throw new ValidationError(
          'unknown report fields',
          unknown.map((f) => ({
            field: `fields.${f}`,
            message: `not a field of a ${current.kind} report`,
          })),
        );
      }
      const fields = { ...current.fields };
      for (const key of keys) fields[key] = draftField(input, key);
      const figures =
        options.fields === undefined ? draftReport(current.kind, input).figures : current.figures;
      return { ...current, fields, figures };
    },
  );
}
