import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PublicLanguage } from '../../../domain/publication.js';
import { verifyNoticeCode } from '../../../services/notices/notice-verification.service.js';
import { getOrganisation } from '../../../services/access/settings.service.js';
import type { AppContext } from '../../../wiring.js';
import { renderVerifyPage, type VerifyOutcome } from '../../views/public/verify-notice.view.js';
import { DEFAULT_MISS_LIMIT, MissLimiter, type MissLimit } from './miss-limiter.js';

export interface VerifyNoticeRouteOptions {
  /** Unconfirmed codes per client IP before 429 (default: 20 per 10 minutes). */
  limit?: MissLimit;
}

/**
 * The security pages' policy, except that the form may post to us. Nothing is cached: the
 * answer is about one code.
 */
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const PAGES: readonly (readonly [string, PublicLanguage])[] = [
  ['/security/verify', 'nl'],
  ['/en/security/verify', 'en'],
];

/**
 * The public verify page: GET shows the form, POST checks the code in its body. A POST keeps
 * the code out of URLs, so out of access logs, browser history and Referer headers; nothing
 * here logs it. Every unconfirmed code counts against the client IP (MissLimiter); at the
 * limit both the form and the check answer 429. See docs/publication.md.
 */
export function verifyNoticeRoutes(
  ctx: AppContext,
  options: VerifyNoticeRouteOptions = {},
): FastifyPluginAsyncZod {
  return async (app) => {
    const limiter = new MissLimiter(
      ctx.deps.database,
      'verify-notice',
      options.limit ?? DEFAULT_MISS_LIMIT,
    );
    const config = { permission: 'public' as const };
    const page = async (
      reply: FastifyReply,
      status: number,
      language: PublicLanguage,
      outcome: VerifyOutcome,
    ) => {
      const organisation = await getOrganisation(ctx.deps);
      const body = renderVerifyPage(
        language,
        {
          organisation: organisation.name,
          publicUrl: ctx.config.publicUrl,
          timeZone: ctx.config.workspace.defaultTimeZone,
        },
        outcome,
      );
      return reply.code(status).headers(HEADERS).type('text/html; charset=utf-8').send(body);
    };
    const blocked = (ip: string, reply: FastifyReply, language: PublicLanguage) => {
      const wait = limiter.retryAfter(ip);
      if (wait === 0) return null;
      reply.header('retry-after', String(wait));
      return page(reply, 429, language, { kind: 'tooMany' });
    };

    for (const [url, language] of PAGES) {
      app.get(url, { config, schema: { hide: true } }, async (request, reply) => {
        return blocked(request.ip, reply, language) ?? page(reply, 200, language, { kind: 'form' });
      });
      app.post(
        url,
        { config, schema: { hide: true, body: z.record(z.string(), z.unknown()).optional() } },
        async (request, reply) => {
          const stop = blocked(request.ip, reply, language);
          if (stop) return stop;
          const code = request.body?.['code'];
          if (code === undefined || (typeof code === 'string' && code.trim() === '')) {
            return page(reply, 200, language, { kind: 'form' });
          }
          const verification =
            typeof code === 'string' ? await verifyNoticeCode(code, language, ctx.deps) : null;
          if (!verification) {
            await limiter.recordMiss(request.ip);
            // One answer for malformed, unknown, unsent and cancelled codes alike.
            return page(reply, 200, language, { kind: 'unknown' });
          }
          return page(reply, 200, language, { kind: 'genuine', verification });
        },
      );
    }
  };
}
