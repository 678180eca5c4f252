import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import { listApiTokens, revokeApiToken } from '../../../services/api-token.service.js';
import { createApiToken } from '../../../services/user.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { renderUserTokens } from '../../views/workspace/user-tokens.view.js';
import { flash, sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { sessionOf } from '../../workspace/workspace-session.js';

const userParams = z.object({ username: z.string().min(1).max(64) });
const tokenParams = userParams.extend({ id: z.coerce.number().int().min(1) });
// The fields arrive as text; the service's schema judges them so that a wrong value shows the
// form again with the problem at its field.
const createBody = z.object({
  label: z.string().max(1000).default(''),
  expiresInDays: z.string().max(20).default(''),
});

/** A user's API tokens on the users screen (admins): list, create with an expiry, revoke. */
export function userTokensRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const page = { config: { permission: 'users:manage' as const } };
  return async (app) => {
    async function tokensPage(
      request: FastifyRequest,
      reply: FastifyReply,
      username: string,
      extra: { problems?: string[]; created?: string } = {},
    ) {
      const tokens = await listApiTokens(actorOf(request), username, ctx.deps);
      return sendWorkspacePage(
        reply,
        request,
        { ...renderUserTokens(request, username.toLowerCase(), tokens, extra), section: 'users' },
        extra.problems?.length ? 422 : 200,
      );
    }

    app.get(
      '/users/:username/tokens',
      { ...page, schema: { hide: true, params: userParams } },
      async (request, reply) => tokensPage(request, reply, request.params.username),
    );

    app.post(
      '/users/:username/tokens',
      { ...page, schema: { hide: true, params: userParams, body: createBody } },
      async (request, reply) => {
        const { label, expiresInDays } = request.body;
        const days = expiresInDays.trim() === '' ? undefined : Number(expiresInDays);
        try {
          const { token } = await createApiToken(
            actorOf(request),
            request.params.username,
            { label, expiresInDays: days },
            ctx.deps,
          );
          return tokensPage(request, reply, request.params.username, { created: token });
        } catch (error) {
          if (!(error instanceof ZodError)) throw error;
          const problems = error.issues.map((i) => `${i.path.join('.') || 'token'}: ${i.message}`);
          return tokensPage(request, reply, request.params.username, { problems });
        }
      },
    );

    app.post(
      '/users/:username/tokens/:id/revoke',
      { ...page, schema: { hide: true, params: tokenParams } },
      async (request, reply) => {
        const { username, id } = request.params;
        await revokeApiToken(actorOf(request), id, ctx.deps);
        flash(reply, sessionOf(request).locale === 'en' ? 'Token revoked.' : 'Token ingetrokken.');
        return reply.redirect(`/app/users/${encodeURIComponent(username)}/tokens`, 303);
      },
    );
  };
}
