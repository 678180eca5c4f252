import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { permissionsOf, roleSchema } from '../../../domain/access.js';
import {
  newTokenSchema,
  newUserSchema,
  tokenViewSchema,
  userViewSchema,
} from '../../../domain/user.js';
import { listAudit, verifyAuditChain } from '../../../services/access/audit.service.js';
import { listApiTokens, revokeApiToken } from '../../../services/access/api-token.service.js';
import { createApiToken, createUser, listUsers } from '../../../services/access/user.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  source: z.string(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

/** Who am I, users, tokens and the audit log. */
export function accessRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/me',
      {
        config: { permission: 'tokens:create-own' },
        schema: {
          summary: 'The authenticated user and what they may do',
          tags: ['access'],
          response: {
            200: z.object({
              name: z.string(),
              roles: z.array(roleSchema),
              permissions: z.array(z.string()),
            }),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return {
          name: actor.name,
          roles: [...actor.roles],
          permissions: permissionsOf(actor.roles),
        };
      },
    );

    app.get(
      '/users',
      {
        config: { permission: 'users:manage' },
        schema: {
          summary: 'All users',
          tags: ['access'],
          response: { 200: z.array(userViewSchema) },
        },
      },
      async (request) => listUsers(actorOf(request), ctx.deps),
    );

    app.post(
      '/users',
      {
        config: { permission: 'users:manage' },
        schema: {
          summary: 'Create a user',
          description: 'Without a password, one is generated and returned once.',
          tags: ['access'],
          body: newUserSchema,
          response: {
            201: z.object({ user: userViewSchema, generatedPassword: z.string().nullable() }),
          },
        },
      },
      async (request, reply) => {
        const result = await createUser(actorOf(request), request.body, ctx.deps);
        return reply.status(201).send(result);
      },
    );

    app.post(
      '/tokens',
      {
        config: { permission: 'tokens:create-own' },
        schema: {
          summary: 'Create an API token for yourself',
          description: 'The token is returned once; only its hash is stored.',
          tags: ['access'],
          body: newTokenSchema,
          response: { 201: z.object({ token: z.string(), view: tokenViewSchema }) },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        return reply
          .status(201)
          .send(await createApiToken(actor, actor.name, request.body, ctx.deps));
      },
    );

    app.get(
      '/tokens',
      {
        config: { permission: 'tokens:create-own' },
        schema: {
          summary: 'Your API tokens',
          description:
            'Label, prefix, created, last used (to the minute), expiry and revocation; never the token.',
          tags: ['access'],
          response: { 200: z.array(tokenViewSchema) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return listApiTokens(actor, actor.name, ctx.deps);
      },
    );

    app.get(
      '/users/:username/tokens',
      {
        config: { permission: 'users:manage' },
        schema: {
          summary: "A user's API tokens",
          tags: ['access'],
          params: z.object({ username: z.string().min(1).max(64) }),
          response: { 200: z.array(tokenViewSchema) },
        },
      },
      async (request) => listApiTokens(actorOf(request), request.params.username, ctx.deps),
    );

    app.delete(
      '/tokens/:id',
      {
        config: { permission: 'tokens:create-own' },
        schema: {
          summary: 'Revoke an API token',
          description:
            'Your own, or anyone’s for an admin; refused at once afterwards. Revoking a revoked token changes nothing.',
          tags: ['access'],
          params: z.object({ id: z.coerce.number().int().min(1) }),
          response: { 200: tokenViewSchema },
        },
      },
      async (request) => (await revokeApiToken(actorOf(request), request.params.id, ctx.deps)).view,
    );

    app.get(
      '/audit',
      {
        config: { permission: 'audit:read' },
        schema: {
          summary: 'The audit log, newest first',
          tags: ['audit'],
          querystring: z.object({
            object_type: z.string().max(64).optional(),
            object_id: z.string().max(128).optional(),
            before: z.coerce.number().int().min(1).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.array(auditEntrySchema) },
        },
      },
      async (request) =>
        listAudit(actorOf(request), ctx.database, {
          objectType: request.query.object_type,
          objectId: request.query.object_id,
          beforeSeq: request.query.before,
          limit: request.query.limit,
        }),
    );

    app.get(
      '/audit/verify',
      {
        config: { permission: 'audit:verify' },
        schema: {
          summary: 'Recompute the audit hash chain',
          tags: ['audit'],
          response: {
            200: z.object({
              ok: z.boolean(),
              entries: z.number().int(),
              head: z.object({ seq: z.number().int(), hash: z.string() }),
              findings: z.array(
                z.object({ seq: z.number().int(), problem: z.string(), message: z.string() }),
              ),
            }),
          },
        },
      },
      async (request) => verifyAuditChain(actorOf(request), ctx.database),
    );
  };
}
