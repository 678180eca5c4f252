import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  listSubscribers,
  removeSubscriber,
  subscriberViewSchema,
} from '../../../services/publication/subscriber.service.js';
import { subscriberStateSchema } from '../../../domain/publication.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

/** The subscriber list for admins (subscribers:manage). */
export function subscriberRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['subscribers'];
    app.get(
      '/subscribers',
      {
        config: { permission: 'subscribers:manage' },
        schema: {
          summary: 'Email subscribers to security updates, newest first, with counts per state',
          tags,
          querystring: z.object({
            state: subscriberStateSchema.optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: {
            200: z.object({
              counts: z.record(z.string(), z.number()),
              subscribers: z.array(subscriberViewSchema),
            }),
          },
        },
      },
      async (request) => listSubscribers(actorOf(request), request.query, ctx.deps),
    );
    app.delete(
      '/subscribers/:id',
      {
        config: { permission: 'subscribers:manage' },
        schema: {
          summary: 'Unsubscribe an address on its owner’s behalf',
          tags,
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: subscriberViewSchema },
        },
      },
      async (request) => removeSubscriber(actorOf(request), request.params.id, ctx.deps),
    );
  };
}
