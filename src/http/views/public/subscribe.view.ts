import { html } from '../html.js';
import { renderPage } from '../page-layout.view.js';

/** The subscription pages, in Dutch and English. Plain forms, no JavaScript. */

const TEXTS = {
  nl: {
    title: 'Beveiligingsberichten per e-mail',
    intro:
      'Meld u aan en ontvang een e-mail zodra wij een beveiligingsincident of -advies publiceren of bijwerken. U krijgt eerst een bevestigingsmail; pas na bevestiging sturen wij berichten.',
    email: 'E-mailadres',
    language: 'Taal',
    submit: 'Aanmelden',
    checkInbox:
      'Dank u. Als dit adres nog niet was aangemeld, ontvangt u binnen enkele minuten een e-mail met een bevestigingslink. Geen mail gekregen? Kijk ook in uw map met ongewenste e-mail.',
    invalid: 'Vul een geldig e-mailadres in.',
    confirmTitle: 'Aanmelding bevestigen',
    confirmButton: 'Ja, stuur mij beveiligingsberichten',
    confirmed: 'Uw aanmelding is bevestigd. U ontvangt voortaan onze beveiligingsberichten.',
    expired: 'Deze bevestigingslink is onbekend of verlopen. Meld u opnieuw aan.',
    unsubscribeTitle: 'Afmelden',
    unsubscribeButton: 'Afmelden voor beveiligingsberichten',
    unsubscribed: 'U bent afgemeld. U ontvangt geen beveiligingsberichten meer.',
    unknown: 'Deze afmeldlink is onbekend.',
    tooMany: 'Te veel aanmeldingen vanaf uw adres. Probeer het later opnieuw.',
    back: 'Naar de beveiligingspagina',
  },
  en: {
    title: 'Security updates by email',
    intro:
      'Subscribe and get an email whenever we publish or update a security incident or advisory. You first get a confirmation mail; we only send updates after you confirm.',
    email: 'Email address',
    language: 'Language',
    submit: 'Subscribe',
    checkInbox:
      'Thank you. If this address was not subscribed yet, you will get an email with a confirmation link within a few minutes. No mail? Please check your spam folder too.',
    invalid: 'Please enter a valid email address.',
    confirmTitle: 'Confirm subscription',
    confirmButton: 'Yes, send me security updates',
    confirmed: 'Your subscription is confirmed. You will receive our security updates from now on.',
    expired: 'This confirmation link is unknown or has expired. Please subscribe again.',
    unsubscribeTitle: 'Unsubscribe',
    unsubscribeButton: 'Unsubscribe from security updates',
    unsubscribed: 'You are unsubscribed. You will not receive security updates any more.',
    unknown: 'This unsubscribe link is unknown.',
    tooMany: 'Too many subscription requests from your address. Please try again later.',
    back: 'To the security page',
  },
} as const;

export type SubscribeLanguage = keyof typeof TEXTS;
export type SubscribeMessage =
  'checkInbox' | 'confirmed' | 'expired' | 'unsubscribed' | 'unknown' | 'tooMany';

const back = (lang: SubscribeLanguage) =>
  html`<p><a href="${lang === 'en' ? '/en/security' : '/security'}">${TEXTS[lang].back}</a></p>`;

/** The form. */
export function renderSubscribeForm(lang: SubscribeLanguage, error = false): string {
  const t = TEXTS[lang];
  return renderPage({
    language: lang,
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <p>${t.intro}</p>
      ${error ? html`<p role="alert"><strong>${t.invalid}</strong></p>` : ''}
      <form method="post" action="/security/subscribe">
        <p>
          <label for="email">${t.email}</label><br /><input
            id="email"
            name="email"
            type="email"
            required
            autocomplete="email"
            maxlength="254"
          />
        </p>
        <p>
          <label for="language">${t.language}</label><br /><select id="language" name="language">
            <option value="nl" ${lang === 'nl' ? ' selected' : ''}>Nederlands</option>
            <option value="en" ${lang === 'en' ? ' selected' : ''}>English</option>
          </select>
        </p>
        <p><button type="submit">${t.submit}</button></p>
      </form>
      ${back(lang)}`,
  });
}

/** A one-line outcome page. */
export function renderSubscribeMessage(lang: SubscribeLanguage, message: SubscribeMessage): string {
  const t = TEXTS[lang];
  return renderPage({
    language: lang,
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <p>${t[message]}</p>
      ${back(lang)}`,
  });
}

/** A page with one button that posts to `action` (links in mails must not act on GET). */
export function renderConfirmButton(
  lang: SubscribeLanguage,
  kind: 'confirm' | 'unsubscribe',
  action: string,
): string {
  const t = TEXTS[lang];
  const title = kind === 'confirm' ? t.confirmTitle : t.unsubscribeTitle;
  return renderPage({
    language: lang,
    title,
    main: html`<h1>${title}</h1>
      <form method="post" action="${action}">
        <p>
          <button type="submit">
            ${kind === 'confirm' ? t.confirmButton : t.unsubscribeButton}
          </button>
        </p>
      </form>
      ${back(lang)}`,
  });
}
