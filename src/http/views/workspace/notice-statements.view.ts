import { LANGUAGES } from '../../../config.js';
import {
  STATEMENT_AUDIENCES,
  STATEMENT_HINTS,
  STATEMENT_KEYS,
  STATEMENT_LABELS,
  type CaseStatements,
  type StatementKey,
} from '../../../domain/statements.js';
import { html, type SafeHtml } from '../html.js';
import { fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    heading: 'Teksten van de zaak',
    intro:
      'Wat deze zaak aan de klanten vertelt, per onderwerp in beide talen naast elkaar. De berichten nemen deze teksten over; een wijziging maakt een goedkeuring die de tekst gebruikt ongeldig. Gewone tekst of Markdown, zonder variabelen.',
    language: { nl: 'Nederlands', en: 'Engels' },
    save: 'Teksten opslaan',
  },
  en: {
    heading: 'Texts of the case',
    intro:
      'What this case tells the customers, per topic in both languages side by side. Notices take these texts over; a change voids an approval that uses the text. Plain text or Markdown, without placeholders.',
    language: { nl: 'Dutch', en: 'English' },
    save: 'Save the texts',
  },
});

/** The statements a notice to the affected uses, in the editor's order. */
export const AFFECTED_STATEMENT_KEYS: readonly StatementKey[] = STATEMENT_KEYS.filter((key) =>
  STATEMENT_AUDIENCES[key].includes('affected'),
);

/** The statements form: per key, label and hint, the languages side by side. */
export function statementsSection(
  view: ViewContext,
  model: {
    action: string;
    statements: CaseStatements;
    canWrite: boolean;
    errors: FormErrors;
  },
): SafeHtml {
  const locale = sessionOf(view).locale;
  const t = texts(locale);
  const readonly = model.canWrite ? '' : html`readonly`;
  return html`<section class="card case-panel" aria-labelledby="statements-heading">
    <h2 id="statements-heading">${t.heading}</h2>
    <p class="hint case-hint">${t.intro}</p>
    <form method="post" action="${model.action}" class="case-form statements-form">
      ${csrfField(view)}
      ${AFFECTED_STATEMENT_KEYS.map(
        (key) =>
          html`<fieldset class="statement" aria-describedby="statement-${key}-hint">
            <legend>${capital(STATEMENT_LABELS[key][locale])}</legend>
            <p class="hint case-hint" id="statement-${key}-hint">${STATEMENT_HINTS[key][locale]}</p>
            <div class="notice-languages">
              ${LANGUAGES.map((l) => {
                const field = `${key}.${l}`;
                return html`<div lang="${l}">
                  <label for="statement-${key}-${l}"
                    >${capital(STATEMENT_LABELS[key][locale])} — ${t.language[l]}</label
                  >
                  <textarea
                    id="statement-${key}-${l}"
                    name="${field}"
                    rows="${key === 'headline' ? 1 : 4}"
                    ${readonly}
                    ${fieldAria(model.errors, field, 'statement')}
                  >
${model.statements[key]?.[l] ?? ''}</textarea>
                  ${fieldError(model.errors, field, 'statement')}
                </div>`;
              })}
            </div>
          </fieldset>`,
      )}
      ${
        model.canWrite
          ? html`<div class="actions case-actions">
              <button type="submit">${t.save}</button>
            </div>`
          : ''
      }
    </form>
  </section>`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
