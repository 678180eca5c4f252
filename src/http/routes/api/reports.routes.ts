import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reportEditSchema, reportKindSchema } from '../../../domain/reports/report-content.js';
import { reportExportJsonSchema } from '../../../domain/reports/report-export.js';
import { caseReportsViewSchema, reportViewSchema } from '../../../domain/reports/report-view.js';
import {
  REPORT_EXPORT_FORMATS,
  exportReport,
  type ReportFile,
} from '../../../services/reports/report-export.service.js';
import {
  addSupplement,
  createReport,
  editReport,
  getReport,
  listReports,
  redraftReport,
} from '../../../services/reports/report.service.js';
import {
  approveReport,
  submitReport,
  submitReportSchema,
} from '../../../services/reports/report-filing.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({ case: z.string().min(1).max(40) });
const idParams = z.object({ id: z.coerce.number().int().positive() });
const versionParams = idParams.extend({ version: z.coerce.number().int().positive() });
const exportParams = idParams.extend({
  version: z.union([z.literal('latest'), z.coerce.number().int().positive()]),
});

/** Sends an export file as a download. */
export function sendReportFile(reply: FastifyReply, file: ReportFile): FastifyReply {
  return reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(file.body);
}

/** Regulator reports: draft, edit, four-eyes approval, submission, supplements, exports. */
export function reportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = { database: ctx.database, timeZone: ctx.config.workspace.defaultTimeZone };
  return async (app) => {
    app.get(
      '/schemas/report-export.json',
      {
        config: { permission: 'public' },
        schema: { summary: 'JSON Schema of a report export (candor-report/1)', tags: ['reports'] },
      },
      async (_request, reply) =>
        reply
          .type('application/schema+json; charset=utf-8')
          .header('cache-control', 'public, max-age=300')
          .send(JSON.stringify(reportExportJsonSchema(), null, 2)),
    );

    app.get(
      '/cases/:case/reports',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The regulator reports of a case, with the legal clock of each kind',
          tags: ['reports'],
          params: caseParams,
          response: { 200: caseReportsViewSchema },
        },
      },
      async (request) => listReports(actorOf(request), request.params.case, deps),
    );

    app.post(
      '/cases/:case/reports',
      {
        config: { permission: 'reports:write' },
        schema: {
          summary: 'Draft a report of a kind from the case facts (version 1)',
          tags: ['reports'],
          params: caseParams,
          body: z.object({ kind: reportKindSchema }),
          response: { 201: reportViewSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createReport(actorOf(request), request.params.case, request.body.kind, deps)),
    );

    app.get(
      '/reports/:id',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'A report with its versions',
          tags: ['reports'],
          params: idParams,
          response: { 200: reportViewSchema },
        },
      },
      async (request) => getReport(actorOf(request), request.params.id, deps),
    );

    app.post(
      '/reports/:id/versions',
      {
        config: { permission: 'reports:write' },
        schema: {
          summary:
            'Add a phased supplement (GDPR Art. 33(4)) after the latest version was submitted',
          tags: ['reports'],
          params: idParams,
          body: z.object({ from: z.enum(['facts', 'previous']).default('facts') }).default({
            from: 'facts',
          }),
          response: { 201: reportViewSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await addSupplement(actorOf(request), request.params.id, request.body, deps)),
    );

    app.patch(
      '/reports/:id/versions/:version',
      {
        config: { permission: 'reports:write' },
        schema: {
          summary: 'Edit fields (per language) or figures of a draft version; voids any approval',
          tags: ['reports'],
          params: versionParams,
          body: reportEditSchema,
          response: { 200: reportViewSchema },
        },
      },
      async (request) =>
        editReport(actorOf(request), request.params.id, request.params.version, request.body, deps),
    );

    app.post(
      '/reports/:id/versions/:version/redraft',
      {
        config: { permission: 'reports:write' },
        schema: {
          summary: 'Draft fields again from the current facts (all, or the named ones)',
          tags: ['reports'],
          params: versionParams,
          body: z.object({ fields: z.array(z.string().max(60)).max(40).optional() }).default({}),
          response: { 200: reportViewSchema },
        },
      },
      async (request) =>
        redraftReport(
          actorOf(request),
          request.params.id,
          request.params.version,
          request.body,
          deps,
        ),
    );

    app.post(
      '/reports/:id/versions/:version/approval',
      {
        config: { permission: 'reports:approve' },
        schema: {
          summary: 'Approve this exact content (four eyes: someone who wrote none of it)',
          tags: ['reports'],
          params: versionParams,
          body: z.object({ contentHash: z.string().length(64).optional() }).default({}),
          response: { 200: reportViewSchema },
        },
      },
      async (request) =>
        approveReport(
          actorOf(request),
          request.params.id,
          request.params.version,
          request.body,
          deps,
        ),
    );

    app.post(
      '/reports/:id/versions/:version/submission',
      {
        config: { permission: 'reports:submit' },
        schema: {
          summary:
            "Record the submission of an approved version: the authority's reference, and the reason for the delay when late",
          tags: ['reports'],
          params: versionParams,
          body: submitReportSchema,
          response: { 200: reportViewSchema },
        },
      },
      async (request) =>
        submitReport(
          actorOf(request),
          request.params.id,
          request.params.version,
          request.body,
          deps,
        ),
    );

    app.get(
      '/reports/:id/versions/:version/export',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary:
            'Download a version as PDF, JSON (candor-report/1) or the sheet of the AP notification form (text)',
          tags: ['reports'],
          params: exportParams,
          querystring: z.object({
            format: z.enum(REPORT_EXPORT_FORMATS).default('pdf'),
            lang: z.enum(['nl', 'en']).default('nl'),
          }),
        },
      },
      async (request, reply) =>
        sendReportFile(
          reply,
          await exportReport(
            actorOf(request),
            request.params.id,
            request.params.version,
            request.query.format,
            { language: request.query.lang },
            deps,
          ),
        ),
    );
  };
}
