import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can, systemActor } from '../../../domain/access.js';
import { ConflictError, NotFoundError } from '../../../domain/errors.js';
import { previewAffected } from '../../../services/cases/affected.service.js';
import { toCaseView } from '../../../services/cases/case.service.js';
import {
  controlDispatch,
  getDispatchProgress,
  startDispatch,
  type DispatchProgress,
} from '../../../services/dispatch/dispatch.service.js';
import { DispatchProgressHub } from '../../../services/dispatch/dispatch-progress-hub.js';
import {
  getDeliveryCurve,
  getDispatchPanel,
  getRecallCurve,
  requireCaseDispatch,
} from '../../../services/dispatch/dispatch-progress.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { streamDispatchProgress } from '../../workspace/dispatch-progress-stream.js';
import { dispatchTexts } from '../../views/workspace/case-dispatch-texts.view.js';
import {
  dispatchTabUrl,
  renderDispatchTab,
  type DispatchPageModel,
} from '../../views/workspace/case-dispatch.view.js';
import { missingConfirmation } from '../../views/workspace/confirm-step.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { formatNumber } from '../../views/workspace/workspace-format.js';
import { viewOf } from '../../workspace/view-context-of.js';

const refParams = z.object({ reference: z.string().min(1).max(64) });
const dispatchParams = refParams.extend({ id: z.coerce.number().int().positive() });
const startBody = z.object({
  notice_id: z.coerce.number().int().positive(),
  confirm: z.literal('yes').optional(),
  _csrf: z.string().optional(),
});
/** Pause, resume or cancel: only the cancel form's "I understand" box, no other input. */
const controlBody = z.object({
  confirm: z.literal('yes').optional(),
  _csrf: z.string().optional(),
});

export interface CaseDispatchRouteOptions {
  /** Wakes the in-process dispatch worker (serve/demo) so sending starts at once. */
  onDispatchStarted?: () => void;
  /** Time between two progress reads of one dispatch (tests shorten it). */
  progressIntervalMs?: number;
}

/**
 * The dispatch tab: choose an approved notice and start sending, pause/resume/cancel, and
 * live progress as server-sent events shared through one poll per dispatch.
 */
