import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { can } from '../../domain/access.js';
import {
  resolveSession,
  sameCsrfToken,
  sessionActor,
  type SessionDeps,
} from '../../services/access/session.service.js';
import { sendWorkspaceError } from '../views/workspace/workspace-error.view.js';
import { preferredLanguage } from '../preferred-language.js';
import { toWorkspaceSession } from './workspace-session.js';

/** The session cookie; Path=/app keeps it away from the API, the public pages and assets. */
export const SESSION_COOKIE = 'candor_session';
/** The language chosen on this browser, for pages seen before login. */
export { LANGUAGE_COOKIE } from '../preferred-language.js';

/** The Content-Security-Policy of every workspace page (screens may only add to it). */
export const WORKSPACE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Options of the workspace hook. */
export interface WorkspaceHookOptions {
  deps: SessionDeps;
  publicUrl: string;
  defaultLocale: 'nl' | 'en';
  mailbox: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session cookie's attributes; Secure whenever the public URL is https. */
export function sessionCookieOptions(publicUrl: string) {
  return {
    path: '/app',
    httpOnly: true,
    // Lax, not Strict: with Strict the first click from a mail or chat link into the
    // workspace arrives without the cookie and shows the login page to a logged-in user.
    // Lax still withholds the cookie from cross-site POSTs, and every POST checks a token.
    sameSite: 'lax' as const,
    secure: publicUrl.startsWith('https:'),
  };
}

/**
 * The workspace's guard, registered in the workspace plugin (workspace-plugin.ts) and so in
 * front of every /app route and of no other: security headers, the session cookie resolved
 * into request.session and request.actor, login redirect, role check (all in onRequest, so
 * nothing of a refused upload is read), then the CSRF check once the form body is parsed
 * (preValidation, so a forged post gets 403 rather than a validation message).
 */
export function registerWorkspaceHook(app: FastifyInstance, options: WorkspaceHookOptions): void {
  app.decorateRequest('session', null);
  app.decorateRequest('workspace', null);
  app.addHook('onRoute', (route) => {
    // Startup fails rather than a workspace route going out unguarded.
    if (route.config?.permission === undefined) {
      throw new Error(`route ${route.method.toString()} ${route.url} declares no permission`);
    }
    // The session cookie authenticates these routes; the API's bearer check stays out (auth.ts).
    route.config = { ...route.config, authentication: 'session' };
  });
  const selfOrigin = new URL(options.publicUrl).origin;

  app.addHook('onRequest', async (request, reply) => {
    setSecurityHeaders(request, reply, options);
    // Stylesheet and scripts are the same for everyone: no session lookup for them.
    if (request.url.startsWith('/app/assets/')) return;
    request.workspace = {
      mailbox: options.mailbox,
      // Before login: the remembered choice, else the browser's language (issue 13).
      defaultLocale: preferredLanguage(request, options.defaultLocale),
      pending: null,
    };
    const cookie = request.cookies[SESSION_COOKIE];
    const resolved = cookie ? await resolveSession(options.deps, cookie) : null;
    if (resolved?.stage === 'full') {
      request.session = toWorkspaceSession(resolved);
      request.actor = sessionActor(resolved.user, request.ip);
    } else if (resolved) {
      request.workspace.pending = resolved;
    }
    const permission = request.routeOptions.config?.permission;
    if (permission === 'public') return;
    if (!request.session) {
      if (!SAFE_METHODS.has(request.method)) {
        return sendWorkspaceError(reply, request, 403, 'expired');
      }
      const target =
        resolved?.stage === 'totp'
          ? '/app/login/totp'
          : resolved?.stage === 'enrol'
            ? '/app/account/totp'
            : null;
      if (target) return reply.redirect(target, 303);
      return reply.redirect(`/app/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    // No declared permission: the not-found handler answers (with the session for its look).
    if (permission === undefined) return;
    if (!can(request.session.roles, permission)) {
      return sendWorkspaceError(reply, request, 403, 403);
    }
  });

  app.addHook('preValidation', async (request, reply) => {
    if (SAFE_METHODS.has(request.method)) return;
    // A cross-site post is refused outright, even to public forms such as the login (login
    // CSRF); browsers always send Origin on POST.
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    const sameOrigin =
      origin === undefined || origin === selfOrigin || origin === requestOrigin(request);
    if (
      !sameOrigin ||
      (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none')
    ) {
      return sendWorkspaceError(reply, request, 403, 'csrf');
    }
    if (request.routeOptions.config?.workspaceLogin === true) return;
    const expected = request.session?.csrfToken ?? request.workspace?.pending?.csrfToken;
    // Public forms without any session (the login form) rely on the origin check above.
    if (expected === undefined && request.routeOptions.config?.permission === 'public') return;
    if (expected === undefined || !sameCsrfToken(expected, csrfTokenOf(request))) {
      return sendWorkspaceError(reply, request, 403, 'csrf');
    }
  });
}

/** The CSRF token field of a form body or query string (a repeated field is no token). */
const csrfField = z.object({ _csrf: z.string() });

/** The token a request carries: header, form field, or (multipart forms) the query. */
function csrfTokenOf(request: FastifyRequest): unknown {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = csrfField.safeParse(request.body);
  if (body.success) return body.data._csrf;
  const query = csrfField.safeParse(request.query);
  if (query.success) return query.data._csrf;
  return undefined;
}

function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function setSecurityHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  options: WorkspaceHookOptions,
): void {
  reply.header('content-security-policy', WORKSPACE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-frame-options', 'DENY');
  reply.header(
    'permissions-policy',
    'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  );
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('x-robots-tag', 'noindex');
  // request.protocol reads X-Forwarded-Proto only from proxies Fastify trusts.
  const https = options.publicUrl.startsWith('https:') || request.protocol === 'https';
  if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}
