import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { productRoutes } from '../../src/http/routes/api/products.routes.js';
import { csafRoutes } from '../../src/http/routes/public/csaf.routes.js';
import type { AppContext } from '../../src/wiring.js';

/**
 * The application with the CSAF provider, security.txt and the product API: the app's own
 * registration when src/http/app.ts has it, otherwise added here. The signing key comes
 * from the context's config (CANDOR_OPENPGP_KEY_FILE), as in production.
 */
export async function buildCsafApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = await buildApp(ctx);
  if (!app.hasRoute({ method: 'GET', url: '/.well-known/csaf/*' })) {
    await app.register(csafRoutes(ctx));
  }
  if (!app.hasRoute({ method: 'POST', url: '/api/v1/cases/:case/products' })) {
    await app.register(productRoutes(ctx), { prefix: '/api/v1' });
  }
  return app;
}
