import type { Language } from '../language.js';
import { escapeHtml } from '../html-escape.js';

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
  /** The notice code of this delivery (reference-code.ts), shown by the button and at the end. */
  referenceCode?: string | null;
  /** Where anyone can check a notice code (/security/verify), or null. */
  verifyUrl?: string | null;
  organisation: {
    name: string;
    contact_email: string | null;
    contact_phone: string | null;
    website: string | null;
  };
}

interface LayoutTexts {
  button: string;
  code: string;
  linkHint: string;
  sentBy: (org: string) => string;
  questions: string;
  notSure: string;
  checkCode: (code: string, url: string) => string;
  typeWebsite: (site: string) => string;
  neverPassword: string;
}

const TEXTS: Record<Language, LayoutTexts> = {
  nl: {
    button: 'Open uw persoonlijke pagina',
    code: 'Berichtcode',
    linkHint: 'Werkt de knop niet? Kopieer deze link in uw browser:',
    sentBy: (org) => `${org} heeft dit bericht persoonlijk aan u gestuurd.`,
    questions: 'Vragen?',
    notSure: 'Twijfelt u of dit bericht van ons is?',
    checkCode: (code, url) => `Vul de berichtcode ${code} in op ${url}.`,
    typeWebsite: (site) =>
      `U kunt ook zelf ${site} in uw browser typen en van daaruit contact met ons opnemen.`,
    neverPassword: 'Wij vragen nooit om uw wachtwoord.',
  },
  en: {
    button: 'Open your personal page',
    code: 'Notice code',
    linkHint: 'Button not working? Copy this link into your browser:',
    sentBy: (org) => `${org} sent this message to you personally.`,
    questions: 'Questions?',
    notSure: 'Not sure this message is from us?',
    checkCode: (code, url) => `Enter the notice code ${code} at ${url}.`,
    typeWebsite: (site) =>
      `You can also type ${site} into your browser yourself and contact us from there.`,
    neverPassword: 'We never ask for your password.',
  },
};

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

const isHttp = (url: string | null | undefined): url is string =>
  !!url && /^https?:\/\//i.test(url);

