import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  removeSubscriber,
  listSubscribers,
} from '../../../services/publication/subscriber.service.js';
import {
  disableWebhook,
  listWebhookDeliveries,
  listWebhooks,
  registerWebhook,
} from '../../../services/publication/webhook.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';
import { sessionOf } from '../../workspace/workspace-session.js';
import { formErrorsFrom, type FormErrors } from '../../views/workspace/case-form.view.js';
import { csrfFormField, parseForm } from '../../workspace/form-errors.js';
import { texts as integrationsTexts } from '../../views/workspace/settings-integrations.view.js';
import { checkWebhookUrl, WebhookTargetError } from '../../../channels/webhooks/webhook-sender.js';
import { PUBLICATION_EVENT_KINDS } from '../../../domain/publication.js';
import { RECALL_EVENT_KINDS } from '../../../domain/recall-event.js';
import {
  renderSubscribers,
  renderWebhooks,
  type WebhooksModel,
} from '../../views/workspace/settings-integrations.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { flash } from '../../workspace/flash-cookie.js';
import { formOf } from './cases.routes.js';
import { viewOf } from '../../workspace/view-context-of.js';

/** A webhook or subscriber by id (the service answers an unknown or malformed one). */
const idParams = z.object({ id: z.string() });
/** The register form: the target, an optional description and the ticked event boxes. */
const webhookForm = z.object({
  url: z.string().trim().min(1).max(2000),
  description: z.string().trim().max(200).optional(),
  // None, one (a string) or several boxes ticked.
  events: z.preprocess(
    (events) => [events ?? []].flat(),
    z.array(z.enum([...PUBLICATION_EVENT_KINDS, ...RECALL_EVENT_KINDS])).min(1),
  ),
  ...csrfFormField,
});
/** How many deliveries per webhook the page shows. */
const RECENT_DELIVERIES = 10;

/**
 * Admin pages for the integrations of the public side: webhooks (/app/settings/webhooks) and
 * email subscribers (/app/settings/subscribers). The webhook secret is shown in the answer
 * to the register form only (never stored in a cookie or a redirect).
 */
export function settingsIntegrationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await app.register(formbody);
    }
    const webhookDeps = { ...ctx.deps, allowHosts: ctx.config.webhooks.allowHosts };
    const nl = (request: FastifyRequest) => sessionOf(request).locale === 'nl';

    async function webhooksPage(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: Pick<WebhooksModel, 'secret' | 'form'> = {},
      status = 200,
    ) {
      const actor = actorOf(request);
      const webhooks = await Promise.all(
        (await listWebhooks(actor, ctx.deps)).map(async (w) => ({
          ...w,
          deliveries: await listWebhookDeliveries(actor, w.id, RECENT_DELIVERIES, ctx.deps),
        })),
      );
      return sendWorkspacePage(
        reply,
        request,
        { section: 'settings', ...renderWebhooks(viewOf(request), { webhooks, ...extra }) },
        status,
      );
    }

    app.get(
      '/settings/webhooks',
      { config: { permission: 'webhooks:manage' } },
      async (request, reply) => webhooksPage(request, reply),
    );

    app.post(
      '/settings/webhooks',
      { config: { permission: 'webhooks:manage' } },
      async (request, reply) => {
        const form = formOf(request);
        const { locale } = sessionOf(request);
        const t = integrationsTexts(locale);
        const refuse = (errors: FormErrors) =>
          webhooksPage(request, reply, { form: { values: form, errors } }, 422);
        const parsed = parseForm(webhookForm, request.body, locale);
        // A box list is an array by nature: one message for none ticked or an unknown one.
        if (!parsed.ok)
          return refuse({
            ...parsed.errors,
            ...(parsed.errors.events ? { events: t.chooseEvents } : {}),
          });
        const { url, description = '', events } = parsed.data;
        try {
          // Checked here too, so the reason is named in the user's language.
          checkWebhookUrl(url, webhookDeps.allowHosts);
        } catch (error) {
          if (!(error instanceof WebhookTargetError)) throw error;
          return refuse({ url: t.urlProblem[error.problem] });
        }
        try {
          const { webhook, secret } = await registerWebhook(
            actorOf(request),
            { url, description, events },
            webhookDeps,
          );
          // Answered directly: the secret must not travel through a flash cookie.
          return webhooksPage(request, reply, {
            secret: { webhookId: webhook.id, value: secret },
          });
        } catch (error) {
          const errors = formErrorsFrom(error);
          if (!errors) throw error;
          return refuse(errors);
        }
      },
    );

    app.post(
      '/settings/webhooks/:id/disable',
      { config: { permission: 'webhooks:manage' }, schema: { hide: true, params: idParams } },
      async (request, reply) => {
        await disableWebhook(actorOf(request), Number(request.params.id), ctx.deps);
        flash(reply, nl(request) ? 'Webhook uitgeschakeld.' : 'Webhook disabled.');
        return reply.redirect('/app/settings/webhooks', 303);
      },
    );

    app.get(
      '/settings/subscribers',
      { config: { permission: 'subscribers:manage' } },
      async (request, reply) => {
        const result = await listSubscribers(actorOf(request), { limit: 500, offset: 0 }, ctx.deps);
        return sendWorkspacePage(reply, request, {
          section: 'settings',
          ...renderSubscribers(viewOf(request), result),
        });
      },
    );

    app.post(
      '/settings/subscribers/:id/remove',
      { config: { permission: 'subscribers:manage' }, schema: { hide: true, params: idParams } },
      async (request, reply) => {
        await removeSubscriber(actorOf(request), Number(request.params.id), ctx.deps);
        flash(reply, nl(request) ? 'Abonnee afgemeld.' : 'Subscriber unsubscribed.');
        return reply.redirect('/app/settings/subscribers', 303);
      },
    );
  };
}
