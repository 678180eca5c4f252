import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toCaseView } from '../../../services/cases/case.service.js';
import { reminderEffect } from '../../../services/remedies/reminder-effect.service.js';
import { listReminderSends } from '../../../services/remedies/reminder.service.js';
import {
  getCompletionOverview,
  getOpenRecipients,
  openFilterSchema,
} from '../../../services/remedies/completion.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sendOpenRecipientsCsv } from '../../open-recipients-csv.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import {
  completionTexts,
  renderCompletionTab,
} from '../../views/workspace/case-completion.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { viewOf } from '../../workspace/view-context-of.js';

// Empty form fields arrive as ''; they mean "no filter", not an invalid value.
const blank = (v: unknown) => (v === '' ? undefined : v);
const refParams = z.object({ reference: z.string().min(1).max(64) });
const filterQuery = z.object({
  remedy: z.preprocess(blank, openFilterSchema.shape.remedy),
  stage: z.preprocess(blank, openFilterSchema.shape.stage),
  language: z.preprocess(blank, openFilterSchema.shape.language),
  problem: z.preprocess(blank, openFilterSchema.shape.problem),
  q: z.preprocess(blank, openFilterSchema.shape.q),
});
const pageQuery = filterQuery.extend({
  after: z.preprocess(blank, z.coerce.number().int().nonnegative().optional()),
});

/** The completion tab: counts and rates, the curves, and the open recipients with their export. */
export function caseCompletionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:reference/completion',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: refParams, querystring: pageQuery },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const session = sessionOf(request);
        const { after, ...filter } = request.query;
        const overview = await getCompletionOverview(
          actor,
          request.params.reference,
          { timeZone: session.timeZone, language: session.locale },
          ctx.deps,
        );
        const page = await getOpenRecipients(
          actor,
          overview.kase.reference,
          filter,
          { afterId: after, limit: 50 },
          ctx.deps,
        );
        const kase = toCaseView(overview.kase);
        return sendWorkspacePage(reply, request, {
          title: `${completionTexts(session.locale).title} · ${kase.reference}`,
          section: 'cases',
          main: renderCompletionTab(viewOf(request), {
            kase,
            overview,
            markers: await listReminderSends(ctx.database.db, overview.kase.id, session.locale),
            effect: await reminderEffect(ctx.database.db, overview.kase.id),
            filter: { ...filter, after },
            page,
          }),
        });
      },
    );

    app.get(
      '/cases/:reference/completion/open.csv',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: refParams, querystring: filterQuery },
      },
      async (request, reply) => {
        return sendOpenRecipientsCsv(request, reply, request.params.reference, request.query, ctx);
      },
    );
  };
}
