import { z } from 'zod';
import { legalClockSchema } from '../assessment/legal-clocks.js';
import { reportContentSchema, reportKindSchema } from './report-content.js';

export const REPORT_VERSION_STATUSES = [
  'draft',
  'approved',
  'changed-since-approval',
  'submitted',
] as const;

/** A version of a report as the API and the workspace show it. */
export const reportVersionViewSchema = z.object({
  id: z.number().int(),
  version: z.number().int(),
  status: z.enum(REPORT_VERSION_STATUSES),
  content: reportContentSchema,
  contentHash: z.string(),
  editors: z.array(z.string()).describe('Who drafted or edited this version: none may approve it.'),
  approvedBy: z.string().nullable().describe('Set only while the approval holds for the content.'),
  approvedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
  submittedBy: z.string().nullable(),
  authorityReference: z.string().nullable(),
  delayReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReportVersionView = z.infer<typeof reportVersionViewSchema>;
export type ReportVersionStatus = ReportVersionView['status'];

/** A report with all its versions (version 1 the notification, later ones supplements). */
export const reportViewSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  caseReference: z.string(),
  kind: reportKindSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  versions: z.array(reportVersionViewSchema),
});
export type ReportView = z.infer<typeof reportViewSchema>;

/** The reports of a case with the legal clock of each kind that applies. */
export const caseReportsViewSchema = z.object({
  caseReference: z.string(),
  reports: z.array(reportViewSchema),
  clocks: z.partialRecord(reportKindSchema, legalClockSchema),
});
export type CaseReportsView = z.infer<typeof caseReportsViewSchema>;
