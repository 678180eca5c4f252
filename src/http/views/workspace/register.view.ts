import { SEVERITY_LEVELS } from '../../../domain/assessment/assessment-facts.js';
import type {
  RegisterDecision,
  RegisterEntry,
  RegisterFilter,
} from '../../../domain/reports/breach-register.js';
import { html, type SafeHtml } from '../html.js';
import { caseTabUrl } from './case-tabs.view.js';
import { formatDateTime } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    title: 'Register van inbreuken',
    intro:
      'Elke zaak, gemeld of niet, met feiten, gevolgen, maatregelen en de besluiten met hun motivering (art. 33 lid 5 AVG): het document dat de toezichthouder bij een controle opvraagt.',
    filter: 'Selecteren',
    year: 'Jaar',
    kind: 'Soort',
    kinds: { incident: 'incident', advisory: 'advies' },
    notified: 'Gemeld aan de AP',
    severity: 'Ernst',
    any: 'alle',
    yes: 'ja',
    no: 'nee',
    apply: 'Toepassen',
    exportCsv: 'Exporteren als CSV',
    exportPdf: 'Exporteren als PDF',
    count: (n: number) => `${n} ${n === 1 ? 'zaak' : 'zaken'}`,
    none: 'Geen zaken in deze selectie.',
    case: 'Zaak',
    aware: 'Bekend sinds',
    facts: 'Feiten',
    effects: 'Gevolgen',
    remedial: 'Maatregelen',
    decisions: 'Besluiten',
    submissions: 'Indieningen',
    authority: 'AP (art. 33)',
    subjects: 'Betrokkenen (art. 34)',
    nis2: 'NIS2',
    advice: 'advies',
    override: 'afwijkend besluit',
    notAssessed: 'niet beoordeeld',
    subjectsCount: 'betrokkenen',
    recordsCount: 'records',
  },
  en: {
    title: 'Breach register',
    intro:
      'Every case, notified or not, with facts, effects, remedial action and the decisions with their rationale (GDPR Art. 33(5)): the document a supervisory authority asks for in an audit.',
    filter: 'Select',
    year: 'Year',
    kind: 'Kind',
    kinds: { incident: 'incident', advisory: 'advisory' },
    notified: 'Notified to the authority',
    severity: 'Severity',
    any: 'any',
    yes: 'yes',
    no: 'no',
    apply: 'Apply',
    exportCsv: 'Export as CSV',
    exportPdf: 'Export as PDF',
    count: (n: number) => `${n} ${n === 1 ? 'case' : 'cases'}`,
    none: 'No cases in this selection.',
    case: 'Case',
    aware: 'Aware',
    facts: 'Facts',
    effects: 'Effects',
    remedial: 'Remedial action',
    decisions: 'Decisions',
    submissions: 'Submissions',
    authority: 'Authority (Art. 33)',
    subjects: 'Data subjects (Art. 34)',
    nis2: 'NIS2',
    advice: 'advice',
    override: 'override',
    notAssessed: 'not assessed',
    subjectsCount: 'data subjects',
    recordsCount: 'records',
  },
});

function select(
  name: string,
  label: string,
  options: readonly (readonly [string, string])[],
  value: string | undefined,
  any: string,
): SafeHtml {
  return html`<div class="field">
    <label for="register-${name}">${label}</label>
    <select id="register-${name}" name="${name}">
      <option value="">${any}</option>
      ${options.map(
        ([v, text]) =>
          html`<option value="${v}" ${v === value ? html`selected` : ''}>${text}</option>`,
      )}
    </select>
  </div>`;
}

function decision(label: string, d: RegisterDecision, t: ReturnType<typeof texts>): SafeHtml {
  if (d.decision === null)
    return html`<li>${label}: <span class="muted">${t.notAssessed}</span></li>`;
  const why = d.source === 'override' ? (d.rationale ?? '') : d.adviceReasons.join(' ');
  return html`<li>
    ${label}: <strong>${d.decision ? t.yes : t.no}</strong>
    <span class="muted">(${d.source === 'override' ? t.override : t.advice})</span>
    ${why ? html`<br /><span class="register-rationale">${why}</span>` : ''}
  </li>`;
}

