import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Actor, Permission } from '../domain/access.js';
import { can, scopeAllows } from '../domain/access.js';
import { UnauthenticatedError } from '../domain/errors.js';
import { authenticateToken, type UserDeps } from '../services/access/user.service.js';
import { sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs, or 'public'. Every /api route must declare one. */
    permission?: Permission | 'public';
    /**
     * How the route's caller is authenticated when not by bearer token: 'session' is set by
     * the workspace on each of its routes (the session cookie, workspace-hook.ts).
     */
    authentication?: 'session';
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The actor of an authenticated request (routes that declare a permission always have one). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('route without authentication reached a handler');
  return request.actor;
}

/**
 * Bearer-token authentication and the role check, both in onRequest so that nothing, not
 * even a streamed upload body, is read for a caller who may not make the request.
 */
export function registerAuth(app: FastifyInstance, deps: UserDeps): void {
  app.decorateRequest('actor', null);
  // Routes under /app, checked once all are registered (the workspace marks its own in its
  // onRoute hook, which runs after this one): a route added there outside the workspace plugin
  // would bypass the session, role and CSRF checks while looking like a workspace page.
  const underApp: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (url.startsWith('/api/v1') && route.config?.permission === undefined) {
      throw new Error(`route ${route.method.toString()} ${url} declares no permission`);
    }
    if (url === '/app' || url.startsWith('/app/')) underApp.push(route);
  });
  app.addHook('onReady', async () => {
    const stray = underApp.find((route) => route.config?.authentication !== 'session');
    if (stray) {
      throw new Error(
        `route ${stray.method.toString()} ${stray.url} is under /app but outside the workspace plugin`,
      );
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    const { permission, authentication } = request.routeOptions.config;
    if (permission === undefined || permission === 'public') return;
    // The workspace's routes: its own onRequest hook checks the session and the role.
    if (authentication === 'session') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return sendProblem(reply, request, 401, 'a bearer token is required');
    try {
      request.actor = await authenticateToken(match[1]!, request.ip, deps);
    } catch (error) {
      // Only a token that is not valid is a 401. A database that could not be asked (a lost
      // connection, a failover) is the server's problem: a 401 would tell the integrator
      // their token was revoked, and some clients then stop or page someone.
      if (!(error instanceof UnauthenticatedError)) throw error;
      return sendProblem(reply, request, 401, 'invalid, expired or revoked token');
    }
    if (!scopeAllows(request.actor.scope, permission)) {
      return sendProblem(
        reply,
        request,
        403,
        `this token is limited to the ${String(request.actor.scope)} scope, which does not allow ${permission}`,
      );
    }
    if (!can(request.actor.roles, permission)) {
      return sendProblem(
        reply,
        request,
        403,
        `your roles (${request.actor.roles.join(', ')}) do not allow ${permission}`,
      );
    }
  });
}
