import type { Organisation } from '../../../domain/organisation.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField } from './workspace-layout.view.js';
import { disclosureSettingsLink } from './settings-disclosure.view.js';
import { integrationLinks } from './settings-integrations.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    title: 'Instellingen',
    organisation: 'Organisatie',
    orgIntro: 'Deze gegevens staan in elke melding en op elke persoonlijke pagina.',
    name: 'Naam van de organisatie',
    website: 'Website',
    postalAddress: 'Postadres (briefhoofd en retouradres van brieven)',
    postalAddressHint:
      'Regels gescheiden door komma’s, bijvoorbeeld: Voorbeeldstraat 1, 1234 AB Amsterdam',
    sender: 'Afzender',
    senderName: 'Naam van de afzender',
    senderEmail: 'Afzenderadres',
    senderHint: 'Het From-adres van elke melding. Zorg dat SPF/DKIM dit domein dekken.',
    contact: 'Contactpunt',
    contactEmail: 'E-mail voor vragen',
    contactPhone: 'Telefoon',
    dpoEmail: 'E-mail van de functionaris gegevensbescherming (FG/DPO)',
    optional: 'optioneel',
    save: 'Opslaan',
    installation: 'Installatie',
    installationIntro:
      'Deze waarden komen uit de configuratie van de server (omgevingsvariabelen) en gelden voor alle processen; wijzig ze daar.',
    defaultLanguage: 'Standaardtaal',
    publicUrl: 'Publieke URL',
    errors: 'Controleer de gemarkeerde velden.',
  },
  en: {
    title: 'Settings',
    organisation: 'Organisation',
    orgIntro: 'These details appear in every notice and on every personal page.',
    name: 'Organisation name',
    website: 'Website',
    postalAddress: 'Postal address (letterhead and return address of letters)',
    postalAddressHint: 'Lines separated by commas, for example: 1 Example Street, London SW1A 1AA',
    sender: 'Sender',
    senderName: 'Sender name',
    senderEmail: 'Sender address',
    senderHint: 'The From address of every notice. Make sure SPF/DKIM cover its domain.',
    contact: 'Contact point',
    contactEmail: 'Email for questions',
    contactPhone: 'Phone',
    dpoEmail: 'Email of the data protection officer (DPO)',
    optional: 'optional',
    save: 'Save',
    installation: 'Installation',
    installationIntro:
      "These come from the server's configuration (environment variables) and hold for every process; change them there.",
    defaultLanguage: 'Default language',
    publicUrl: 'Public URL',
    errors: 'Check the marked fields.',
  },
});

/** Field errors by field name. */
export type SettingsErrors = Partial<Record<keyof Organisation, string>>;

/** The settings page: the organisation form and the installation's fixed values. */
export function renderSettings(
  view: ViewContext,
  input: {
    organisation: Organisation;
    errors: SettingsErrors;
    installation: { defaultLanguage: string; publicUrl: string };
  },
): { title: string; main: SafeHtml } {
  const t = texts(sessionOf(view).locale);
  const o = input.organisation;
  const field = (
    name: keyof Organisation,
    label: string,
    type: string,
    options: { hint?: string; optional?: boolean; autocomplete?: string } = {},
  ) => {
    const error = input.errors[name];
    const described = [options.hint ? `${name}-hint` : '', error ? `${name}-error` : '']
      .filter(Boolean)
      .join(' ');
    return html`<div class="field">
      <label for="${name}"
        >${label}${options.optional ? html` <span class="muted">(${t.optional})</span>` : ''}</label
      >
      ${options.hint ? html`<span class="hint" id="${name}-hint">${options.hint}</span>` : ''}
      <input
        id="${name}"
        name="${name}"
        type="${type}"
        value="${o[name]}"
        autocomplete="${options.autocomplete ?? 'off'}"
        ${options.optional ? '' : html`required`}
        ${error ? html`aria-invalid="true"` : ''}
        ${described ? html`aria-describedby="${described}"` : ''}
      />
      ${error ? html`<span class="error-text" id="${name}-error">${error}</span>` : ''}
    </div>`;
  };
  const hasErrors = Object.keys(input.errors).length > 0;
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      ${hasErrors ? html`<div class="flash flash-error" role="alert">${t.errors}</div>` : ''}
      <form method="post" action="/app/settings" novalidate>
        ${csrfField(view)}
        <fieldset>
          <legend>${t.organisation}</legend>
          <p class="hint">${t.orgIntro}</p>
          ${field('name', t.name, 'text', { autocomplete: 'organization' })}
          ${field('website', t.website, 'url', { optional: true })}
          ${field('postalAddress', t.postalAddress, 'text', {
            optional: true,
            hint: t.postalAddressHint,
          })}
        </fieldset>
        <fieldset>
          <legend>${t.sender}</legend>
          ${field('senderName', t.senderName, 'text', { optional: true })}
          ${field('senderEmail', t.senderEmail, 'email', { hint: t.senderHint })}
        </fieldset>
        <fieldset>
          <legend>${t.contact}</legend>
          ${field('contactEmail', t.contactEmail, 'email')}
          ${field('contactPhone', t.contactPhone, 'text', { optional: true })}
          ${field('dpoEmail', t.dpoEmail, 'email', { optional: true })}
        </fieldset>
        <button type="submit">${t.save}</button>
      </form>
      ${disclosureSettingsLink(view)} ${integrationLinks(view)}
      <h2>${t.installation}</h2>
      <div class="card">
        <p>${t.installationIntro}</p>
        <dl class="facts">
          <dt>${t.defaultLanguage}</dt>
          <dd>${input.installation.defaultLanguage} <code>CANDOR_DEFAULT_LANGUAGE</code></dd>
          <dt>${t.publicUrl}</dt>
          <dd>${input.installation.publicUrl} <code>CANDOR_PUBLIC_URL</code></dd>
        </dl>
      </div>`,
  };
}
