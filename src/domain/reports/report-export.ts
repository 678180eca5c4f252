/**
 * The exports of a report version: a JSON document with a stable, documented shape (its
 * JSON Schema is generated from the zod schema below) and the PDF document spec.
 */
import { z } from 'zod';
import type { PdfBlock, PdfDocumentSpec } from '../pdf-document-spec.js';
import {
  REPORT_FIELDS,
  REPORT_TITLES,
  reportFiguresSchema,
  reportKindSchema,
  type ReportContent,
  type ReportKind,
} from './report-content.js';
import { formatInstant } from './report-draft.js';
import { buildSheet, type SheetContext } from './report-sheet.js';

const localised = z.object({ nl: z.string(), en: z.string() });

/** The JSON export of one report version (`format: "candor-report/1"`). */
export const reportExportSchema = z
  .object({
    format: z.literal('candor-report/1'),
    kind: reportKindSchema,
    title: localised,
    case: z.object({ reference: z.string(), title: z.string() }),
    organisation: z.object({
      name: z.string(),
      contactEmail: z.string(),
      dpoEmail: z.string(),
    }),
    version: z.number().int().min(1),
    supplementTo: z
      .object({ version: z.number().int(), authorityReference: z.string().nullable() })
      .nullable()
      .describe('For a phased supplement (GDPR Art. 33(4)): the version it adds to.'),
    status: z.enum(['draft', 'approved', 'changed-since-approval', 'submitted']),
    contentHash: z.string().describe('SHA-256 of the canonical JSON of the content.'),
    editors: z.array(z.string()),
    approval: z.object({ by: z.string(), at: z.string() }).nullable(),
    submission: z
      .object({
        at: z.string(),
        by: z.string().nullable(),
        authorityReference: z.string().nullable(),
        delayReason: z.string().nullable(),
      })
      .nullable(),
    deadline: z
      .object({ dueAt: z.string().nullable(), late: z.boolean() })
      .nullable()
      .describe('The legal deadline of this report (first version) and whether it was missed.'),
    fields: z.array(
      z.object({ key: z.string(), basis: z.string(), label: localised, value: localised }),
    ),
    figures: reportFiguresSchema,
  })
  .describe('A Candor regulator report version (GDPR Art. 33 or NIS2 Art. 23).');
export type ReportExport = z.infer<typeof reportExportSchema>;

/** JSON Schema (2020-12) of the JSON export, for docs and the API. */
export function reportExportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(reportExportSchema, { target: 'draft-2020-12' });
}

export interface ExportContext {
  caseReference: string;
  caseTitle: string;
  organisation: { name: string; contactEmail: string; dpoEmail: string };
  version: {
    version: number;
    status: ReportExport['status'];
    contentHash: string;
    editors: string[];
    approvedBy: string | null;
    approvedAt: string | null;
    submittedAt: string | null;
    submittedBy: string | null;
    authorityReference: string | null;
    delayReason: string | null;
    updatedAt: string;
  };
  previous: { version: number; authorityReference: string | null } | null;
  deadline: { dueAt: string | null; late: boolean } | null;
  timeZone: string;
}

/** The JSON export document. */
export function buildReportExport(content: ReportContent, ctx: ExportContext): ReportExport {
  const v = ctx.version;
  return {
    format: 'candor-report/1',
    kind: content.kind,
    title: REPORT_TITLES[content.kind],
    case: { reference: ctx.caseReference, title: ctx.caseTitle },
    organisation: ctx.organisation,
    version: v.version,
    supplementTo: ctx.previous,
    status: v.status,
    contentHash: v.contentHash,
    editors: v.editors,
    approval:
      v.approvedBy !== null && v.approvedAt !== null
        ? { by: v.approvedBy, at: v.approvedAt }
        : null,
    submission:
      v.submittedAt !== null
        ? {
            at: v.submittedAt,
            by: v.submittedBy,
            authorityReference: v.authorityReference,
            delayReason: v.delayReason,
          }
        : null,
    deadline: ctx.deadline,
    fields: REPORT_FIELDS[content.kind].map((f) => ({
      key: f.key,
      basis: f.basis,
      label: f.label,
      value: content.fields[f.key] ?? { nl: '', en: '' },
    })),
    figures: content.figures,
  };
}

