import formbody from '@fastify/formbody';
import { localInputToUtc } from '../../../services/cases/case-workspace-time.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/access.js';
import { NotFoundError, ValidationError } from '../../../domain/errors.js';
import { REPORT_FIELDS, reportKindSchema } from '../../../domain/reports/report-content.js';
import type { ReportView } from '../../../domain/reports/report-view.js';
import { getCase } from '../../../services/cases/case.service.js';
import {
  REPORT_EXPORT_FORMATS,
  exportReport,
  reportSheet,
} from '../../../services/reports/report-export.service.js';
import {
  addSupplement,
  createReport,
  editReport,
  getReport,
  listReports,
  redraftReport,
} from '../../../services/reports/report.service.js';
import { approveReport, submitReport } from '../../../services/reports/report-filing.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { formErrorsFrom, type FormErrors } from '../../views/workspace/case-form.view.js';
import { reportTexts } from '../../views/workspace/case-reports-texts.view.js';
import { caseReportsView, reportVersionUrl } from '../../views/workspace/case-reports.view.js';
import { caseTabUrl } from '../../views/workspace/case-tabs.view.js';
import { reportSheetView } from '../../views/workspace/report-sheet.view.js';
import { isConfirmed, missingConfirmation } from '../../views/workspace/confirm-step.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { caseParams, queryChoice } from '../../workspace/workspace-params.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';

/** A report of the case and (but for a supplement) a version of it; reportOfCase checks both. */
const reportParams = caseParams.extend({ id: z.string(), version: z.string().optional() });
/** The report and version the tab shows (unknown ones: the first report, its latest version). */
const tabQuery = z.object({ report: queryChoice, version: queryChoice });
/** A download's format and language (unknown ones: PDF, Dutch). */
const downloadQuery = z.object({ format: queryChoice, lang: queryChoice });
/** The filing sheet's label language (unknown: Dutch). */
const sheetQuery = z.object({ labels: queryChoice });

/** A datetime-local value ("2026-11-27T10:00") in the user's zone, as a UTC instant. */
function localInstant(value: string | undefined, timeZone: string): string | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  const instant = localInputToUtc(text, timeZone);
  if (instant === null) {
    throw new ValidationError('invalid date', [
      { field: 'submittedAt', message: 'must be a date and time' },
    ]);
  }
  return instant;
}

