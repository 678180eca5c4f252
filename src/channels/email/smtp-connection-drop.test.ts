import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpFault, type SmtpPeer } from '../../../test/support/smtp-peer.js';
import { buildRawMessage } from './mime.js';
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
      messageId: `<candor.2.${n}@hosting.example>`,
      date: new Date('2026-11-27T10:00:00Z'),
    }),
  };
}

/**
 * A dropped connection on a reused session: only a failure known to precede the message body
 * may be sent again at once; after the body went out the relay may have taken it, so the
 * attempt ends as a temporary failure and the worker defers it with backoff.
 */
describe('a connection dropped on a reused session', () => {
  let peer: SmtpPeer;
  beforeAll(async () => {
    peer = await startSmtpPeer({
      faults: ({ stage, rcpt, attempt }): SmtpFault | undefined => {
        if (attempt !== 1) return undefined;
        if (stage === 'data' && rcpt.startsWith('twice@')) return 'accept-then-drop';
        if (stage === 'data' && rcpt.startsWith('lost@')) return 'drop';
        if (stage === 'rcpt' && rcpt.startsWith('early@')) return 'drop';
        return undefined;
      },
    });
  });
  afterAll(() => peer.close());

  async function afterWarmUp(to: string, n: number) {
    // One connection, used once first: the faulty send then runs on a reused session.
    const transport = createEmailTransport({ url: peer.url, maxConnections: 1 });
    try {
      expect((await transport.send(message(`warm${n}@klant.example`, n))).kind).toBe('accepted');
      return await transport.send(message(to, n + 1));
    } finally {
      transport.close();
    }
  }

  it('does not re-send a message the relay took before the connection died', async () => {
    const outcome = await afterWarmUp('twice@klant.example', 10);
    expect(outcome).toMatchObject({ kind: 'transient' });
    expect(peer.received.get('twice@klant.example')).toBe(1);
    expect(peer.attempts('twice@klant.example')).toBe(1);
  });

  it('does not re-send at once when the connection died after the body was sent', async () => {
    const outcome = await afterWarmUp('lost@klant.example', 20);
    expect(outcome).toMatchObject({ kind: 'transient' });
    expect(peer.attempts('lost@klant.example')).toBe(1);
    expect(peer.received.has('lost@klant.example')).toBe(false);
  });

  it('sends again at once when the connection died before the body', async () => {
    const outcome = await afterWarmUp('early@klant.example', 30);
    expect(outcome).toMatchObject({ kind: 'accepted' });
    expect(peer.attempts('early@klant.example')).toBe(2);
    expect(peer.received.get('early@klant.example')).toBe(1);
  });
});
