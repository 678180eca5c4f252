import { LANGUAGES, type Language } from '../../../config.js';
import type { NoticeText } from '../../../domain/notice.js';
import {
  chipChoices,
  readableOrNull,
  type ChipChoice,
} from '../../../domain/notices/notice-chips.js';
import type { NoticePreview } from '../../../services/notices/case-workspace-preview.js';
import { html, type SafeHtml } from '../html.js';
import { fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { noticeFrame, noticePreviewView, noticeStatus } from './notice-preview.view.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    edit: 'Tekst bewerken',
    language: { nl: 'Nederlands', en: 'Engels' },
    subject: 'Onderwerp',
    body: 'Tekst',
    bodyHint:
      'Gewone tekst of Markdown. Wat per ontvanger of zaak verschilt staat tussen dubbele blokhaken, zoals [[Naam klant]]; kies ze uit de lijst.',
    source: 'Geavanceerd: broncode van het sjabloon (opgeslagen versie)',
    sourceOnly:
      'Deze tekst bevat sjablooncode die niet leesbaar kan worden getoond; u bewerkt hier de broncode.',
    chips: 'Invoegen',
    chipsHint:
      'Klik om in te voegen waar de cursor staat. Zonder JavaScript: typ de naam tussen dubbele blokhaken.',
    groups: {
      statements: 'Teksten van de zaak',
      customer: 'De ontvanger',
      case: 'De zaak',
      organisation: 'Wij',
      impact: 'Uit de lijst van getroffenen',
      facts: 'Alleen als vastgelegd (blok eindigt met [[einde]])',
    },
    save: 'Opslaan',
    previewAs: 'Voorbeeld als',
    sampleId: 'of klantnummer',
    previewLanguage: 'Taal van het voorbeeld',
    show: 'Voorbeeld tonen',
    liveHint: 'Het voorbeeld volgt wat u typt; zonder JavaScript toont de knop het concept.',
  },
  en: {
    edit: 'Edit the text',
    language: { nl: 'Dutch', en: 'English' },
    subject: 'Subject',
    body: 'Text',
    bodyHint:
      'Plain text or Markdown. What differs per recipient or case is in double square brackets, such as [[Customer name]]; pick them from the list.',
    source: 'Advanced: template source (saved version)',
    sourceOnly:
      'This text holds template code that cannot be shown readably; you are editing its source.',
    chips: 'Insert',
    chipsHint:
      'Click to insert where the cursor is. Without JavaScript: type the name in double square brackets.',
    groups: {
      statements: 'Texts of the case',
      customer: 'The recipient',
      case: 'The case',
      organisation: 'Us',
      impact: 'From the list of affected',
      facts: 'Only if recorded (the block ends with [[end]])',
    },
    save: 'Save',
    previewAs: 'Preview as',
    sampleId: 'or customer number',
    previewLanguage: 'Language of the preview',
    show: 'Show preview',
    liveHint: 'The preview follows what you type; without JavaScript the button shows the draft.',
  },
});

export interface NoticeEditorModel {
  base: string;
  title: string;
  /** The stored texts (Liquid), for the advanced view. */
  saved: Partial<Record<string, NoticeText>>;
  /** What is in the fields: stored texts, or a draft that failed to save (as posted). */
  draft: Partial<Record<string, NoticeText>>;
  /** Per language: the draft is readable text (chips), else Liquid source. */
  draftIsReadable: boolean;
  preview: NoticePreview | null;
  canWrite: boolean;
  errors: FormErrors;
}

/** One language version in the fields: readable when the transform is exact, else source. */
function fieldsOf(
  model: NoticeEditorModel,
  language: Language,
  locale: Language,
): { format: 'readable' | 'liquid'; subject: string; body: string } {
  const text = model.draft[language]!;
  if (model.draftIsReadable) return { format: 'readable', ...text };
  const subject = readableOrNull(text.subject, locale);
  const body = readableOrNull(text.body, locale);
  if (subject === null || body === null) return { format: 'liquid', ...text };
  return { format: 'readable', subject, body };
}

