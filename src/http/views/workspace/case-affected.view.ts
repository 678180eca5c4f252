import type { CaseView } from '../../../domain/case.js';
import type {
  AffectedImportSummary,
  AffectedPreview,
} from '../../../services/cases/affected.service.js';
import type {
  FilterTrial,
  SampleRecipient,
} from '../../../services/notices/case-workspace-preview.js';
import { html, type SafeHtml } from '../html.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { csrfAction, csrfField } from './workspace-layout.view.js';
import { formatNumber } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    current: 'De getroffenen nu',
    frozen:
      'Deze set is bevroren toen het bericht werd verzonden. Lijst en filter zijn niet meer te wijzigen.',
    listSize: 'Op de geüploade lijst',
    filter: 'Filter',
    noFilter: 'geen',
    total: 'Getroffen klanten (lijst én filter)',
    withoutEmail: 'Zonder e-mailadres',
    sample: 'Steekproef',
    sampleCaption: (n: string) => `De eerste ${n} getroffenen`,
    customer: 'Klant',
    name: 'Naam',
    email: 'E-mail',
    language: 'Taal',
    impact: 'Wat het voor hen betekent',
    empty: 'Nog niemand. Upload een lijst of schrijf een filter.',
    upload: 'Een lijst uploaden',
    uploadIntro:
      'CSV of JSONL met een kolom external_id (uw klantnummer); elke andere kolom wordt een persoonlijke variabele, bijvoorbeeld domains of data.',
    file: 'Bestand (CSV of JSONL)',
    uploadButton: 'Uploaden',
    result: 'Resultaat van de upload',
    accepted: 'Verwerkt',
    added: 'nieuw',
    updated: 'bijgewerkt',
    duplicates: 'Dubbel',
    rejected: 'Geweigerd',
    rejectsCaption: 'Geweigerde regels',
    line: 'Regel',
    field: 'Veld',
    reason: 'Reden',
    omitted: (n: string) => `En nog ${n} meldingen die niet getoond worden.`,
    clear: 'Lijst leegmaken',
    clearConfirm: 'De hele geüploade lijst van deze zaak verwijderen?',
    writeFilter: 'Een filter schrijven',
    // The example is filter syntax (its keywords are English), shown as code.
    filterIntro: [
      'Kies klanten op hun gegevens, bijvoorbeeld',
      'Het aantal verschijnt terwijl u typt.',
    ],
    filterLabel: 'Filter',
    preview: 'Bekijk aantal',
    save: 'Filter opslaan',
    remove: 'Filter verwijderen',
    matches: 'Klanten die aan het filter voldoen',
    statusMatches: (n: string) => `${n} klanten voldoen aan het filter.`,
    combined: 'Getroffenen met dit filter (lijst én filter)',
    canonical: 'Zo leest Candor het filter',
    parseError: 'Dit filter klopt niet',
    at: (line: number, column: number) => `regel ${line}, kolom ${column}`,
    warnings: 'Let op',
    readOnly: 'U kunt de getroffenen bekijken maar niet wijzigen.',
    errorsHeading: 'Niet gelukt:',
  },
  en: {
    current: 'The affected set now',
    frozen:
      'This set was frozen when the notice was sent. The list and the filter can no longer change.',
    listSize: 'On the uploaded list',
    filter: 'Filter',
    noFilter: 'none',
    total: 'Affected customers (list and filter)',
    withoutEmail: 'Without an email address',
    sample: 'Sample',
    sampleCaption: (n: string) => `The first ${n} affected customers`,
    customer: 'Customer',
    name: 'Name',
    email: 'Email',
    language: 'Language',
    impact: 'What it means for them',
    empty: 'Nobody yet. Upload a list or write a filter.',
    upload: 'Upload a list',
    uploadIntro:
      'CSV or JSONL with an external_id column (your customer number); every other column becomes a personal variable, for example domains or data.',
    file: 'File (CSV or JSONL)',
    uploadButton: 'Upload',
    result: 'Result of the upload',
    accepted: 'Accepted',
    added: 'new',
    updated: 'updated',
    duplicates: 'Duplicates',
    rejected: 'Rejected',
    rejectsCaption: 'Rejected lines',
    line: 'Line',
    field: 'Field',
    reason: 'Reason',
    omitted: (n: string) => `And ${n} more not shown.`,
    clear: 'Empty the list',
    clearConfirm: 'Remove the whole uploaded list of this case?',
    writeFilter: 'Write a filter',
    filterIntro: ['Select customers by their data, for example', 'The count appears as you type.'],
    filterLabel: 'Filter',
    preview: 'Show count',
    save: 'Save filter',
    remove: 'Remove filter',
    matches: 'Customers matching the filter',
    statusMatches: (n: string) => `${n} customers match the filter.`,
    combined: 'Affected with this filter (list and filter)',
    canonical: 'How Candor reads the filter',
    parseError: 'This filter is not valid',
    at: (line: number, column: number) => `line ${line}, column ${column}`,
    warnings: 'Note',
    readOnly: 'You can view the affected set but not change it.',
    errorsHeading: 'That did not work:',
  },
});

