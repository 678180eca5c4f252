import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailCatcher } from './mail-catcher.js';

let dataDir: string;
const catchers: MailCatcher[] = [];

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'candor-catcher-'));
});
afterEach(async () => {
  await Promise.all(catchers.splice(0).map((c) => c.stop()));
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function startCatcher(
  options: { port?: number; maxMessages?: number; maxMessageBytes?: number } = {},
) {
  const catcher = new MailCatcher({ dataDir, port: 0, ...options });
  catchers.push(catcher);
  return { catcher, address: await catcher.start() };
}

async function sendMails(url: string, mails: SendMailOptions[]): Promise<void> {
  const transport = nodemailer.createTransport(url);
  try {
    for (const mail of mails) await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

const notice = (n: number, to = `klant${n}@example.nl`): SendMailOptions => ({
  from: 'Beveiliging <security@provider.example>',
  to,
  subject: `Notice ${n}`,
  text: `Message ${n}`,
});

describe('MailCatcher', () => {
  it('stores a message and shows it as the recipient sees it', async () => {
    const { catcher, address } = await startCatcher();
    expect(address.url).toBe(`smtp://127.0.0.1:${address.port}`);
    await sendMails(address.url, [
      {
        from: '"Hostingbedrijf Beveiliging" <security@provider.example>',
        to: '"Jan de Vries" <jan@example.nl>',
        cc: 'dpo@provider.example',
        subject: 'Beveiligingsmelding: wijzig uw wachtwoord — één actie nodig',
        text: 'Beste Jan,\n\nWijzig uw wachtwoord.',
        html: '<p>Beste Jan,</p><p>Wijzig uw <b>wachtwoord</b>.</p>',
        attachments: [{ filename: 'advisory.txt', content: 'CVE-2026-0001' }],
        messageId: '<candor.1.42@provider.example>',
      },
    ]);

    const page = await catcher.listMails();
    expect(page.total).toBe(1);
    expect(page.next).toBeNull();
    const [summary] = page.mails;
    expect(summary).toMatchObject({
      from: 'Hostingbedrijf Beveiliging <security@provider.example>',
      to: ['jan@example.nl', 'dpo@provider.example'],
      subject: 'Beveiligingsmelding: wijzig uw wachtwoord — één actie nodig',
      messageId: '<candor.1.42@provider.example>',
      file: `${summary?.id}.eml`,
    });

    const mail = await catcher.readMail(summary?.id ?? '');
    expect(mail).toMatchObject({
      subject: 'Beveiligingsmelding: wijzig uw wachtwoord — één actie nodig',
      from: '"Hostingbedrijf Beveiliging" <security@provider.example>',
      to: '"Jan de Vries" <jan@example.nl>',
      cc: 'dpo@provider.example',
      messageId: '<candor.1.42@provider.example>',
      recipients: ['jan@example.nl', 'dpo@provider.example'],
      attachments: [{ filename: 'advisory.txt', contentType: 'text/plain', size: 13 }],
    });
    expect(mail?.text).toContain('Wijzig uw wachtwoord.');
    expect(mail?.html).toContain('<b>wachtwoord</b>');
    expect(mail?.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(mail?.headers.find((h) => h.name === 'Message-ID')?.value).toBe(
      '<candor.1.42@provider.example>',
    );

    const raw = await catcher.raw(summary?.id ?? '');
    const onDisk = await fs.readFile(path.join(dataDir, 'mailbox', summary?.file ?? ''));
    expect(raw?.equals(onDisk)).toBe(true);
    expect(raw?.length).toBe(summary?.size);
  });

  it('pages newest first and searches subject, addresses and Message-ID', async () => {
    const { catcher, address } = await startCatcher();
    await sendMails(
      address.url,
      [1, 2, 3, 4, 5].map((n) => notice(n)),
    );
    const first = await catcher.listMails({ limit: 2 });
    expect(first.mails.map((m) => m.subject)).toEqual(['Notice 5', 'Notice 4']);
    const second = await catcher.listMails({ limit: 2, before: first.next ?? '' });
    expect(second.mails.map((m) => m.subject)).toEqual(['Notice 3', 'Notice 2']);
    const last = await catcher.listMails({ limit: 2, before: second.next ?? '' });
    expect(last.mails.map((m) => m.subject)).toEqual(['Notice 1']);
    expect(last.next).toBeNull();
    expect((await catcher.listMails({ q: 'KLANT3@' })).mails.map((m) => m.subject)).toEqual([
      'Notice 3',
    ]);
    expect((await catcher.listMails({ q: 'notice 4' })).mails).toHaveLength(1);
    expect((await catcher.listMails({ q: 'nobody' })).mails).toEqual([]);
  });

  it('keeps only the newest maxMessages, on disk and across restarts', async () => {
    const { catcher, address } = await startCatcher({ maxMessages: 3 });
    await sendMails(
      address.url,
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => notice(n)),
    );
    const page = await catcher.listMails();
    expect(page.mails.map((m) => m.subject)).toEqual(['Notice 8', 'Notice 7', 'Notice 6']);
    await catcher.stop();
    const dir = path.join(dataDir, 'mailbox');
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.eml'));
    expect(files.sort()).toEqual(page.mails.map((m) => m.file).sort());
    // The index was compacted once it passed twice the cap.
    const lines = (await fs.readFile(path.join(dir, 'index.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(6);

    const again = await startCatcher({ maxMessages: 3 });
    expect((await again.catcher.listMails()).mails.map((m) => m.subject)).toEqual([
      'Notice 8',
      'Notice 7',
      'Notice 6',
    ]);
    await sendMails(again.address.url, [notice(9)]);
    const ids = (await again.catcher.listMails()).mails.map((m) => m.id);
    // Ids keep counting across restarts, so links to older mails never point at newer ones.
    expect(ids).toEqual(['0000000009', '0000000008', '0000000007']);
  });

  it('stores parallel deliveries from a pool without losing or duplicating index lines', async () => {
    const { catcher, address } = await startCatcher({ maxMessages: 50 });
    const transport = nodemailer.createTransport({
      url: address.url,
      pool: true,
      maxConnections: 6,
    });
    try {
      await Promise.all(Array.from({ length: 200 }, (_, n) => transport.sendMail(notice(n))));
    } finally {
      transport.close();
    }
    const page = await catcher.listMails({ limit: 1000 });
    expect(page.total).toBe(50);
    expect(new Set(page.mails.map((m) => m.id)).size).toBe(50);
    expect(page.mails[0]?.id).toBe('0000000200');
    await catcher.stop();
    const dir = path.join(dataDir, 'mailbox');
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.eml'))).toHaveLength(50);
  });

  it('recovers from a torn index line and removes files the index lost', async () => {
    const { catcher, address } = await startCatcher();
    await sendMails(address.url, [notice(1), notice(2)]);
    await catcher.stop();
    const dir = path.join(dataDir, 'mailbox');
    await fs.writeFile(path.join(dir, '0000000099.eml'), 'Subject: orphan\r\n\r\nx');
    await fs.appendFile(path.join(dir, 'index.jsonl'), '{"id":"00000000');

    const again = await startCatcher();
    const page = await again.catcher.listMails();
    expect(page.mails.map((m) => m.subject)).toEqual(['Notice 2', 'Notice 1']);
    expect(await fs.readdir(dir)).not.toContain('0000000099.eml');
  });

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    const { catcher, address } = await startCatcher({ maxMessageBytes: 2048 });
    await expect(
      sendMails(address.url, [{ ...notice(1), text: 'x'.repeat(10_000) }]),
    ).rejects.toMatchObject({ responseCode: 552 });
    await sendMails(address.url, [notice(2)]);
    expect((await catcher.listMails()).mails.map((m) => m.subject)).toEqual(['Notice 2']);
  });

  it('returns null for unknown, pruned or malformed ids', async () => {
    const { catcher } = await startCatcher();
    expect(await catcher.readMail('0000000001')).toBeNull();
    expect(await catcher.raw('../../etc/passwd')).toBeNull();
    expect(await catcher.readMail('../index.jsonl')).toBeNull();
  });

  it('falls back to a free port when the configured one is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const { catcher, address } = await startCatcher({ port: taken });
      expect(address.fellBack).toBe(true);
      expect(address.port).not.toBe(taken);
      await sendMails(address.url, [notice(1)]);
      expect((await catcher.listMails()).total).toBe(1);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('listens on loopback only', async () => {
    const { address } = await startCatcher();
    expect(address.host).toBe('127.0.0.1');
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!external) return; // a machine without a non-loopback interface proves nothing here
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect(address.port, external);
      socket.once('connect', () => (socket.destroy(), resolve('connected')));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});
