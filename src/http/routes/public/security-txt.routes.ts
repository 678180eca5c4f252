import type { FastifyPluginAsync } from 'fastify';
import type { PublicRecordSigner } from '../../../services/publication/csaf-signing.service.js';
import { renderSecurityTxt } from '../../../services/publication/csaf.service.js';
import type { AppContext } from '../../../wiring.js';
import { pathOf, publicCacheFor } from '../../public-cache.js';

const PATHS = ['/.well-known/security.txt', '/security.txt'];

/**
 * /.well-known/security.txt (RFC 9116) and the same bytes at /security.txt (section 3 lets
 * clients look there; a copy keeps the signed content identical). Rendered by the public
 * cache at every public change and at least hourly, so Expires is always ~180 days ahead.
 */
export function securityTxtRoutes(
  ctx: AppContext,
  signer: PublicRecordSigner | null,
): FastifyPluginAsync {
  return async (app) => {
    const cache = publicCacheFor(ctx.database);
    cache.register('security-txt', async (site) => {
      const body = await renderSecurityTxt(ctx.deps, signer, new Date(site.renderedAt));
      return PATHS.map((key) => ({ key, body, contentType: 'text/plain; charset=utf-8' }));
    });
    for (const url of PATHS) {
      app.get(url, { config: { permission: 'public' }, schema: { hide: true } }, (request, reply) =>
        cache.serve(request, reply, pathOf(request.url)),
      );
    }
  };
}
