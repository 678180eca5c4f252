import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../wiring.js';
import { verifyAuditChain } from '../../../services/access/audit.service.js';
import { browseAudit } from '../../../services/access/audit-view.service.js';
import type { AuditFilter } from '../../../store/audit-view.repository.js';
import { actorOf } from '../../auth.js';
import { renderAudit } from '../../views/workspace/audit.view.js';
import { sendWorkspacePage } from '../../views/workspace/workspace-layout.view.js';
import { viewOf } from '../../workspace/view-context-of.js';

const PAGE_SIZE = 50;
const optional = (max: number) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.string().max(max).optional());

const filterSchema = z.object({
  actor: optional(200),
  action: optional(100),
  objectType: optional(100),
  objectId: optional(200),
  before: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).optional(),
  ),
});

/** The audit log viewer and its chain verification. */
export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit',
      { config: { permission: 'audit:read' }, schema: { hide: true, querystring: filterSchema } },
      async (request, reply) => {
        const q = request.query;
        const filter: AuditFilter = {
          actor: q.actor,
          action: q.action,
          objectType: q.objectType,
          objectId: q.objectId,
          beforeSeq: q.before,
          limit: PAGE_SIZE,
        };
        const page = await browseAudit(actorOf(request), ctx.database, filter);
        return sendWorkspacePage(reply, request, {
          ...renderAudit(viewOf(request), page, filter, null),
          section: 'audit',
        });
      },
    );

    app.post(
      '/audit/verify',
      { config: { permission: 'audit:verify' }, schema: { hide: true } },
      async (request, reply) => {
        const actor = actorOf(request);
        const verification = await verifyAuditChain(actor, ctx.database);
        const filter: AuditFilter = { limit: PAGE_SIZE };
        const page = await browseAudit(actor, ctx.database, filter);
        return sendWorkspacePage(reply, request, {
          ...renderAudit(viewOf(request), page, filter, verification),
          section: 'audit',
        });
      },
    );
  };
}
