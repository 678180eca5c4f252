import type { CaseView } from '../../../domain/case.js';
import type { Sheet, SheetLanguage } from '../../../domain/reports/report-sheet.js';
import { html, type SafeHtml } from '../html.js';
import { reportTexts } from './case-reports-texts.view.js';
import { caseHeader, caseTabs } from './case-tabs.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

/**
 * The AP notification form, section by section: every answer in a read-only text area
 * (select all, copy, paste into the authority's form), its question as the label.
 */
export function reportSheetView(
  view: ViewContext,
  m: { kase: CaseView; sheet: Sheet; labels: SheetLanguage; backUrl: string; selfUrl: string },
): SafeHtml {
  const t = reportTexts(sessionOf(view).locale);
  let n = 0;
  return html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'reports')}
    <p><a href="${m.backUrl}">${t.back}</a></p>
    <h2>${m.sheet.title}</h2>
    <p class="muted">${m.sheet.subtitle}</p>
    <p>${t.sheetIntro}</p>
    <p>
      ${t.labelsIn}:
      <a
        href="${m.selfUrl}?labels=nl"
        ${m.labels === 'nl' ? html`aria-current="true"` : ''}
        lang="nl"
        >Nederlands</a
      >
      ·
      <a
        href="${m.selfUrl}?labels=en"
        ${m.labels === 'en' ? html`aria-current="true"` : ''}
        lang="en"
        >English</a
      >
    </p>
    ${m.sheet.sections.map(
      (s) =>
        html`<section class="card report-sheet-section" aria-labelledby="sheet-${s.number}">
          <h3 id="sheet-${s.number}">${s.number}. ${s.title}</h3>
          ${s.rows.map((row) => {
            n += 1;
            const lines = Math.min(12, Math.max(1, row.value.split('\n').length));
            return html`<div class="field report-sheet-row">
              <label for="sheet-field-${n}" lang="${m.labels}">${row.label}</label>
              <textarea id="sheet-field-${n}" readonly rows="${lines}" lang="nl">
${row.value}</textarea>
            </div>`;
          })}
        </section>`,
    )}`;
}
