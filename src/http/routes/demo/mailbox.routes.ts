import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MailCatcher } from '../../../channels/email/mail-catcher.js';
import { PAGE_CSP } from '../../views/page-layout.view.js';
import { renderMailboxList, renderMailboxMail } from '../../views/mailbox.view.js';
import { renderStatusPage } from '../../views/status-page.view.js';

const idParams = z.object({ id: z.string().regex(/^[\w.-]{1,64}$/) });

/**
 * The embedded mail catcher's pages. Only registered when the catcher is in use (the demo and
 * development default, on a server bound to 127.0.0.1): the mails hold every recipient's
 * personal link.
 */
export function mailboxRoutes(catcher: MailCatcher): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-robots-tag', 'noindex');
    });

    app.get(
      '/mailbox',
      {
        schema: {
          hide: true,
          querystring: z.object({
            q: z.string().max(200).default(''),
            before: z.string().max(64).optional(),
          }),
        },
      },
      async (request, reply) => {
        const page = await catcher.listMails({
          limit: 50,
          q: request.query.q || undefined,
          before: request.query.before,
        });
        return reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', PAGE_CSP)
          .send(renderMailboxList(page, request.query.q));
      },
    );

    app.get(
      '/mailbox/:id',
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const mail = await catcher.readMail(request.params.id);
        if (!mail)
          return reply
            .status(404)
            .type('text/html; charset=utf-8')
            .send(renderStatusPage('notFound'));
        // The page frames the mail's own HTML from this origin, and inline style attributes in
        // that HTML never reach this page (it is a separate document with its own policy).
        return reply
          .type('text/html; charset=utf-8')
          .header(
            'content-security-policy',
            PAGE_CSP.replace("frame-ancestors 'none'", "frame-src 'self'; frame-ancestors 'none'"),
          )
          .send(renderMailboxMail(mail));
      },
    );

    app.get(
      '/mailbox/:id/html',
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const mail = await catcher.readMail(request.params.id);
        if (!mail?.html) return reply.status(404).send('not found');
        // The sender's HTML, unsanitised: a sandbox without scripts, nothing loaded from
        // elsewhere, links open outside the frame.
        const body = mail.html.replace(/<head(\s[^>]*)?>/i, (m) => `${m}<base target="_blank">`);
        return reply
          .type('text/html; charset=utf-8')
          .header(
            'content-security-policy',
            "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
          )
          .send(body);
      },
    );

    app.get(
      '/mailbox/:id/raw',
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const raw = await catcher.raw(request.params.id);
        if (!raw) return reply.status(404).send('not found');
        return reply
          .type('message/rfc822')
          .header('content-disposition', `attachment; filename="${request.params.id}.eml"`)
          .send(raw);
      },
    );
  };
}
