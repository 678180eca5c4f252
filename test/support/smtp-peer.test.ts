import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSmtpPeer, startSmtpPeer, type SmtpPeer, type SmtpPeerOptions } from './smtp-peer.js';

const FROM = 'noreply@candor.example';

function rawMessage(to: string[], messageId: string): string {
  return [
    `From: Candor <${FROM}>`,
    `To: ${to.join(', ')}`,
    'Subject: Security notice',
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Please reset your password.',
    '.leading dot survives dot-stuffing',
    '',
  ].join('\r\n');
}

let peer: SmtpPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function start(options?: SmtpPeerOptions): Promise<SmtpPeer> {
  peer = await startSmtpPeer(options);
  return peer;
}

/** Sends over a fresh connection, so a dropped socket affects one message only. */
async function send(url: string, to: string[], messageId: string) {
  const transport = nodemailer.createTransport(url);
  try {
    return await transport.sendMail({
      envelope: { from: FROM, to },
      raw: rawMessage(to, messageId),
    });
  } finally {
    transport.close();
  }
}

describe('startSmtpPeer', () => {
  it('counts each accepted message once per recipient and per Message-ID', async () => {
    const p = await start();
    expect(p.url).toBe(`smtp://127.0.0.1:${p.port}`);
    await send(p.url, ['a@example.com'], '<1@candor>');
    await send(p.url, ['A@Example.com', 'b@example.com'], '<2@candor>');
    await p.waitFor(3, 2000);
    expect(p.total()).toBe(3);
    expect(Object.fromEntries(p.received)).toEqual({ 'a@example.com': 2, 'b@example.com': 1 });
    expect(Object.fromEntries(p.messageIds)).toEqual({ '<1@candor>': 1, '<2@candor>': 1 });
    expect(p.messages).toEqual([]);
    expect(p.stats()).toMatchObject({ messages: 2, deliveries: 3, recipients: 2, duplicates: 1 });
    p.reset();
    expect(p.total()).toBe(0);
    expect(p.attempts('a@example.com')).toBe(0);
  });

  it('keeps raw messages only when asked', async () => {
    const p = await start({ keepMessages: true });
    await send(p.url, ['a@example.com'], '<keep@candor>');
    expect(p.messages).toHaveLength(1);
    expect(p.messages[0]).toMatchObject({
      from: FROM,
      rcpt: ['a@example.com'],
      messageId: '<keep@candor>',
    });
    expect(p.messages[0]?.raw.toString()).toContain('\r\n.leading dot survives');
  });

  it('rejects single recipients at RCPT TO and lets the rest through', async () => {
    const p = await start({
      faults: ({ stage, rcpt }) =>
        stage === 'rcpt' && rcpt === 'gone@example.com'
          ? { code: 550, message: '5.1.1 User unknown' }
          : undefined,
    });
    const info = await send(p.url, ['gone@example.com', 'ok@example.com'], '<r@candor>');
    expect(info.rejected).toEqual(['gone@example.com']);
    expect(info.accepted).toEqual(['ok@example.com']);
    expect(Object.fromEntries(p.received)).toEqual({ 'ok@example.com': 1 });
    expect(p.stats().rcptRejected).toBe(1);
  });

  it('defers the first attempt with 4xx and accepts the retry', async () => {
    const p = await start({
      faults: ({ stage, attempt }) =>
        stage === 'rcpt' && attempt === 1
          ? { code: 451, message: '4.7.1 Try again later' }
          : 'accept',
    });
    await expect(send(p.url, ['x@example.com'], '<d@candor>')).rejects.toMatchObject({
      responseCode: 451,
    });
    await send(p.url, ['x@example.com'], '<d@candor>');
    expect(p.attempts('X@example.com')).toBe(2);
    expect(p.received.get('x@example.com')).toBe(1);
  });

  it('rejects a whole message at the end of DATA and counts nothing', async () => {
    const seen: unknown[] = [];
    const p = await start({
      faults: (ctx) => {
        if (ctx.stage === 'data') seen.push(ctx);
        return ctx.stage === 'data' ? { code: 554, message: '5.7.1 Spam' } : 'accept';
      },
    });
    await expect(
      send(p.url, ['a@example.com', 'b@example.com'], '<s@candor>'),
    ).rejects.toMatchObject({
      responseCode: 554,
    });
    expect(p.total()).toBe(0);
    expect(p.stats().dataRejected).toBe(1);
    expect(seen).toEqual([
      { stage: 'data', rcpt: 'a@example.com', attempt: 1, from: FROM, messageId: '<s@candor>' },
      { stage: 'data', rcpt: 'b@example.com', attempt: 1, from: FROM, messageId: '<s@candor>' },
    ]);
  });

  it('drops the connection without a reply, before or after counting', async () => {
    const p = await start({
      faults: ({ stage, rcpt }) => {
        if (rcpt === 'drop-rcpt@example.com' && stage === 'rcpt') return 'drop';
        if (rcpt === 'drop-data@example.com' && stage === 'data') return 'drop';
        if (rcpt === 'dup@example.com' && stage === 'data') return 'accept-then-drop';
        return 'accept';
      },
    });
    for (const rcpt of ['drop-rcpt@example.com', 'drop-data@example.com', 'dup@example.com']) {
      await expect(send(p.url, [rcpt], `<${rcpt}>`)).rejects.toThrow();
    }
    // Only the accept-then-drop message arrived: the sender cannot tell it from a loss.
    expect(Object.fromEntries(p.received)).toEqual({ 'dup@example.com': 1 });
    expect(p.stats().dropped).toBe(3);
    await send(p.url, ['after@example.com'], '<after@candor>');
    expect(p.total()).toBe(2);
  });

  it('simulates a slow peer', async () => {
    const p = await start({
      faults: ({ stage }) => (stage === 'data' ? { delayMs: 300 } : undefined),
    });
    const started = Date.now();
    await send(p.url, ['slow@example.com'], '<slow@candor>');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(p.total()).toBe(1);
  });

  it('waitFor names how far it got when it times out', async () => {
    const p = await start();
    await expect(p.waitFor(1, 50)).rejects.toThrow('SMTP peer got 0 of 1 deliveries in 50 ms');
  });
});

describe('spawnSmtpPeer', () => {
  it('runs the peer in its own process and reports counts over JSON lines', async () => {
    const child = await spawnSmtpPeer();
    try {
      expect(child.pid).not.toBe(process.pid);
      await send(child.url, ['a@example.com', 'b@example.com'], '<p1@candor>');
      await send(child.url, ['a@example.com'], '<p2@candor>');
      expect(await child.stats()).toMatchObject({ messages: 2, deliveries: 3, duplicates: 1 });
      expect(await child.counts()).toEqual({ 'a@example.com': 2, 'b@example.com': 1 });
      await child.reset();
      expect((await child.stats()).deliveries).toBe(0);
    } finally {
      await child.close();
    }
    await expect(child.stats()).rejects.toThrow('exited');
  });
});
