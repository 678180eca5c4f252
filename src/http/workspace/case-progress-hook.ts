import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import { getCaseProgress, type CaseProgress } from '../../services/cases/case-progress.service.js';
import type { AppContext } from '../../wiring.js';
import { actorOf } from '../auth.js';
import { caseParams } from './workspace-params.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The recall tracker and clocks of the case a workspace page shows (set before the handler
     * of every case tab page, read by caseHeader); null elsewhere.
     */
    caseProgress: { progress: CaseProgress; full: boolean } | null;
  }
}

/** Case pages: the overview and every tab under it, not streams, fragments or downloads. */
const CASE_PAGE = /^\/app\/cases\/:reference(\/[^.]*)?$/;
const NOT_A_PAGE = /\/(events|preview|live|download)$/;

/**
 * Computes the recall steps once per case page, before its handler, so every tab's header can
 * show the same tracker and deadline banner without each route gathering them itself.
 * Registered in the workspace plugin (workspace-plugin.ts), so it sees workspace routes only.
 */
export function registerCaseProgressHook(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('caseProgress', null);
  app.addHook('preHandler', async (request) => {
    // POSTs too: a form with errors is shown again as the same case page, tracker included
    // (a successful POST redirects, so the cost is one progress read per form post).
    if ((request.method !== 'GET' && request.method !== 'POST') || !request.session) return;
    const url = request.routeOptions.url ?? '';
    if (!CASE_PAGE.test(url) || NOT_A_PAGE.test(url)) return;
    const params = caseParams.safeParse(request.params);
    if (!params.success || !params.data.reference) return;
    const { reference } = params.data;
    const session = request.session;
    try {
      const progress = await getCaseProgress(
        actorOf(request),
        reference,
        { username: session.username, roles: session.roles },
        ctx.deps,
      );
      request.caseProgress = { progress, full: url === '/app/cases/:reference' };
    } catch (error) {
      // An unknown case: the handler answers with its own 404 page.
      if (!(error instanceof NotFoundError)) throw error;
    }
  });
}
