import type { OutgoingMessage } from '../../channels/email/email-transport.js';
import { buildRawMessage } from '../../channels/email/mime.js';
import type { Organisation } from '../../domain/organisation.js';
import { formatRecipientTime } from '../../domain/recipient-time.js';
import { escapeHtml } from '../../domain/html-escape.js';

/**
 * The mail that carries a reply to a customer's question: plain text and the same words as
 * escaped HTML (nothing the team or the customer typed is ever markup), in the question's
 * language, with the customer's own question quoted and their personal page link.
 */

const TEXTS = {
  nl: {
    subject: (ref: string) => `Antwoord op uw vraag (${ref})`,
    greeting: (name: string | null) => (name ? `Beste ${name},` : 'Beste klant,'),
    yourQuestion: (at: string) => `Uw vraag van ${at}:`,
    page: 'Uw persoonlijke pagina, met het bericht en wat u moet doen:',
    more: 'Hebt u nog een vraag? Stel die op uw persoonlijke pagina.',
    regards: 'Met vriendelijke groet,',
  },
  en: {
    subject: (ref: string) => `Answer to your question (${ref})`,
    greeting: (name: string | null) => (name ? `Dear ${name},` : 'Dear customer,'),
    yourQuestion: (at: string) => `Your question of ${at}:`,
    page: 'Your personal page, with the notice and what you should do:',
    more: 'Another question? Ask it on your personal page.',
    regards: 'Kind regards,',
  },
} as const;

export interface ReplyMailInput {
  organisation: Organisation;
  to: { email: string; name: string | null };
  language: string;
  caseReference: string;
  question: { body: string; askedAt: string };
  reply: string;
  /** The personal page link; null when the recipient's link was revoked. */
  personalUrl: string | null;
  messageId: string;
  timeZone: string;
}

export function questionReplyMail(input: ReplyMailInput): OutgoingMessage {
  const language = input.language === 'en' ? 'en' : 'nl';
  const t = TEXTS[language];
  const org = input.organisation;
  const asked = formatRecipientTime(input.question.askedAt, language, input.timeZone);
  const quoted = input.question.body
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const subject = t.subject(input.caseReference);
  const text = [
    t.greeting(input.to.name),
    input.reply,
    `${t.yourQuestion(asked)}\n${quoted}`,
    ...(input.personalUrl ? [`${t.page}\n${input.personalUrl}\n${t.more}`] : []),
    `${t.regards}\n${org.name}`,
  ].join('\n\n');
  const para = (value: string) =>
    `<p style="white-space:pre-wrap">${escapeHtml(value).replace(/\n/g, '<br>')}</p>`;
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${para(t.greeting(input.to.name))}${para(input.reply)}<p>${escapeHtml(t.yourQuestion(asked))}</p><blockquote style="border-left:3px solid #ccc;margin:0;padding-left:1em;color:#444">${para(input.question.body)}</blockquote>${
    input.personalUrl
      ? `<p>${escapeHtml(t.page)}<br><a href="${escapeHtml(input.personalUrl)}">${escapeHtml(input.personalUrl)}</a><br>${escapeHtml(t.more)}</p>`
      : ''
  }${para(`${t.regards}\n${org.name}`)}</body></html>`;
  const raw = buildRawMessage({
    from: { name: org.senderName || org.name, address: org.senderEmail },
    to: { name: input.to.name, address: input.to.email },
    subject,
    text: `${text}\n`,
    html,
    messageId: input.messageId,
    date: new Date(),
    headers: { 'Auto-Submitted': 'auto-replied', 'Content-Language': language },
  });
  return { from: org.senderEmail, to: input.to.email, raw };
}
