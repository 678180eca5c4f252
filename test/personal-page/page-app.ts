import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { bounceRoutes } from '../../src/http/routes/api/bounces.routes.js';
import {
  personalPageRoutes,
  type PersonalPageRouteOptions,
} from '../../src/http/routes/public/personal-page.routes.js';
import type { AppContext } from '../../src/wiring.js';

/**
 * The application as buildApp makes it, plus the personal page and the bounce API. Until
 * src/http/app.ts registers them itself they are added here; once it does, the app's own
 * registration is used as is (the options then fall back to the defaults).
 */
export async function buildPageApp(
  ctx: AppContext,
  options: PersonalPageRouteOptions = {},
): Promise<FastifyInstance> {
  const app = await buildApp(ctx);
  if (!app.hasRoute({ method: 'GET', url: '/n/:token' })) {
    await app.register(personalPageRoutes(ctx, options));
  }
  if (!app.hasRoute({ method: 'POST', url: '/api/v1/bounces' })) {
    await app.register(bounceRoutes(ctx), { prefix: '/api/v1' });
  }
  return app;
}
