import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acknowledgeNotice,
  confirmRemedy,
  findPageVisitor,
  getPersonalPage,
  type PageVisitor,
} from '../../../services/recipients/personal-page.service.js';
import type { AppContext } from '../../../wiring.js';
import type { QuestionLimits } from '../../../domain/question.js';
import { PAGE_CSP } from '../../views/page-layout.view.js';
import { renderPersonalPage, type PersonalPageForms } from '../../views/personal-page.view.js';
import { renderStatusPage } from '../../views/status-page.view.js';
import { formNonce, isFormNonce } from './form-nonce.js';
import { pageQuestions, personalPageQuestionRoutes } from './personal-page-questions.routes.js';
import { DEFAULT_MISS_LIMIT, MissLimiter, type MissLimit } from './miss-limiter.js';
import { registerRemedyForms, remedyForm } from './personal-page-remedies.routes.js';

export interface PersonalPageRouteOptions {
  /** Wrong tokens per client IP before 429 (default: 20 per 10 minutes). */
  missLimit?: MissLimit;
  /** Questions per recipient and per client address (default: DEFAULT_QUESTION_LIMITS). */
  questionLimits?: QuestionLimits;
}

/**
 * Sent with every response under /n/: the token is in the URL, so no Referer may carry it
 * off, no cache may keep the page, no search engine may index it, and no other site may
 * frame it or load anything into it.
 */
const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': PAGE_CSP,
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const ACTIONS: Record<
  'acknowledge' | 'done',
  { record: typeof acknowledgeNotice; anchor: string }
> = {
  acknowledge: { record: acknowledgeNotice, anchor: 'read' },
  done: { record: confirmRemedy, anchor: 'done' },
};

const tokenParams = z.object({ token: z.string() });
const anyParams = z.object({ '*': z.string() });

/**
 * The personal page behind the link in a notice: GET /n/:token, and two form posts that
 * record "I have read this" and "I've done it". Public: the unguessable token is the
 * credential. See docs/personal-page.md.
 */
export function personalPageRoutes(
  ctx: AppContext,
  options: PersonalPageRouteOptions = {},
): FastifyPluginAsyncZod {
  return async (app) => {
    const { deps } = ctx;
    const pageDeps = { ...deps, timeZone: ctx.config.workspace.defaultTimeZone };
    const limiter = new MissLimiter(
      deps.database,
      'personal-page',
      options.missLimit ?? DEFAULT_MISS_LIMIT,
    );
    const publicOrigin = new URL(deps.publicUrl).origin;

    // Plain HTML forms post urlencoded; only this plugin accepts it, and only a little.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    app.addHook('onRequest', async (request, reply) => {
      const wait = limiter.retryAfter(request.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return sendPage(reply, 429, renderStatusPage('tooMany'));
      }
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(PAGE_HEADERS);
      return payload;
    });

    const visit = (request: FastifyRequest, token: string) =>
      findPageVisitor(token, request.ip, deps);
    const miss = async (request: FastifyRequest, reply: FastifyReply) => {
      await limiter.recordMiss(request.ip);
      return sendPage(reply, 404, renderStatusPage('notFound'));
    };
    const pagePath = (visitor: PageVisitor) => `/n/${encodeURIComponent(visitor.token)}`;
    const forms = (visitor: PageVisitor): PersonalPageForms => {
      const base = pagePath(visitor);
      return {
        acknowledge: {
          action: `${base}/acknowledge`,
          nonce: formNonce(deps.secret, visitor.tokenHash, 'acknowledge'),
        },
        done: { action: `${base}/done`, nonce: formNonce(deps.secret, visitor.tokenHash, 'done') },
        remedy: remedyForm(deps.secret, visitor, base),
      };
    };
    /**
     * A cross-site form post: the browser says so in Sec-Fetch-Site, or, in browsers without
     * it, in an Origin that is not ours. Our own page sends `Origin: null` (its Referrer-Policy
     * is no-referrer), so "null" and a missing Origin pass; the form nonce covers them.
     */
    const crossSite = (request: FastifyRequest): boolean => {
      const site = request.headers['sec-fetch-site'];
      if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
      const origin = request.headers.origin;
      if (typeof origin !== 'string' || origin === 'null') return false;
      return origin !== publicOrigin && origin !== `${request.protocol}://${request.host}`;
    };

    app.get(
      '/n/:token',
      { config: { permission: 'public' }, schema: { hide: true, params: tokenParams } },
      async (request, reply) => {
        const visitor = await visit(request, request.params.token);
        if (!visitor) return miss(request, reply);
        const model = await getPersonalPage(visitor, pageDeps);
        const questions = await pageQuestions(ctx, visitor, pagePath(visitor), request);
        return sendPage(reply, 200, renderPersonalPage(model, forms(visitor), questions));
      },
    );

    for (const purpose of ['acknowledge', 'done'] as const) {
      app.post(
        `/n/:token/${purpose}`,
        { config: { permission: 'public' }, schema: { hide: true, params: tokenParams } },
        async (request, reply) => {
          const visitor = await visit(request, request.params.token);
          if (!visitor) return miss(request, reply);
          const nonce = formField(request.body, 'nonce');
          if (crossSite(request) || !isFormNonce(deps.secret, visitor.tokenHash, purpose, nonce)) {
            return sendPage(reply, 403, renderStatusPage('refused'));
          }
          await ACTIONS[purpose].record(visitor, deps);
          // Post/redirect/get: a reload does not post again, and the page shows the time.
          return reply.redirect(`${pagePath(visitor)}#${ACTIONS[purpose].anchor}`, 303);
        },
      );
    }

    registerRemedyForms(app, { deps, visit, miss, crossSite, pagePath });
    await app.register(
      personalPageQuestionRoutes(
        ctx,
        {
          visit,
          miss,
          crossSite,
          pagePath,
          render: async (visitor, questions) =>
            renderPersonalPage(await getPersonalPage(visitor, pageDeps), forms(visitor), questions),
        },
        options.questionLimits,
      ),
    );

    // Anything else under /n/ (a token longer than the router takes, extra path segments)
    // is a miss too, answered with the same page after the same lookup.
    for (const method of ['GET', 'POST'] as const) {
      app.route({
        method,
        url: '/n/*',
        config: { permission: 'public' },
        schema: { hide: true, params: anyParams },
        handler: async (request, reply) => {
          await visit(request, request.params['*']);
          return miss(request, reply);
        },
      });
    }
  };
}

function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

function formField(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}