/** A website as people type it: no scheme, no trailing slash. */
const bareHost = (url: string) => url.replace(/^https?:\/\//i, '').replace(/\/$/, '');

/**
 * The verify page for a notice's language, from the security page's URL (variables'
 * `organisation.security_page_url`, `{public URL}/security`): /security/verify in Dutch,
 * /en/security/verify in English. Null when there is no http(s) security page.
 */
export function verifyPageUrl(
  securityPageUrl: string | null | undefined,
  language: Language,
): string | null {
  if (!isHttp(securityPageUrl)) return null;
  const base = securityPageUrl.replace(/\/+$/, '');
  return language === 'en' && base.endsWith('/security')
    ? `${base.slice(0, -'/security'.length)}/en/security/verify`
    : `${base}/verify`;
}

/**
 * The advice for a reader who doubts the message. It points to ways that do not depend on
 * trusting this mail — the notice code on our own verify page, our website typed in by hand —
 * instead of telling them not to click, which would undermine the button at the top.
 */
function notSureLines(language: Language, input: FooterExtras, website: string | null): string[] {
  const t = TEXTS[language];
  const lines: string[] = [];
  if (input.referenceCode && isHttp(input.verifyUrl)) {
    lines.push(t.checkCode(input.referenceCode, input.verifyUrl));
  }
  if (isHttp(website)) lines.push(t.typeWebsite(bareHost(website)));
  return lines.length > 0 ? [t.notSure, ...lines, t.neverPassword] : [];
}

/** What the footer says besides sender and contact. */
type FooterExtras = Pick<EmailLayoutInput, 'referenceCode' | 'verifyUrl'>;

/**
 * Wraps a rendered notice in a complete HTML email: role="presentation" tables that hold up in
 * Outlook, inline styles (no external CSS, images or fonts), 16px+ text. The button to the
 * personal page comes first, with the notice code next to it; then the body; then the URL
 * written out for when the button does not work; then a footer with sender, contact and how
 * to check the message without trusting it. Fluid from 320 px: no fixed width wider than the
 * screen, and long words and URLs wrap.
 */
export function renderEmailLayout(input: EmailLayoutInput): string {
  const t = TEXTS[input.language];
  const org = input.organisation;
  const url = isHttp(input.personalUrl) ? escapeHtml(input.personalUrl) : '';
  const code = input.referenceCode ? escapeHtml(input.referenceCode) : '';
  const codeLine = code
    ? `<p style="margin:10px 0 0 0;font-size:16px;line-height:1.5;">${t.code}: <strong style="font-family:Consolas,Menlo,monospace;letter-spacing:1px;white-space:nowrap;">${code}</strong></p>`
    : '';
  const top = url
    ? `<table role="presentation" width="100%" border="0" cellpadding="0" cellspacing="0" style="margin:0 0 24px 0;"><tr><td style="padding:0;">
<table role="presentation" border="0" cellpadding="0" cellspacing="0" style="max-width:100%;"><tr><td style="border-radius:6px;background-color:#1d4ed8;"><a class="candor-button" href="${url}" style="display:inline-block;padding:14px 20px;font-family:${FONT};font-size:18px;line-height:1.3;font-weight:700;color:#ffffff;text-decoration:none;border-radius:6px;border:1px solid #1d4ed8;background-color:#1d4ed8;">${t.button}</a></td></tr></table>
${codeLine}
</td></tr></table>
`
    : codeLine;
  const linkHint = url
    ? `<p style="margin:24px 0 0 0;font-size:16px;line-height:1.5;">${t.linkHint}<br><a href="${url}" style="color:#1d4ed8;text-decoration:underline;word-break:break-all;">${url}</a></p>
`
    : '';
  const contact = [
    org.contact_email
      ? `<a href="mailto:${escapeHtml(org.contact_email)}" style="color:#374151;text-decoration:underline;">${escapeHtml(org.contact_email)}</a>`
      : '',
    org.contact_phone ? escapeHtml(org.contact_phone) : '',
    isHttp(org.website)
      ? `<a href="${escapeHtml(org.website)}" style="color:#374151;text-decoration:underline;">${escapeHtml(bareHost(org.website))}</a>`
      : '',
  ]
    .filter((s) => s !== '')
    .join(' &middot; ');
  const verifyUrl = isHttp(input.verifyUrl) ? escapeHtml(input.verifyUrl) : '';
  const verifyLink = `<a href="${verifyUrl}" style="color:#374151;text-decoration:underline;">${verifyUrl}</a>`;
  const notSure = notSureLines(input.language, input, org.website)
    .map((line) => escapeHtml(line))
    .map((line) => (verifyUrl ? line.replace(verifyUrl, () => verifyLink) : line))
    .join(' ');
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
<table role="presentation" class="candor-bg" width="100%" border="0" cellpadding="0" cellspacing="0" style="width:100%;background-color:#f3f4f6;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="100%" border="0" cellpadding="0" cellspacing="0" style="width:100%;max-width:600px;">
<tr><td class="candor-card" style="background-color:#ffffff;color:#1f2937;padding:24px 20px;border-radius:8px;font-family:${FONT};font-size:16px;line-height:1.6;overflow-wrap:anywhere;word-wrap:break-word;word-break:break-word;">
${top}<div class="candor-content">
${input.contentHtml}</div>
${linkHint}</td></tr>
<tr><td class="candor-footer" style="padding:20px;font-family:${FONT};font-size:16px;line-height:1.5;color:#4b5563;overflow-wrap:anywhere;word-wrap:break-word;word-break:break-word;">
<p style="margin:0 0 8px 0;">${escapeHtml(t.sentBy(org.name))}</p>
${contact ? `<p style="margin:0 0 8px 0;">${t.questions} ${contact}</p>\n` : ''}${notSure ? `<p style="margin:0;">${notSure}</p>\n` : ''}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/**
 * The plain-text part's opening: the personal page and the notice code first, as in the HTML
 * part. Empty when there is neither.
 */
export function renderTextHeader(
  language: Language,
  personalUrl: string,
  referenceCode?: string | null,
): string {
  const t = TEXTS[language];
  const lines = [
    ...(isHttp(personalUrl) ? [`${t.button}: ${personalUrl}`] : []),
    ...(referenceCode ? [`${t.code}: ${referenceCode}`] : []),
  ];
  return lines.join('\n');
}

/** The plain-text counterpart of the footer. */
export function renderTextFooter(
  language: Language,
  organisation: EmailLayoutInput['organisation'],
  extras: FooterExtras = {},
): string {
  const t = TEXTS[language];
  const contact = [organisation.contact_email, organisation.contact_phone, organisation.website]
    .filter((s): s is string => !!s)
    .join(' · ');
  const notSure = notSureLines(language, extras, organisation.website).join(' ');
  return `--\n${t.sentBy(organisation.name)}${contact ? `\n${t.questions} ${contact}` : ''}${notSure ? `\n\n${notSure}` : ''}`;
}