/** The editor: both languages side by side in readable form, the chip list, one live preview. */
export function noticeEditor(view: ViewContext, model: NoticeEditorModel): SafeHtml {
  const locale = sessionOf(view).locale;
  const t = texts(locale);
  const { base, preview } = model;
  const languages = LANGUAGES.filter((l) => model.draft[l]);
  const language = preview?.language ?? languages[0] ?? 'nl';
  const sample = preview?.recipient?.externalId ?? '';
  const frameSrc = `${base}/preview.html?lang=${encodeURIComponent(language)}&sample=${encodeURIComponent(sample)}`;
  const readonly = model.canWrite ? '' : html`readonly`;
  return html`<section class="card case-panel" aria-labelledby="editor-heading">
    <h2 id="editor-heading">${t.edit}: ${model.title}</h2>
    <form
      method="post"
      action="${base}"
      class="case-form notice-editor"
      data-live-frame
      hx-post="${base}/live"
      hx-trigger="input delay:500ms, change from:#notice-sample, change from:#notice-language"
      hx-target="#notice-live"
      hx-swap="innerHTML"
    >
      ${csrfField(view)}
      <p class="hint case-hint" id="notice-body-hint">${t.bodyHint}</p>
      <div class="notice-editor-grid">
        <div class="notice-languages">
          ${languages.map((l) => {
            const f = fieldsOf(model, l, locale);
            return html`<fieldset class="notice-language" lang="${l}">
              <legend>${t.language[l]}</legend>
              <input type="hidden" name="${l}.format" value="${f.format}" />
              <label for="notice-${l}-subject">${t.subject}</label>
              <input
                id="notice-${l}-subject"
                name="${l}.subject"
                value="${f.subject}"
                maxlength="300"
                required
                ${readonly}
                ${fieldAria(model.errors, `${l}.subject`, 'notice')}
              />
              ${fieldError(model.errors, `${l}.subject`, 'notice')}
              <label for="notice-${l}-body">${t.body}</label>
              ${f.format === 'liquid' ? html`<p class="hint case-hint">${t.sourceOnly}</p>` : ''}
              <textarea
                id="notice-${l}-body"
                name="${l}.body"
                rows="22"
                required
                class="notice-body${f.format === 'liquid' ? ' code case-code' : ''}"
                ${readonly}
                ${
                  model.errors[`${l}.body`]
                    ? fieldAria(model.errors, `${l}.body`, 'notice')
                    : html`aria-describedby="notice-body-hint"`
                }
              >
${f.body}</textarea>
              ${fieldError(model.errors, `${l}.body`, 'notice')}
              ${
                model.saved[l]
                  ? html`<details class="notice-source">
                      <summary>${t.source}</summary>
                      <pre class="code case-code notice-text" tabindex="0">
${model.saved[l].subject}

${model.saved[l].body}</pre>
                    </details>`
                  : ''
              }
            </fieldset>`;
          })}
        </div>
        ${model.canWrite ? chipList(view) : ''}
      </div>
      <div class="actions case-actions">
        ${model.canWrite ? html`<button type="submit" class="case-primary">${t.save}</button>` : ''}
      </div>
      <div class="notice-preview-controls">
        <label for="notice-language">${t.previewLanguage}</label>
        <select id="notice-language" name="lang">
          ${languages.map(
            (l) =>
              html`<option value="${l}" ${l === language ? html`selected` : ''}>
                ${t.language[l]}
              </option>`,
          )}
        </select>
        <label for="notice-sample">${t.previewAs}</label>
        <select id="notice-sample" name="sample">
          ${(preview?.samples ?? []).map(
            (s) =>
              html`<option value="${s.externalId}" ${s.externalId === sample ? html`selected` : ''}>
                ${s.name ?? s.externalId} (${s.externalId}, ${s.language})
              </option>`,
          )}
        </select>
        <label for="notice-sample-id">${t.sampleId}</label>
        <input
          id="notice-sample-id"
          name="sampleId"
          autocomplete="off"
          spellcheck="false"
          maxlength="200"
          class="case-sample-id"
        />
        <button
          type="submit"
          formaction="${base}/preview.html"
          formtarget="notice-preview-frame"
          formnovalidate
          data-frame-submit
        >
          ${t.show}
        </button>
      </div>
      <p class="hint case-hint">${t.liveHint}</p>
    </form>
    <div class="notice-preview">
      ${noticeFrame(view, frameSrc)} ${noticeStatus(view, preview, false)}
      <div id="notice-live">${preview ? noticePreviewView(view, preview) : ''}</div>
    </div>
  </section>`;
}

function endChip(locale: Language): string {
  return locale === 'nl' ? '[[einde]]' : '[[end]]';
}

function chipList(view: ViewContext): SafeHtml {
  const locale = sessionOf(view).locale;
  const t = texts(locale);
  const groups = new Map<ChipChoice['group'], ChipChoice[]>();
  for (const c of chipChoices(locale)) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
  return html`<aside class="notice-chips" aria-labelledby="chips-heading">
    <h3 id="chips-heading">${t.chips}</h3>
    <p class="hint case-hint">${t.chipsHint}</p>
    ${[...groups].map(
      ([group, choices]) =>
        html`<h4>${t.groups[group]}</h4>
          <ul class="chip-list">
            ${choices.map(
              (c) =>
                html`<li>
                  <button
                    type="button"
                    class="chip"
                    data-chip="${c.chip}"
                    ${c.group === 'facts' ? html`data-chip-end="${endChip(locale)}"` : ''}
                  >
                    ${c.chip}
                  </button>
                </li>`,
            )}
          </ul>`,
    )}
  </aside>`;
}
