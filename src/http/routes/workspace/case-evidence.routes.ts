import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportEvidenceBundle } from '../../../services/reports/evidence-bundle.service.js';
import type { AppContext } from '../../../wiring.js';
import { actorOf } from '../../auth.js';

const refParams = z.object({ reference: z.string().min(1).max(64) });

/**
 * Sends the evidence bundle of a case, the same zip as `candor export case`. It is written to
 * a temporary file first, so a failure is an error answer, not a cut-off download; the file
 * is removed once sent. The manifest's SHA-256 travels in a header, to keep apart from it.
 */
async function sendEvidenceBundle(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  reference: string,
): Promise<FastifyReply> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'candor-evidence-'));
  const file = path.join(dir, 'bundle.zip');
  const cleanup = () => void fs.promises.rm(dir, { recursive: true, force: true });
  try {
    const result = await exportEvidenceBundle(actorOf(request), reference, file, {
      database: ctx.database,
      timeZone: ctx.config.workspace.defaultTimeZone,
    });
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
}

/** "Download evidence bundle" on the case overview, for roles that may read the audit log. */
export function caseEvidenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:reference/evidence-bundle.zip',
      { config: { permission: 'audit:read' }, schema: { hide: true, params: refParams } },
      (request, reply) => sendEvidenceBundle(ctx, request, reply, request.params.reference),
    );
  };
}

/** The same bundle through the API. */
export function caseEvidenceApiRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cases/:reference/evidence-bundle',
      {
        config: { permission: 'audit:read' },
        schema: {
          summary: 'The evidence bundle of a case (zip; docs/audit.md, "Evidence bundle")',
          description:
            'Everything on record about the case, its audit slice with an anchor, and manifest.json with the SHA-256 of every file. The manifest hash is in the X-Candor-Manifest-SHA256 header; check the zip with `candor verify-bundle FILE --manifest-sha256 HASH`.',
          tags: ['cases'],
          params: refParams,
        },
      },
      (request, reply) => sendEvidenceBundle(ctx, request, reply, request.params.reference),
    );
  };
}