export function caseDispatchRoutes(
  ctx: AppContext,
  options: CaseDispatchRouteOptions = {},
): FastifyPluginAsyncZod {
  return async (app) => {
    const hub = new DispatchProgressHub({
      read: (id) => getDispatchProgress(systemActor('workspace-progress'), id, ctx.deps),
      intervalMs: options.progressIntervalMs ?? 500,
    });
    // Open event streams would keep the server from closing; end them first.
    app.addHook('preClose', async () => hub.close());
    // A double click must not start two dispatches (two mails to everyone): one start per case at a time.
    const starting = new Set<number>();

    async function model(
      request: FastifyRequest,
      reference: string,
      selectedId?: number,
      error?: string,
    ): Promise<DispatchPageModel> {
      const actor = actorOf(request);
      const session = sessionOf(request);
      const panel = await getDispatchPanel(actor, reference, ctx.deps);
      const audience = panel.frozen
        ? { ...panel.frozen, frozen: true }
        : await previewAffected(actor, panel.kase.id, { sample: 0 }, ctx.deps).then((p) => ({
            total: p.total,
            withoutEmail: p.withoutEmail,
            frozen: false,
          }));
      const summary = selectedId
        ? panel.dispatches.find((d) => d.id === selectedId)
        : panel.dispatches[0];
      if (selectedId && !summary) {
        throw new NotFoundError(`case ${panel.kase.reference} has no dispatch ${selectedId}`);
      }
      let selected: DispatchPageModel['selected'] = null;
      let curve: DispatchPageModel['curve'] = null;
      if (summary) {
        const { dispatch } = await requireCaseDispatch(actor, reference, summary.id, ctx.deps);
        const progress = await getDispatchProgress(actor, summary.id, ctx.deps);
        selected = { summary, progress };
        curve = await getDeliveryCurve(actor, dispatch, ctx.deps, progress);
      }
      return {
        kase: toCaseView(panel.kase),
        panel,
        audience,
        startable: panel.sendable.filter(
          (n) => !panel.dispatches.some((d) => d.noticeId === n.id && d.state !== 'cancelled'),
        ),
        selected,
        curve,
        recall: await getRecallCurve(actor, panel.kase, ctx.deps),
        canStart: can(session.roles, 'dispatch:start'),
        canControl: can(session.roles, 'dispatch:control'),
        error,
      };
    }

    function sendTab(
      reply: FastifyReply,
      request: FastifyRequest,
      m: DispatchPageModel,
      status = 200,
    ) {
      const t = dispatchTexts(sessionOf(request).locale);
      return sendWorkspacePage(
        reply,
        request,
        {
          title: `${t.title} · ${m.kase.reference}`,
          section: 'cases',
          main: renderDispatchTab(viewOf(request), m),
        },
        status,
      );
    }

    app.get(
      '/cases/:reference/dispatch',
      {
        config: { permission: 'cases:read' },
        schema: {
          hide: true,
          params: refParams,
          querystring: z.object({ dispatch: z.coerce.number().int().positive().optional() }),
        },
      },
      async (request, reply) =>
        sendTab(
          reply,
          request,
          await model(request, request.params.reference, request.query.dispatch),
        ),
    );

    app.post(
      '/cases/:reference/dispatches',
      {
        config: { permission: 'dispatch:start' },
        schema: { hide: true, params: refParams, body: startBody },
      },
      async (request, reply) => {
        const t = dispatchTexts(sessionOf(request).locale);
        const { reference } = request.params;
        const m = await model(request, reference);
        const back = dispatchTabUrl(m.kase.reference);
        if (request.body.confirm !== 'yes') {
          return sendTab(reply, request, { ...m, error: t.errors.confirm }, 422);
        }
        const noticeId = request.body.notice_id;
        if (!m.startable.some((n) => n.id === noticeId)) {
          const known = m.panel.sendable.some((n) => n.id === noticeId);
          flash(reply, known ? t.errors.duplicate : t.errors.notice, 'error');
          return reply.redirect(back, 303);
        }
        if (starting.has(m.kase.id)) {
          flash(reply, t.errors.busy, 'error');
          return reply.redirect(back, 303);
        }
        starting.add(m.kase.id);
        let progress: DispatchProgress;
        try {
          progress = await startDispatch(actorOf(request), noticeId, ctx.deps);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          // Another server or the CLI started this notice a moment ago: show that dispatch.
          const duplicate = error.details?.reason === 'already-dispatched';
          flash(reply, duplicate ? t.errors.duplicate : error.message, 'error');
          const other = duplicate ? Number(error.details?.dispatchId) : NaN;
          return reply.redirect(
            Number.isInteger(other) ? dispatchTabUrl(m.kase.reference, other) : back,
            303,
          );
        } finally {
          starting.delete(m.kase.id);
        }
        options.onDispatchStarted?.();
        flash(reply, t.started(formatNumber(sessionOf(request), progress.total)));
        return reply.redirect(dispatchTabUrl(m.kase.reference, progress.id), 303);
      },
    );

    app.post(
      '/cases/:reference/dispatches/:id/:action',
      {
        config: { permission: 'dispatch:control' },
        schema: {
          hide: true,
          params: dispatchParams.extend({ action: z.enum(['pause', 'resume', 'cancel']) }),
          body: controlBody,
        },
      },
      async (request, reply) => {
        const t = dispatchTexts(sessionOf(request).locale);
        const { reference, id, action } = request.params;
        const actor = actorOf(request);
        const { kase } = await requireCaseDispatch(actor, reference, id, ctx.deps);
        const back = dispatchTabUrl(kase.reference, id);
        if (action === 'cancel' && request.body.confirm !== 'yes') {
          flash(reply, missingConfirmation(viewOf(request)), 'error');
          return reply.redirect(back, 303);
        }
        try {
          await controlDispatch(actor, id, action, ctx.deps);
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
          flash(reply, error.message, 'error');
          return reply.redirect(back, 303);
        }
        if (action === 'resume') options.onDispatchStarted?.();
        flash(reply, t.controlled[action] ?? action);
        return reply.redirect(back, 303);
      },
    );

    app.get(
      '/cases/:reference/dispatches/:id/events',
      {
        config: { permission: 'cases:read' },
        schema: { hide: true, params: dispatchParams },
      },
      async (request, reply) => {
        const session = sessionOf(request);
        const { reference, id } = request.params;
        // Unknown or foreign dispatches get an ordinary 404 page, before the stream opens.
        await requireCaseDispatch(actorOf(request), reference, id, ctx.deps);
        streamDispatchProgress(request, reply, hub, id, session);
      },
    );
  };
}
