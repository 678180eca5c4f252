import { html } from '../html.js';
import { csrfField, renderBarePage } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { localeOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    title: 'Inloggen',
    intro: 'Log in bij de Candor-werkplek.',
    username: 'Gebruikersnaam',
    password: 'Wachtwoord',
    submit: 'Inloggen',
    invalid: 'Gebruikersnaam of wachtwoord klopt niet.',
    throttled: (minutes: number) =>
      `Te veel mislukte pogingen. Probeer het over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'} opnieuw.`,
    language: 'English',
    languageLabel: 'Show this page in English',
    totpTitle: 'Tweede stap',
    totpIntro: 'Voer de zescijferige code uit je authenticator-app in.',
    code: 'Code',
    codeHint: '6 cijfers, ververst elke 30 seconden; of een van je herstelcodes',
    totpSubmit: 'Bevestigen',
    totpInvalid: 'Die code klopt niet of is al gebruikt. Wacht op de volgende code.',
    cancel: 'Annuleren en opnieuw inloggen',
  },
  en: {
    title: 'Log in',
    intro: 'Log in to the Candor workspace.',
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    invalid: 'The username or password is not right.',
    throttled: (minutes: number) =>
      `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    language: 'Nederlands',
    languageLabel: 'Toon deze pagina in het Nederlands',
    totpTitle: 'Second step',
    totpIntro: 'Enter the six-digit code from your authenticator app.',
    code: 'Code',
    codeHint: '6 digits, renewed every 30 seconds; or one of your recovery codes',
    totpSubmit: 'Confirm',
    totpInvalid: 'That code is not right or was used already. Wait for the next code.',
    cancel: 'Cancel and log in again',
  },
});

/** Why the last attempt failed, if it did. */
export type LoginProblem = { kind: 'invalid' } | { kind: 'throttled'; retryAfterMs: number };

function problemText(view: ViewContext, problem: LoginProblem | null): string | null {
  const t = texts(localeOf(view));
  if (!problem) return null;
  if (problem.kind === 'invalid') return t.invalid;
  return t.throttled(Math.max(1, Math.ceil(problem.retryAfterMs / 60_000)));
}

/** The login form. */
export function renderLoginPage(
  view: ViewContext,
  input: { username: string; next: string; problem: LoginProblem | null },
): string {
  const locale = localeOf(view);
  const t = texts(locale);
  const error = problemText(view, input.problem);
  const other = locale === 'nl' ? 'en' : 'nl';
  return renderBarePage(view, {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <p>${t.intro}</p>
      ${error ? html`<div class="flash flash-error" role="alert" id="login-error">${error}</div>` : ''}
      <form method="post" action="/app/login" class="card" novalidate>
        <input type="hidden" name="next" value="${input.next}" />
        <div class="field">
          <label for="username">${t.username}</label>
          <input
            id="username"
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck="false"
            required
            value="${input.username}"
            ${error ? html`aria-describedby="login-error"` : ''}
            ${input.username ? '' : html`autofocus`}
          />
        </div>
        <div class="field">
          <label for="password">${t.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            ${input.username ? html`autofocus` : ''}
          />
        </div>
        <button type="submit">${t.submit}</button>
      </form>
      <p>
        <a
          href="/app/login?lang=${other}&amp;next=${encodeURIComponent(input.next)}"
          lang="${other}"
          hreflang="${other}"
          >${t.language}</a
        >
      </p>`,
  });
}

/** The second-factor form after the password. */
export function renderTotpLoginPage(
  view: ViewContext,
  input: { next: string; invalid: boolean; throttledMs: number },
): string {
  const t = texts(localeOf(view));
  const error =
    input.throttledMs > 0
      ? t.throttled(Math.max(1, Math.ceil(input.throttledMs / 60_000)))
      : input.invalid
        ? t.totpInvalid
        : null;
  return renderBarePage(view, {
    title: t.totpTitle,
    main: html`<h1>${t.totpTitle}</h1>
      <p>${t.totpIntro}</p>
      ${error ? html`<div class="flash flash-error" role="alert" id="totp-error">${error}</div>` : ''}
      <form method="post" action="/app/login/totp" class="card">
        ${csrfField(view)}
        <input type="hidden" name="next" value="${input.next}" />
        <div class="field">
          <label for="code">${t.code}</label>
          <span class="hint" id="code-hint">${t.codeHint}</span>
          <input
            id="code"
            name="code"
            type="text"
            autocomplete="one-time-code"
            autocapitalize="off"
            spellcheck="false"
            maxlength="20"
            required
            autofocus
            aria-describedby="code-hint${error ? ' totp-error' : ''}"
          />
        </div>
        <button type="submit">${t.totpSubmit}</button>
      </form>
      <form method="post" action="/app/logout">
        ${csrfField(view)}
        <button type="submit" class="secondary">${t.cancel}</button>
      </form>`,
  });
}
