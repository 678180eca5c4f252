import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../../wiring.js';
import { renderDashboard, dashboardTitle } from '../../views/workspace/dashboard.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { loadDashboard } from '../../../services/cases/dashboard.service.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { actorOf } from '../../auth.js';
import { viewOf } from '../../workspace/view-context-of.js';

/** The dashboard: open cases at a glance. */
export function dashboardRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/',
      { config: { permission: 'cases:read' }, schema: { hide: true } },
      async (request, reply) => {
        const data = await loadDashboard(actorOf(request), ctx.deps);
        return sendWorkspacePage(reply, request, {
          title: dashboardTitle(sessionOf(request)),
          section: 'dashboard',
          main: renderDashboard(viewOf(request), data),
        });
      },
    );
  };
}
