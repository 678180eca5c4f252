import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { exportOpenRecipients, type OpenFilter } from '../services/remedies/completion.service.js';
import type { AppContext } from '../wiring.js';
import { actorOf } from './auth.js';

/**
 * The open recipients of a case as a streamed CSV download: one answer for the API and the
 * workspace, so the file name and headers cannot drift apart. Never cached: it names people.
 */
export async function sendOpenRecipientsCsv(
  request: FastifyRequest,
  reply: FastifyReply,
  reference: string,
  filter: OpenFilter,
  ctx: AppContext,
): Promise<FastifyReply> {
  const { kase, lines } = await exportOpenRecipients(actorOf(request), reference, filter, ctx.deps);
  return reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="open-${kase.reference}.csv"`)
    .header('Cache-Control', 'no-store')
    .send(Readable.from(lines));
}
