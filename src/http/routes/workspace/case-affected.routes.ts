import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/access.js';
import { ConflictError, ValidationError } from '../../../domain/errors.js';
import {
  clearAffected,
  importAffected,
  previewAffected,
  setAffectedFilter,
  type AffectedImportSummary,
} from '../../../services/cases/affected.service.js';
import { getCase, toCaseView, requireCase } from '../../../services/cases/case.service.js';
import {
  tryAffectedFilter,
  type FilterTrial,
} from '../../../services/notices/case-workspace-preview.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import {
  caseAffectedView,
  filterStatus,
  filterTrialView,
} from '../../views/workspace/case-affected.view.js';
import { html } from '../../views/html.js';
import { keepUploadResult, takeUploadResult } from '../../workspace/upload-result-cookie.js';
import { storeUpload, uploadedFile } from '../../workspace/multipart-upload.js';
import { caseTabUrl } from '../../views/workspace/case-tabs.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { caseParams } from '../../workspace/workspace-params.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';

/** Upload size limit: an affected list of a few hundred thousand lines fits comfortably. */
const UPLOAD_LIMIT = 64 * 1024 * 1024;

/** The live count's filter text (a repeated parameter is refused with 400, not a crash). */
const previewQuery = z.object({ filter: z.string().optional() });