export interface CaseAffectedModel {
  kase: CaseView;
  preview: AffectedPreview;
  canWrite: boolean;
  upload: AffectedImportSummary | null;
  /** The filter text in the editor (the stored one, or what was just tried). */
  filterText: string;
  trial: FilterTrial | null;
  errors: string[];
}

/** The affected tab: the set now, upload a list, write a filter with a live count. */
export function caseAffectedView(view: ViewContext, model: CaseAffectedModel): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const { kase, preview, canWrite } = model;
  const base = caseTabUrl(kase.reference, 'affected');
  const n = (value: number) => formatNumber(session, value);
  const editable = canWrite && !preview.frozen;
  return html`${caseHeader(view, kase)} ${caseTabs(view, kase, 'affected')}
    ${
      model.errors.length > 0
        ? html`<div class="case-errors" role="alert">
            <p><strong>${t.errorsHeading}</strong></p>
            <ul>
              ${model.errors.map((e) => html`<li>${e}</li>`)}
            </ul>
          </div>`
        : ''
    }
    <section class="card case-panel" aria-labelledby="current-heading">
      <h2 id="current-heading">${t.current}</h2>
      ${preview.frozen ? html`<p class="case-notice">${t.frozen}</p>` : ''}
      ${canWrite ? '' : html`<p class="muted">${t.readOnly}</p>`}
      <dl class="case-figures">
        <dt>${t.total}</dt>
        <dd id="affected-total">${n(preview.total)}</dd>
        <dt>${t.listSize}</dt>
        <dd>${n(preview.listSize)}</dd>
        <dt>${t.withoutEmail}</dt>
        <dd>${n(preview.withoutEmail)}</dd>
        <dt>${t.filter}</dt>
        <dd>${preview.filter ? html`<code>${preview.filter}</code>` : t.noFilter}</dd>
      </dl>
      ${
        preview.total === 0
          ? html`<p>${t.empty}</p>`
          : sampleTable(view, preview.sample, t.sampleCaption(n(preview.sample.length)))
      }
    </section>
    ${
      editable
        ? html`<section class="card case-panel" aria-labelledby="upload-heading">
            <h2 id="upload-heading">${t.upload}</h2>
            <p class="hint case-hint" id="upload-hint">${t.uploadIntro}</p>
            <form
              method="post"
              action="${csrfAction(view, `${base}/upload`)}"
              enctype="multipart/form-data"
              class="case-form"
            >
              <label for="affected-file">${t.file}</label>
              <input
                id="affected-file"
                type="file"
                name="file"
                required
                accept=".csv,.jsonl,.ndjson,.txt,text/csv"
                aria-describedby="upload-hint"
              />
              <button type="submit">${t.uploadButton}</button>
            </form>
            ${model.upload ? uploadResult(view, model.upload) : ''}
            ${
              preview.listSize > 0
                ? html`<form method="post" action="${base}/clear" class="actions case-actions">
                    ${csrfField(view)}
                    <button type="submit" class="danger" data-confirm="${t.clearConfirm}">
                      ${t.clear}
                    </button>
                  </form>`
                : ''
            }
          </section>`
        : ''
    }
    <section class="card case-panel" aria-labelledby="filter-heading">
      <h2 id="filter-heading">${t.writeFilter}</h2>
      <p class="hint case-hint" id="filter-hint">
        ${t.filterIntro[0]} <code>plan = "shared" and server in ["web12", "web13"]</code>.
        ${t.filterIntro[1]}
      </p>
      <form method="post" action="${base}/filter" class="case-form">
        ${csrfField(view)}
        <label for="affected-filter">${t.filterLabel}</label>
        <textarea
          id="affected-filter"
          name="filter"
          rows="4"
          maxlength="4000"
          spellcheck="false"
          class="code case-code"
          aria-describedby="filter-hint"
          aria-controls="filter-preview"
          ${editable ? '' : html`readonly`}
          hx-get="${base}/preview"
          hx-trigger="input changed delay:400ms"
          hx-target="#filter-preview"
          hx-swap="innerHTML"
        >
${model.filterText}</textarea>
        <div class="actions case-actions">
          <button type="submit" name="action" value="preview">${t.preview}</button>
          ${
            editable
              ? html`<button type="submit" name="action" value="save">${t.save}</button> ${
                    preview.filter
                      ? html`<button type="submit" name="action" value="remove" class="danger">
                          ${t.remove}
                        </button>`
                      : ''
                  }`
              : ''
          }
        </div>
      </form>
      ${filterStatus(view, model.trial, false)}
      <div id="filter-preview" class="case-filter-preview">
        ${model.trial ? filterTrialView(view, model.trial) : ''}
      </div>
    </section>`;
}

