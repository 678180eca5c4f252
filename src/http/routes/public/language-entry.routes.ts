import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../wiring.js';
import { LANGUAGE_COOKIE, preferredLanguage } from '../../preferred-language.js';
import { localPath } from '../../views/public/security-layout.view.js';
import { sessionCookieOptions } from '../../workspace/workspace-hook.js';

// The language-neutral entry of the public site (issue 13). `/security` (Dutch) and
// `/en/security` stay fixed addresses for links, feeds and search engines; `/` is where a
// browser without a link lands, so it goes to the page in the browser's language, or in
// the language chosen before (the same cookie the workspace's switch sets). `?lang=`
// makes an explicit choice and remembers it; the public pages' language switch links here with
// `to` (the language-neutral path of the page), so a reader's choice is remembered too.

// Only the public security pages, language-neutral, as the layout writes them: no scheme, no
// host, no `//`, so `to` can never send the reader elsewhere.
const PUBLIC_PATH = /^\/security(?:\/[A-Za-z0-9._~-]+)*\/?$/;

const entryQuery = z.object({
  lang: z.enum(['nl', 'en']).optional(),
  to: z
    .string()
    .max(300)
    .regex(PUBLIC_PATH)
    .refine((p) => !p.split('/').some((segment) => segment === '.' || segment === '..'))
    .optional(),
});

/** `GET /`: to the public security page (or `to`) in the reader's language. */
export function languageEntryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/',
      { config: { permission: 'public' }, schema: { hide: true, querystring: entryQuery } },
      async (request, reply) => {
        const chosen = request.query.lang;
        if (chosen)
          reply.setCookie(LANGUAGE_COOKIE, chosen, {
            ...sessionCookieOptions(ctx.config.publicUrl),
            path: '/',
            httpOnly: false,
            maxAge: 365 * 86_400,
          });
        const language = chosen ?? preferredLanguage(request, ctx.config.defaultLanguage);
        return reply
          .header('vary', 'Accept-Language, Cookie')
          .header('cache-control', 'private, no-cache')
          .redirect(localPath(request.query.to ?? '/security', language), 302);
      },
    );
  };
}
