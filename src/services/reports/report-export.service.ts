/** Exports of a report version: PDF, JSON (candor-report/1) and the AP sheet as text. */
import { renderPdf } from '../../channels/letters/pdf-document.js';
import { authorize, type Actor } from '../../domain/access.js';
import { NotFoundError } from '../../domain/errors.js';
import type { ReportContent, ReportKind } from '../../domain/reports/report-content.js';
import {
  buildReportExport,
  reportFileName,
  reportPdfSpec,
  type ExportContext,
  type ReportExport,
} from '../../domain/reports/report-export.js';
import {
  buildSheet,
  sheetToText,
  type Sheet,
  type SheetLanguage,
} from '../../domain/reports/report-sheet.js';
import * as reports from '../../store/report.repository.js';
import { requireCase } from '../cases/case-lookup.js';
import {
  DEFAULT_REPORT_TIME_ZONE,
  lateFilingRequiresReason,
  reportClocks,
  type ReportDeps,
} from './report-inputs.js';
import { toVersionView } from './report.service.js';
import { getOrganisation } from '../access/settings.service.js';

export const REPORT_EXPORT_FORMATS = ['pdf', 'json', 'sheet'] as const;
export type ReportExportFormat = (typeof REPORT_EXPORT_FORMATS)[number];

export interface ReportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

interface Loaded {
  content: ReportContent;
  ctx: ExportContext;
  kind: ReportKind;
}

async function load(
  reportId: number,
  version: number | 'latest',
  deps: ReportDeps,
): Promise<Loaded> {
  const { db } = deps.database;
  const report = await reports.findReport(db, reportId);
  if (!report) throw new NotFoundError(`no report ${reportId}`);
  const versions = await reports.listReportVersions(db, reportId);
  const row = version === 'latest' ? versions.at(-1) : versions.find((v) => v.version === version);
  if (!row) throw new NotFoundError(`report ${reportId} has no version ${version}`);
  const previous = versions.find((v) => v.version === row.version - 1) ?? null;
  const kase = await requireCase(db, report.case_id);
  const organisation = await getOrganisation({ database: deps.database });
  const view = toVersionView(row);
  let deadline: ExportContext['deadline'] = null;
  if (row.version === 1) {
    const clock = (await reportClocks(db, kase))[report.kind];
    if (clock !== undefined) {
      deadline = {
        dueAt: clock.dueAt,
        late:
          row.submitted_at !== null
            ? lateFilingRequiresReason(clock, row.submitted_at)
            : clock.state === 'overdue',
      };
    }
  }
  return {
    kind: report.kind,
    content: view.content,
    ctx: {
      caseReference: kase.reference,
      caseTitle: kase.title,
      organisation: {
        name: organisation.name,
        contactEmail: organisation.contactEmail,
        dpoEmail: organisation.dpoEmail,
      },
      version: view,
      previous: previous
        ? { version: previous.version, authorityReference: previous.authority_reference }
        : null,
      deadline,
      timeZone: deps.timeZone ?? DEFAULT_REPORT_TIME_ZONE,
    },
  };
}

/** The JSON export document of a version. */
export async function reportExportDocument(
  actor: Actor,
  reportId: number,
  version: number | 'latest',
  deps: ReportDeps,
): Promise<ReportExport> {
  authorize(actor, 'cases:read');
  const { content, ctx } = await load(reportId, version, deps);
  return buildReportExport(content, ctx);
}

/** The AP sheet of a version, for the workspace page. */
export async function reportSheet(
  actor: Actor,
  reportId: number,
  version: number | 'latest',
  languages: { labels: SheetLanguage; values: SheetLanguage },
  deps: ReportDeps,
): Promise<Sheet> {
  authorize(actor, 'cases:read');
  const { content, ctx } = await load(reportId, version, deps);
  return buildSheet(
    content,
    {
      caseReference: ctx.caseReference,
      organisationName: ctx.organisation.name,
      version: ctx.version.version,
      previousReference: ctx.previous?.authorityReference ?? null,
      submittedAt: ctx.version.submittedAt,
      authorityReference: ctx.version.authorityReference,
      delayReason: ctx.version.delayReason,
      timeZone: ctx.timeZone,
    },
    languages.labels,
    languages.values,
  );
}

/** One export file of a version; `language` picks the PDF's and the sheet's language. */
export async function exportReport(
  actor: Actor,
  reportId: number,
  version: number | 'latest',
  format: ReportExportFormat,
  options: { language?: SheetLanguage },
  deps: ReportDeps,
): Promise<ReportFile> {
  authorize(actor, 'cases:read');
  const loaded = await load(reportId, version, deps);
  const { content, ctx, kind } = loaded;
  const language = options.language ?? 'nl';
  const v = ctx.version.version;
  switch (format) {
    case 'pdf':
      return {
        fileName: reportFileName(ctx.caseReference, kind, v, `${language}.pdf`),
        contentType: 'application/pdf',
        body: await renderPdf(reportPdfSpec(content, ctx, language)),
      };
    case 'json':
      return {
        fileName: reportFileName(ctx.caseReference, kind, v, 'json'),
        contentType: 'application/json; charset=utf-8',
        body: Buffer.from(`${JSON.stringify(buildReportExport(content, ctx), null, 2)}\n`),
      };
    case 'sheet': {
      const sheet = await reportSheet(actor, reportId, v, { labels: language, values: 'nl' }, deps);
      return {
        fileName: reportFileName(ctx.caseReference, kind, v, `sheet-${language}.txt`),
        contentType: 'text/plain; charset=utf-8',
        body: Buffer.from(sheetToText(sheet)),
      };
    }
  }
}
