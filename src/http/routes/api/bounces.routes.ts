import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  bounceReportSchema,
  bounceResultSchema,
  reportBounce,
} from '../../../services/dispatch/bounce.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

/** Bounces that arrive after a server accepted a notice, reported by the provider's systems. */
export function bounceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/bounces',
      {
        config: { permission: 'bounces:report' },
        schema: {
          summary: 'Report a bounce after acceptance (marks the delivery bounced)',
          description:
            'Matches the delivery by its Message-ID (`<candor.…@…>`), or, without one, the most recent accepted delivery to `recipient`. Reporting the same bounce again changes nothing (`changed: false`). 404 when nothing matches; 409 when the delivery was never accepted.',
          tags: ['dispatch'],
          body: bounceReportSchema,
          response: { 200: bounceResultSchema },
        },
      },
      async (request) => reportBounce(actorOf(request), request.body, ctx.deps),
    );
  };
}