/**
 * One short sentence for screen readers, in a live region that stays in the page: the
 * preview next to it is replaced as a whole on every keystroke and would be read out in full.
 * The htmx fragment carries it out of band (`oob`), so the region itself is never replaced.
 */
export function filterStatus(view: ViewContext, trial: FilterTrial | null, oob: boolean): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const sentence = !trial
    ? ''
    : trial.ok
      ? t.statusMatches(formatNumber(session, trial.matches))
      : `${t.parseError} (${t.at(trial.line, trial.column)})`;
  return html`<p
    id="filter-status"
    class="visually-hidden"
    role="status"
    ${oob ? html`hx-swap-oob="true"` : ''}
  >
    ${sentence}
  </p>`;
}

/** The live count of a filter, or where it fails to parse (also the htmx fragment). */
export function filterTrialView(view: ViewContext, trial: FilterTrial): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const n = (value: number) => formatNumber(session, value);
  if (!trial.ok) {
    return html`<div class="case-errors">
      <p><strong>${t.parseError}</strong> (${t.at(trial.line, trial.column)}): ${trial.message}</p>
      <pre class="case-pointer" tabindex="0" aria-label="${t.at(trial.line, trial.column)}">
${trial.pointer}</pre>
    </div>`;
  }
  return html`<dl class="case-figures">
      <dt>${t.matches}</dt>
      <dd id="filter-matches">${n(trial.matches)}</dd>
      <dt>${t.combined}</dt>
      <dd>${n(trial.total)}</dd>
      <dt>${t.withoutEmail}</dt>
      <dd>${n(trial.withoutEmail)}</dd>
      <dt>${t.canonical}</dt>
      <dd><code>${trial.canonical}</code></dd>
    </dl>
    ${
      trial.warnings.length > 0
        ? html`<div class="case-warnings">
            <p><strong>${t.warnings}</strong></p>
            <ul>
              ${trial.warnings.map((w) => html`<li>${t.at(w.line, w.column)}: ${w.message}</li>`)}
            </ul>
          </div>`
        : ''
    }
    ${
      trial.sample.length > 0
        ? sampleTable(view, trial.sample, t.sampleCaption(n(trial.sample.length)))
        : ''
    }`;
}

function sampleTable(
  view: ViewContext,
  sample: readonly SampleRecipient[],
  caption: string,
): SafeHtml {
  const t = texts(sessionOf(view).locale);
  return html`<table class="case-table">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t.customer}</th>
        <th scope="col">${t.name}</th>
        <th scope="col">${t.email}</th>
        <th scope="col">${t.language}</th>
        <th scope="col">${t.impact}</th>
      </tr>
    </thead>
    <tbody>
      ${sample.map(
        (r) =>
          html`<tr>
            <td>${r.externalId}</td>
            <td>${r.name ?? ''}</td>
            <td>${r.email ?? ''}</td>
            <td>${r.language}</td>
            <td>${impactText(r.impact)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function impactText(impact: Record<string, unknown>): string {
  return Object.entries(impact)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('; ');
}

function uploadResult(view: ViewContext, summary: AffectedImportSummary): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const n = (value: number) => formatNumber(session, value);
  return html`<div class="case-result" role="status" aria-labelledby="upload-result-heading">
    <h3 id="upload-result-heading">${t.result}</h3>
    <dl class="case-figures">
      <dt>${t.accepted}</dt>
      <dd id="upload-accepted">
        ${n(summary.added + summary.updated)} (${n(summary.added)} ${t.added}, ${n(summary.updated)}
        ${t.updated})
      </dd>
      <dt>${t.duplicates}</dt>
      <dd>${n(summary.duplicates)}</dd>
      <dt>${t.rejected}</dt>
      <dd id="upload-rejected">${n(summary.rejected)}</dd>
    </dl>
    ${
      summary.rejects.length > 0
        ? html`<table class="case-table">
            <caption>
              ${t.rejectsCaption}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.line}</th>
                <th scope="col">${t.field}</th>
                <th scope="col">${t.reason}</th>
              </tr>
            </thead>
            <tbody>
              ${summary.rejects.map(
                (r) =>
                  html`<tr>
                    <td>${r.line}</td>
                    <td>${r.field}</td>
                    <td>${r.reason}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        : ''
    }
    ${summary.omitted > 0 ? html`<p>${t.omitted(n(summary.omitted))}</p>` : ''}
  </div>`;
}
