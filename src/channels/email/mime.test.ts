import { simpleParser, type AddressObject } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  MimeHeaderError,
  buildRawMessage,
  formatDate,
  mailboxProblem,
  type RawMessageInput,
} from './mime.js';
import { encodeWords, writeQuotedPrintable } from './mime-encoding.js';

const base: RawMessageInput = {
  from: { name: 'Voorbeeld Hosting', address: 'security@voorbeeld.nl' },
  to: { name: 'Marieke Jansen', address: 'marieke@example.nl' },
  subject: 'Datalek bij Voorbeeld',
  text: 'Beste Marieke,\n\nDit is een test.\n',
  html: '<p>Beste Marieke,</p>\n<p>Dit is een test.</p>\n',
  messageId: 'd-1.abc@notices.voorbeeld.nl',
  date: new Date('2025-03-04T14:20:05Z'),
};

function first(address: AddressObject | AddressObject[] | undefined) {
  return (Array.isArray(address) ? address[0] : address)?.value[0];
}

function lines(raw: Buffer): string[] {
  return raw.toString('latin1').split('\r\n');
}

describe('buildRawMessage', () => {
  it('builds a multipart/alternative message with text before html', async () => {
    const raw = buildRawMessage({ ...base, headers: { 'X-Candor-Delivery': 'delivery-42' } });
    const source = raw.toString('latin1');
    expect(source).toMatch(/^From: Voorbeeld Hosting <security@voorbeeld\.nl>\r\n/);
    expect(source).toContain('\r\nMIME-Version: 1.0\r\n');
    expect(source).toContain('\r\nDate: Tue, 04 Mar 2025 14:20:05 +0000\r\n');
    expect(source).toContain('\r\nMessage-ID: <d-1.abc@notices.voorbeeld.nl>\r\n');
    expect(source).toContain('\r\nX-Candor-Delivery: delivery-42\r\n');
    expect(source).not.toMatch(/Auto-Submitted/i);
    expect(source.indexOf('text/plain')).toBeLessThan(source.indexOf('text/html'));
    expect(source.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);

    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(base.subject);
    expect(parsed.messageId).toBe('<d-1.abc@notices.voorbeeld.nl>');
    expect(parsed.date?.toISOString()).toBe('2025-03-04T14:20:05.000Z');
    expect(parsed.headers.get('x-candor-delivery')).toBe('delivery-42');
    expect(parsed.text).toBe(base.text);
    expect(parsed.html).toBe(base.html);
  });

  it('encodes non-ASCII subjects and display names as RFC 2047 words', async () => {
    const subject = 'Datalek — café, €12 en 😀: wat nu? '.repeat(3).trim();
    const raw = buildRawMessage({
      ...base,
      subject,
      from: { name: 'Sécurité Voorbeeld, B.V.', address: 'security@voorbeeld.nl' },
      to: { name: 'José "Pepe" Müller 😀', address: 'jose@example.nl' },
      replyTo: { name: 'Helpdesk', address: 'help@voorbeeld.nl' },
    });
    for (const line of lines(raw).slice(0, 20)) expect(line.length).toBeLessThanOrEqual(76);
    const words = raw.toString('latin1').match(/=\?UTF-8\?[QB]\?[^?]*\?=/g) ?? [];
    expect(words.length).toBeGreaterThan(3);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);

    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(subject);
    expect(first(parsed.from)).toEqual({
      name: 'Sécurité Voorbeeld, B.V.',
      address: 'security@voorbeeld.nl',
    });
    expect(first(parsed.to)).toEqual({ name: 'José "Pepe" Müller 😀', address: 'jose@example.nl' });
    expect(first(parsed.replyTo)).toEqual({ name: 'Helpdesk', address: 'help@voorbeeld.nl' });
  });

  it('quotes ASCII display names with specials and folds long ASCII subjects', async () => {
    const subject = `Security advisory: ${'please update your WordPress plugins '.repeat(4).trim()}`;
    const raw = buildRawMessage({
      ...base,
      subject,
      from: { name: 'Voorbeeld, "Hosting" B.V.', address: 'security@voorbeeld.nl' },
    });
    expect(raw.toString('latin1')).toContain('From: "Voorbeeld, \\"Hosting\\" B.V."');
    expect(raw.toString('latin1')).toMatch(/Subject: Security advisory: please[^\r]*\r\n /);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(subject);
    expect(first(parsed.from)?.name).toBe('Voorbeeld, "Hosting" B.V.');
  });

  it('round-trips text and html exactly, with long lines, =, trailing spaces and emoji', async () => {
    const text = [
      'Héllo € — 😀',
      `A long line: ${'abcdefghij'.repeat(30)}`,
      `Many equals: ${'='.repeat(100)}`,
      'Trailing space here ',
      'Trailing tab\t',
      '.a line starting with a dot',
      'From the start of a line',
      '',
      `${'é'.repeat(120)}`,
      'last line without newline',
    ].join('\n');
    const html = `<p style="margin:0;">${'Ünïcödé & <b>bold</b> '.repeat(40)}</p>\n`;
    for (const transferEncoding of ['quoted-printable', 'base64'] as const) {
      const raw = buildRawMessage({ ...base, text, html, transferEncoding });
      for (const line of lines(raw)) expect(line.length).toBeLessThanOrEqual(76);
      const parsed = await simpleParser(raw);
      expect(parsed.text, transferEncoding).toBe(text);
      expect(parsed.html, transferEncoding).toBe(html);
    }
  });

  it('uses a boundary that cannot occur in the encoded content', () => {
    const sneaky = `--=_candor_ =_ ${'=_'.repeat(50)}`;
    const raw = buildRawMessage({ ...base, text: sneaky, html: sneaky }).toString('latin1');
    const boundary = /boundary="([^"]+)"/.exec(raw)?.[1] ?? '';
    expect(boundary.startsWith('=_')).toBe(true);
    const body = raw.slice(raw.indexOf('\r\n\r\n'));
    const delimiters = body.split('\r\n').filter((l) => l.includes(boundary));
    expect(delimiters).toEqual([`--${boundary}`, `--${boundary}`, `--${boundary}--`]);
  });

  it.each([
    ['subject', { subject: 'Hello\r\nBcc: everyone@example.com' }],
    ['subject LF', { subject: 'Hello\nX-Evil: 1' }],
    ['display name', { to: { name: 'Eve\r\nBcc: x@example.com', address: 'eve@example.com' } }],
    ['address', { to: 'eve@example.com\r\nBcc: x@example.com' }],
    ['address with two mailboxes', { to: 'a@example.com, b@example.com' }],
    ['message id', { messageId: 'x@y\r\nBcc: z@example.com' }],
    ['extra header value', { headers: { 'X-Candor-Delivery': '1\r\nBcc: z@example.com' } }],
    ['extra header name', { headers: { 'X-Evil\r\nBcc': 'z' } }],
    ['structural header override', { headers: { Bcc: 'z@example.com' } }],
    ['content-type override', { headers: { 'content-type': 'text/plain' } }],
  ])('rejects header injection through the %s', (_label, patch) => {
    expect(() => buildRawMessage({ ...base, ...patch })).toThrow(MimeHeaderError);
  });

  it('accepts IDN domains as punycode', async () => {
    const raw = buildRawMessage({ ...base, to: { name: 'Jürgen', address: 'jurgen@bücher.de' } });
    expect(raw.toString('latin1')).toContain('<jurgen@xn--bcher-kva.de>');
    expect(first((await simpleParser(raw)).to)?.address).toBe('jurgen@bücher.de');
  });
});

