import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from '../../../test/support/smtp-peer.js';
import { buildRawMessage } from './mime.js';
import { classifyError } from './email-transport.js';
import { createEmailTransport } from './smtp-connection-pool.js';

function message(to: string, n: number) {
  return {
    from: 'security@hosting.example',
    to,
    raw: buildRawMessage({
      from: { name: 'Hosting Security', address: 'security@hosting.example' },
      to: { name: 'Klant', address: to },
      subject: `Notice ${n}`,
      html: '<p>Hallo</p>',
      text: 'Hallo',
      messageId: `<candor.1.${n}@hosting.example>`,
      date: new Date('2026-11-27T10:00:00Z'),
    }),
  };
}

describe('email transport', () => {
  let peer: SmtpPeer;
  beforeAll(async () => {
    peer = await startSmtpPeer({
      keepMessages: true,
      faults: ({ rcpt, stage }) =>
        stage === 'rcpt' && rcpt.startsWith('full@')
          ? { code: 452, message: 'mailbox full' }
          : stage === 'rcpt' && rcpt.startsWith('nobody@')
            ? { code: 550, message: 'no such user' }
            : undefined,
    });
  });
  afterAll(() => peer.close());

  it('DKIM-signs raw messages when a key is configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const transport = createEmailTransport({
      url: peer.url,
      dkim: {
        domainName: 'hosting.example',
        keySelector: 'candor2026',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    const outcome = await transport.send(message('dkim@klant.example', 1));
    transport.close();
    expect(outcome.kind).toBe('accepted');
    const raw = peer.messages.find((m) => m.rcpt.includes('dkim@klant.example'))!.raw.toString();
    expect(raw).toMatch(/^DKIM-Signature: .*d=hosting\.example/m);
    expect(raw).toMatch(/s=candor2026/);
  });

  it('keeps SMTP reply codes and treats connection failures as temporary', async () => {
    const transport = createEmailTransport({ url: peer.url });
    expect(await transport.send(message('full@klant.example', 2))).toMatchObject({
      kind: 'rejected',
      code: 452,
    });
    expect(await transport.send(message('nobody@klant.example', 3))).toMatchObject({
      kind: 'rejected',
      code: 550,
    });
    transport.close();
    const refused = createEmailTransport({ url: 'smtp://127.0.0.1:1', timeoutMs: 2000 });
    expect((await refused.send(message('x@klant.example', 4))).kind).toBe('transient');
    refused.close();
    expect(classifyError({ code: 'ETIMEDOUT', message: 'timeout' })).toEqual({
      kind: 'transient',
      reason: 'ETIMEDOUT: timeout',
    });
  });

  it('keeps to the configured rate', async () => {
    const transport = createEmailTransport({ url: peer.url, rateLimit: 20, maxConnections: 2 });
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        transport.send(message(`rate${i}@klant.example`, 100 + i)),
      ),
    );
    transport.close();
    // 30 messages at 20/s: at least one full second of waiting.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
