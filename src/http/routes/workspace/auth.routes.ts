import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../wiring.js';
import {
  endSession,
  loginWithPassword,
  setLanguage,
  type SessionDeps,
} from '../../../services/access/session.service.js';
import { renderLoginPage } from '../../views/workspace/login.view.js';
import { sendHtml, viewOf } from '../../workspace/view-context-of.js';
import { LANGUAGE_COOKIE } from '../../workspace/workspace-hook.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../workspace/workspace-hook.js';

/** The session dependencies out of the app context. */
export function sessionDeps(ctx: AppContext): SessionDeps {
  return { database: ctx.database, workspace: ctx.config.workspace };
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * The `next` parameter of the login forms. Control characters (CR/LF above all) are refused
 * at validation, before a session is created: they cannot go into a Location header.
 */
export const nextParamSchema = z
  .string()
  .max(1000)
  .refine((v) => !CONTROL_CHARACTER.test(v), 'must not contain line breaks or control characters')
  .optional();

/** A redirect target after login: only a path inside the workspace, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || CONTROL_CHARACTER.test(next)) return '/app';
  if (!/^\/app(\/|\?|$)/.test(next) || next.startsWith('//') || next.includes('\\')) return '/app';
  if (next.startsWith('/app/login') || next.startsWith('/app/logout')) return '/app';
  return next.slice(0, 1000);
}

const languageSchema = z.enum(['nl', 'en']);

/** Remembers the language on this browser too, for the login page after logout. */
export function rememberLanguage(
  reply: FastifyReply,
  language: 'nl' | 'en',
  ctx: AppContext,
): void {
  reply.setCookie(LANGUAGE_COOKIE, language, {
    ...sessionCookieOptions(ctx.config.publicUrl),
    // The whole site: the public entry `/` follows the choice made in the workspace.
    path: '/',
    maxAge: 365 * 86_400,
  });
}

function clientOf(request: FastifyRequest): { ip: string; userAgent: string } {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? '' };
}

/** Login, logout and the language switch. */
export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = sessionDeps(ctx);
  const cookieOptions = sessionCookieOptions(ctx.config.publicUrl);
  return async (app) => {
    app.get(
      '/login',
      {
        config: { permission: 'public' },
        schema: {
          hide: true,
          querystring: z.object({
            next: nextParamSchema,
            lang: languageSchema.optional(),
          }),
        },
      },
      async (request, reply) => {
        const next = safeNext(request.query.next);
        if (request.session) return reply.redirect(next, 303);
        if (request.query.lang) {
          rememberLanguage(reply, request.query.lang, ctx);
          request.workspace!.defaultLocale = request.query.lang;
        }
        return sendHtml(
          reply,
          request,
          renderLoginPage(viewOf(request), { username: '', next, problem: null }),
        );
      },
    );

    app.post(
      '/login',
      {
        config: { permission: 'public', workspaceLogin: true },
        schema: {
          hide: true,
          body: z.object({
            username: z.string().max(200).default(''),
            password: z.string().max(1024).default(''),
            next: nextParamSchema,
          }),
        },
      },
      async (request, reply) => {
        const next = safeNext(request.body.next);
        const outcome = await loginWithPassword(deps, {
          username: request.body.username,
          password: request.body.password,
          ...clientOf(request),
        });
        if (!outcome.ok) {
          if (outcome.reason === 'throttled')
            reply.header('retry-after', Math.ceil(outcome.retryAfterMs / 1000));
          return sendHtml(
            reply,
            request,
            renderLoginPage(viewOf(request), {
              username: request.body.username.slice(0, 64),
              next,
              problem:
                outcome.reason === 'throttled'
                  ? { kind: 'throttled', retryAfterMs: outcome.retryAfterMs }
                  : { kind: 'invalid' },
            }),
            outcome.reason === 'throttled' ? 429 : 401,
          );
        }
        // Rotation: whatever session this browser had before is ended; the new id is fresh.
        const old = request.session?.id ?? request.workspace?.pending?.tokenHash;
        if (old) await endSession(deps, old);
        reply.setCookie(SESSION_COOKIE, outcome.token, cookieOptions);
        rememberLanguage(reply, outcome.user.language, ctx);
        if (outcome.stage === 'totp') {
          return reply.redirect(`/app/login/totp?next=${encodeURIComponent(next)}`, 303);
        }
        if (outcome.stage === 'enrol') return reply.redirect('/app/account/totp', 303);
        return reply.redirect(next, 303);
      },
    );

    app.post(
      '/logout',
      { config: { permission: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const id = request.session?.id ?? request.workspace?.pending?.tokenHash;
        if (id) await endSession(deps, id);
        reply.clearCookie(SESSION_COOKIE, { path: '/app' });
        return reply.redirect('/app/login', 303);
      },
    );

    app.post(
      '/preferences/language',
      {
        config: { permission: 'public' },
        schema: {
          hide: true,
          body: z.object({ language: languageSchema, next: nextParamSchema }),
        },
      },
      async (request, reply) => {
        if (request.session) await setLanguage(deps, request.session.userId, request.body.language);
        rememberLanguage(reply, request.body.language, ctx);
        return reply.redirect(safeNext(request.body.next), 303);
      },
    );
  };
}
