import type { PublicLanguage } from '../../../domain/publication.js';
import { formatRecipientDate } from '../../../domain/recipient-time.js';
import type { NoticeVerification } from '../../../services/notices/notice-verification.service.js';
import { html } from '../html.js';
import { localPath, securityPage } from './security-layout.view.js';

/** The verify page (/security/verify, /en/security/verify): a plain form, no script. */

const TEXTS = {
  nl: {
    title: 'Is dit bericht echt van ons?',
    description: 'Controleer met de berichtcode of een bericht echt van ons komt.',
    intro: (org: string) =>
      `Elk persoonlijk bericht van ${org} heeft een berichtcode, zoals K7Q4-M2XP-9ABC. U vindt die naast de knop en onderaan het bericht. Vul de code hier in om na te gaan of het bericht echt van ons is. Wij laten zien wanneer het is verstuurd en over welke zaak het gaat; niets over aan wie.`,
    label: 'Berichtcode',
    hint: '12 of 16 tekens. Hoofdletters, spaties en streepjes maken niet uit.',
    submit: 'Controleren',
    genuineTitle: (org: string) => `Echt: dit bericht is van ${org}`,
    code: 'Berichtcode',
    sentOn: 'Verstuurd op',
    about: 'Over',
    unpublished: (reference: string) =>
      `een zaak die (nog) niet op onze publieke pagina staat (kenmerk ${reference})`,
    reference: 'kenmerk',
    genuineAdvice:
      'Past het bericht dat u hebt bij deze datum en deze zaak? Dan is het van ons. Past het niet, of vraagt het om uw wachtwoord of om geld? Dan komt het niet van ons.',
    neutralTitle: 'Wij kunnen deze code niet bevestigen',
    neutral:
      'Controleer of u de code goed hebt overgenomen. Vindt u hem dan nog niet? Vertrouw het bericht dan niet: klik niet op de links of knoppen erin, en neem contact met ons op via onze website.',
    goodToKnow: 'Goed om te weten',
    tips: [
      'Een echte code betekent dat wij een bericht met die code hebben verstuurd. Codes kunnen worden overgenomen: vergelijk daarom ook de datum en de zaak.',
      'Wij vragen nooit om uw wachtwoord, niet per e-mail en niet aan de telefoon.',
      'Twijfelt u? Typ zelf het adres van onze website in, log daar in of neem contact met ons op.',
    ],
    tooMany:
      'Te veel onbekende codes vanaf uw internetverbinding. Probeer het over een tijdje opnieuw.',
  },
  en: {
    title: 'Is this message really from us?',
    description: 'Check with its notice code whether a message really comes from us.',
    intro: (org: string) =>
      `Every personal notice from ${org} carries a notice code, such as K7Q4-M2XP-9ABC, next to the button and at the bottom of the message. Enter it here to check that the notice is really ours. We show when it was sent and which case it is about; nothing about whom it was for.`,
    label: 'Notice code',
    hint: '12 or 16 characters. Capitals, spaces and dashes do not matter.',
    submit: 'Check',
    genuineTitle: (org: string) => `Genuine: this notice is from ${org}`,
    code: 'Notice code',
    sentOn: 'Sent on',
    about: 'About',
    unpublished: (reference: string) =>
      `a case that is not (yet) on our public page (reference ${reference})`,
    reference: 'reference',
    genuineAdvice:
      'Does the message you have match this date and this case? Then it is ours. Does it not, or does it ask for your password or for money? Then it is not from us.',
    neutralTitle: 'We cannot confirm this code',
    neutral:
      'Check that you copied the code correctly. Still not found? Then do not trust the message: do not click its links or buttons, and contact us through our website.',
    goodToKnow: 'Good to know',
    tips: [
      'A genuine code means that we sent a notice with that code. Codes can be copied, so compare the date and the case as well.',
      'We never ask for your password, by email or on the phone.',
      'Not sure? Type the address of our website yourself, log in there or get in touch with us.',
    ],
    tooMany: 'Too many unknown codes from your internet connection. Please try again in a while.',
  },
} as const;

/** What the page shows above the form: nothing yet, a genuine notice, or the one neutral answer. */
export type VerifyOutcome =
  | { kind: 'form' }
  | { kind: 'genuine'; verification: NoticeVerification }
  | { kind: 'unknown' }
  | { kind: 'tooMany' };

export interface VerifySite {
  organisation: string;
  publicUrl: string;
  /** The installation's time zone, for the date a notice was sent. */
  timeZone: string;
}

/** The verify page in one language, with the outcome of a check above the form. */
export function renderVerifyPage(
  language: PublicLanguage,
  site: VerifySite,
  outcome: VerifyOutcome,
): string {
  const t = TEXTS[language];
  const action = localPath('/security/verify', language);
  const result = (() => {
    switch (outcome.kind) {
      case 'genuine': {
        const v = outcome.verification;
        const about = v.case.published
          ? html`<a href="${v.case.published.path}">${v.case.published.title}</a> (${t.reference}
              ${v.case.reference})`
          : t.unpublished(v.case.reference);
        return html`<section class="verdict ok" role="status" aria-labelledby="verdict">
          <h2 id="verdict">${t.genuineTitle(site.organisation)}</h2>
          <dl>
            <dt>${t.code}</dt>
            <dd class="code">${v.code}</dd>
            <dt>${t.sentOn}</dt>
            <dd>${formatRecipientDate(v.sentAt, language, site.timeZone)}</dd>
            <dt>${t.about}</dt>
            <dd>${about}</dd>
          </dl>
          <p>${t.genuineAdvice}</p>
        </section>`;
      }
      case 'unknown':
        return html`<section class="verdict unknown" role="status" aria-labelledby="verdict">
          <h2 id="verdict">${t.neutralTitle}</h2>
          <p>${t.neutral}</p>
        </section>`;
      case 'tooMany':
        return html`<section class="verdict unknown" role="status">
          <p>${t.tooMany}</p>
        </section>`;
      default:
        return '';
    }
  })();
  const main = html`<h1>${t.title}</h1>
    <p>${t.intro(site.organisation)}</p>
    ${result}
    <form class="verify" method="post" action="${action}">
      <label for="code">${t.label}</label>
      <input
        id="code"
        name="code"
        type="text"
        required
        maxlength="40"
        autocomplete="off"
        autocapitalize="characters"
        spellcheck="false"
        aria-describedby="code-hint"
      />
      <p class="hint" id="code-hint">${t.hint}</p>
      <button type="submit">${t.submit}</button>
    </form>
    <h2>${t.goodToKnow}</h2>
    <ul>
      ${t.tips.map((tip) => html`<li>${tip}</li>`)}
    </ul>`;
  return securityPage({
    language,
    path: '/security/verify',
    title: t.title,
    description: t.description,
    organisation: site.organisation,
    publicUrl: site.publicUrl,
    main,
  });
}
