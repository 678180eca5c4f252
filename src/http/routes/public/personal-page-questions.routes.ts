import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withoutForbidden, type QuestionLimits } from '../../../domain/question.js';
import type { PageVisitor } from '../../../services/recipients/personal-page.service.js';
import { askQuestion, listAskedQuestions } from '../../../services/recipients/question.service.js';
import type { AppContext } from '../../../wiring.js';
import type { PersonalPageQuestions } from '../../views/personal-page-questions.view.js';
import { renderStatusPage } from '../../views/status-page.view.js';
import { formNonce, isFormNonce } from './form-nonce.js';

/** What the personal page's plugin lends this one: its lookup, refusals and rendering. */
export interface QuestionPageHooks {
  visit(request: FastifyRequest, token: string): Promise<PageVisitor | null>;
  miss(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  crossSite(request: FastifyRequest): boolean;
  pagePath(visitor: PageVisitor): string;
  /** The whole personal page with this questions part. */
  render(visitor: PageVisitor, questions: PersonalPageQuestions): Promise<string>;
}

const tokenParams = z.object({ token: z.string() });

/**
 * The questions part of a personal page: its form (with the page's form nonce) and the
 * visitor's earlier questions and our answers. `?asked=1` is the page after a question was
 * sent (post/redirect/get), which then says so.
 */
export async function pageQuestions(
  ctx: AppContext,
  visitor: PageVisitor,
  pagePath: string,
  request: FastifyRequest | null,
  extra: Partial<PersonalPageQuestions> = {},
): Promise<PersonalPageQuestions> {
  const query = (request?.query ?? {}) as Record<string, unknown>;
  return {
    form: {
      action: `${pagePath}/questions`,
      nonce: formNonce(ctx.deps.secret, visitor.tokenHash, 'question'),
    },
    asked: await listAskedQuestions(visitor, ctx.deps),
    sent: query.asked === '1',
    ...extra,
  };
}

/**
 * POST /n/:token/questions: "Ask us a question". Registered inside the personal page's plugin,
 * so it shares its miss limiter, its headers and its form parser (with a larger body limit:
 * 2,000 characters of non-Latin script are up to 24 KB urlencoded). A refused text or a
 * reached limit shows the page again with the message at the box and the text kept.
 */
export function personalPageQuestionRoutes(
  ctx: AppContext,
  hooks: QuestionPageHooks,
  limits?: QuestionLimits,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/n/:token/questions',
      {
        bodyLimit: 64 * 1024,
        config: { permission: 'public' },
        schema: { hide: true, params: tokenParams },
      },
      async (request, reply) => {
        const visitor = await hooks.visit(request, request.params.token);
        if (!visitor) return hooks.miss(request, reply);
        const body = (
          typeof request.body === 'object' && request.body !== null ? request.body : {}
        ) as Record<string, unknown>;
        if (
          hooks.crossSite(request) ||
          !isFormNonce(ctx.deps.secret, visitor.tokenHash, 'question', body.nonce)
        ) {
          return send(reply, 403, renderStatusPage('refused'));
        }
        const text = typeof body.question === 'string' ? body.question : '';
        // Limits: this route's option, else what the deps carry (tests), else the defaults.
        const deps = limits ? { ...ctx.deps, questionLimits: limits } : ctx.deps;
        const result = await askQuestion(visitor, text, deps);
        const path = hooks.pagePath(visitor);
        if (result.kind === 'asked') return reply.redirect(`${path}?asked=1#questions`, 303);
        if (result.kind === 'limited') {
          const wait = Math.max(1, Math.ceil((Date.parse(result.retryAt) - Date.now()) / 1000));
          reply.header('retry-after', String(wait));
        }
        const questions = await pageQuestions(ctx, visitor, path, null, {
          value: withoutForbidden(text),
          ...(result.kind === 'invalid'
            ? { problem: result.problem }
            : { limited: { by: result.by, retryAt: result.retryAt } }),
        });
        return send(
          reply,
          result.kind === 'invalid' ? 400 : 429,
          await hooks.render(visitor, questions),
        );
      },
    );
  };
}

function send(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}