describe('mailboxProblem', () => {
  it('says what buildRawMessage would throw for a mailbox, without building', () => {
    expect(mailboxProblem('To', { name: 'Émile de Vries', address: 'emile@klant.example' })).toBe(
      null,
    );
    expect(
      mailboxProblem('To', { name: 'Jan\r\nBcc: x@evil.example', address: 'j@k.example' }),
    ).toBe('To: line breaks are not allowed in a header value');
    expect(mailboxProblem('To', { address: 'not an address' })).toMatch(/^To: not a valid address/);
  });
});

describe('MIME encoders', () => {
  it('formats RFC 5322 dates in UTC', () => {
    expect(formatDate(new Date('2025-12-31T23:59:59+01:00'))).toBe(
      'Wed, 31 Dec 2025 22:59:59 +0000',
    );
  });

  it('writes quoted-printable lines of at most 76 characters without splitting escapes', () => {
    const src = Buffer.from(`${'a'.repeat(74)}é${'b'.repeat(200)} \n${'=x'.repeat(60)}`, 'utf8');
    const out = Buffer.alloc(src.length * 4);
    const encoded = out.toString('latin1', 0, writeQuotedPrintable(src, out, 0));
    for (const line of encoded.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).toMatch(/^(?:[!-<>-~ \t]|=[0-9A-F]{2})*=?$/);
    }
    expect(encoded).toContain('=20\r\n');
  });

  it('keeps characters whole when splitting encoded-words', () => {
    const words = encodeWords('😀'.repeat(40));
    expect(words.length).toBeGreaterThan(1);
    const decoded = words
      .map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8'))
      .join('');
    expect(decoded).toBe('😀'.repeat(40));
    for (const word of words)
      expect(Buffer.from(word.slice(10, -2), 'base64').toString()).not.toContain('\uFFFD');
  });
});
