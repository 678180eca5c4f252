import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import { listApiTokens, revokeApiToken } from '../../../services/access/api-token.service.js';
import { createApiToken } from '../../../services/access/user.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { renderUserTokens } from '../../views/workspace/user-tokens.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { viewOf } from '../../workspace/view-context-of.js';

const userParams = z.object({ username: z.string().min(1).max(64) });
const tokenParams = userParams.extend({ id: z.coerce.number().int().min(1) });
// The fields arrive as text; the service's schema judges them so that a wrong value shows the
// form again with the problem at its field.
const createBody = z.object({
  label: z.string().max(1000).default(''),
  expiresInDays: z.string().max(20).default(''),
});

/**
 * API tokens in the workspace: a user's on the users screen (admins), and everyone's own under
 * My account: list, create with an expiry, revoke.
 */
export function userTokensRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const page = { config: { permission: 'users:manage' as const } };
  return async (app) => {
    async function tokensPage(
      request: FastifyRequest,
      reply: FastifyReply,
      username: string,
      extra: { problems?: string[]; created?: string; own?: boolean } = {},
    ) {
      const tokens = await listApiTokens(actorOf(request), username, ctx.deps);
      return sendWorkspacePage(
        reply,
        request,
        {
          ...renderUserTokens(viewOf(request), username.toLowerCase(), tokens, extra),
          section: extra.own ? 'dashboard' : 'users',
        },
        extra.problems?.length ? 422 : 200,
      );
    }

    async function create(
      request: FastifyRequest,
      reply: FastifyReply,
      username: string,
      body: z.infer<typeof createBody>,
      own: boolean,
    ) {
      const days = body.expiresInDays.trim() === '' ? undefined : Number(body.expiresInDays);
      try {
        const { token } = await createApiToken(
          actorOf(request),
          username,
          { label: body.label, expiresInDays: days },
          ctx.deps,
        );
        return tokensPage(request, reply, username, { created: token, own });
      } catch (error) {
        if (!(error instanceof ZodError)) throw error;
        const problems = error.issues.map((i) => `${i.path.join('.') || 'token'}: ${i.message}`);
        return tokensPage(request, reply, username, { problems, own });
      }
    }

    async function revoke(request: FastifyRequest, reply: FastifyReply, id: number, to: string) {
      await revokeApiToken(actorOf(request), id, ctx.deps);
      flash(reply, sessionOf(request).locale === 'en' ? 'Token revoked.' : 'Token ingetrokken.');
      return reply.redirect(to, 303);
    }

    // Everyone's own tokens under My account.
    const own = { config: { permission: 'tokens:create-own' as const } };
    app.get('/account/tokens', { ...own, schema: { hide: true } }, async (request, reply) =>
      tokensPage(request, reply, actorOf(request).name, { own: true }),
    );
    app.post(
      '/account/tokens',
      { ...own, schema: { hide: true, body: createBody } },
      async (request, reply) => create(request, reply, actorOf(request).name, request.body, true),
    );
    app.post(
      '/account/tokens/:id/revoke',
      { ...own, schema: { hide: true, params: tokenParams.pick({ id: true }) } },
      async (request, reply) => revoke(request, reply, request.params.id, '/app/account/tokens'),
    );

    app.get(
      '/users/:username/tokens',
      { ...page, schema: { hide: true, params: userParams } },
      async (request, reply) => tokensPage(request, reply, request.params.username),
    );

    app.post(
      '/users/:username/tokens',
      { ...page, schema: { hide: true, params: userParams, body: createBody } },
      async (request, reply) =>
        create(request, reply, request.params.username, request.body, false),
    );

    app.post(
      '/users/:username/tokens/:id/revoke',
      { ...page, schema: { hide: true, params: tokenParams } },
      async (request, reply) => {
        const { username, id } = request.params;
        return revoke(request, reply, id, `/app/users/${encodeURIComponent(username)}/tokens`);
      },
    );
  };
}
