import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../../domain/errors.js';
import type { PageVisitor } from '../../../services/recipients/personal-page.service.js';
import { confirmRemedyOnPage } from '../../../services/remedies/remedy-page.service.js';
import type { Database } from '../../../store/database.js';
import type { RemedyForm } from '../../views/personal-page-remedies.view.js';
import { renderStatusPage } from '../../views/status-page.view.js';
import { formNonce, isFormNonce } from './form-nonce.js';

type App = Parameters<FastifyPluginAsyncZod>[0];

/** What the personal page plugin shares with its remedy forms. */
export interface RemedyFormHelpers {
  deps: { database: Database; secret: Buffer };
  visit: (request: FastifyRequest, token: string) => Promise<PageVisitor | null>;
  miss: (request: FastifyRequest, reply: FastifyReply) => unknown;
  crossSite: (request: FastifyRequest) => boolean;
  pagePath: (visitor: PageVisitor) => string;
}

const params = z.object({ token: z.string(), key: z.string().max(63) });
/** Anything but one nonce string (none, a repeated field) reads as no nonce: refused, 403. */
const body = z.object({ nonce: z.string().optional().catch(undefined) }).optional();

/** Each remedy's form: its own path and a nonce bound to the token and the remedy key. */
export function remedyForm(secret: Buffer, visitor: PageVisitor, base: string): RemedyForm {
  return (key) => ({
    action: `${base}/remedies/${encodeURIComponent(key)}/done`,
    nonce: formNonce(secret, visitor.tokenHash, `remedy:${key}`),
  });
}

/**
 * POST /n/:token/remedies/:key/done: "I've done this" for one remedy, inside the personal page
 * plugin (its form parser, miss limiter and headers). Refused, like the other forms, without
 * the page's nonce or from another site; refused too for a remedy only the provider confirms.
 */
export function registerRemedyForms(app: App, h: RemedyFormHelpers): void {
  app.post(
    '/n/:token/remedies/:key/done',
    { config: { permission: 'public' }, schema: { hide: true, params, body } },
    async (request, reply) => {
      const visitor = await h.visit(request, request.params.token);
      if (!visitor) return h.miss(request, reply);
      const { key } = request.params;
      const refused = () =>
        reply.code(403).type('text/html; charset=utf-8').send(renderStatusPage('refused'));
      if (
        h.crossSite(request) ||
        !isFormNonce(h.deps.secret, visitor.tokenHash, `remedy:${key}`, request.body?.nonce)
      )
        return refused();
      try {
        await confirmRemedyOnPage(visitor, key, h.deps);
      } catch (error) {
        if (error instanceof ForbiddenError) return refused();
        if (error instanceof NotFoundError) return h.miss(request, reply);
        throw error;
      }
      return reply.redirect(`${h.pagePath(visitor)}#remedy-${encodeURIComponent(key)}-item`, 303);
    },
  );
}