/** The affected tab: the set now, upload a list, write a filter with a live count. */
export function caseAffectedRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await app.register(formbody);
    }
    if (!app.hasContentTypeParser('multipart/form-data')) {
      await app.register(multipart, { limits: { files: 1, fileSize: UPLOAD_LIMIT, fields: 5 } });
    }

    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      reference: string,
      extra: {
        upload?: AffectedImportSummary | null;
        filterText?: string;
        trial?: FilterTrial | null;
        errors?: string[];
      } = {},
      status = 200,
    ) {
      const actor = actorOf(request);
      const kase = await getCase(actor, reference, ctx.deps);
      const preview = await previewAffected(actor, kase.reference, { sample: 10 }, ctx.deps);
      return sendWorkspacePage(
        reply,
        request,
        {
          title: `${kase.reference} ${kase.title}`,
          section: 'cases',
          main: caseAffectedView(viewOf(request), {
            kase,
            preview,
            canWrite: can(sessionOf(request).roles, 'affected:write'),
            upload: extra.upload ?? null,
            filterText: extra.filterText ?? kase.affectedFilter ?? '',
            trial: extra.trial ?? null,
            errors: extra.errors ?? [],
          }),
        },
        status,
      );
    }

    app.get(
      '/cases/:reference/affected',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: caseParams } },
      (request, reply) => {
        const { reference } = request.params;
        const ref = reference.toUpperCase();
        const upload = takeUploadResult(request, reply, ref, caseTabUrl(ref, 'affected'));
        return page(request, reply, reference, { upload });
      },
    );

    // The live count: htmx asks on input (debounced) and swaps the fragment in.
    app.get(
      '/cases/:reference/affected/preview',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: caseParams, querystring: previewQuery },
      },
      async (request, reply) => {
        const { reference } = request.params;
        const { filter = '' } = request.query;
        if (filter.trim() === '')
          return reply
            .type('text/html; charset=utf-8')
            .send(filterStatus(viewOf(request), null, true).toString());
        const trial = await tryAffectedFilter(
          actorOf(request),
          reference,
          filter.slice(0, 4000),
          { sample: 10 },
          ctx.deps,
        );
        const view = viewOf(request);
        return reply
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(html`${filterTrialView(view, trial)}${filterStatus(view, trial, true)}`.toString());
      },
    );

    // Without JavaScript the same form previews (action=preview), saves or removes.
    app.post(
      '/cases/:reference/affected/filter',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: caseParams } },
      async (request, reply) => {
        const { reference } = request.params;
        const form = formOf(request);
        const filter = (form.filter ?? '').slice(0, 4000);
        const actor = actorOf(request);
        if (form.action === 'save' || form.action === 'remove') {
          // Saving needs affected:write, which the service checks (a reader gets 403);
          // previewing is open to every reader.
          const text = form.action === 'remove' ? null : filter;
          if (text !== null && text.trim() !== '') {
            const trial = await tryAffectedFilter(actor, reference, text, { sample: 10 }, ctx.deps);
            if (!trial.ok) return page(request, reply, reference, { filterText: text, trial }, 400);
          }
          try {
            await setAffectedFilter(actor, reference, text, ctx.deps);
          } catch (error) {
            if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
            return page(
              request,
              reply,
              reference,
              { filterText: filter, errors: [error.message] },
              400,
            );
          }
          flash(reply, sessionOf(request).locale === 'nl' ? 'Filter opgeslagen.' : 'Filter saved.');
          return reply.redirect(caseTabUrl(reference.toUpperCase(), 'affected'), 303);
        }
        const trial =
          filter.trim() === ''
            ? null
            : await tryAffectedFilter(actor, reference, filter, { sample: 10 }, ctx.deps);
        return page(
          request,
          reply,
          reference,
          { filterText: filter, trial },
          trial && !trial.ok ? 400 : 200,
        );
      },
    );

    app.post(
      '/cases/:reference/affected/upload',
      { config: { permission: 'affected:write' }, schema: { hide: true, params: caseParams } },
      async (request, reply) => {
        const { reference } = request.params;
        const actor = actorOf(request);
        const kase = toCaseView(await requireCase(ctx.database.db, reference));
        const nl = sessionOf(request).locale === 'nl';
        const received = await uploadedFile(request);
        const broken = nl
          ? 'Het bestand kwam niet goed of niet helemaal aan. Kies het bestand opnieuw en upload nog eens.'
          : 'The file did not arrive whole or as a proper upload. Choose it again and upload once more.';
        if (received.kind === 'malformed')
          return page(request, reply, reference, { errors: [broken] }, 400);
        if (received.kind === 'none') {
          return page(
            request,
            reply,
            reference,
            { errors: [nl ? 'Kies een bestand.' : 'Choose a file.'] },
            400,
          );
        }
        const { file } = received;
        // Stored whole first: a body that breaks off halfway adds nobody to the list.
        const dir = path.join(ctx.config.dataDir, 'uploads');
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const stored = path.join(dir, `${randomBytes(16).toString('hex')}.upload`);
        let summary: AffectedImportSummary;
        let input: fs.ReadStream | null = null;
        try {
          if (!(await storeUpload(file, stored))) {
            return page(request, reply, reference, { errors: [broken] }, 400);
          }
          if (file.file.truncated) {
            return page(
              request,
              reply,
              reference,
              {
                errors: [
                  nl
                    ? 'Het bestand is te groot. Gebruik de CLI of de API voor grote lijsten.'
                    : 'The file is too large. Use the CLI or the API for large lists.',
                ],
              },
              400,
            );
          }
          // Read through its iterator; a refusal before the first read (a frozen set) must not
          // leave an open that fails later, after the file is gone.
          input = fs.createReadStream(stored).on('error', () => undefined);
          summary = await importAffected(
            actor,
            kase.reference,
            input,
            { source: `workspace upload ${file.filename}`.slice(0, 200) },
            ctx.deps,
          );
        } catch (error) {
          if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
          return page(request, reply, reference, { errors: [error.message] }, 400);
        } finally {
          if (input && !input.closed) {
            const closed = once(input, 'close');
            input.destroy();
            await closed;
          }
          fs.rmSync(stored, { force: true });
        }
        // POST → 303 → GET: the result page has a clean URL and a reload does not upload again.
        const tab = caseTabUrl(kase.reference, 'affected');
        keepUploadResult(reply, { ...summary, scope: kase.reference }, tab);
        return reply.redirect(tab, 303);
      },
    );

    app.post(
      '/cases/:reference/affected/clear',
      { config: { permission: 'affected:write' }, schema: { hide: true, params: caseParams } },
      async (request, reply) => {
        const { reference } = request.params;
        const removed = await clearAffected(actorOf(request), reference, ctx.deps);
        flash(
          reply,
          sessionOf(request).locale === 'nl'
            ? `${removed} klanten van de lijst gehaald.`
            : `${removed} customers removed from the list.`,
        );
        return reply.redirect(caseTabUrl(reference.toUpperCase(), 'affected'), 303);
      },
    );
  };
}
