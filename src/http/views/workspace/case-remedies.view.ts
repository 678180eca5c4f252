import { LANGUAGES, type Language } from '../../../config.js';
import type { CaseView } from '../../../domain/case.js';
import type { RemedyList, RemedyView } from '../../../services/remedies/remedy.service.js';
import { html, type SafeHtml } from '../html.js';
import { errorSummary, fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { csrfField } from './workspace-layout.view.js';
import { formatNumber } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

export const remediesTexts = defineTexts({
  nl: {
    title: 'Herstelacties',
    intro:
      'Wat getroffen klanten moeten doen, elk met een titel en instructies in de talen van het bericht, en wie zegt dat het gedaan is.',
    none: 'Nog geen herstelacties.',
    caption: 'Herstelacties van deze zaak',
    cols: {
      key: 'Sleutel',
      title: 'Titel',
      rule: 'Afgerond als',
      completed: 'Afgerond',
      state: 'Status',
    },
    rules: {
      customer: 'de klant het bevestigt',
      provider: 'wij het bevestigen (API)',
      both: 'klant én wij het bevestigen',
    },
    completedOf: (done: string, all: string) => `${done} van ${all}`,
    active: 'actief',
    retired: 'vervallen',
    languages: { nl: 'Nederlands', en: 'Engels' },
    languagesNeeded: (list: string) => `Het bericht is geschreven in: ${list}.`,
    add: 'Herstelactie toevoegen',
    key: 'Sleutel (kleine letters, cijfers en streepjes, bijv. update-plugin)',
    rule: 'Afgerond als',
    fieldTitle: 'Titel',
    instructions: 'Instructies (Markdown)',
    save: 'Opslaan',
    edit: (key: string) => `Teksten van ${key} bewerken`,
    retire: 'Laten vervallen',
    restore: 'Terugzetten',
    errors: 'Controleer het formulier:',
    added: (key: string) => `Herstelactie ${key} toegevoegd.`,
    saved: (key: string) => `Herstelactie ${key} opgeslagen.`,
    retiredFlash: (key: string) => `Herstelactie ${key} vervallen.`,
    restoredFlash: (key: string) => `Herstelactie ${key} teruggezet.`,
    fieldErrors: {
      key: 'Een sleutel bestaat uit kleine letters, cijfers en streepjes (hoogstens 63), bijvoorbeeld update-plugin.',
      keyTaken: (key: string) => `"${key}" is al een herstelactie van deze zaak.`,
      titleNeeded: 'Vul een titel in.',
      needsLanguage: (language: string) =>
        `Het klantbericht is in het ${language} geschreven, dus de herstelactie heeft ook daarin een titel nodig.`,
      languages: { nl: 'Nederlands', en: 'Engels' },
    },
  },
  en: {
    title: 'Remedies',
    intro:
      'What affected customers must do, each with a title and instructions in the languages of the notice, and who says it is done.',
    none: 'No remedies yet.',
    caption: 'Remedies of this case',
    cols: {
      key: 'Key',
      title: 'Title',
      rule: 'Completed when',
      completed: 'Completed',
      state: 'State',
    },
    rules: {
      customer: 'the customer confirms',
      provider: 'we confirm (API)',
      both: 'customer and we confirm',
    },
    completedOf: (done: string, all: string) => `${done} of ${all}`,
    active: 'active',
    retired: 'retired',
    languages: { nl: 'Dutch', en: 'English' },
    languagesNeeded: (list: string) => `The notice is written in: ${list}.`,
    add: 'Add a remedy',
    key: 'Key (lowercase letters, digits and hyphens, e.g. update-plugin)',
    rule: 'Completed when',
    fieldTitle: 'Title',
    instructions: 'Instructions (Markdown)',
    save: 'Save',
    edit: (key: string) => `Edit the texts of ${key}`,
    retire: 'Retire',
    restore: 'Restore',
    errors: 'Please check the form:',
    added: (key: string) => `Remedy ${key} added.`,
    saved: (key: string) => `Remedy ${key} saved.`,
    retiredFlash: (key: string) => `Remedy ${key} retired.`,
    restoredFlash: (key: string) => `Remedy ${key} restored.`,
    fieldErrors: {
      key: 'A key is lowercase letters, digits and hyphens (at most 63), for example update-plugin.',
      keyTaken: (key: string) => `"${key}" is already a remedy of this case.`,
      titleNeeded: 'Enter a title.',
      needsLanguage: (language: string) =>
        `The customer notice is written in ${language}, so the remedy needs a title in it too.`,
      languages: { nl: 'Dutch', en: 'English' },
    },
  },
});

/** Values and errors of a form that came back (422); `remedy` names the edited one, if any. */
export interface RemedyFormState {
  remedy: string | null;
  values: Record<string, string>;
  errors: FormErrors;
}

export interface RemediesPageModel {
  kase: CaseView;
  list: RemedyList;
  canWrite: boolean;
  form?: RemedyFormState;
}

/** The remedies tab's URL. */
export function remediesUrl(reference: string): string {
  return caseTabUrl(reference, 'remedies');
}

/** The form field of one language's title or instructions; its error key is the service's. */
export function textField(language: string, part: 'title' | 'instructions'): string {
  return `texts.${language}.${part}`;
}

function textInputs(
  view: ViewContext,
  prefix: string,
  values: Record<string, string>,
  errors: FormErrors,
): SafeHtml {
  const t = remediesTexts(sessionOf(view).locale);
  return html`${LANGUAGES.map((language: Language) => {
    const title = textField(language, 'title');
    const instructions = textField(language, 'instructions');
    return html`<fieldset>
      <legend>${t.languages[language]}</legend>
      <div class="field">
        <label for="${prefix}-${title}">${t.fieldTitle}</label>
        <input
          id="${prefix}-${title}"
          name="${title}"
          type="text"
          maxlength="200"
          value="${values[title] ?? ''}"
          ${fieldAria(errors, title, prefix)}
        />
        ${fieldError(errors, title, prefix)}
      </div>
      <div class="field">
        <label for="${prefix}-${instructions}">${t.instructions}</label>
        <textarea
          id="${prefix}-${instructions}"
          name="${instructions}"
          rows="4"
          ${fieldAria(errors, instructions, prefix)}
        >
${values[instructions] ?? ''}</textarea>
        ${fieldError(errors, instructions, prefix)}
      </div>
    </fieldset>`;
  })}`;
}

function addForm(view: ViewContext, m: RemediesPageModel): SafeHtml {
  const t = remediesTexts(sessionOf(view).locale);
  const state = m.form && m.form.remedy === null ? m.form : { values: {}, errors: {} };
  const values: Record<string, string> = state.values;
  const prefix = 'remedy-new';
  const completion = values.completion ?? 'customer';
  return html`<form method="post" action="${remediesUrl(m.kase.reference)}" novalidate>
    ${csrfField(view)}
    <fieldset>
      <legend>${t.add}</legend>
      ${errorSummary(t.errors, state.errors, prefix)}
      <div class="field">
        <label for="${prefix}-key">${t.key}</label>
        <input
          id="${prefix}-key"
          name="key"
          type="text"
          maxlength="63"
          value="${values.key ?? ''}"
          required
          ${fieldAria(state.errors, 'key', prefix)}
        />
        ${fieldError(state.errors, 'key', prefix)}
      </div>
      <div class="field">
        <label for="${prefix}-completion">${t.rule}</label>
        <select id="${prefix}-completion" name="completion">
          ${(['customer', 'provider', 'both'] as const).map(
            (rule) =>
              html`<option value="${rule}" ${rule === completion ? html`selected` : ''}>
                ${t.rules[rule]}
              </option>`,
          )}
        </select>
        ${fieldError(state.errors, 'completion', prefix)}
      </div>
      ${textInputs(view, prefix, values, state.errors)}
      <button type="submit">${t.add}</button>
    </fieldset>
  </form>`;
}

/** The edit form of one remedy (texts per language) and its retire/restore button. */
function editForms(view: ViewContext, m: RemediesPageModel, r: RemedyView): SafeHtml {
  const t = remediesTexts(sessionOf(view).locale);
  const prefix = `remedy-${r.key}`;
  const back = m.form?.remedy === r.key ? m.form : null;
  const values: Record<string, string> = back?.values ?? {};
  if (!back) {
    for (const [language, text] of Object.entries(r.texts)) {
      values[textField(language, 'title')] = text.title;
      values[textField(language, 'instructions')] = text.instructions;
    }
  }
  const errors = back?.errors ?? {};
  const action = `${remediesUrl(m.kase.reference)}/${encodeURIComponent(r.key)}`;
  return html`<details ${back ? html`open` : ''}>
      <summary>${t.edit(r.key)}</summary>
      <form method="post" action="${action}" novalidate>
        ${csrfField(view)} ${errorSummary(t.errors, errors, prefix)}
        ${textInputs(view, prefix, values, errors)}
        <button type="submit">${t.save}</button>
      </form>
    </details>
    <form method="post" action="${action}/retired">
      ${csrfField(view)}
      <input type="hidden" name="retired" value="${r.retired ? 'false' : 'true'}" />
      <button type="submit" class="secondary">${r.retired ? t.restore : t.retire}</button>
    </form>`;
}

function remedyRow(view: ViewContext, m: RemediesPageModel, r: RemedyView): SafeHtml {
  const session = sessionOf(view);
  const t = remediesTexts(session.locale);
  const n = (v: number) => formatNumber(session, v);
  return html`<tr id="remedy-${r.key}">
    <td><code>${r.key}</code></td>
    <td>
      ${LANGUAGES.filter((l) => r.texts[l]).map(
        (l) => html`<span lang="${l}">${l}: ${r.texts[l]!.title}</span><br />`,
      )}
    </td>
    <td>${t.rules[r.completion]}</td>
    <td class="num">${t.completedOf(n(r.counts.completed), n(r.counts.recipients))}</td>
    <td>
      ${
        r.retired
          ? html`<span class="badge badge-warn">${t.retired}</span>`
          : html`<span class="badge badge-ok">${t.active}</span>`
      }
    </td>
    ${m.canWrite ? html`<td>${editForms(view, m, r)}</td>` : ''}
  </tr>`;
}

/** The remedies tab's content (inside the workspace layout). */
export function renderRemediesTab(view: ViewContext, m: RemediesPageModel): SafeHtml {
  const t = remediesTexts(sessionOf(view).locale);
  const remedies = m.list.remedies;
  const languages = m.list.languages
    .map((l) => (t.languages as Record<string, string>)[l] ?? l)
    .join(', ');
  return html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'remedies')}
    <h2>${t.title}</h2>
    <p>${t.intro}</p>
    ${languages ? html`<p class="muted">${t.languagesNeeded(languages)}</p>` : ''}
    ${
      remedies.length === 0
        ? html`<p role="status">${t.none}</p>`
        : html`<div class="table-wrap" tabindex="0">
            <table class="remedies-table">
              <caption>
                ${t.caption}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.cols.key}</th>
                  <th scope="col">${t.cols.title}</th>
                  <th scope="col">${t.cols.rule}</th>
                  <th scope="col" class="num">${t.cols.completed}</th>
                  <th scope="col">${t.cols.state}</th>
                  ${m.canWrite ? html`<th scope="col"><span class="visually-hidden">${t.save}</span></th>` : ''}
                </tr>
              </thead>
              <tbody>
                ${remedies.map((r) => remedyRow(view, m, r))}
              </tbody>
            </table>
          </div>`
    }
    ${m.canWrite ? addForm(view, m) : ''}`;
}
