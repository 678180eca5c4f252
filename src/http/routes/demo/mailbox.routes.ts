import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MailCatcher } from '../../../channels/email/mail-catcher.js';
import { renderMailboxList, renderMailboxMail } from '../../views/mailbox.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { sendWorkspaceError } from '../../views/workspace/workspace-error.view.js';
import { WORKSPACE_CSP } from '../../workspace/workspace-hook.js';
import { viewOf } from '../../workspace/view-context-of.js';

const idParams = z.object({ id: z.string().regex(/^[\w.-]{1,64}$/) });

// The mails hold every recipient's personal link and address: whoever may read customers.
const permission = 'customers:read' as const;

/**
 * The embedded mail catcher's pages in the workspace (/app/mailbox). Only registered when
 * the catcher is in use (the demo and development default): nothing else is a mailbox.
 */
export function mailboxRoutes(catcher: MailCatcher): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/mailbox',
      {
        config: { permission },
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
        return sendWorkspacePage(reply, request, {
          ...renderMailboxList(
            viewOf(request),
            page,
            request.query.q,
            request.query.before !== undefined,
          ),
          section: 'mailbox',
        });
      },
    );

    app.get(
      '/mailbox/:id',
      { config: { permission }, schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const mail = await catcher.readMail(request.params.id);
        if (!mail) return sendWorkspaceError(reply, request, 404, 404);
        // Only this page may frame, and only our own URL: the mail's HTML below.
        reply.header(
          'content-security-policy',
          WORKSPACE_CSP.replace("default-src 'none'", "default-src 'none'; frame-src 'self'"),
        );
        return sendWorkspacePage(reply, request, {
          ...renderMailboxMail(viewOf(request), mail),
          section: 'mailbox',
        });
      },
    );

    app.get(
      '/mailbox/:id/html',
      { config: { permission }, schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const mail = await catcher.readMail(request.params.id);
        if (!mail?.html) return reply.status(404).type('text/plain').send('not found');
        // The sender's HTML, unsanitised: a sandbox without scripts or same-origin rights,
        // nothing loaded from elsewhere, links open outside the frame; framable by us only.
        const body = mail.html.replace(/<head(\s[^>]*)?>/i, (m) => `${m}<base target="_blank">`);
        return reply
          .header(
            'content-security-policy',
            "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
          )
          .header('x-frame-options', 'SAMEORIGIN')
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(body);
      },
    );

    app.get(
      '/mailbox/:id/raw',
      { config: { permission }, schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const raw = await catcher.raw(request.params.id);
        if (!raw) return reply.status(404).type('text/plain').send('not found');
        return reply
          .type('message/rfc822')
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="${request.params.id}.eml"`)
          .send(raw);
      },
    );
  };
}

/** The mailbox's old address (/mailbox, printed by earlier demos) leads to the workspace. */
export function mailboxRedirectRoutes(): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/mailbox', { schema: { hide: true } }, async (_request, reply) =>
      reply.redirect('/app/mailbox', 301),
    );
  };
}
