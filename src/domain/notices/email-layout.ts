import type { Language } from '../../config.js';

/** What the wrapper needs besides the rendered body. */
export interface EmailLayoutInput {
  language: Language;
  /** The subject; also the document title. */
  title: string;
  /** Shown by mail clients next to the subject in the inbox; hidden in the message. */
  preheader: string;
  /** The rendered notice body: trusted HTML (from the compiled template, values escaped). */
  contentHtml: string;
  /** The personal page; the button is left out when this is not an http(s) URL. */
  personalUrl: string;
  organisation: {
    name: string;
    contact_email: string | null;
    contact_phone: string | null;
    website: string | null;
  };
}

interface LayoutTexts {
  button: string;
  linkHint: string;
  sentBy: (org: string) => string;
  questions: string;
}

const TEXTS: Record<Language, LayoutTexts> = {
  nl: {
    button: 'Open uw persoonlijke pagina',
    linkHint: 'Werkt de knop niet? Kopieer deze link in uw browser:',
    sentBy: (org) => `${org} heeft dit bericht persoonlijk aan u gestuurd.`,
    questions: 'Vragen?',
  },
  en: {
    button: 'Open your personal page',
    linkHint: 'Button not working? Copy this link into your browser:',
    sentBy: (org) => `${org} sent this message to you personally.`,
    questions: 'Questions?',
  },
};

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return /[&<>"']/.test(value) ? value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c) : value;
}

// Colours: text #1f2937 on white is 14.7:1, footer #4b5563 on #f3f4f6 is 6.8:1, white on the
// button #1d4ed8 is 6.7:1 — all above WCAG AA (4.5:1) for body text.
const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

const HEAD_STYLE = `<style>
:root{color-scheme:light dark;supported-color-schemes:light dark;}
@media (prefers-color-scheme: dark){
.candor-bg{background-color:#111827 !important;}
.candor-card{background-color:#1f2937 !important;color:#f3f4f6 !important;}
.candor-card a{color:#93c5fd !important;}
.candor-footer,.candor-footer a{color:#d1d5db !important;}
.candor-card a.candor-button{background-color:#2563eb !important;color:#ffffff !important;border-color:#2563eb !important;}
}
</style>`;

// Filler after the preheader so inbox previews do not run on into the body text.
const PREHEADER_FILLER = '&#8199;&#65279;&#847; '.repeat(30);

/**
 * Wraps a rendered notice in a complete HTML email: role="presentation" tables that hold up in
 * Outlook, inline styles (no external CSS, images or fonts), 16px+ text, a real link button to
 * the personal page with the URL written out as well, and a footer with sender and contact.
 */
export function renderEmailLayout(input: EmailLayoutInput): string {
  const t = TEXTS[input.language];
  const org = input.organisation;
  const url = /^https?:\/\//i.test(input.personalUrl) ? escapeHtml(input.personalUrl) : '';
  const button = url
    ? `<table role="presentation" border="0" cellpadding="0" cellspacing="0" style="margin:8px 0 16px 0;"><tr><td style="border-radius:6px;background-color:#1d4ed8;"><a class="candor-button" href="${url}" style="display:inline-block;padding:14px 24px;font-family:${FONT};font-size:18px;line-height:1.2;font-weight:700;color:#ffffff;text-decoration:none;border-radius:6px;border:1px solid #1d4ed8;background-color:#1d4ed8;">${t.button}</a></td></tr></table>
<p style="margin:0 0 16px 0;font-size:16px;line-height:1.5;">${t.linkHint}<br><a href="${url}" style="color:#1d4ed8;text-decoration:underline;word-break:break-all;">${url}</a></p>`
    : '';
  const contact = [
    org.contact_email
      ? `<a href="mailto:${escapeHtml(org.contact_email)}" style="color:#374151;text-decoration:underline;">${escapeHtml(org.contact_email)}</a>`
      : '',
    org.contact_phone ? escapeHtml(org.contact_phone) : '',
    org.website && /^https?:\/\//i.test(org.website)
      ? `<a href="${escapeHtml(org.website)}" style="color:#374151;text-decoration:underline;">${escapeHtml(org.website.replace(/^https?:\/\//i, '').replace(/\/$/, ''))}</a>`
      : '',
  ]
    .filter((s) => s !== '')
    .join(' &middot; ');
  return `<!doctype html>
<html lang="${input.language}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<meta name="format-detection" content="telephone=no,date=no,address=no,email=no">
<title>${escapeHtml(input.title)}</title>
${HEAD_STYLE}
</head>
<body class="candor-bg" style="margin:0;padding:0;width:100%;background-color:#f3f4f6;-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%;">
<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">${escapeHtml(input.preheader)}${PREHEADER_FILLER}</div>
<table role="presentation" class="candor-bg" width="100%" border="0" cellpadding="0" cellspacing="0" style="background-color:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" border="0" cellpadding="0" cellspacing="0" style="max-width:600px;">
<tr><td class="candor-card" style="background-color:#ffffff;color:#1f2937;padding:32px 28px;border-radius:8px;font-family:${FONT};font-size:16px;line-height:1.6;">
<div class="candor-content">
${input.contentHtml}</div>
${button}
</td></tr>
<tr><td class="candor-footer" style="padding:20px 28px;font-family:${FONT};font-size:16px;line-height:1.5;color:#4b5563;">
<p style="margin:0 0 8px 0;">${escapeHtml(t.sentBy(org.name))}</p>
${contact ? `<p style="margin:0;">${t.questions} ${contact}</p>` : ''}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** The plain-text counterpart of the footer. */
export function renderTextFooter(
  language: Language,
  organisation: EmailLayoutInput['organisation'],
): string {
  const t = TEXTS[language];
  const contact = [organisation.contact_email, organisation.contact_phone, organisation.website]
    .filter((s): s is string => !!s)
    .join(' · ');
  return `--\n${t.sentBy(organisation.name)}${contact ? `\n${t.questions} ${contact}` : ''}`;
}
