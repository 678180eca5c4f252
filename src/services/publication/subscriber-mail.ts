import { buildRawMessage } from '../../channels/email/mime.js';
import type { OutgoingMessage } from '../../channels/email/email-transport.js';
import type { Organisation } from '../../domain/organisation.js';
import { endSentence } from '../../domain/sentence.js';
import type { PublicationEventKind, PublishedCase } from '../../domain/publication.js';
import { escapeHtml } from '../../domain/html-escape.js';

/** The two mails subscribers get: the confirmation link, and one per public change. */

const TEXTS = {
  nl: {
    confirmSubject: (org: string) => `Bevestig uw aanmelding voor beveiligingsberichten van ${org}`,
    confirmIntro: (org: string) =>
      `Iemand (hopelijk u) heeft dit adres aangemeld voor de beveiligingsberichten van ${endSentence(org)} Bevestig dat via de link hieronder; de link werkt 48 uur.`,
    confirmAction: 'Aanmelding bevestigen',
    confirmIgnore:
      'Heeft u zich niet aangemeld? Dan hoeft u niets te doen: zonder bevestiging krijgt u niets.',
    kinds: {
      published: 'Nieuw gepubliceerd',
      updated: 'Bijgewerkt',
      released: 'Technische details vrijgegeven',
      withdrawn: 'Ingetrokken',
    } satisfies Record<PublicationEventKind, string>,
    read: 'Lees het volledige bericht',
    footer: (org: string) =>
      `U ontvangt dit bericht omdat u zich heeft aangemeld voor beveiligingsberichten van ${endSentence(org)}`,
    unsubscribe: 'Afmelden',
  },
  en: {
    confirmSubject: (org: string) => `Confirm your subscription to security updates from ${org}`,
    confirmIntro: (org: string) =>
      `Someone (hopefully you) subscribed this address to security updates from ${endSentence(org)} Please confirm with the link below; it works for 48 hours.`,
    confirmAction: 'Confirm subscription',
    confirmIgnore: 'Did not subscribe? Then do nothing: without confirmation you will get nothing.',
    kinds: {
      published: 'Newly published',
      updated: 'Updated',
      released: 'Technical details released',
      withdrawn: 'Withdrawn',
    } satisfies Record<PublicationEventKind, string>,
    read: 'Read the full notice',
    footer: (org: string) =>
      `You receive this because you subscribed to security updates from ${endSentence(org)}`,
    unsubscribe: 'Unsubscribe',
  },
} as const;

type Lang = keyof typeof TEXTS;
const lang = (l: string): Lang => (l === 'en' ? 'en' : 'nl');

interface MailContext {
  organisation: Organisation;
  publicUrl: string;
  messageIdDomain: string;
}

function from(org: Organisation): { name: string; address: string } {
  return { name: org.senderName || org.name, address: org.senderEmail };
}

function page(
  title: string,
  paragraphs: string[],
  link: { href: string; text: string },
  footer: string,
): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${paragraphs
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join(
      '',
    )}<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p><p><small>${footer}</small></p></body></html>`;
}

/** The confirmation mail with its (derived) token link. */
export function confirmationMail(
  c: MailContext,
  to: { id: number; email: string; language: string },
  token: string,
): OutgoingMessage {
  const t = TEXTS[lang(to.language)];
  const org = c.organisation.name;
  const link = `${c.publicUrl}/security/confirm/${token}?lang=${lang(to.language)}`;
  const subject = t.confirmSubject(org);
  const raw = buildRawMessage({
    from: from(c.organisation),
    to: to.email,
    subject,
    text: `${t.confirmIntro(org)}\n\n${t.confirmAction}: ${link}\n\n${t.confirmIgnore}\n`,
    html: page(
      subject,
      [t.confirmIntro(org)],
      { href: link, text: t.confirmAction },
      escapeHtml(t.confirmIgnore),
    ),
    messageId: `subscribe-${to.id}-${Date.now()}@${c.messageIdDomain}`,
    date: new Date(),
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  return { from: c.organisation.senderEmail, to: to.email, raw };
}

/** One update mail: what changed, the case's summary, the link, and one-click unsubscribe. */
export function updateMail(
  c: MailContext,
  to: { id: number; email: string; language: string },
  event: { id: number; kind: PublicationEventKind; reference: string },
  published: PublishedCase | undefined,
  unsubscribeToken: string,
): OutgoingMessage {
  const l = lang(to.language);
  const t = TEXTS[l];
  const org = c.organisation.name;
  const text = published?.texts[l] ?? published?.texts[published.defaultLanguage];
  const title = text?.title ?? event.reference;
  const subject = `[${event.reference}] ${t.kinds[event.kind]}: ${title}`;
  const pageUrl = published
    ? `${c.publicUrl}${l === 'en' ? published.paths.pageEn : published.paths.page}`
    : `${c.publicUrl}/security`;
  const unsubscribeUrl = `${c.publicUrl}/security/unsubscribe/${unsubscribeToken}?lang=${l}`;
  const paragraphs = [t.kinds[event.kind], title, ...(text?.summary ? [text.summary] : [])];
  const raw = buildRawMessage({
    from: from(c.organisation),
    to: to.email,
    subject,
    text: `${paragraphs.join('\n\n')}\n\n${t.read}: ${pageUrl}\n\n--\n${t.footer(org)}\n${t.unsubscribe}: ${unsubscribeUrl}\n`,
    html: page(
      subject,
      paragraphs,
      { href: pageUrl, text: t.read },
      `${escapeHtml(t.footer(org))} <a href="${escapeHtml(unsubscribeUrl)}">${escapeHtml(t.unsubscribe)}</a>`,
    ),
    messageId: `update-${event.id}-${to.id}@${c.messageIdDomain}`,
    date: new Date(),
    // RFC 8058: a mail client may unsubscribe with one POST, without opening a page.
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `${org} security updates <security-updates.${c.messageIdDomain}>`,
      'Auto-Submitted': 'auto-generated',
    },
  });
  return { from: c.organisation.senderEmail, to: to.email, raw };
}
