import type { TotpEnrolment } from '../../../services/access/totp.service.js';
import { html, trustedHtml, type SafeHtml } from '../html.js';
import { csrfField, renderBarePage } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { localeOf, sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    apiTokens: 'Mijn API-tokens',
    title: 'Mijn account',
    username: 'Gebruikersnaam',
    roles: 'Rollen',
    preferences: 'Voorkeuren',
    language: 'Taal',
    timeZone: 'Tijdzone',
    timeZoneHint: 'Tijden in de werkplek worden in deze zone getoond.',
    save: 'Opslaan',
    totp: 'Tweestapsverificatie',
    totpOn: 'Aan: bij het inloggen vragen we een code uit je authenticator-app.',
    totpOff: 'Uit. Zet het aan voor een beter beveiligd account.',
    totpSetUp: 'Tweestapsverificatie instellen',
    enrolTitle: 'Tweestapsverificatie instellen',
    enrolRequired:
      'Voor beheerders is tweestapsverificatie verplicht. Stel het nu in om verder te gaan.',
    step1:
      'Scan deze QR-code met een authenticator-app (bijvoorbeeld FreeOTP, Aegis of Google Authenticator).',
    step1Manual: 'Kun je niet scannen? Voer deze sleutel dan handmatig in:',
    step2: 'Voer de zescijferige code in die de app nu toont.',
    code: 'Code',
    codeHint: '6 cijfers',
    confirm: 'Bevestigen',
    invalid: 'Die code klopt niet of is al gebruikt. Wacht op de volgende code en probeer opnieuw.',
    throttled: 'Te veel mislukte pogingen. Probeer het later opnieuw.',
    qrAlt: 'QR-code met de sleutel voor je authenticator-app',
    already: 'Tweestapsverificatie is al ingesteld.',
    back: 'Terug naar mijn account',
    cancel: 'Annuleren en uitloggen',
  },
  en: {
    apiTokens: 'My API tokens',
    title: 'My account',
    username: 'Username',
    roles: 'Roles',
    preferences: 'Preferences',
    language: 'Language',
    timeZone: 'Time zone',
    timeZoneHint: 'Times in the workspace are shown in this zone.',
    save: 'Save',
    totp: 'Two-step verification',
    totpOn: 'On: at login we ask for a code from your authenticator app.',
    totpOff: 'Off. Turn it on for a better protected account.',
    totpSetUp: 'Set up two-step verification',
    enrolTitle: 'Set up two-step verification',
    enrolRequired:
      'Two-step verification is required for administrators. Set it up now to continue.',
    step1:
      'Scan this QR code with an authenticator app (for example FreeOTP, Aegis or Google Authenticator).',
    step1Manual: 'Cannot scan? Enter this key by hand instead:',
    step2: 'Enter the six-digit code the app shows now.',
    code: 'Code',
    codeHint: '6 digits',
    confirm: 'Confirm',
    invalid: 'That code is not right or was used already. Wait for the next code and try again.',
    throttled: 'Too many failed attempts. Try again later.',
    qrAlt: 'QR code with the key for your authenticator app',
    already: 'Two-step verification is set up already.',
    back: 'Back to my account',
    cancel: 'Cancel and log out',
  },
});

