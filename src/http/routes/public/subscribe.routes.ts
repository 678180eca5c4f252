import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  confirmSubscription,
  requestSubscription,
  subscribeInputSchema,
  unsubscribe,
} from '../../../services/publication/subscriber.service.js';
import type { AppContext } from '../../../wiring.js';
import { PAGE_CSP } from '../../views/page-layout.view.js';
import {
  renderConfirmButton,
  renderSubscribeForm,
  renderSubscribeMessage,
  type SubscribeLanguage,
} from '../../views/public/subscribe.view.js';
import { MissLimiter, type MissLimit } from './miss-limiter.js';

export interface SubscribeRouteOptions {
  /** Subscription requests (and wrong tokens) per client IP (default: 10 per 10 minutes). */
  limit?: MissLimit;
}

const HEADERS = {
  'content-security-policy': PAGE_CSP,
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const langQuery = z.object({ lang: z.enum(['nl', 'en']).default('nl') });
const tokenParams = z.object({ token: z.string().max(100) });

/**
 * Email subscriptions to security updates: the form (/security/subscribe, /en/…), the
 * double opt-in confirmation and the one-click unsubscribe (RFC 8058: a POST to the
 * List-Unsubscribe URL unsubscribes, whatever its body). Links from mails show a button
 * and act only on POST, so a mail scanner that follows links changes nothing.
 */
export function subscribeRoutes(
  ctx: AppContext,
  options: SubscribeRouteOptions = {},
): FastifyPluginAsyncZod {
  return async (app) => {
    const limiter = new MissLimiter(
      ctx.deps.database,
      'subscribe',
      options.limit ?? {
        misses: 10,
        windowMs: 10 * 60_000,
      },
    );
    const send = (reply: FastifyReply, status: number, body: string) =>
      reply.status(status).headers(HEADERS).type('text/html; charset=utf-8').send(body);
    const limited = (ip: string, reply: FastifyReply, lang: SubscribeLanguage) => {
      const wait = limiter.retryAfter(ip);
      if (wait === 0) return null;
      reply.header('retry-after', String(wait));
      return send(reply, 429, renderSubscribeMessage(lang, 'tooMany'));
    };
    const config = { permission: 'public' as const };

    for (const [url, lang] of [
      ['/security/subscribe', 'nl'],
      ['/en/security/subscribe', 'en'],
    ] as const) {
      app.get(url, { config, schema: { hide: true } }, (_request, reply) =>
        send(reply, 200, renderSubscribeForm(lang)),
      );
    }

    app.post(
      '/security/subscribe',
      { config, schema: { hide: true, body: z.record(z.string(), z.unknown()).optional() } },
      async (request, reply) => {
        const body = request.body ?? {};
        const lang: SubscribeLanguage = body.language === 'en' ? 'en' : 'nl';
        const blocked = limited(request.ip, reply, lang);
        if (blocked) return blocked;
        await limiter.recordMiss(request.ip);
        const input = subscribeInputSchema.safeParse({ email: body.email, language: lang });
        if (!input.success) return send(reply, 400, renderSubscribeForm(lang, true));
        await requestSubscription(input.data, request.ip, ctx.deps);
        // The same answer whether the address was new, pending or already confirmed.
        return send(reply, 200, renderSubscribeMessage(lang, 'checkInbox'));
      },
    );

    // Confirming and unsubscribing work alike: the link shows a button (so mail scanners that
    // follow links change nothing), the button posts, a miss counts towards the limiter.
    const tokenActions = [
      { path: 'confirm', run: confirmSubscription, ok: 'confirmed', miss: 'expired' },
      { path: 'unsubscribe', run: unsubscribe, ok: 'unsubscribed', miss: 'unknown' },
    ] as const;
    for (const action of tokenActions) {
      app.get(
        `/security/${action.path}/:token`,
        { config, schema: { hide: true, params: tokenParams, querystring: langQuery } },
        (request, reply) =>
          send(
            reply,
            200,
            renderConfirmButton(
              request.query.lang,
              action.path,
              `/security/${action.path}/${encodeURIComponent(request.params.token)}?lang=${request.query.lang}`,
            ),
          ),
      );
      app.post(
        `/security/${action.path}/:token`,
        { config, schema: { hide: true, params: tokenParams, querystring: langQuery } },
        async (request, reply) => {
          const lang = request.query.lang;
          const blocked = limited(request.ip, reply, lang);
          if (blocked) return blocked;
          const ok = await action.run(request.params.token, request.ip, ctx.deps);
          if (!ok) await limiter.recordMiss(request.ip);
          return send(
            reply,
            ok ? 200 : 404,
            renderSubscribeMessage(lang, ok ? action.ok : action.miss),
          );
        },
      );
    }
  };
}
