import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDsnFile, splitMbox } from './dsn-parser.js';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../../../test/fixtures/dsn/${name}`, import.meta.url));

describe('parseDsnFile', () => {
  it('reads a Postfix 5.1.1 user-unknown bounce with returned headers', () => {
    const { reports, problems, messages } = parseDsnFile(fixture('postfix-user-unknown.eml'));
    expect(problems).toEqual([]);
    expect(messages).toBe(1);
    expect(reports).toEqual([
      {
        index: 1,
        originalMessageId: '<candor.12.3456@candor.example>',
        originalMessageIdFrom: 'returned-headers',
        originalRecipient: 'jan.jansen@example.nl',
        reportingMta: 'mx.provider.example',
        arrivalDate: '2026-11-27T09:12:03.000Z',
        recipients: [
          {
            finalRecipient: 'jan.jansen@example.nl',
            originalRecipient: 'jan.jansen@example.nl',
            action: 'failed',
            status: '5.1.1',
            remoteMta: 'mx1.example.nl',
            // Folded over two lines in the file, unfolded here.
            diagnosticCode:
              '550 5.1.1 <jan.jansen@example.nl>: Recipient address rejected: User unknown in virtual mailbox table',
            line: 46,
          },
        ],
      },
    ]);
  });

  it('reads an Exim bounce (CRLF, Action before Final-Recipient, returned message)', () => {
    const { reports, problems } = parseDsnFile(fixture('exim-mailbox-full.eml'));
    expect(problems).toEqual([]);
    expect(reports[0]).toMatchObject({
      originalMessageId: '<candor.12.3457@candor.example>',
      originalMessageIdFrom: 'returned-headers',
      reportingMta: 'mail.example.com',
      recipients: [
        {
          finalRecipient: 'piet@example.com',
          action: 'failed',
          status: '5.0.0',
          remoteMta: 'mx.example.com',
          diagnosticCode: '552 5.2.2 <piet@example.com>: mailbox full',
        },
      ],
    });
  });

  it('reads a delayed 4.4.7 warning with upper-case types and a tab-folded diagnostic', () => {
    const { reports, problems } = parseDsnFile(fixture('sendmail-delayed-4.4.7.eml'));
    expect(problems).toEqual([]);
    expect(reports[0]).toMatchObject({
      originalMessageId: '<candor.13.77@candor.example>',
      recipients: [
        {
          finalRecipient: 'klaas@slow.example.net',
          action: 'delayed',
          status: '4.4.7',
          remoteMta: 'mx.slow.example.net',
          diagnosticCode:
            '421 4.4.7 Connection timed out while talking to mx.slow.example.net; will retry',
        },
      ],
    });
  });

  it('reads every recipient of a multi-recipient report', () => {
    const { reports, problems } = parseDsnFile(fixture('multi-recipient.eml'));
    expect(problems).toEqual([]);
    const [report] = reports;
    expect(report?.originalMessageId).toBe('<candor.14.901@candor.example>');
    // xtext-decoded (+40 is @); the returned message wins over it for the Message-ID.
    expect(report?.originalEnvelopeId).toBe('candor.14.901@candor.example');
    expect(
      report?.recipients.map((r) => [r.finalRecipient, r.action, r.status, r.diagnosticCode]),
    ).toEqual([
      ['ops@bigcorp.example', 'failed', '5.1.1', '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'],
      [
        'old-admin@bigcorp.example',
        'failed',
        '5.2.1',
        '550 5.2.1 Mailbox disabled, not accepting messages',
      ],
      ['security@bigcorp.example', 'delivered', '2.0.0', undefined],
    ]);
  });

  it('falls back to Original-Envelope-Id and decodes a base64 status part', () => {
    const { reports, problems } = parseDsnFile(fixture('envelope-id-only.eml'));
    expect(problems).toEqual([]);
    expect(reports[0]).toMatchObject({
      originalMessageId: '<candor.15.20@candor.example>',
      originalMessageIdFrom: 'envelope-id',
      reportingMta: 'filter.example.eu',
      recipients: [{ finalRecipient: 'marie@example.eu', action: 'failed', status: '5.7.1' }],
    });
  });

  it('reads an mbox, unescapes >From lines and reports the non-DSN by index', () => {
    const { reports, problems, messages } = parseDsnFile(fixture('bounces.mbox'));
    expect(messages).toBe(3);
    expect(
      reports.map((r) => [r.index, r.originalMessageId, r.recipients[0]?.finalRecipient]),
    ).toEqual([
      [1, '<candor.12.1001@candor.example>', 'anna@example.nl'],
      [3, '<candor.12.1002@candor.example>', 'bram@example.com'],
    ]);
    expect(problems).toEqual([
      {
        index: 2,
        line: 38,
        reason:
          'not a delivery status notification (Content-Type text/plain, Subject "Afwezig: Beveiligingsmelding")',
      },
    ]);
  });

  it('keeps the good recipient of a malformed report and names each bad line', () => {
    const { reports, problems } = parseDsnFile(fixture('malformed.eml'));
    expect(reports).toHaveLength(1);
    expect(reports[0]?.originalMessageId).toBe('<candor.16.3@candor.example>');
    expect(reports[0]?.recipients.map((r) => [r.finalRecipient, r.status, r.line])).toEqual([
      ['three@example.org', '5.4.4', 29],
    ]);
    expect(problems).toEqual([
      { index: 1, line: 16, reason: 'not a "Name: value" field' },
      {
        index: 1,
        line: 19,
        reason: 'Action "bounced" is not one of failed, delayed, delivered, relayed, expanded',
      },
      { index: 1, line: 24, reason: 'Status "5.1" is not an RFC 3463 code such as 5.1.1' },
      { index: 1, line: 26, reason: 'a recipient group without Final-Recipient' },
    ]);
  });

  it('never throws on empty, binary or other report types', () => {
    expect(parseDsnFile(Buffer.alloc(0)).problems).toEqual([
      { index: 1, reason: 'the file contains no message' },
    ]);
    const binary = parseDsnFile(Buffer.from([0, 255, 1, 254, 10, 13, 10, 0x80]));
    expect(binary.reports).toEqual([]);
    expect(binary.problems[0]?.reason).toMatch(/^not a delivery status notification/);

    const arf = [
      'Subject: abuse report',
      'Content-Type: multipart/report; report-type=feedback-report; boundary=F',
      '',
      '--F',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      '--F--',
    ].join('\n');
    expect(parseDsnFile(Buffer.from(arf)).problems).toEqual([
      {
        index: 1,
        line: 1,
        reason:
          'a feedback-report report, not a delivery status notification, Subject "abuse report"',
      },
    ]);

    const nested = `Content-Type: multipart/mixed; boundary=a\n\n${'--a\nContent-Type: multipart/mixed; boundary=a\n\n'.repeat(50)}`;
    expect(() => parseDsnFile(Buffer.from(nested))).not.toThrow();
  });
});

describe('splitMbox', () => {
  it('splits on postmark lines, unescapes one > level and keeps file line numbers', () => {
    const messages = splitMbox(fixture('bounces.mbox'));
    expect(messages.map((m) => [m.line, m.postmark])).toEqual([
      [2, 'From MAILER-DAEMON  Fri Nov 27 10:20:01 2026'],
      [38, 'From anna.vacation@example.org  Fri Nov 27 10:21:44 2026'],
      [51, 'From MAILER-DAEMON  Fri Nov 27 10:25:13 2026'],
    ]);
    const text = messages.map((m) => m.raw.toString());
    expect(text[0]).toContain('\r\nFrom the headers below');
    expect(text[1]).toContain('\r\nFrom 8 december');
    expect(text[2]).toContain('\r\n>From this line on');
  });

  it('keeps an unescaped "From " body line that is not a postmark inside its message', () => {
    const mbox = [
      'From a@example.org Fri Nov 27 10:00:00 2026',
      'Subject: one',
      '',
      'From the security team: hello',
      '',
      'From b@example.org Fri Nov 27 10:05:00 2026',
      'Subject: two',
      '',
      'body',
    ].join('\n');
    const messages = splitMbox(Buffer.from(mbox));
    expect(messages).toHaveLength(2);
    expect(messages[0]?.raw.toString()).toContain('From the security team: hello');
  });

  it('treats a file without a postmark as one message', () => {
    expect(splitMbox(fixture('postfix-user-unknown.eml'))).toHaveLength(1);
  });
});