/** The account page's main content. */
export function renderAccount(
  view: ViewContext,
  input: { totp: boolean; zones: readonly string[] },
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <dl class="facts card">
        <dt>${t.username}</dt>
        <dd>${session.username}</dd>
        <dt>${t.roles}</dt>
        <dd>${session.roles.join(', ')}</dd>
      </dl>
      <p><a href="/app/account/tokens">${t.apiTokens}</a></p>
      <h2>${t.preferences}</h2>
      <form method="post" action="/app/account/preferences" class="card">
        ${csrfField(view)}
        <div class="field">
          <label for="language">${t.language}</label>
          <select id="language" name="language">
            <option value="nl" ${session.locale === 'nl' ? html`selected` : ''}>Nederlands</option>
            <option value="en" ${session.locale === 'en' ? html`selected` : ''}>English</option>
          </select>
        </div>
        <div class="field">
          <label for="timeZone">${t.timeZone}</label>
          <span class="hint" id="tz-hint">${t.timeZoneHint}</span>
          <select id="timeZone" name="timeZone" aria-describedby="tz-hint">
            ${input.zones.map(
              (z) => html`<option ${z === session.timeZone ? html`selected` : ''}>${z}</option>`,
            )}
          </select>
        </div>
        <button type="submit">${t.save}</button>
      </form>
      <h2>${t.totp}</h2>
      <div class="card">
        <p>${input.totp ? t.totpOn : t.totpOff}</p>
        ${input.totp ? '' : html`<p><a class="button" href="/app/account/totp">${t.totpSetUp}</a></p>`}
      </div>`,
  };
}

/** The enrolment page: QR code, the key for typing, and the confirmation form. */
export function renderEnrolment(
  view: ViewContext,
  input: {
    enrolment: TotpEnrolment | null;
    required: boolean;
    problem: 'invalid' | 'throttled' | null;
  },
): { title: string; main: SafeHtml } {
  const t = texts(localeOf(view));
  if (!input.enrolment) {
    return {
      title: t.enrolTitle,
      main: html`<h1>${t.enrolTitle}</h1>
        <p>${t.already}</p>
        <p><a href="/app/account">${t.back}</a></p>`,
    };
  }
  const error =
    input.problem === 'invalid' ? t.invalid : input.problem === 'throttled' ? t.throttled : null;
  // The SVG is the qrcode package's output for our own URI: paths only, no script or style.
  const svg = input.enrolment.qrSvg
    .replace(/<\?xml[^>]*>/, '')
    .replace('<svg ', `<svg role="img" aria-label="${t.qrAlt}" `);
  return {
    title: t.enrolTitle,
    main: html`<h1>${t.enrolTitle}</h1>
      ${input.required ? html`<p class="flash flash-info">${t.enrolRequired}</p>` : ''}
      ${error ? html`<div class="flash flash-error" role="alert" id="enrol-error">${error}</div>` : ''}
      <ol class="stack">
        <li>
          <p>${t.step1}</p>
          <div class="qr">${trustedHtml(svg)}</div>
          <p>
            ${t.step1Manual} <code class="secret" data-totp-secret>${input.enrolment.secret}</code>
          </p>
        </li>
        <li>
          <p>${t.step2}</p>
          <form method="post" action="/app/account/totp">
            ${csrfField(view)}
            <div class="field">
              <label for="code">${t.code}</label>
              <span class="hint" id="code-hint">${t.codeHint}</span>
              <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="8"
                required
                aria-describedby="code-hint${error ? ' enrol-error' : ''}"
              />
            </div>
            <button type="submit">${t.confirm}</button>
          </form>
        </li>
      </ol>
      ${
        input.required
          ? html`<form method="post" action="/app/logout">
              ${csrfField(view)}
              <button type="submit" class="secondary">${t.cancel}</button>
            </form>`
          : ''
      }`,
  };
}

/** The enrolment page for a user who must enrol before anything else (no navigation yet). */
export function renderRequiredEnrolmentPage(
  view: ViewContext,
  page: { title: string; main: SafeHtml },
): string {
  return renderBarePage(view, page);
}

const recoveryTexts = defineTexts({
  nl: {
    title: 'Herstelcodes',
    intro:
      'Tweestapsverificatie staat aan. Bewaar deze tien herstelcodes op papier of in een wachtwoordkluis: elke code werkt één keer in plaats van een code uit de app, voor als je telefoon weg is.',
    once: 'Deze codes worden maar één keer getoond.',
    listLabel: 'Je herstelcodes',
    continue: 'Verder',
  },
  en: {
    title: 'Recovery codes',
    intro:
      'Two-step verification is on. Keep these ten recovery codes on paper or in a password manager: each works once instead of a code from the app, for when your phone is gone.',
    once: 'These codes are shown only once.',
    listLabel: 'Your recovery codes',
    continue: 'Continue',
  },
});

/** The ten recovery codes, shown once right after the second factor was confirmed. */
export function renderRecoveryCodes(
  view: ViewContext,
  codes: readonly string[],
  next: string,
): { title: string; main: SafeHtml } {
  const t = recoveryTexts(localeOf(view));
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <div class="card">
        <p>${t.intro}</p>
        <p><strong>${t.once}</strong></p>
        <ol class="recovery-codes" aria-label="${t.listLabel}">
          ${codes.map((c) => html`<li><code class="secret" data-recovery-code>${c}</code></li>`)}
        </ol>
      </div>
      <p><a class="button" href="${next}">${t.continue}</a></p>`,
  };
}
