import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DELIVERY_STATES } from '../../../domain/delivery.js';
import { NotFoundError } from '../../../domain/errors.js';
import { toCaseView } from '../../../services/cases/case.service.js';
import {
  getDeliveryPage,
  getDispatchPanel,
} from '../../../services/dispatch/dispatch-progress.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import {
  deliveriesTexts,
  renderDeliveriesTab,
  type DeliveriesFilter,
} from '../../views/workspace/case-deliveries.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { viewOf } from '../../workspace/view-context-of.js';

// Empty form fields arrive as ''; they mean "no filter", not an invalid value.
const blank = (v: unknown) => (v === '' ? undefined : v);
const deliveriesQuery = z.object({
  dispatch: z.preprocess(blank, z.coerce.number().int().positive().optional()),
  state: z.preprocess(blank, z.enum(DELIVERY_STATES).optional()),
  q: z.preprocess(blank, z.string().trim().max(200).optional()),
  after: z.preprocess(blank, z.coerce.number().int().nonnegative().optional()),
});

/** The deliveries tab: a dispatch's deliveries, filtered by state, searched, a page at a time. */
export function caseDeliveriesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:reference/deliveries',
      {
        config: { permission: 'cases:read' },
        schema: {
          hide: true,
          params: z.object({ reference: z.string().min(1).max(64) }),
          querystring: deliveriesQuery,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const t = deliveriesTexts(sessionOf(request).locale);
        const panel = await getDispatchPanel(actor, request.params.reference, ctx.deps);
        const kase = toCaseView(panel.kase);
        const q = request.query;
        const dispatchId = q.dispatch ?? panel.dispatches[0]?.id;
        if (q.dispatch && !panel.dispatches.some((d) => d.id === q.dispatch)) {
          throw new NotFoundError(`case ${kase.reference} has no dispatch ${q.dispatch}`);
        }
        const filter: DeliveriesFilter | null = dispatchId
          ? {
              dispatch: dispatchId,
              state: q.state,
              q: q.q || undefined,
              after: q.after || undefined,
            }
          : null;
        const page = filter
          ? await getDeliveryPage(
              actor,
              filter.dispatch,
              { state: filter.state, search: filter.q, afterId: filter.after, limit: 50 },
              ctx.deps,
            )
          : null;
        return sendWorkspacePage(reply, request, {
          title: `${t.title} · ${kase.reference}`,
          section: 'cases',
          main: renderDeliveriesTab(viewOf(request), {
            kase,
            dispatches: panel.dispatches,
            filter,
            page,
          }),
        });
      },
    );
  };
}
