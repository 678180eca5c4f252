import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../wiring.js';
import { workspaceAssets } from '../../workspace/workspace-assets.js';

/**
 * The workspace's stylesheet and scripts, from memory. Pages link them with a `?v=` content
 * hash, so they may be cached for a year; the ETag answers revalidations with 304.
 */
export function assetsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  void ctx;
  return async (app) => {
    app.get(
      '/assets/:name',
      {
        config: { permission: 'public' },
        schema: { hide: true, params: z.object({ name: z.string().max(64) }) },
      },
      async (request, reply) => {
        const asset = workspaceAssets().get(request.params.name);
        if (!asset) return reply.status(404).type('text/plain').send('not found');
        reply
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('etag', asset.etag)
          .type(asset.type);
        if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
        return reply.send(asset.body);
      },
    );
  };
}
