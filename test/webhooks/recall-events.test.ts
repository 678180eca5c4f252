import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { verifyWebhook } from '../../src/domain/webhook-signature.js';
import { reportBounce } from '../../src/services/dispatch/bounce.service.js';
import {
  acknowledgeNotice,
  findPageVisitor,
} from '../../src/services/recipients/personal-page.service.js';
import { runPublicationOutboxRound } from '../../src/services/publication/publication-outbox.service.js';
import { fanOutRecallEvents } from '../../src/services/cases/recall-events.service.js';
import { registerWebhook } from '../../src/services/publication/webhook.service.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { createRecallCase, type RecallCase } from '../personal-page/recall-case.js';
import { bounceCustomers, deliveryTo, markSent } from '../bounces/bounce-context.js';

/** A receiver that keeps every request body and answers 200. */
async function startReceiver() {
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(DIALECTS)('recall events as webhooks on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let recall: RecallCase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  const admin = systemActor('test');

  beforeAll(async () => {
    receiver = await startReceiver();
    ctx = await createTestContext(dialect);
    recall = await createRecallCase(ctx, bounceCustomers('RE', 3));
    const deps = { ...ctx.deps, allowHosts: ['127.0.0.1'] };
    ({ secret } = await registerWebhook(
      admin,
      {
        url: `http://127.0.0.1:${receiver.port}/hook`,
        events: ['delivery.bounced', 'notice.acknowledged'],
      },
      deps,
    ));
    // A second webhook that only wants publication events must get none of these.
    await registerWebhook(
      admin,
      { url: `http://127.0.0.1:${receiver.port}/other`, events: ['published'] },
      deps,
    );
  });
  afterAll(async () => {
    await receiver?.close();
    await ctx?.close();
  });

  const round = () =>
    runPublicationOutboxRound(
      {
        ...ctx.deps,
        publicUrl: 'https://candor.example',
        messageIdDomain: 'candor.example',
        allowHosts: ['127.0.0.1'],
        transport: null,
        webhookBaseDelayMs: 1,
      },
      'test-worker',
    );

  it('sends a signed delivery.bounced and notice.acknowledged naming the customer and case', async () => {
    const d = await deliveryTo(ctx, recall.dispatchId, 're-1@customer.example');
    await markSent(ctx, d.id);
    await reportBounce(admin, { messageId: d.message_id, status: '5.1.1' }, ctx.deps);
    const r2 = recall.recipients.get('RE-2')!;
    const visitor = (await findPageVisitor(r2.token, '192.0.2.9', ctx.deps))!;
    expect(await acknowledgeNotice(visitor, ctx.deps)).toBe(true);
    // A second click records nothing new, so no second event.
    expect(await acknowledgeNotice(visitor, ctx.deps)).toBe(false);

    await round();
    const bodies = receiver.requests.map((r) => {
      expect(verifyWebhook(secret, r.body, String(r.headers['candor-signature']))).toBe(true);
      return JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
    });
    expect(bodies.map((b) => b.type).sort()).toEqual(['delivery.bounced', 'notice.acknowledged']);
    expect(bodies.find((b) => b.type === 'delivery.bounced')!.data).toMatchObject({
      case: recall.reference,
      externalId: 'RE-1',
      deliveryId: d.id,
      dispatchId: recall.dispatchId,
      status: '5.1.1',
    });
    expect(bodies.find((b) => b.type === 'notice.acknowledged')!.data).toMatchObject({
      case: recall.reference,
      externalId: 'RE-2',
    });

    // Fanned out once: another round sends nothing more.
    await round();
    expect(receiver.requests).toHaveLength(2);
    expect(await fanOutRecallEvents(ctx.database)).toBe(0);
  });
});
