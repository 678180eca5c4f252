import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dispatchProgressSchema } from '../../../domain/dispatch-progress.js';
import { noticeCheckSchema } from '../../../domain/notices/notice-check.js';
import { z } from 'zod';
import { newNoticeSchema, noticeUpdateSchema, noticeViewSchema } from '../../../domain/notice.js';
import { previewAffected, setAffectedFilter } from '../../../services/cases/affected.service.js';
import { checkNotice } from '../../../services/notices/notice-check.service.js';
import {
  approveNotice,
  createNotice,
  getNotice,
  listNotices,
  updateNotice,
} from '../../../services/notices/notice.service.js';
import {
  controlDispatch,
  getDispatchProgress,
  startDispatch,
} from '../../../services/dispatch/dispatch.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const caseParams = z.object({ case: z.string().min(1).max(40) });
const idParams = z.object({ id: z.coerce.number().int().positive() });

/** The affected set's filter and preview, notices with their approval, and dispatches. */
export function noticeRoutes(
  ctx: AppContext,
  onDispatchStarted: () => void,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/cases/:case/affected/filter',
      {
        config: { permission: 'affected:write' },
        schema: {
          summary: 'Set the filter that selects affected customers (see docs/filter.md)',
          tags: ['cases'],
          params: caseParams,
          body: z.object({ filter: z.string().max(4000).nullable() }),
          response: {
            200: z.object({ filter: z.string().nullable(), canonical: z.string().nullable() }),
          },
        },
      },
      async (request) =>
        setAffectedFilter(actorOf(request), request.params.case, request.body.filter, ctx.deps),
    );

    app.get(
      '/cases/:case/affected',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Count and sample of the affected set (list ∪ filter), with personal variables',
          tags: ['cases'],
          params: caseParams,
          querystring: z.object({ sample: z.coerce.number().int().min(0).max(100).default(10) }),
          response: {
            200: z.object({
              caseId: z.number().int(),
              frozen: z.boolean(),
              filter: z.string().nullable(),
              listSize: z.number().int(),
              total: z.number().int(),
              withoutEmail: z.number().int(),
              sample: z.array(
                z.object({
                  externalId: z.string(),
                  name: z.string().nullable(),
                  email: z.string().nullable(),
                  language: z.string(),
                  impact: z.record(z.string(), z.unknown()),
                  attributes: z.record(z.string(), z.unknown()),
                }),
              ),
            }),
          },
        },
      },
      async (request) =>
        previewAffected(
          actorOf(request),
          request.params.case,
          { sample: request.query.sample },
          ctx.deps,
        ),
    );

    app.post(
      '/cases/:case/notices',
      {
        config: { permission: 'notices:write' },
        schema: {
          summary: 'Create a notice (from the built-in templates when no texts are given)',
          tags: ['notices'],
          params: caseParams,
          body: newNoticeSchema,
          response: { 201: noticeViewSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createNotice(actorOf(request), request.params.case, request.body, ctx.deps)),
    );

    app.get(
      '/cases/:case/notices',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'The notices of a case',
          tags: ['notices'],
          params: caseParams,
          response: { 200: z.array(noticeViewSchema) },
        },
      },
      async (request) => listNotices(actorOf(request), request.params.case, ctx.deps),
    );

    app.get(
      '/notices/:id',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'A notice with its texts',
          tags: ['notices'],
          params: idParams,
          response: { 200: noticeViewSchema },
        },
      },
      async (request) => getNotice(actorOf(request), request.params.id, ctx.deps),
    );

    app.patch(
      '/notices/:id',
      {
        config: { permission: 'notices:write' },
        schema: {
          summary: 'Edit a notice: a new version; any approval is void',
          tags: ['notices'],
          params: idParams,
          body: noticeUpdateSchema,
          response: { 200: noticeViewSchema },
        },
      },
      async (request) => updateNotice(actorOf(request), request.params.id, request.body, ctx.deps),
    );

    app.get(
      '/notices/:id/check',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Check placeholders and values against every recipient',
          tags: ['notices'],
          params: idParams,
          response: { 200: noticeCheckSchema },
        },
      },
      async (request) => checkNotice(actorOf(request), request.params.id, ctx.deps),
    );

    app.post(
      '/notices/:id/approval',
      {
        config: { permission: 'notices:approve' },
        schema: {
          summary: 'Approve this exact version (four eyes: an approver who wrote none of it)',
          tags: ['notices'],
          params: idParams,
          body: z.object({ contentHash: z.string().length(64).optional() }),
          response: { 200: z.object({ notice: noticeViewSchema, check: noticeCheckSchema }) },
        },
      },
      async (request) => approveNotice(actorOf(request), request.params.id, request.body, ctx.deps),
    );

    app.post(
      '/notices/:id/dispatches',
      {
        config: { permission: 'dispatch:start' },
        schema: {
          summary: 'Send an approved notice to every affected customer',
          tags: ['dispatch'],
          params: idParams,
          response: { 201: dispatchProgressSchema },
        },
      },
      async (request, reply) => {
        const progress = await startDispatch(actorOf(request), request.params.id, ctx.deps);
        onDispatchStarted();
        return reply.status(201).send(progress);
      },
    );

    app.get(
      '/dispatches/:id',
      {
        config: { permission: 'cases:read' },
        schema: {
          summary: 'Progress: counts per state, rate and ETA',
          tags: ['dispatch'],
          params: idParams,
          response: { 200: dispatchProgressSchema },
        },
      },
      async (request) => getDispatchProgress(actorOf(request), request.params.id, ctx.deps),
    );

    app.post(
      '/dispatches/:id/:action',
      {
        config: { permission: 'dispatch:control' },
        schema: {
          summary: 'Pause, resume or cancel a dispatch',
          tags: ['dispatch'],
          params: idParams.extend({ action: z.enum(['pause', 'resume', 'cancel']) }),
          response: { 200: dispatchProgressSchema },
        },
      },
      async (request) => {
        const progress = await controlDispatch(
          actorOf(request),
          request.params.id,
          request.params.action,
          ctx.deps,
        );
        if (request.params.action === 'resume') onDispatchStarted();
        return progress;
      },
    );
  };
}