const positive = (value: string | undefined): number | null => {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** The reports tab: clocks, drafts, field editing, four-eyes approval, submission, exports. */
export function caseReportsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = { database: ctx.database, timeZone: ctx.config.workspace.defaultTimeZone };
  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await app.register(formbody);
    }

    /** The report of the URL, if it belongs to the case of the URL, and the version number. */
    async function reportOfCase(
      request: FastifyRequest,
      { reference, id, version }: z.infer<typeof reportParams>,
    ): Promise<{ report: ReportView; version: number }> {
      const reportId = positive(id);
      const number = positive(version);
      if (reportId === null) throw new NotFoundError(`no report ${id}`);
      const report = await getReport(actorOf(request), reportId, deps);
      if (report.caseReference !== reference.toUpperCase()) {
        throw new NotFoundError(`no report ${reportId} in ${reference}`);
      }
      if (
        version !== undefined &&
        (number === null || !report.versions.some((v) => v.version === number))
      ) {
        throw new NotFoundError(`report ${reportId} has no version ${version}`);
      }
      return { report, version: number ?? report.versions.at(-1)!.version };
    }

    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      selection: { reportId?: number | null; version?: number | null; errors?: FormErrors },
      status = 200,
    ) {
      const actor = actorOf(request);
      const session = sessionOf(request);
      const kase = await getCase(actor, reference, ctx.deps);
      const view = await listReports(actor, kase.id, deps);
      const report =
        view.reports.find((r) => r.id === selection.reportId) ??
        (selection.reportId ? undefined : view.reports[0]);
      const version = report
        ? (report.versions.find((v) => v.version === selection.version) ?? report.versions.at(-1)!)
        : undefined;
      return sendWorkspacePage(
        reply,
        request,
        {
          title: `${kase.reference} ${reportTexts(session.locale).heading}`,
          section: 'cases',
          main: caseReportsView(viewOf(request), {
            kase,
            view,
            selected: report && version ? { report, version } : null,
            canWrite: can(session.roles, 'reports:write'),
            canApprove: can(session.roles, 'reports:approve'),
            canSubmit: can(session.roles, 'reports:submit'),
            actorName: actor.name,
            errors: selection.errors ?? {},
            now: Date.now(),
          }),
        },
        status,
      );
    }

    /** Runs a change; input problems re-render the page with the errors (400), others throw. */
    async function change(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      run: () => Promise<{ id: number; version: number }>,
      message: (t: ReturnType<typeof reportTexts>) => string,
      selection: { reportId?: number; version?: number },
    ) {
      try {
        const done = await run();
        flash(reply, message(reportTexts(sessionOf(request).locale)));
        return reply.redirect(
          reportVersionUrl(reference.toUpperCase(), done.id, done.version),
          303,
        );
      } catch (error) {
        const errors = formErrorsFrom(error);
        if (!errors) throw error;
        return page(request, reply, reference, { ...selection, errors }, 400);
      }
    }

    app.get(
      '/cases/:reference/reports',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: caseParams, querystring: tabQuery },
      },
      (request, reply) => {
        const { query } = request;
        return page(request, reply, request.params.reference, {
          reportId: positive(query.report),
          version: positive(query.version),
        });
      },
    );

    app.post(
      '/cases/:reference/reports',
      { config: { permission: 'reports:write' }, schema: { hide: true, params: caseParams } },
      (request, reply) =>
        change(
          request,
          reply,
          request.params.reference,
          async () => {
            const kind = reportKindSchema.parse(formOf(request).kind);
            const r = await createReport(actorOf(request), request.params.reference, kind, deps);
            return { id: r.id, version: 1 };
          },
          (t) => t.drafted,
          {},
        ),
    );

    app.post(
      '/cases/:reference/reports/:id/versions/:version',
      { config: { permission: 'reports:write' }, schema: { hide: true, params: reportParams } },
      async (request, reply) => {
        const { report, version } = await reportOfCase(request, request.params);
        const form = formOf(request);
        const fields: Record<string, { nl?: string; en?: string }> = {};
        for (const f of REPORT_FIELDS[report.kind]) {
          const nl = form[`f.${f.key}.nl`];
          const en = form[`f.${f.key}.en`];
          if (nl !== undefined || en !== undefined) {
            fields[f.key] = {
              ...(nl !== undefined ? { nl } : {}),
              ...(en !== undefined ? { en } : {}),
            };
          }
        }
        const figure = (name: 'dataSubjects' | 'records') => {
          const raw = (form[name] ?? '').trim();
          if (raw === '') return null;
          const n = Number(raw);
          if (!Number.isSafeInteger(n) || n < 0) {
            throw new ValidationError('invalid figure', [
              { field: `figures.${name}`, message: 'must be a whole number of 0 or more' },
            ]);
          }
          return n;
        };
        return change(
          request,
          reply,
          request.params.reference,
          async () => {
            await editReport(
              actorOf(request),
              report.id,
              version,
              {
                fields,
                figures: { dataSubjects: figure('dataSubjects'), records: figure('records') },
                ...(form.contentHash ? { contentHash: form.contentHash } : {}),
              },
              deps,
            );
            return { id: report.id, version };
          },
          (t) => t.saved,
          { reportId: report.id, version },
        );
      },
    );

    app.post(
      '/cases/:reference/reports/:id/versions/:version/redraft',
      { config: { permission: 'reports:write' }, schema: { hide: true, params: reportParams } },
      async (request, reply) => {
        const { report, version } = await reportOfCase(request, request.params);
        return change(
          request,
          reply,
          request.params.reference,
          async () => {
            await redraftReport(actorOf(request), report.id, version, {}, deps);
            return { id: report.id, version };
          },
          (t) => t.drafted,
          { reportId: report.id, version },
        );
      },
    );

    app.post(
      '/cases/:reference/reports/:id/versions/:version/approve',
      { config: { permission: 'reports:approve' }, schema: { hide: true, params: reportParams } },
      async (request, reply) => {
        const { report, version } = await reportOfCase(request, request.params);
        const form = formOf(request);
        return change(
          request,
          reply,
          request.params.reference,
          async () => {
            if (!isConfirmed(form)) throw new ValidationError(missingConfirmation(viewOf(request)));
            await approveReport(
              actorOf(request),
              report.id,
              version,
              form.contentHash ? { contentHash: form.contentHash } : {},
              deps,
            );
            return { id: report.id, version };
          },
          (t) => t.approved,
          { reportId: report.id, version },
        );
      },
    );

    app.post(
      '/cases/:reference/reports/:id/versions/:version/submit',
      { config: { permission: 'reports:submit' }, schema: { hide: true, params: reportParams } },
      async (request, reply) => {
        const { report, version } = await reportOfCase(request, request.params);
        const form = formOf(request);
        return change(
          request,
          reply,
          request.params.reference,
          async () => {
            const submittedAt = localInstant(form.submittedAt, sessionOf(request).timeZone);
            await submitReport(
              actorOf(request),
              report.id,
              version,
              {
                authorityReference: form.authorityReference ?? '',
                ...(submittedAt ? { submittedAt } : {}),
                ...(form.delayReason?.trim() ? { delayReason: form.delayReason } : {}),
                ...(form.contentHash ? { contentHash: form.contentHash } : {}),
              },
              deps,
            );
            return { id: report.id, version };
          },
          (t) => t.submitted,
          { reportId: report.id, version },
        );
      },
    );

    app.post(
      '/cases/:reference/reports/:id/supplement',
      { config: { permission: 'reports:write' }, schema: { hide: true, params: reportParams } },
      async (request, reply) => {
        const { report } = await reportOfCase(request, request.params);
        return change(
          request,
          reply,
          request.params.reference,
          async () => {
            const r = await addSupplement(actorOf(request), report.id, {}, deps);
            return { id: r.id, version: r.versions.at(-1)!.version };
          },
          (t) => t.supplemented,
          { reportId: report.id },
        );
      },
    );

    app.get(
      '/cases/:reference/reports/:id/versions/:version/download',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: reportParams, querystring: downloadQuery },
      },
      async (request, reply) => {
        const { report, version } = await reportOfCase(request, request.params);
        const { query } = request;
        const format = REPORT_EXPORT_FORMATS.find((f) => f === query.format) ?? 'pdf';
        const file = await exportReport(
          actorOf(request),
          report.id,
          version,
          format,
          { language: query.lang === 'en' ? 'en' : 'nl' },
          deps,
        );
        return reply
          .type(file.contentType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .header('cache-control', 'no-store')
          .send(file.body);
      },
    );

    app.get(
      '/cases/:reference/reports/:id/versions/:version/sheet',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: reportParams, querystring: sheetQuery },
      },
      async (request, reply) => {
        const { report, version } = await reportOfCase(request, request.params);
        const labels = request.query.labels === 'en' ? 'en' : 'nl';
        const actor = actorOf(request);
        const kase = await getCase(actor, report.caseId, ctx.deps);
        const sheet = await reportSheet(actor, report.id, version, { labels, values: 'nl' }, deps);
        const selfUrl = `${caseTabUrl(kase.reference, 'reports')}/${report.id}/versions/${version}/sheet`;
        return sendWorkspacePage(reply, request, {
          title: `${kase.reference} ${sheet.title}`,
          section: 'cases',
          main: reportSheetView(viewOf(request), {
            kase,
            sheet,
            labels,
            backUrl: reportVersionUrl(kase.reference, report.id, version),
            selfUrl,
          }),
        });
      },
    );
  };
}
