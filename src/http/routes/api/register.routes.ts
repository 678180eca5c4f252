import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  registerEntrySchema,
  registerFilterSchema,
} from '../../../domain/reports/breach-register.js';
import { exportRegister, listRegister } from '../../../services/reports/register.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sendReportFile } from './reports.routes.js';

/** The breach register (GDPR Art. 33(5)): list with filters, CSV and PDF export. */
export function registerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = { database: ctx.database, timeZone: ctx.config.workspace.defaultTimeZone };
  return async (app) => {
    app.get(
      '/register',
      {
        config: { permission: 'register:read' },
        schema: {
          summary:
            'Every case, notified or not, with facts, effects, remedial action and decisions',
          tags: ['register'],
          querystring: registerFilterSchema,
          response: { 200: z.array(registerEntrySchema) },
        },
      },
      async (request) => listRegister(actorOf(request), request.query, deps),
    );

    app.get(
      '/register/export',
      {
        config: { permission: 'register:export' },
        schema: {
          summary: 'The register as CSV (spreadsheet-safe) or PDF',
          tags: ['register'],
          querystring: registerFilterSchema.extend({
            format: z.enum(['csv', 'pdf']).default('csv'),
            lang: z.enum(['nl', 'en']).default('nl'),
          }),
        },
      },
      async (request, reply) => {
        const { format, lang, ...filter } = request.query;
        return sendReportFile(
          reply,
          await exportRegister(actorOf(request), format, filter, { language: lang }, deps),
        );
      },
    );
  };
}
