import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportEvidenceBundle } from '../../../services/evidence-bundle.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const refParams = z.object({ reference: z.string().min(1).max(64) });

/**
 * "Download evidence bundle" on the case overview: the same zip as `candor export case`,
 * for roles that may read the audit log (the service checks cases:read too). The bundle is
 * written to a temporary file first, so a failure is an error page, not a cut-off download;
 * the file is removed once sent.
 */
export function caseEvidenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:reference/evidence-bundle.zip',
      { config: { permission: 'audit:read' }, schema: { hide: true, params: refParams } },
      async (request, reply) => {
        const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'candor-evidence-'));
        const file = path.join(dir, 'bundle.zip');
        const cleanup = () => void fs.promises.rm(dir, { recursive: true, force: true });
        try {
          const result = await exportEvidenceBundle(
            actorOf(request),
            request.params.reference,
            file,
            { database: ctx.database, timeZone: ctx.config.workspace.defaultTimeZone },
          );
          const stream = fs.createReadStream(file);
          stream.on('close', cleanup);
          const name = `${result.caseReference}-evidence.zip`.replace(/[^\w.-]/g, '_');
          return reply
            .header('Content-Type', 'application/zip')
            .header('Content-Disposition', `attachment; filename="${name}"`)
            .header('Cache-Control', 'no-store')
            .header('X-Candor-Manifest-SHA256', result.manifestSha256)
            .send(stream);
        } catch (error) {
          cleanup();
          throw error;
        }
      },
    );
  };
}
