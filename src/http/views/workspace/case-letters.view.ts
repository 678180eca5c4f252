import type { CaseView } from '../../../domain/case.js';
import type { LetterOverview } from '../../../services/letters/letter-overview.service.js';
import { html, type SafeHtml } from '../html.js';
import { caseHeader, caseTabs } from './case-tabs.view.js';
import { csrfField } from './workspace-layout.view.js';
import { formatDateTime, formatNumber } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

export const lettersTexts = defineTexts({
  nl: {
    title: 'Brieven',
    intro:
      'Wie wij per e-mail niet bereiken (geen adres, geweigerd of mislukt) krijgt een brief: het goedgekeurde bericht in de eigen taal, met de persoonlijke link en QR-code. Per partij één PDF voor de drukker en een CSV-lijst.',
    dispatch: (id: number) => `Verzending ${id}`,
    printed: 'Gedrukt',
    posted: 'Gepost',
    pending: 'Klaar om te drukken',
    notPrintable: 'Geen postadres',
    notPrintableCaption: (n: string) => `Geen brief mogelijk (${n})`,
    customer: 'Klantnummer',
    reasons: 'Wat ontbreekt',
    reason: (r: string) =>
      ({ 'no street': 'straat', 'no postal_code': 'postcode', 'no city': 'plaats' })[r] ?? r,
    build: 'Brieven maken',
    batchSize: 'Brieven per PDF',
    buildHint: 'Wie al een brief heeft, krijgt er niet nog een.',
    noDispatch: 'Er is in deze zaak nog niets verzonden.',
    notAllowed: 'U mag geen brieven maken (daarvoor is het recht om te verzenden nodig).',
    batches: 'Partijen',
    noBatches: 'Nog geen brieven gemaakt.',
    cols: {
      batch: 'Partij',
      dispatch: 'Verzending',
      state: 'Status',
      letters: 'Brieven',
      pages: "Pagina's",
      created: 'Gemaakt',
      files: 'Bestanden',
      actions: 'Acties',
    },
    states: { printed: 'gedrukt', posted: 'gepost' },
    pdf: 'PDF',
    manifest: 'CSV-lijst',
    markPosted: 'Gepost',
    postedConfirm: 'Is deze partij echt bij de post afgegeven?',
    postedOn: (who: string, when: string) => `door ${who} op ${when}`,
    toLetters: 'Brieven voor wie per e-mail niet bereikt is',
  },
  en: {
    title: 'Letters',
    intro:
      'Recipients email cannot reach (no address, bounced or failed) get a letter: the approved notice in their language, with their personal link and QR code. Per batch one PDF for the print house and a CSV manifest.',
    dispatch: (id: number) => `Dispatch ${id}`,
    printed: 'Printed',
    posted: 'Posted',
    pending: 'Ready to print',
    notPrintable: 'No postal address',
    notPrintableCaption: (n: string) => `No letter possible (${n})`,
    customer: 'Customer id',
    reasons: 'What is missing',
    reason: (r: string) =>
      ({ 'no street': 'street', 'no postal_code': 'postcode', 'no city': 'town' })[r] ?? r,
    build: 'Make letters',
    batchSize: 'Letters per PDF',
    buildHint: 'Whoever already has a letter does not get another one.',
    noDispatch: 'Nothing has been sent in this case yet.',
    notAllowed: 'You may not make letters (that needs the right to send).',
    batches: 'Batches',
    noBatches: 'No letters made yet.',
    cols: {
      batch: 'Batch',
      dispatch: 'Dispatch',
      state: 'State',
      letters: 'Letters',
      pages: 'Pages',
      created: 'Made',
      files: 'Files',
      actions: 'Actions',
    },
    states: { printed: 'printed', posted: 'posted' },
    pdf: 'PDF',
    manifest: 'CSV manifest',
    markPosted: 'Posted',
    postedConfirm: 'Has this batch really been handed to the post?',
    postedOn: (who: string, when: string) => `by ${who} on ${when}`,
    toLetters: 'Letters for those email did not reach',
  },
});

/** The URL of the letters page of a case. */
export function lettersUrl(reference: string): string {
  return `/app/cases/${encodeURIComponent(reference)}/letters`;
}

/** A link to the letters page, for the dispatch tab. */
export function lettersLink(view: ViewContext, reference: string): SafeHtml {
  const t = lettersTexts(sessionOf(view).locale);
  return html`<p><a href="${lettersUrl(reference)}">${t.toLetters}</a></p>`;
}

export interface LettersPageModel {
  kase: CaseView;
  overview: LetterOverview;
  canBuild: boolean;
  canPost: boolean;
}

