import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  disableWebhook,
  listWebhookDeliveries,
  listWebhooks,
  newWebhookSchema,
  registerWebhook,
  webhookDeliveryViewSchema,
  webhookViewSchema,
} from '../../../services/publication/webhook.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** Webhooks for integrators (webhooks:manage). See docs/subscriptions.md. */
export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['webhooks'];
    const deps = { ...ctx.deps, allowHosts: ctx.config.webhooks.allowHosts };
    app.post(
      '/webhooks',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          summary: 'Register a webhook; the signing secret is returned once',
          description:
            'Every delivery is a POST of JSON with `Candor-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`. Targets must be https (http only for allow-listed hosts); private, loopback, link-local, CGNAT, multicast and unspecified addresses are refused unless the host is in CANDOR_WEBHOOK_ALLOW_HOSTS.',
          tags,
          body: newWebhookSchema,
          response: { 201: z.object({ webhook: webhookViewSchema, secret: z.string() }) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await registerWebhook(actorOf(request), request.body, deps)),
    );
    app.get(
      '/webhooks',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          summary: 'Registered webhooks',
          tags,
          response: { 200: z.array(webhookViewSchema) },
        },
      },
      async (request) => listWebhooks(actorOf(request), ctx.deps),
    );
    app.delete(
      '/webhooks/:id',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          summary: 'Disable a webhook (its log stays)',
          tags,
          params: idParams,
          response: { 200: webhookViewSchema },
        },
      },
      async (request) => disableWebhook(actorOf(request), request.params.id, ctx.deps),
    );
    app.get(
      '/webhooks/:id/deliveries',
      {
        config: { permission: 'webhooks:manage' },
        schema: {
          summary: 'Delivery log of a webhook, newest first',
          tags,
          params: idParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: { 200: z.array(webhookDeliveryViewSchema) },
        },
      },
      async (request) =>
        listWebhookDeliveries(actorOf(request), request.params.id, request.query.limit, ctx.deps),
    );
  };
}