/** The register page: filters, export links and one row per case. */
export function registerView(
  view: ViewContext,
  m: { entries: RegisterEntry[]; filter: RegisterFilter; years: number[]; canExport: boolean },
): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const query = new URLSearchParams(
    Object.entries(m.filter).flatMap(([k, v]): [string, string][] =>
      v === undefined ? [] : [[k, String(v)]],
    ),
  );
  const exportUrl = (format: string) => {
    const q = new URLSearchParams(query);
    q.set('format', format);
    q.set('lang', session.locale);
    return `/app/register/export?${q.toString()}`;
  };
  return html`<h1>${t.title}</h1>
    <p class="muted">${t.intro}</p>
    <form method="get" action="/app/register" class="toolbar" aria-label="${t.filter}">
      ${select(
        'year',
        t.year,
        m.years.map((y) => [String(y), String(y)] as const),
        m.filter.year?.toString(),
        t.any,
      )}
      ${select(
        'kind',
        t.kind,
        [
          ['incident', t.kinds.incident],
          ['advisory', t.kinds.advisory],
        ],
        m.filter.kind,
        t.any,
      )}
      ${select(
        'notified',
        t.notified,
        [
          ['yes', t.yes],
          ['no', t.no],
        ],
        m.filter.notified,
        t.any,
      )}
      ${select(
        'severity',
        t.severity,
        SEVERITY_LEVELS.map((l) => [l, l] as const),
        m.filter.severity,
        t.any,
      )}
      <button type="submit" class="button">${t.apply}</button>
    </form>
    ${
      m.canExport
        ? html`<p class="actions">
            <a class="button" href="${exportUrl('csv')}">${t.exportCsv}</a>
            <a class="button" href="${exportUrl('pdf')}">${t.exportPdf}</a>
          </p>`
        : ''
    }
    <p>${t.count(m.entries.length)}</p>
    ${
      m.entries.length === 0
        ? html`<p class="muted">${t.none}</p>`
        : html`<div class="table-wrap" tabindex="0">
            <table class="register-table">
              <thead>
                <tr>
                  <th scope="col">${t.case}</th>
                  <th scope="col">${t.aware}</th>
                  <th scope="col">${t.facts}</th>
                  <th scope="col">${t.effects}</th>
                  <th scope="col">${t.remedial}</th>
                  <th scope="col">${t.decisions}</th>
                  <th scope="col">${t.submissions}</th>
                </tr>
              </thead>
              <tbody>
                ${m.entries.map(
                  (e) =>
                    html`<tr>
                      <th scope="row">
                        <a href="${caseTabUrl(e.reference, 'reports')}">${e.reference}</a
                        ><br />${e.title}
                      </th>
                      <td>${formatDateTime(session, e.awareAt)}</td>
                      <td>
                        ${e.severity ? html`${t.severity}: ${e.severity.score.toFixed(2)} (${e.severity.level})<br />` : ''}
                        ${e.dataSubjects ?? '?'} ${t.subjectsCount}, ${e.records ?? '?'}
                        ${t.recordsCount}
                      </td>
                      <td class="register-text">${e.effects[session.locale]}</td>
                      <td class="register-text">${e.remedialAction[session.locale]}</td>
                      <td>
                        <ul class="register-decisions">
                          ${decision(t.authority, e.decisions.authority, t)}
                          ${decision(t.subjects, e.decisions.subjects, t)}
                          ${decision(t.nis2, e.decisions.nis2, t)}
                        </ul>
                      </td>
                      <td>
                        ${
                          e.submissions.length === 0
                            ? '—'
                            : html`<ul class="register-decisions">
                                ${e.submissions.map(
                                  (s) =>
                                    html`<li>
                                      ${s.kind} v${s.version}:
                                      ${formatDateTime(session, s.submittedAt)}
                                      ${s.authorityReference ? html`(${s.authorityReference})` : ''}
                                    </li>`,
                                )}
                              </ul>`
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }`;
}
