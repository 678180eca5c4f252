import nodemailer from 'nodemailer';

/** What the bare pool loop did. */
export interface PoolBaselineOutcome {
  seconds: number;
  /** Messages the pool reported as accepted. */
  sent: number;
  /** Messages that failed (with the first error, if any). */
  failed: number;
  firstError: string | null;
  /** Size of the html and text parts handed to nodemailer, in bytes (before MIME encoding). */
  contentBytes: number;
}

export interface PoolBaselineOptions {
  /** smtp://host:port of the peer. */
  url: string;
  count: number;
  /** Pooled SMTP connections: Candor's default CANDOR_DISPATCH_CONNECTIONS. */
  maxConnections: number;
  /** sendMail promises outstanding at once. */
  concurrency: number;
}

/**
 * The floor Candor's dispatch is compared with: a bare nodemailer pool (pool: true,
 * maxMessages Infinity) sending one and the same notice-sized message (about 12 KB of html
 * and text) to `count` distinct addresses, with nodemailer building the MIME from
 * {from, to, subject, html, text} itself. No database, no personalisation, no rendering, no
 * retry bookkeeping: only MIME building and SMTP. A bounded number of sendMail promises are
 * in flight, so the pool's queue never holds the whole run.
 */
export async function bareNodemailerPool(
  options: PoolBaselineOptions,
): Promise<PoolBaselineOutcome> {
  const url = new URL(options.url);
  const transporter = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port),
    secure: false,
    maxConnections: options.maxConnections,
    maxMessages: Infinity,
  });
  const { html, text } = baselineContent();
  const subject = 'Data breach at Example Hosting B.V.: what it means for you';
  const from = 'Example Hosting Security <security@example.com>';
  let next = 0;
  let sent = 0;
  let failed = 0;
  let firstError: string | null = null;

  const started = process.hrtime.bigint();
  const lane = async (): Promise<void> => {
    while (next < options.count) {
      const i = next++;
      try {
        await transporter.sendMail({
          from,
          to: `Bench Recipient ${i} <bench.recipient${i}@example.com>`,
          subject,
          html,
          text,
        });
        sent += 1;
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  transporter.close();
  return {
    seconds,
    sent,
    failed,
    firstError,
    contentBytes: Buffer.byteLength(html) + Buffer.byteLength(text),
  };
}

const PARAGRAPHS = [
  'There has been a data breach at Example Hosting B.V. that involves your data. We are sorry. This email tells you what happened, what it means for you and what you can do.',
  'On the evening of 26 November an attacker used a flaw in our customer portal to read part of our customer database. We found the attack the next morning, closed the flaw within hours and informed the Dutch Data Protection Authority (Autoriteit Persoonsgegevens).',
  'These data of yours are involved: your name, your email address, your postal address and your invoices of the last two years. Your password was stored in a form that cannot be turned back into the password itself, but we ask you to choose a new one anyway.',
  'Someone may try to misuse your data. For example, you may get fake emails that seem to come from us. They may use your name or other details to look real. The aim is to trick you into giving your password or money. We will never ask you for your password by email or by phone.',
  'We have closed the flaw, we are finding out how this could happen, and we are taking steps so that it does not happen again. We are sending this email to everyone whose data leaked, so that all of you can protect yourselves.',
  'Choose a new password for your account with us. Pick one that you do not use anywhere else. Do you use the same password somewhere else? Then change it there too. Take care with emails, texts and calls that ask for your details or for money — café, crème brûlée and other non-ASCII text keep the encoder honest.',
  'Let us know that you have read this email. You can do that on your own page, where you also find what this incident means for your domains and servers, and where you can confirm that you changed your password.',
];

/**
 * One notice of about the size Candor sends: an HTML document with inline styles (about 8 KB)
 * and its plain-text twin (about 4 KB). Built once; every recipient gets the same bytes.
 */
function baselineContent(): { html: string; text: string } {
  const htmlParts: string[] = [];
  const textParts: string[] = [];
  for (let round = 0; htmlParts.length < 17; round++) {
    for (const [i, p] of PARAGRAPHS.entries()) {
      if (htmlParts.length >= 17) break;
      const heading = `Section ${round * PARAGRAPHS.length + i + 1}`;
      htmlParts.push(
        `<h2 style="margin:24px 0 8px;font-family:Arial,Helvetica,sans-serif;font-size:18px;line-height:24px;color:#111827">${heading}</h2>\n` +
          `<p style="margin:0 0 16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#1f2937">${p}</p>`,
      );
      if (textParts.length < 11)
        textParts.push(`${heading}\n${'-'.repeat(heading.length)}\n\n${p}`);
    }
  }
  const html =
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    '<title>Data breach at Example Hosting B.V.</title></head>\n' +
    '<body style="margin:0;padding:0;background:#f3f4f6">\n' +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px">\n' +
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px"><tr><td style="padding:32px">\n' +
    `<p style="margin:0 0 16px;font-family:Arial,Helvetica,sans-serif;font-size:16px">Dear customer,</p>\n` +
    `${htmlParts.join('\n')}\n` +
    '<p style="margin:24px 0 0;font-family:Arial,Helvetica,sans-serif;font-size:16px">Kind regards,<br>Example Hosting B.V.</p>\n' +
    '</td></tr></table></td></tr></table></body></html>\n';
  const text = `Dear customer,\n\n${textParts.join('\n\n')}\n\nKind regards,\nExample Hosting B.V.\n`;
  return { html, text };
}
