import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isTimeZone } from '../../../config.js';
import {
  completionOverviewSchema,
  getCompletionOverview,
  openFilterSchema,
} from '../../../services/remedies/completion.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sendOpenRecipientsCsv } from '../../open-recipients-csv.js';

const caseParams = z.object({ reference: z.string().min(1).max(64) });
const overviewQuery = z.object({
  timeZone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam')
    .optional()
    .describe('the zone whose calendar days the curve counts (default: the workspace zone)'),
  language: z.enum(['nl', 'en']).optional().describe('language of the remedy titles'),
});

/** How far a recall got: counts, rates, the curve, and the open recipients as CSV. */
export function completionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:reference/completion',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Reached, read and completed: counts, rates, per remedy and per day',
          description:
            'Reached: a mail accepted or a letter posted. Read: acknowledged on the personal page. Completed: every live remedy completed (a case without remedies: the recipient said they did it). Rates of the affected set and of those reached; `null` when the set is empty. The curve is cumulative at the end of each calendar day in `timeZone`, from the day of the first dispatch.',
          tags: ['dispatch'],
          params: caseParams,
          querystring: overviewQuery,
          response: { 200: completionOverviewSchema },
        },
      },
      async (request) => {
        const { kase: _kase, ...overview } = await getCompletionOverview(
          actorOf(request),
          request.params.reference,
          {
            timeZone: request.query.timeZone ?? ctx.config.workspace.defaultTimeZone,
            language: request.query.language,
          },
          ctx.deps,
        );
        return overview;
      },
    );

    app.get(
      '/cases/:reference/completion/open.csv',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The recipients who have not completed, as CSV (streamed)',
          description:
            "Same filters as the workspace: `remedy` (key), `stage` (unreached, unread, read), `language`, `problem` (bounced, failed, no-email), `q` (prefix of external id, email or name). Cells that a spreadsheet would run as a formula start with `'`.",
          tags: ['dispatch'],
          params: caseParams,
          querystring: openFilterSchema,
        },
      },
      async (request, reply) => {
        return sendOpenRecipientsCsv(request, reply, request.params.reference, request.query, ctx);
      },
    );
  };
}