const STATUS: Record<ReportExport['status'], { nl: string; en: string }> = {
  draft: { nl: 'concept', en: 'draft' },
  approved: { nl: 'goedgekeurd', en: 'approved' },
  'changed-since-approval': { nl: 'gewijzigd na goedkeuring', en: 'changed since approval' },
  submitted: { nl: 'ingediend', en: 'submitted' },
};

/** The PDF of a report version in one language; for a GDPR report it follows the AP sheet. */
export function reportPdfSpec(
  content: ReportContent,
  ctx: ExportContext,
  lang: 'nl' | 'en',
): PdfDocumentSpec {
  const v = ctx.version;
  const when = (iso: string): string => formatInstant(iso, lang, ctx.timeZone);
  const nl = lang === 'nl';
  const meta = [
    `${ctx.organisation.name} · ${ctx.caseReference} · ${nl ? 'versie' : 'version'} ${v.version} · ${STATUS[v.status][lang]}`,
    v.approvedBy !== null && v.approvedAt !== null
      ? `${nl ? 'Goedgekeurd door' : 'Approved by'} ${v.approvedBy}, ${when(v.approvedAt)}`
      : nl
        ? 'Nog niet goedgekeurd (vier ogen)'
        : 'Not yet approved (four eyes)',
    ...(v.submittedAt !== null
      ? [
          `${nl ? 'Ingediend' : 'Submitted'} ${when(v.submittedAt)}${v.authorityReference ? ` · ${nl ? 'kenmerk' : 'reference'} ${v.authorityReference}` : ''}`,
        ]
      : []),
    ...(ctx.deadline?.dueAt
      ? [
          `${nl ? 'Termijn' : 'Deadline'}: ${when(ctx.deadline.dueAt)}${ctx.deadline.late ? (nl ? ' (verstreken)' : ' (missed)') : ''}`,
        ]
      : []),
    `${nl ? 'Inhoud' : 'Content'} SHA-256 ${v.contentHash}`,
  ];
  const sheetCtx: SheetContext = {
    caseReference: ctx.caseReference,
    organisationName: ctx.organisation.name,
    version: v.version,
    previousReference: ctx.previous?.authorityReference ?? null,
    submittedAt: v.submittedAt,
    authorityReference: v.authorityReference,
    delayReason: v.delayReason,
    timeZone: ctx.timeZone,
  };
  const sheet = buildSheet(content, sheetCtx, lang, lang);
  return {
    title: REPORT_TITLES[content.kind][lang],
    subtitle: ctx.caseTitle,
    meta,
    author: ctx.organisation.name,
    // The version's last change, not "now": the same version always gives the same PDF.
    createdAt: v.submittedAt ?? v.updatedAt,
    subject: `${ctx.caseReference} ${content.kind} v${v.version}`,
    locale: lang,
    footer: `${ctx.caseReference} · ${REPORT_TITLES[content.kind][lang]} · v${v.version}`,
    sections: sheet.sections.map((s) => ({
      heading: `${s.number}. ${s.title}`,
      blocks: s.rows.flatMap((row): PdfBlock[] =>
        row.value.includes('\n') || row.value.length > 90
          ? [
              { type: 'heading' as const, text: row.label },
              { type: 'paragraph' as const, text: row.value === '' ? '-' : row.value },
            ]
          : [
              {
                type: 'keyValue' as const,
                rows: [{ key: row.label, value: row.value === '' ? '-' : row.value }],
              },
            ],
      ),
    })),
  };
}

/** File name of an export: INC-2026-0001-gdpr-art33-v2.pdf */
export function reportFileName(
  caseReference: string,
  kind: ReportKind,
  version: number,
  ext: string,
): string {
  return `${caseReference}-${kind}-v${version}.${ext}`;
}
