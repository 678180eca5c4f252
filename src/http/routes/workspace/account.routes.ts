import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isTimeZone } from '../../../config.js';
import type { AppContext } from '../../../wiring.js';
import {
  auditLogin,
  promoteSession,
  setLanguage,
  setTimeZone,
} from '../../../services/access/session.service.js';
import {
  enrolment,
  hasTotp,
  verifyCode,
  type TotpDeps,
} from '../../../services/access/totp.service.js';
import { getOrganisation } from '../../../services/access/settings.service.js';
import { renderTotpLoginPage } from '../../views/workspace/login.view.js';
import {
  renderAccount,
  renderEnrolment,
  renderRecoveryCodes,
} from '../../views/workspace/account.view.js';
import {
  issueRecoveryCodes,
  unusedRecoveryCodes,
} from '../../../services/access/recovery-code.service.js';
import { renderBarePage, sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { sendHtml, viewOf } from '../../workspace/view-context-of.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../../workspace/workspace-hook.js';
import { nextParamSchema, rememberLanguage, safeNext, sessionDeps } from './auth.routes.js';

const ZONES = Intl.supportedValuesOf('timeZone');

/** The second login step, the account page and TOTP enrolment. */
export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const deps = sessionDeps(ctx);
  const totpDeps: TotpDeps = { database: ctx.database, secret: ctx.deps.secret };
  const cookieOptions = sessionCookieOptions(ctx.config.publicUrl);
  const client = (request: FastifyRequest) => ({
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? '',
  });
  const toLogin = (reply: FastifyReply) => reply.redirect('/app/login', 303);

  return async (app) => {
    app.get(
      '/login/totp',
      {
        config: { permission: 'public' },
        schema: { hide: true, querystring: z.object({ next: nextParamSchema }) },
      },
      async (request, reply) => {
        if (request.workspace?.pending?.stage !== 'totp') return toLogin(reply);
        const next = safeNext(request.query.next);
        return sendHtml(
          reply,
          request,
          renderTotpLoginPage(viewOf(request), { next, invalid: false, throttledMs: 0 }),
        );
      },
    );

    app.post(
      '/login/totp',
      {
        config: { permission: 'public' },
        schema: {
          hide: true,
          body: z.object({
            code: z.string().max(20).default(''),
            next: nextParamSchema,
          }),
        },
      },
      async (request, reply) => {
        const pending = request.workspace?.pending;
        if (pending?.stage !== 'totp') return toLogin(reply);
        const next = safeNext(request.body.next);
        const outcome = await verifyCode(
          totpDeps,
          pending.user,
          request.body.code,
          request.ip,
          'login',
        );
        if (!outcome.ok) {
          return sendHtml(
            reply,
            request,
            renderTotpLoginPage(viewOf(request), {
              next,
              invalid: true,
              throttledMs: outcome.retryAfterMs,
            }),
            outcome.retryAfterMs > 0 ? 429 : 401,
          );
        }
        const token = await promoteSession(deps, pending, 'full', client(request));
        await auditLogin(
          deps,
          pending.user,
          request.ip,
          outcome.recovery ? 'password+recovery-code' : 'password+totp',
        );
        reply.setCookie(SESSION_COOKIE, token, cookieOptions);
        if (outcome.recovery) {
          const left = await unusedRecoveryCodes(deps, pending.user.id);
          flash(
            reply,
            pending.user.language === 'en'
              ? `Logged in with a recovery code; ${left} left. Set up two-step verification again under My account if your phone is gone.`
              : `Ingelogd met een herstelcode; nog ${left} over. Is je telefoon weg, stel tweestapsverificatie dan opnieuw in onder Mijn account.`,
            'info',
          );
        }
        return reply.redirect(next, 303);
      },
    );

    app.get(
      '/account',
      { config: { permission: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        if (!request.session) return reply.redirect('/app/login?next=%2Fapp%2Faccount', 303);
        const page = renderAccount(viewOf(request), {
          totp: await hasTotp(totpDeps, request.session.userId),
          zones: ZONES,
        });
        return sendWorkspacePage(reply, request, { ...page, section: 'dashboard' });
      },
    );

    app.post(
      '/account/preferences',
      {
        config: { permission: 'public' },
        schema: {
          hide: true,
          body: z.object({
            language: z.enum(['nl', 'en']),
            timeZone: z.string().max(100).refine(isTimeZone, 'must be a time zone'),
          }),
        },
      },
      async (request, reply) => {
        if (!request.session) return toLogin(reply);
        await setLanguage(deps, request.session.userId, request.body.language);
        await setTimeZone(deps, request.session.userId, request.body.timeZone);
        rememberLanguage(reply, request.body.language, ctx);
        flash(
          reply,
          request.body.language === 'en' ? 'Preferences saved.' : 'Voorkeuren opgeslagen.',
        );
        return reply.redirect('/app/account', 303);
      },
    );

    const enrolPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      problem: 'invalid' | 'throttled' | null,
      status = 200,
    ) => {
      const user = request.session
        ? { id: request.session.userId, username: request.session.username }
        : request.workspace!.pending!.user;
      const organisation = await getOrganisation(ctx.deps);
      const page = renderEnrolment(viewOf(request), {
        enrolment: await enrolment(totpDeps, user, organisation.name || 'Candor'),
        required: !request.session,
        problem,
      });
      return request.session
        ? sendWorkspacePage(reply, request, { ...page, section: 'dashboard' }, status)
        : sendHtml(reply, request, renderBarePage(viewOf(request), page), status);
    };

    app.get(
      '/account/totp',
      { config: { permission: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        if (!request.session && request.workspace?.pending?.stage !== 'enrol')
          return toLogin(reply);
        return enrolPage(request, reply, null);
      },
    );

    app.post(
      '/account/totp',
      {
        config: { permission: 'public' },
        schema: { hide: true, body: z.object({ code: z.string().max(20).default('') }) },
      },
      async (request, reply) => {
        const pending = request.workspace?.pending;
        if (!request.session && pending?.stage !== 'enrol') return toLogin(reply);
        const user = request.session
          ? { id: request.session.userId, username: request.session.username }
          : pending!.user;
        const outcome = await verifyCode(totpDeps, user, request.body.code, request.ip, 'confirm');
        if (!outcome.ok) {
          return enrolPage(request, reply, outcome.retryAfterMs > 0 ? 'throttled' : 'invalid', 422);
        }
        // The recovery codes are made now and shown on this response only (not after a
        // redirect: they are never stored in the clear, not even for one more request).
        const codes = await issueRecoveryCodes(totpDeps, user.id);
        if (!request.session && pending) {
          // Enrolled right after the password: the session becomes a full one, with a new id.
          const token = await promoteSession(deps, pending, 'full', client(request));
          await auditLogin(deps, pending.user, request.ip, 'password+totp');
          reply.setCookie(SESSION_COOKIE, token, cookieOptions);
          const view = viewOf(request);
          return sendHtml(
            reply,
            request,
            renderBarePage(view, renderRecoveryCodes(view, codes, '/app')),
          );
        }
        return sendWorkspacePage(reply, request, {
          ...renderRecoveryCodes(viewOf(request), codes, '/app/account'),
          section: 'dashboard',
        });
      },
    );
  };
}
