import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProgressStreams } from '../../src/http/workspace/dispatch-progress-stream.js';
import { controlDispatch, startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import { DIALECTS } from '../support/databases.js';
import { createHarness, type WorkspaceHarness } from '../workspace/workspace-support.js';
import { buildScenario, createPeople } from '../dispatch/scenario.js';

/** Opens an event stream over real HTTP and resolves once the first event has arrived. */
function openStream(
  url: string,
  cookie: string,
): Promise<{ request: http.ClientRequest; response: http.IncomingMessage; first: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { headers: { cookie, accept: 'text/event-stream' } },
      (response) => {
        let body = '';
        const onData = (chunk: Buffer) => {
          body += chunk.toString('utf8');
          if (body.includes('\n\nevent: ') || body.startsWith('event: ')) {
            response.off('data', onData);
            resolve({ request, response, first: body });
          }
        };
        response.on('data', onData);
      },
    );
    request.on('error', reject);
  });
}

const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/**
 * The progress stream over a real socket: a paused dispatch keeps it open; a client that
 * goes away ends its stream on the server; closing the server ends the streams still open.
 */
describe.each(DIALECTS)('progress stream over HTTP on %s', (dialect) => {
  let h: WorkspaceHarness;
  let base: string;
  let url: string;
  let cookie: string;

  beforeAll(async () => {
    h = await createHarness(dialect);
    const people = await createPeople(h.ctx);
    const s = await buildScenario(h.ctx, people, { customers: 4, until: 'approved' });
    const d = await startDispatch(people.sanne, s.noticeId, h.ctx.deps);
    // Paused: nothing moves, so the stream stays open until someone closes it.
    await controlDispatch(people.sanne, d.id, 'pause', h.ctx.deps);
    const { reference } = await h.ctx.database.db
      .selectFrom('cases')
      .select('reference')
      .where('id', '=', s.caseId)
      .executeTakeFirstOrThrow();
    cookie = await h.login('vera');
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    url = `${base}/app/cases/${reference}/dispatches/${d.id}/events`;
  });
  afterAll(async () => {
    await h.ctx.close();
  });

  it('ends a stream when its client leaves, and all streams when the server closes', async () => {
    const a = await openStream(url, cookie);
    const b = await openStream(url, cookie);
    expect(a.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(a.first).toContain('"state":"paused"');
    expect(b.first).toContain('"state":"paused"');
    expect(openProgressStreams()).toBe(2);

    a.request.destroy();
    await until(() => openProgressStreams() === 1);

    const ended = new Promise<void>((resolve) => b.response.on('end', resolve));
    const started = Date.now();
    await h.app.close();
    await ended;
    // preClose ended the open stream; without it, close would wait for the socket forever.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(openProgressStreams()).toBe(0);
  });
});
