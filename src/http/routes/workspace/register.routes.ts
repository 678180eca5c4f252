import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/access.js';
import { registerFilterSchema } from '../../../domain/reports/breach-register.js';
import { exportRegister, listRegister } from '../../../services/reports/register.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { registerView } from '../../views/workspace/register.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { queryChoice } from '../../workspace/workspace-params.js';
import { viewOf } from '../../workspace/view-context-of.js';

/** Empty select values mean "any"; unknown values are dropped rather than failing the page. */
function filterOf(query: unknown) {
  const raw = Object.fromEntries(
    Object.entries(query ?? {}).filter(
      ([k, v]) => ['year', 'kind', 'notified', 'severity'].includes(k) && v !== '',
    ),
  );
  const parsed = registerFilterSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

/** A download's format and language (else CSV, Dutch); the register's filter fields pass on. */
const exportQuery = z.looseObject({ format: queryChoice, lang: queryChoice });

/** The breach register page (/app/register) and its CSV/PDF downloads. */
export function registerPageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = { database: ctx.database, timeZone: ctx.config.workspace.defaultTimeZone };
  return async (app) => {
    app.get(
      '/register',
      { config: { permission: 'register:read' }, schema: { hide: true } },
      async (request, reply) => {
        const actor = actorOf(request);
        const filter = filterOf(request.query);
        const all = await listRegister(actor, {}, deps);
        const entries = await listRegister(actor, filter, deps, sessionOf(request).locale);
        const years = [...new Set([...all.map((e) => e.year), new Date().getUTCFullYear()])].sort(
          (a, b) => b - a,
        );
        const session = sessionOf(request);
        return sendWorkspacePage(reply, request, {
          title: session.locale === 'nl' ? 'Register van inbreuken' : 'Breach register',
          section: 'register',
          main: registerView(viewOf(request), {
            entries,
            filter,
            years,
            canExport: can(session.roles, 'register:export'),
          }),
        });
      },
    );

    app.get(
      '/register/export',
      {
        config: { permission: 'register:export' },
        schema: { hide: true, querystring: exportQuery },
      },
      async (request, reply) => {
        const { query } = request;
        const file = await exportRegister(
          actorOf(request),
          query.format === 'pdf' ? 'pdf' : 'csv',
          filterOf(request.query),
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
  };
}
