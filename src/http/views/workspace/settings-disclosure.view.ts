import type { PublicationSettings } from '../../../services/publication/disclosure.service.js';
import { html, type SafeHtml } from '../html.js';
import { errorSummary, fieldError, type FormErrors } from './case-form.view.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    link: 'Interne domeinen, servernamen en leesbaarheid',
    title: 'Controle op wat niet naar buiten mag',
    intro:
      'Voordat een openbare melding, een persbericht of een klantmelding wordt goedgekeurd, zoekt Candor naar wat niet naar buiten mag. Vul hier aan wat alleen uw organisatie weet.',
    internalDomains: 'Interne domeinen',
    internalDomainsHint:
      'Eén per regel, bijvoorbeeld corp.example.com. Hostnamen onder deze domeinen horen in geen enkele melding.',
    infrastructureKeys: 'Klantkenmerken met namen van servers',
    infrastructureKeysHint:
      'Eén per regel. De waarden van deze kenmerken in het klantenbestand (bijvoorbeeld server: cp3) horen niet in een openbare melding of persbericht; een klantmelding mag de eigen server van de klant wel noemen.',
    internalNames: 'Andere interne namen',
    internalNamesHint:
      'Eén per regel, bijvoorbeeld db-cluster-2 of een projectnaam. Hoofdletters tellen niet; alleen hele woorden tellen.',
    readabilityThreshold: 'Drempel voor leesbaarheid',
    readabilityThresholdHint:
      'Een tekst met een lagere score (Flesch–Douma, Flesch) krijgt een waarschuwing. Tussen -100 en 120.',
    save: 'Opslaan',
    errors: 'Controleer de gemarkeerde velden.',
  },
  en: {
    link: 'Internal domains, server names and readability',
    title: 'Disclosure check',
    intro:
      'Before a public notice, a press release or a customer notice is approved, Candor looks for what must not leave the house. Add here what only your organisation knows.',
    internalDomains: 'Internal domains',
    internalDomainsHint:
      'One per line, for example corp.example.com. Host names under these domains belong in no notice.',
    infrastructureKeys: 'Customer attributes that hold server names',
    infrastructureKeysHint:
      "One per line. The values of these attributes in the customer registry (for example server: cp3) do not belong in a public notice or press release; a customer notice may name the customer's own server.",
    internalNames: 'Other internal names',
    internalNamesHint:
      'One per line, for example db-cluster-2 or a project name. Case does not matter; only whole words count.',
    readabilityThreshold: 'Readability threshold',
    readabilityThresholdHint:
      'A text that scores lower (Flesch, Flesch–Douma) gets a warning. Between -100 and 120.',
    save: 'Save',
    errors: 'Check the marked fields.',
  },
});

/** The form's fields as typed: lists one item per line. */
export type DisclosureSettingsForm = Record<
  'internalDomains' | 'infrastructureAttributeKeys' | 'internalNames' | 'readabilityThreshold',
  string
>;

/** The stored settings in the form's shape. */
export function disclosureSettingsForm(settings: PublicationSettings): DisclosureSettingsForm {
  return {
    internalDomains: settings.internalDomains.join('\n'),
    infrastructureAttributeKeys: settings.infrastructureAttributeKeys.join('\n'),
    internalNames: settings.internalNames.join('\n'),
    readabilityThreshold: String(settings.readabilityThreshold),
  };
}

/** The link on the settings page. */
export function disclosureSettingsLink(view: ViewContext): SafeHtml {
  const t = texts(sessionOf(view).locale);
  return html`<h2>${t.title}</h2>
    <p><a href="/app/settings/disclosure">${t.link}</a></p>`;
}

/** /app/settings/disclosure: what the disclosure check looks for besides its built-in rules. */
export function renderDisclosureSettings(
  view: ViewContext,
  model: { values: DisclosureSettingsForm; errors: FormErrors },
): { title: string; main: SafeHtml } {
  const t = texts(sessionOf(view).locale);
  const { values, errors } = model;
  const prefix = 'disclosure';
  // The hint stays announced next to the error: it says what a valid entry looks like.
  const aria = (name: keyof DisclosureSettingsForm) =>
    errors[name]
      ? html`aria-invalid="true" aria-describedby="${prefix}-${name}-hint ${prefix}-${name}-error"`
      : html`aria-describedby="${prefix}-${name}-hint"`;
  const list = (name: keyof DisclosureSettingsForm, label: string, hint: string) =>
    html`<div class="field">
      <label for="${prefix}-${name}">${label}</label>
      <span class="hint" id="${prefix}-${name}-hint">${hint}</span>
      <textarea id="${prefix}-${name}" name="${name}" rows="5" spellcheck="false" ${aria(name)}>
${values[name]}</textarea>
      ${fieldError(errors, name, prefix)}
    </div>`;
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <p>${t.intro}</p>
      <form method="post" action="/app/settings/disclosure" novalidate>
        ${csrfField(view)} ${errorSummary(t.errors, errors, prefix)}
        ${list('internalDomains', t.internalDomains, t.internalDomainsHint)}
        ${list('infrastructureAttributeKeys', t.infrastructureKeys, t.infrastructureKeysHint)}
        ${list('internalNames', t.internalNames, t.internalNamesHint)}
        <div class="field">
          <label for="${prefix}-readabilityThreshold">${t.readabilityThreshold}</label>
          <span class="hint" id="${prefix}-readabilityThreshold-hint"
            >${t.readabilityThresholdHint}</span
          >
          <input
            id="${prefix}-readabilityThreshold"
            name="readabilityThreshold"
            type="number"
            min="-100"
            max="120"
            step="any"
            value="${values.readabilityThreshold}"
            ${aria('readabilityThreshold')}
          />
          ${fieldError(errors, 'readabilityThreshold', prefix)}
        </div>
        <button type="submit">${t.save}</button>
      </form>`,
  };
}
