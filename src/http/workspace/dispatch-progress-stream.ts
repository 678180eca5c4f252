import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DispatchProgressHub } from '../../services/dispatch/dispatch-progress-hub.js';
import type { DispatchProgress } from '../../services/dispatch/dispatch.service.js';
import { progressTexts } from '../views/workspace/case-dispatch-charts.view.js';
import type { WorkspaceSession } from './workspace-session.js';

let openStreams = 0;

/** Progress streams open in this process now (for tests and diagnostics). */
export function openProgressStreams(): number {
  return openStreams;
}

/** What one server-sent event carries: raw numbers for the bar, texts for the page. */
export function progressEvent(session: WorkspaceSession, p: DispatchProgress) {
  return {
    id: p.id,
    state: p.state,
    total: p.total,
    done: p.done,
    counts: p.counts,
    rate: p.rate,
    etaSeconds: p.etaSeconds,
    text: progressTexts(session, p),
  };
}

/**
 * Answers the request with a server-sent event stream of one dispatch's progress, fed by the
 * hub's one shared poll: `progress` events, then `end` when the dispatch is done (or
 * `failure` when reading it failed; the reason goes to the log only). The caller has checked
 * that the dispatch exists and may be read; the headers Fastify's hooks set (security
 * headers, cookies) are kept.
 */
export function streamDispatchProgress(
  request: FastifyRequest,
  reply: FastifyReply,
  hub: DispatchProgressHub,
  dispatchId: number,
  session: WorkspaceSession,
): void {
  reply.hijack();
  const res = reply.raw;
  const inherited = Object.entries(reply.getHeaders()).filter(
    (entry): entry is [string, string | number | string[]] => entry[1] !== undefined,
  );
  res.writeHead(200, {
    ...Object.fromEntries(inherited),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    // Proxies (nginx) must pass each event on at once instead of buffering.
    'x-accel-buffering': 'no',
  });
  res.write('retry: 3000\n\n');
  openStreams += 1;
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  const send = (event: string, data: unknown) => {
    if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  // A comment now and then keeps idle proxies and browsers from dropping a paused stream.
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': keep-alive\n\n');
  }, 15_000);
  const finish = () => {
    if (closed) return;
    closed = true;
    openStreams -= 1;
    clearInterval(heartbeat);
    unsubscribe?.();
    res.end();
  };
  res.on('close', finish);
  unsubscribe = hub.subscribe(dispatchId, (event) => {
    if (event.kind === 'progress') {
      send('progress', progressEvent(session, event.progress));
    } else if (event.kind === 'finished') {
      send('end', progressEvent(session, event.progress));
      finish();
    } else {
      request.log.warn({ dispatchId, reason: event.message }, 'progress stream ended');
      send('failure', {});
      finish();
    }
  });
  if (closed) unsubscribe();
}