/** The letters page (inside the workspace layout), under the dispatch tab. */
export function renderLettersPage(view: ViewContext, m: LettersPageModel): SafeHtml {
  const session = sessionOf(view);
  const t = lettersTexts(session.locale);
  const n = (v: number) => formatNumber(session, v);
  const ref = m.kase.reference;
  const base = lettersUrl(ref);
  const dispatches = m.overview.dispatches;
  const pending = dispatches.reduce((sum, d) => sum + d.pending, 0);
  const notPrintable = dispatches.flatMap((d) => d.notPrintable);
  const build = !m.canBuild
    ? html`<p class="muted">${t.notAllowed}</p>`
    : html`<form method="post" action="${base}">
        ${csrfField(view)}
        <div class="field">
          <label for="letters-batch">${t.batchSize}</label>
          <input
            id="letters-batch"
            name="batch"
            type="number"
            min="1"
            max="10000"
            value="1000"
            aria-describedby="letters-batch-hint"
          />
          <span class="hint" id="letters-batch-hint">${t.buildHint}</span>
        </div>
        <button type="submit" ${pending === 0 ? html`disabled` : ''}>${t.build}</button>
      </form>`;
  const summary =
    dispatches.length === 0
      ? html`<p>${t.noDispatch}</p>`
      : html`<dl class="facts">
          ${dispatches.map(
            (d) =>
              html`<dt>${t.dispatch(d.dispatchId)}</dt>
                <dd>
                  ${t.pending}: ${n(d.pending)} · ${t.printed}: ${n(d.printed)} · ${t.posted}:
                  ${n(d.posted)} · ${t.notPrintable}: ${n(d.notPrintable.length)}
                </dd>`,
          )}
        </dl>`;
  const missing =
    notPrintable.length === 0
      ? html``
      : html`<div class="table-wrap" tabindex="0">
          <table>
            <caption>
              ${t.notPrintableCaption(n(notPrintable.length))}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.cols.dispatch}</th>
                <th scope="col">${t.customer}</th>
                <th scope="col">${t.reasons}</th>
              </tr>
            </thead>
            <tbody>
              ${notPrintable.slice(0, 200).map(
                (p) =>
                  html`<tr>
                    <td>${p.dispatchId}</td>
                    <td>${p.externalId}</td>
                    <td>${p.reasons.map(t.reason).join(', ')}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  const batches =
    m.overview.batches.length === 0
      ? html`<p>${t.noBatches}</p>`
      : html`<div class="table-wrap" tabindex="0">
          <table>
            <caption class="visually-hidden">
              ${t.batches}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.cols.batch}</th>
                <th scope="col">${t.cols.dispatch}</th>
                <th scope="col">${t.cols.state}</th>
                <th scope="col" class="num">${t.cols.letters}</th>
                <th scope="col" class="num">${t.cols.pages}</th>
                <th scope="col">${t.cols.created}</th>
                <th scope="col">${t.cols.files}</th>
                <th scope="col">${t.cols.actions}</th>
              </tr>
            </thead>
            <tbody>
              ${m.overview.batches.map(
                (b) =>
                  html`<tr>
                    <td>${b.id}</td>
                    <td>${b.dispatchId}</td>
                    <td>
                      ${t.states[b.state] ?? b.state}
                      ${
                        b.postedAt
                          ? html`<span class="muted"
                              >${t.postedOn(b.postedBy ?? '', formatDateTime(session, b.postedAt))}</span
                            >`
                          : ''
                      }
                    </td>
                    <td class="num">${n(b.letters)}</td>
                    <td class="num">${n(b.pages)}</td>
                    <td>${formatDateTime(session, b.createdAt)} · ${b.createdBy}</td>
                    <td>
                      ${
                        m.canBuild
                          ? html`<a href="${base}/${b.id}.pdf" download>${t.pdf}</a> ·
                              <a href="${base}/${b.id}.csv" download>${t.manifest}</a>`
                          : ''
                      }
                    </td>
                    <td>
                      ${
                        m.canPost && b.state === 'printed'
                          ? html`<form
                              method="post"
                              class="inline-form"
                              action="${base}/${b.id}/posted"
                            >
                              ${csrfField(view)}
                              <button
                                type="submit"
                                class="secondary"
                                data-confirm="${t.postedConfirm}"
                              >
                                ${t.markPosted}
                              </button>
                            </form>`
                          : ''
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  return html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'dispatch')}
    <h2>${t.title}</h2>
    <p>${t.intro}</p>
    <section class="card">${summary} ${build}</section>
    ${missing}
    <h3>${t.batches}</h3>
    ${batches}`;
}
