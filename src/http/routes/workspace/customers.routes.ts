import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../wiring.js';
import {
  countCustomers,
  listImports,
  searchCustomers,
} from '../../../services/customers/customer.service.js';
import { customerHistory } from '../../../services/customers/customer-history.service.js';
import { actorOf } from '../../auth.js';
import { renderCustomerList, renderImportPage } from '../../views/workspace/customers.view.js';
import {
  renderCustomer,
  renderImportJobPage,
  renderImportProgress,
} from '../../views/workspace/customers-detail.view.js';
import { customerTexts } from '../../views/workspace/customers-texts.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { sendWorkspaceError } from '../../views/workspace/workspace-error.view.js';
import { ImportJobs } from '../../workspace/import-jobs.js';
import { storeUpload, uploadedFile } from '../../workspace/multipart-upload.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { viewOf } from '../../workspace/view-context-of.js';

const PAGE_SIZE = 50;
const jobParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) });

/** The customer registry in the workspace: search, import with progress, one customer. */
export function customersRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const jobs = new ImportJobs(ctx.config.dataDir, ctx.database);
  return async (app) => {
    app.get(
      '/customers',
      {
        config: { permission: 'customers:read' },
        schema: {
          hide: true,
          querystring: z.object({
            q: z.string().max(200).default(''),
            after: z.coerce.number().int().min(0).optional(),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const { q, after } = request.query;
        const page = await searchCustomers(
          actor,
          { q: q.trim() || undefined, after, limit: PAGE_SIZE },
          ctx.deps,
        );
        const total = await countCustomers(actor, ctx.deps);
        return sendWorkspacePage(reply, request, {
          ...renderCustomerList(viewOf(request), { q, total, ...page, paged: after !== undefined }),
          section: 'customers',
        });
      },
    );

    app.get(
      '/customers/import',
      { config: { permission: 'customers:import' }, schema: { hide: true } },
      async (request, reply) => {
        const imports = await listImports(actorOf(request), ctx.deps);
        return sendWorkspacePage(reply, request, {
          ...renderImportPage(viewOf(request), imports),
          section: 'customers',
        });
      },
    );

    app.post(
      '/customers/import',
      { config: { permission: 'customers:import' }, schema: { hide: true } },
      async (request, reply) => {
        const t = customerTexts(sessionOf(request).locale);
        const received = await uploadedFile(request);
        if (received.kind === 'malformed') {
          return sendWorkspaceError(reply, request, 400, 400, t.malformedUpload);
        }
        if (received.kind === 'none') {
          flash(reply, t.noFile, 'error');
          return reply.redirect('/app/customers/import', 303);
        }
        const { file } = received;
        // Stored first, then imported in the background: the browser gets a progress page
        // right away instead of waiting on one request for a million rows.
        const upload = jobs.newUploadPath();
        if (!(await storeUpload(file, upload.file))) {
          return sendWorkspaceError(reply, request, 400, 400, t.malformedUpload);
        }
        if (file.file.truncated) {
          fs.rmSync(upload.file, { force: true });
          return sendWorkspaceError(reply, request, 413, 413, t.tooLarge);
        }
        const job = await jobs.start(
          upload.id,
          upload.file,
          file.filename.slice(0, 200),
          actorOf(request),
          ctx.deps,
        );
        job.done.catch((error: unknown) => request.log.error({ err: error }, 'import job failed'));
        return reply.redirect(`/app/customers/imports/${job.id}`, 303);
      },
    );

    app.get(
      '/customers/imports/:id',
      { config: { permission: 'customers:import' }, schema: { hide: true, params: jobParams } },
      async (request, reply) => {
        const job = await jobs.get(request.params.id, sessionOf(request).userId);
        if (!job) return sendWorkspaceError(reply, request, 404, 404);
        return sendWorkspacePage(reply, request, {
          ...renderImportJobPage(viewOf(request), job),
          section: 'customers',
        });
      },
    );

    app.get(
      '/customers/imports/:id/progress',
      { config: { permission: 'customers:import' }, schema: { hide: true, params: jobParams } },
      async (request, reply) => {
        const job = await jobs.get(request.params.id, sessionOf(request).userId);
        if (!job) return sendWorkspaceError(reply, request, 404, 404);
        return reply
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(renderImportProgress(viewOf(request), job).toString());
      },
    );

    app.get(
      '/customers/imports/:id/rejects',
      { config: { permission: 'customers:import' }, schema: { hide: true, params: jobParams } },
      async (request, reply) => {
        const userId = sessionOf(request).userId;
        const job = await jobs.get(request.params.id, userId);
        const rejects = job?.summary ? await jobs.rejects(job.id, userId) : undefined;
        if (!job?.summary || rejects === undefined) {
          return sendWorkspaceError(reply, request, 404, 404);
        }
        const extension = job.summary.format === 'jsonl' ? 'jsonl' : 'csv';
        const base = job.fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'import';
        return reply
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="${base}-rejects.${extension}"`)
          .type(extension === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
          .send(rejects);
      },
    );

    app.get(
      '/customers/:externalId',
      {
        config: { permission: 'customers:read' },
        schema: { hide: true, params: z.object({ externalId: z.string().min(1).max(200) }) },
      },
      async (request, reply) => {
        const history = await customerHistory(
          actorOf(request),
          request.params.externalId,
          ctx.deps,
        );
        return sendWorkspacePage(reply, request, {
          ...renderCustomer(viewOf(request), history),
          section: 'customers',
        });
      },
    );
  };
}
