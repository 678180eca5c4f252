import type { CaseView } from '../../../domain/case.js';
import { html, type SafeHtml } from '../html.js';
import { caseKindName, caseStateBadge, caseTabUrl } from './case-tabs.view.js';
import { errorSummary, fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { csrfField } from './workspace-layout.view.js';
import { formatDateTime, formatDuration } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

export const caseListTexts = defineTexts({
  nl: {
    title: 'Zaken',
    filterLegend: 'Zaken filteren',
    status: 'Status',
    statusOpen: 'Lopend',
    statusClosed: 'Gesloten',
    statusAll: 'Alle',
    kind: 'Soort',
    kindAll: 'Alle soorten',
    incident: 'Incident',
    advisory: 'Advies',
    apply: 'Toon',
    reference: 'Kenmerk',
    caseTitle: 'Titel',
    state: 'Status',
    aware: 'Bekend sinds',
    created: 'Aangemaakt',
    none: 'Geen zaken die aan dit filter voldoen.',
    newCase: 'Nieuwe zaak',
    newCaseIntro:
      'Een incident is iets dat gebeurd is; een advies waarschuwt klanten voor een risico waar zij iets aan moeten doen.',
    caseTitleHint: 'Kort en feitelijk, bijvoorbeeld "Inbraak op het klantportaal".',
    summary: 'Samenvatting',
    summaryHint:
      'Intern: wat weten we nu? Zonder tekst hieronder wordt dit de eerste versie van "wat er is gebeurd" in de taal waarin u schrijft.',
    whatHappened: (language: string) => `Wat er is gebeurd, voor klanten (${language})`,
    whatHappenedHint:
      'Berichten nemen deze tekst over, in de taal van de lezer. Later te wijzigen op het tabblad Berichten.',
    detectedAt: 'Ontdekt op',
    awareAt: 'Bekend sinds (hier starten de wettelijke termijnen)',
    timeZoneHint: (zone: string) => `Tijden in uw tijdzone (${zone}).`,
    create: 'Zaak aanmaken',
    errorsHeading: 'De zaak is niet aangemaakt:',
    readOnly: 'U kunt zaken bekijken maar niet aanmaken.',
    ago: (d: string) => `${d} geleden`,
    notYet: 'nog niet',
  },
  en: {
    title: 'Cases',
    filterLegend: 'Filter cases',
    status: 'Status',
    statusOpen: 'Open',
    statusClosed: 'Closed',
    statusAll: 'All',
    kind: 'Kind',
    kindAll: 'All kinds',
    incident: 'Incident',
    advisory: 'Advisory',
    apply: 'Show',
    reference: 'Reference',
    caseTitle: 'Title',
    state: 'State',
    aware: 'Aware since',
    created: 'Created',
    none: 'No cases match this filter.',
    newCase: 'New case',
    newCaseIntro:
      'An incident is something that happened; an advisory warns customers of a risk they must act on.',
    caseTitleHint: 'Short and factual, for example "Break-in on the customer portal".',
    summary: 'Summary',
    summaryHint:
      'Internal: what do we know now? Without a text below, this becomes the first draft of "what happened" in the language you write it in.',
    whatHappened: (language: string) => `What happened, for customers (${language})`,
    whatHappenedHint:
      "Notices use this text, in the reader's language. You can change it later on the Notices tab.",
    detectedAt: 'Detected at',
    awareAt: 'Aware since (the legal clocks start here)',
    timeZoneHint: (zone: string) => `Times in your time zone (${zone}).`,
    create: 'Create case',
    errorsHeading: 'The case was not created:',
    readOnly: 'You can view cases but not create them.',
    ago: (d: string) => `${d} ago`,
    notYet: 'not yet',
  },
});

export interface CaseListModel {
  cases: CaseView[];
  status: 'open' | 'closed' | 'all';
  kind: '' | 'incident' | 'advisory';
  canCreate: boolean;
  form: { values: Record<string, string>; errors: FormErrors };
}

/** The list of cases with its filter, and the form that opens a new case. */
export function caseListView(view: ViewContext, model: CaseListModel): SafeHtml {
  const session = sessionOf(view);
  const t = caseListTexts(session.locale);
  const now = Date.now();
  const option = (value: string, label: string, current: string) =>
    html`<option value="${value}" ${value === current ? html`selected` : ''}>${label}</option>`;
  return html`<h1>${t.title}</h1>
    <form class="case-filter" method="get" action="/app/cases">
      <fieldset>
        <legend>${t.filterLegend}</legend>
        <label for="case-filter-status">${t.status}</label>
        <select id="case-filter-status" name="status">
          ${option('open', t.statusOpen, model.status)}
          ${option('closed', t.statusClosed, model.status)}
          ${option('all', t.statusAll, model.status)}
        </select>
        <label for="case-filter-kind">${t.kind}</label>
        <select id="case-filter-kind" name="kind">
          ${option('', t.kindAll, model.kind)} ${option('incident', t.incident, model.kind)}
          ${option('advisory', t.advisory, model.kind)}
        </select>
        <button type="submit">${t.apply}</button>
      </fieldset>
    </form>
    ${
      model.cases.length === 0
        ? html`<p class="case-empty">${t.none}</p>`
        : html`<div class="table-wrap">
            <table class="case-table">
              <caption class="visually-hidden">
                ${t.title}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.reference}</th>
                  <th scope="col">${t.caseTitle}</th>
                  <th scope="col">${t.kind}</th>
                  <th scope="col">${t.state}</th>
                  <th scope="col">${t.aware}</th>
                  <th scope="col">${t.created}</th>
                </tr>
              </thead>
              <tbody>
                ${model.cases.map(
                  (c) =>
                    html`<tr>
                      <td><a href="${caseTabUrl(c.reference, 'overview')}">${c.reference}</a></td>
                      <td class="cell-title">${c.title}</td>
                      <td>${caseKindName(view, c.kind)}</td>
                      <td>${caseStateBadge(view, c.state)}</td>
                      <td>
                        ${
                          c.awareAt
                            ? html`<time
                                datetime="${c.awareAt}"
                                title="${formatDateTime(session, c.awareAt)}"
                                >${t.ago(formatDuration(session, now - Date.parse(c.awareAt)))}</time
                              >`
                            : t.notYet
                        }
                      </td>
                      <td>${formatDateTime(session, c.createdAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    ${model.canCreate ? newCaseForm(view, model.form) : html`<p class="muted">${t.readOnly}</p>`}`;
}

function newCaseForm(
  view: ViewContext,
  form: { values: Record<string, string>; errors: FormErrors },
): SafeHtml {
  const session = sessionOf(view);
  const t = caseListTexts(session.locale);
  const { values, errors } = form;
  const kind = values.kind ?? 'incident';
  const p = 'new-case';
  return html`<section class="card case-panel" aria-labelledby="new-case-heading">
    <h2 id="new-case-heading">${t.newCase}</h2>
    <p>${t.newCaseIntro}</p>
    ${errorSummary(t.errorsHeading, errors, p)}
    <form method="post" action="/app/cases" class="case-form">
      ${csrfField(view)}
      <fieldset id="${p}-kind">
        <legend>${t.kind}</legend>
        <label
          ><input
            type="radio"
            name="kind"
            value="incident"
            ${kind === 'incident' ? html`checked` : ''}
          />
          ${t.incident}</label
        >
        <label
          ><input
            type="radio"
            name="kind"
            value="advisory"
            ${kind === 'advisory' ? html`checked` : ''}
          />
          ${t.advisory}</label
        >
        ${fieldError(errors, 'kind', p)}
      </fieldset>
      <label for="${p}-title">${t.caseTitle}</label>
      <p class="hint case-hint" id="${p}-title-hint">${t.caseTitleHint}</p>
      <input
        id="${p}-title"
        name="title"
        required
        minlength="3"
        maxlength="200"
        value="${values.title ?? ''}"
        ${fieldAria(errors, 'title', p)}
      />
      ${fieldError(errors, 'title', p)}
      <label for="${p}-summary">${t.summary}</label>
      <p class="hint case-hint">${t.summaryHint}</p>
      <textarea
        id="${p}-summary"
        name="summary"
        rows="4"
        maxlength="5000"
        ${fieldAria(errors, 'summary', p)}
      >
${values.summary ?? ''}</textarea>
      ${fieldError(errors, 'summary', p)}
      <p class="hint case-hint">${t.whatHappenedHint}</p>
      ${(
        [
          ['nl', session.locale === 'nl' ? 'Nederlands' : 'Dutch'],
          ['en', session.locale === 'nl' ? 'Engels' : 'English'],
        ] as const
      ).map(
        ([language, name]) =>
          html`<label for="${p}-what-${language}">${t.whatHappened(name)}</label>
            <textarea
              id="${p}-what-${language}"
              name="whatHappened.${language}"
              lang="${language}"
              rows="3"
              maxlength="10000"
              ${fieldAria(errors, `statements.what_happened.${language}`, p)}
            >
${values[`whatHappened.${language}`] ?? ''}</textarea>
            ${fieldError(errors, `statements.what_happened.${language}`, p)}`,
      )}
      <p class="hint case-hint">${t.timeZoneHint(session.timeZone)}</p>
      <label for="${p}-detectedAt">${t.detectedAt}</label>
      <input
        id="${p}-detectedAt"
        type="datetime-local"
        name="detectedAt"
        value="${values.detectedAt ?? ''}"
        ${fieldAria(errors, 'detectedAt', p)}
      />
      ${fieldError(errors, 'detectedAt', p)}
      <label for="${p}-awareAt">${t.awareAt}</label>
      <input
        id="${p}-awareAt"
        type="datetime-local"
        name="awareAt"
        value="${values.awareAt ?? ''}"
        ${fieldAria(errors, 'awareAt', p)}
      />
      ${fieldError(errors, 'awareAt', p)}
      <button type="submit">${t.create}</button>
    </form>
  </section>`;
}
