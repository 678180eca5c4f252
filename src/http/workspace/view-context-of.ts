import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ViewContext } from '../views/workspace/view-context.js';
import { clearFlash, readFlash } from './flash-cookie.js';

/**
 * The view context of a workspace request: the one place that turns what the hooks put on
 * the request (session, workspace facts, case progress) and its flash cookie into the plain
 * value every view takes. Tolerates a request the workspace hooks never saw (an error
 * answered before them): no session, the installation's defaults.
 */
export function viewOf(request: FastifyRequest): ViewContext {
  const workspace = request.workspace ?? null;
  return {
    session: viewSession(request),
    workspace: {
      mailbox: workspace?.mailbox === true,
      defaultLocale: workspace?.defaultLocale ?? 'nl',
      pendingCsrfToken: workspace?.pending?.csrfToken ?? null,
    },
    path: request.method === 'GET' ? request.url : null,
    caseProgress: request.caseProgress ?? null,
    flash: readFlash(request),
  };
}

function viewSession(request: FastifyRequest): ViewContext['session'] {
  if (!request.session) return null;
  // The stored session key stays on the http side: no page has a use for it.
  const { id: _id, ...session } = request.session;
  return session;
}

/** Sends a rendered workspace document: no caching (it holds personal data), flash consumed. */
export function sendHtml(
  reply: FastifyReply,
  request: FastifyRequest,
  document: string,
  status = 200,
): FastifyReply {
  clearFlash(reply, request);
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(document);
}
