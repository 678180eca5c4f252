import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/access.js';
import { toCaseView } from '../../../services/cases/case.service.js';
import { getLetterOverview } from '../../../services/letters/letter-overview.service.js';
import {
  buildLetters,
  downloadLetterBatch,
  markLetterBatchPosted,
} from '../../../services/letters/letter.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import {
  lettersTexts,
  lettersUrl,
  renderLettersPage,
} from '../../views/workspace/case-letters.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { viewOf } from '../../workspace/view-context-of.js';

const refParams = z.object({ reference: z.string().min(1).max(64) });
const fileParams = refParams.extend({
  file: z.string().regex(/^\d{1,12}\.(pdf|csv)$/, 'a batch file: 12.pdf or 12.csv'),
});
const batchParams = refParams.extend({ batch: z.coerce.number().int().positive() });
const buildBody = z.object({
  batch: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).max(10_000).optional(),
  ),
  _csrf: z.string().optional(),
});

/**
 * The letters page under the dispatch tab: who email cannot reach, make letters in batches,
 * download each batch's PDF and manifest, and mark a batch posted.
 */
export function caseLettersRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = { ...ctx.deps, timeZone: ctx.config.workspace.defaultTimeZone };
  return async (app) => {
    app.get(
      '/cases/:reference/letters',
      { config: { permission: 'cases:read' }, schema: { hide: true, params: refParams } },
      async (request, reply) => {
        const session = sessionOf(request);
        const overview = await getLetterOverview(
          actorOf(request),
          request.params.reference,
          ctx.deps,
        );
        const kase = toCaseView(overview.kase);
        return sendWorkspacePage(reply, request, {
          title: `${lettersTexts(session.locale).title} · ${kase.reference}`,
          section: 'cases',
          main: renderLettersPage(viewOf(request), {
            kase,
            overview,
            canBuild: can(session.roles, 'dispatch:start'),
            canPost: can(session.roles, 'dispatch:control'),
          }),
        });
      },
    );

    app.post(
      '/cases/:reference/letters',
      {
        config: { permission: 'dispatch:start' },
        schema: { hide: true, params: refParams, body: buildBody },
      },
      async (request, reply) => {
        const en = sessionOf(request).locale === 'en';
        const result = await buildLetters(
          actorOf(request),
          { target: { caseRef: request.params.reference }, batchSize: request.body.batch },
          deps,
        );
        const missing = result.notPrintable.length;
        flash(
          reply,
          en
            ? `${result.letters} letters in ${result.batches.length} batches.${missing ? ` ${missing} without a postal address.` : ''}`
            : `${result.letters} brieven in ${result.batches.length} partijen.${missing ? ` ${missing} zonder postadres.` : ''}`,
        );
        return reply.redirect(lettersUrl(request.params.reference), 303);
      },
    );

    app.get(
      '/cases/:reference/letters/:file',
      { config: { permission: 'dispatch:start' }, schema: { hide: true, params: fileParams } },
      async (request, reply) => {
        const [id, kind] = request.params.file.split('.') as [string, 'pdf' | 'csv'];
        const { batch, files } = await downloadLetterBatch(
          actorOf(request),
          Number(id),
          deps,
          request.params.reference,
        );
        const name = `letters-${batch.dispatchId}-${batch.id}.${kind}`;
        return reply
          .header('Content-Type', kind === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${name}"`)
          .header('Cache-Control', 'no-store')
          .send(kind === 'pdf' ? files.pdf : files.manifest);
      },
    );

    app.post(
      '/cases/:reference/letters/:batch/posted',
      {
        config: { permission: 'dispatch:control' },
        schema: {
          hide: true,
          params: batchParams,
          body: z.object({ _csrf: z.string().optional() }),
        },
      },
      async (request, reply) => {
        const en = sessionOf(request).locale === 'en';
        const { batch, changed } = await markLetterBatchPosted(
          actorOf(request),
          request.params.batch,
          ctx.deps,
          request.params.reference,
        );
        flash(
          reply,
          changed
            ? en
              ? `Batch ${batch.id}: ${batch.letters} letters posted.`
              : `Partij ${batch.id}: ${batch.letters} brieven gepost.`
            : en
              ? `Batch ${batch.id} was already posted.`
              : `Partij ${batch.id} was al gepost.`,
        );
        return reply.redirect(lettersUrl(request.params.reference), 303);
      },
    );
  };
}
