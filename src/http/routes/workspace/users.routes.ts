import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import { ConflictError, NotFoundError } from '../../../domain/errors.js';
import { roleSchema } from '../../../domain/access.js';
import type { AppContext } from '../../../wiring.js';
import { createUser } from '../../../services/access/user.service.js';
import {
  listUsersForAdmin,
  resetPassword,
  setUserDisabled,
  updateUserEmail,
  updateUserProfile,
  userEmailSchema,
} from '../../../services/access/user-admin.service.js';
import { resetTotp } from '../../../services/access/totp.service.js';
import { actorOf } from '../../auth.js';
import {
  renderPasswordOnce,
  renderUserEdit,
  renderUsers,
  type UserEditValues,
} from '../../views/workspace/users.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { viewOf } from '../../workspace/view-context-of.js';

const userParams = z.object({ username: z.string().min(1).max(64) });
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);
const asList = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]);
// The edit form's fields arrive as text; the service's schema judges them, so a wrong value
// shows the form again with the problem instead of a bare validation page.
const editBody = z.object({
  displayName: z.string().max(1000).default(''),
  email: z.string().max(1000).default(''),
  roles: z.preprocess(asList, z.array(z.string().max(64)).max(20)),
});
// A reset revokes the user's API tokens unless the admin ticks "keep API tokens".
const resetBody = z.object({ keepTokens: z.string().max(10).optional() });

/** Messages for a refused edit: field and problem, or the conflict (own admin role). */
function problemsOf(error: unknown): string[] | null {
  if (error instanceof ZodError)
    return error.issues.map((i) => `${i.path.join('.') || 'user'}: ${i.message}`);
  if (error instanceof ConflictError) return [error.message];
  return null;
}

/** The users screen (admins): add, disable, reset password, reset the second factor. */
export function usersRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const page = { config: { permission: 'users:manage' as const } };
  return async (app) => {
    app.get('/users', { ...page, schema: { hide: true } }, async (request, reply) => {
      const users = await listUsersForAdmin(actorOf(request), ctx.deps);
      return sendWorkspacePage(reply, request, {
        ...renderUsers(viewOf(request), users),
        section: 'users',
      });
    });

    app.post(
      '/users',
      {
        ...page,
        schema: {
          hide: true,
          body: z.object({
            username: z.string().max(64),
            displayName: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
            email: z.string().max(254).default(''),
            roles: z.preprocess(
              (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
              z.array(roleSchema).min(1, 'choose at least one role'),
            ),
            language: z.enum(['nl', 'en']).default('nl'),
            password: z.preprocess(emptyToUndefined, z.string().max(1024).optional()),
          }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const body = request.body;
        const email = userEmailSchema.parse(body.email);
        let result;
        try {
          result = await createUser(
            actor,
            {
              username: body.username,
              displayName: body.displayName,
              roles: body.roles,
              language: body.language,
              password: body.password,
            },
            ctx.deps,
          );
        } catch (error) {
          // A taken name or a short password: the list again, with what is wrong.
          const problems =
            error instanceof ZodError
              ? error.issues.map((i) => `${i.path.join('.') || 'user'}: ${i.message}`)
              : error instanceof ConflictError
                ? [error.message]
                : null;
          if (!problems) throw error;
          const users = await listUsersForAdmin(actor, ctx.deps);
          return sendWorkspacePage(
            reply,
            request,
            { ...renderUsers(viewOf(request), users, problems), section: 'users' },
            422,
          );
        }
        if (email) await updateUserEmail(actor, result.user.username, email, ctx.deps);
        return sendWorkspacePage(reply, request, {
          ...renderPasswordOnce(viewOf(request), {
            username: result.user.username,
            password: result.generatedPassword,
            created: true,
          }),
          section: 'users',
        });
      },
    );

    async function editPage(
      request: FastifyRequest,
      reply: FastifyReply,
      username: string,
      values?: UserEditValues,
      problems: string[] = [],
    ) {
      const users = await listUsersForAdmin(actorOf(request), ctx.deps);
      const user = users.find((u) => u.username === username.toLowerCase());
      if (!user) throw new NotFoundError(`no user named "${username}"`);
      const shown = values ?? {
        displayName: user.displayName,
        email: user.email ?? '',
        roles: user.roles,
      };
      return sendWorkspacePage(
        reply,
        request,
        { ...renderUserEdit(viewOf(request), user, shown, problems), section: 'users' },
        problems.length > 0 ? 422 : 200,
      );
    }

    app.get(
      '/users/:username/edit',
      { ...page, schema: { hide: true, params: userParams } },
      async (request, reply) => editPage(request, reply, request.params.username),
    );

    app.post(
      '/users/:username/edit',
      { ...page, schema: { hide: true, params: userParams, body: editBody } },
      async (request, reply) => {
        const body = request.body;
        try {
          await updateUserProfile(
            actorOf(request),
            request.params.username,
            { displayName: body.displayName, email: body.email, roles: body.roles },
            ctx.deps,
          );
        } catch (error) {
          const problems = problemsOf(error);
          if (!problems) throw error;
          return editPage(request, reply, request.params.username, body, problems);
        }
        flash(reply, sessionOf(request).locale === 'en' ? 'User saved.' : 'Gebruiker opgeslagen.');
        return reply.redirect('/app/users', 303);
      },
    );

    app.post(
      '/users/:username/disable',
      { ...page, schema: { hide: true, params: userParams } },
      async (request, reply) => {
        await setUserDisabled(actorOf(request), request.params.username, true, ctx.deps);
        flash(
          reply,
          sessionOf(request).locale === 'en' ? 'User disabled.' : 'Gebruiker uitgeschakeld.',
        );
        return reply.redirect('/app/users', 303);
      },
    );

    app.post(
      '/users/:username/enable',
      { ...page, schema: { hide: true, params: userParams } },
      async (request, reply) => {
        await setUserDisabled(actorOf(request), request.params.username, false, ctx.deps);
        flash(
          reply,
          sessionOf(request).locale === 'en' ? 'User enabled.' : 'Gebruiker ingeschakeld.',
        );
        return reply.redirect('/app/users', 303);
      },
    );

    app.post(
      '/users/:username/password',
      { ...page, schema: { hide: true, params: userParams, body: resetBody } },
      async (request, reply) => {
        const password = await resetPassword(
          actorOf(request),
          request.params.username,
          undefined,
          ctx.deps,
          { keepTokens: request.body.keepTokens !== undefined },
        );
        return sendWorkspacePage(reply, request, {
          ...renderPasswordOnce(viewOf(request), {
            username: request.params.username,
            password,
            created: false,
          }),
          section: 'users',
        });
      },
    );

    app.post(
      '/users/:username/totp-reset',
      { ...page, schema: { hide: true, params: userParams, body: resetBody } },
      async (request, reply) => {
        await resetTotp(
          actorOf(request),
          request.params.username,
          { database: ctx.database, secret: ctx.deps.secret },
          { keepTokens: request.body.keepTokens !== undefined },
        );
        flash(
          reply,
          sessionOf(request).locale === 'en'
            ? 'Two-step verification removed; the user sets it up again at the next login.'
            : 'Tweestapsverificatie verwijderd; de gebruiker stelt die bij de volgende login opnieuw in.',
        );
        return reply.redirect('/app/users', 303);
      },
    );
  };
}
