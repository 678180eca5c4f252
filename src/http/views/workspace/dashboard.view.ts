import type { DashboardCase, DashboardData } from '../../../services/cases/dashboard.service.js';
import { html, type SafeHtml } from '../html.js';
import { compactRecallChart } from './case-dispatch-charts.view.js';
import { clockCountdownScript, renderCaseClocks } from './legal-clocks.view.js';
import { dashboardDeadlineBanner } from './case-guide.view.js';
import { formatDateTime, formatDuration, formatNumber, formatPercent } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext, type ViewSession } from './view-context.js';

const texts = defineTexts({
  nl: {
    title: 'Overzicht',
    openCases: 'Open zaken',
    none: 'Er zijn geen open zaken.',
    newCase: 'Nieuwe zaak',
    reference: 'Kenmerk',
    case: 'Zaak',
    state: 'Status',
    sinceAware: 'Sinds bewust',
    notAware: 'nog niet vastgelegd',
    delivery: 'Bezorging',
    acknowledged: 'Gelezen',
    remedied: 'Opgelost',
    clocks: 'Wettelijke termijnen',
    noClocks: 'geen lopende termijn',
    recall: 'Herstelverloop',
    noRecall: 'nog niet verstuurd',
    totalsOverdue: 'verlopen wettelijke termijnen',
    overdueBadge: 'termijn verlopen',
    postureLapsed: (date: string) =>
      `De beveiligingsverklaring is verlopen op ${date}: de openbare pagina zegt dit bovenaan. Laat haar opnieuw toetsen en publiceer een nieuwe versie.`,
    postureLapsing: (days: number, date: string) =>
      `De beveiligingsverklaring verloopt over ${days} ${days === 1 ? 'dag' : 'dagen'} (${date}). Laat haar op tijd opnieuw toetsen.`,
    overdueAlert: (n: number, refs: string) =>
      `Let op: ${n === 1 ? 'één wettelijke termijn is' : `${n} wettelijke termijnen zijn`} verlopen (${refs}).`,
    noDispatch: 'nog niet verstuurd',
    of: 'van',
    problems: (n: string) => `${n} mislukt`,
    sending: 'bezig',
    totalsCases: 'open zaken',
    totalsRecipients: 'getroffen klanten',
    totalsAck: 'bevestigden ontvangst',
    totalsRemedied: 'hebben het opgelost',
    kinds: { incident: 'incident', advisory: 'advies' },
    states: {
      draft: 'concept',
      open: 'open',
      notifying: 'melden',
      monitoring: 'opvolgen',
      resolved: 'opgelost',
      closed: 'gesloten',
    },
    progressLabel: (ref: string) => `Bezorging van ${ref}`,
    ackLabel: (ref: string) => `Gelezen bij ${ref}`,
    remedyLabel: (ref: string) => `Opgelost bij ${ref}`,
  },
  en: {
    title: 'Dashboard',
    openCases: 'Open cases',
    none: 'There are no open cases.',
    newCase: 'New case',
    reference: 'Reference',
    case: 'Case',
    state: 'State',
    sinceAware: 'Since aware',
    notAware: 'not recorded yet',
    delivery: 'Delivery',
    acknowledged: 'Acknowledged',
    remedied: 'Remedied',
    clocks: 'Legal deadlines',
    noClocks: 'no clock running',
    recall: 'Recall progress',
    noRecall: 'not sent yet',
    totalsOverdue: 'overdue legal deadlines',
    overdueBadge: 'deadline overdue',
    postureLapsed: (date: string) =>
      `The posture statement lapsed on ${date}: the public page says so at the top. Have it checked again and publish a new version.`,
    postureLapsing: (days: number, date: string) =>
      `The posture statement lapses in ${days} ${days === 1 ? 'day' : 'days'} (${date}). Have it checked again in time.`,
    overdueAlert: (n: number, refs: string) =>
      `Attention: ${n === 1 ? 'one legal deadline is' : `${n} legal deadlines are`} overdue (${refs}).`,
    noDispatch: 'not sent yet',
    of: 'of',
    problems: (n: string) => `${n} failed`,
    sending: 'sending',
    totalsCases: 'open cases',
    totalsRecipients: 'affected customers',
    totalsAck: 'acknowledged',
    totalsRemedied: 'remedied',
    kinds: { incident: 'incident', advisory: 'advisory' },
    states: {
      draft: 'draft',
      open: 'open',
      notifying: 'notifying',
      monitoring: 'monitoring',
      resolved: 'resolved',
      closed: 'closed',
    },
    progressLabel: (ref: string) => `Delivery of ${ref}`,
    ackLabel: (ref: string) => `Acknowledged for ${ref}`,
    remedyLabel: (ref: string) => `Remedied for ${ref}`,
  },
});

/** The page title in the user's language. */
export function dashboardTitle(session: ViewSession): string {
  return texts(session.locale).title;
}

const STATE_BADGE: Record<string, string> = {
  draft: 'badge',
  open: 'badge badge-warn',
  notifying: 'badge badge-info',
  monitoring: 'badge badge-ok',
};

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

function deliveryCell(session: ViewSession, row: DashboardCase): SafeHtml {
  const t = texts(session.locale);
  const d = row.deliveries;
  if (d.total === 0) return html`<span class="muted">${t.noDispatch}</span>`;
  return html`<div class="progress-row">
      <progress
        value="${d.done}"
        max="${d.total}"
        aria-label="${t.progressLabel(row.case.reference)}"
      ></progress>
      <span>${formatPercent(session, ratio(d.done, d.total))}</span>
    </div>
    <span class="muted"
      >${formatNumber(session, d.sent)} ${t.of} ${formatNumber(session, d.total)}</span
    >
    ${d.running > 0 ? html` <span class="badge badge-info">${t.sending}</span>` : ''}
    ${
      d.problems > 0
        ? html` <span class="badge badge-danger"
            >${t.problems(formatNumber(session, d.problems))}</span
          >`
        : ''
    }`;
}

function rateCell(session: ViewSession, part: number, whole: number, label: string): SafeHtml {
  if (whole === 0) return html`<span class="muted">—</span>`;
  return html`<div class="progress-row">
      <meter min="0" max="${whole}" value="${part}" aria-label="${label}"></meter>
      <span>${formatPercent(session, ratio(part, whole))}</span>
    </div>
    <span class="muted">${formatNumber(session, part)} / ${formatNumber(session, whole)}</span>`;
}

/** True when a legal clock of the case is past its due time and nothing was submitted. */
function hasOverdue(row: DashboardCase): boolean {
  return row.clocks.some((c) => c.state === 'overdue');
}

function clocksCell(session: ViewSession, row: DashboardCase): SafeHtml {
  if (row.clocks.length === 0)
    return html`<span class="muted">${texts(session.locale).noClocks}</span>`;
  // One script tag for the whole page (below the table), not one per case.
  return renderCaseClocks(session, row.clocks, { compact: true, script: false });
}

function recallCell(session: ViewSession, row: DashboardCase): SafeHtml {
  if (!row.recall) return html`<span class="muted">${texts(session.locale).noRecall}</span>`;
  return compactRecallChart(session, row.recall);
}

/** The dashboard's main content. */
export function renderDashboard(view: ViewContext, data: DashboardData): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const now = Date.now();
  const stat = (value: number, label: string, extra = '') =>
    html`<div class="card${extra}">
      <div class="stat">${formatNumber(session, value)}</div>
      <div class="stat-label">${label}</div>
    </div>`;
  const overdueRefs = data.openCases.filter(hasOverdue).map((row) => row.case.reference);
  const posture = data.postureWarning;
  return html`${dashboardDeadlineBanner(view, data.openCases)}
    <h1>${t.title}</h1>
    ${
      posture
        ? html`<p class="dashboard-overdue-notice" id="posture-warning">
            <a href="/app/posture"
              >${
                posture.lapsed
                  ? t.postureLapsed(posture.validUntil)
                  : t.postureLapsing(posture.daysLeft, posture.validUntil)
              }</a
            >
          </p>`
        : ''
    }
    ${
      data.totals.overdueClocks > 0
        ? html`<p class="dashboard-overdue-notice" id="overdue-clocks">
            ${t.overdueAlert(data.totals.overdueClocks, overdueRefs.join(', '))}
          </p>`
        : ''
    }
    <div class="grid">
      ${stat(data.totals.openCases, t.totalsCases)}
      ${stat(data.totals.recipients, t.totalsRecipients)}
      ${stat(data.totals.acknowledged, t.totalsAck)} ${stat(data.totals.remedied, t.totalsRemedied)}
      ${stat(
        data.totals.overdueClocks,
        t.totalsOverdue,
        data.totals.overdueClocks > 0 ? ' dashboard-stat-overdue' : '',
      )}
    </div>
    <h2>${t.openCases}</h2>
    ${
      data.openCases.length === 0
        ? html`<p>${t.none}</p>`
        : html`<div class="table-wrap" tabindex="0">
              <table id="open-cases" class="dashboard-cases">
                <thead>
                  <tr>
                    <th scope="col">${t.reference}</th>
                    <th scope="col">${t.case}</th>
                    <th scope="col">${t.state}</th>
                    <th scope="col">${t.sinceAware}</th>
                    <th scope="col">${t.clocks}</th>
                    <th scope="col">${t.delivery}</th>
                    <th scope="col">${t.acknowledged}</th>
                    <th scope="col">${t.remedied}</th>
                    <th scope="col">${t.recall}</th>
                  </tr>
                </thead>
                <tbody>
                  ${data.openCases.map(
                    (row) =>
                      html`<tr
                        data-case="${row.case.reference}"
                        ${hasOverdue(row) ? html`class="dashboard-row-overdue" data-overdue` : ''}
                      >
                        <td>
                          <a href="/app/cases/${encodeURIComponent(row.case.reference)}"
                            >${row.case.reference}</a
                          >
                          ${
                            hasOverdue(row)
                              ? html`<br /><span class="badge badge-danger"
                                    >${t.overdueBadge}</span
                                  >`
                              : ''
                          }
                        </td>
                        <td>
                          ${row.case.title}<br /><span class="muted"
                            >${t.kinds[row.case.kind]}</span
                          >
                        </td>
                        <td>
                          <span class="${STATE_BADGE[row.case.state] ?? 'badge'}"
                            >${t.states[row.case.state]}</span
                          >
                        </td>
                        <td>
                          ${
                            row.case.awareAt
                              ? html`${formatDuration(session, now - Date.parse(row.case.awareAt))}<br /><span
                                    class="muted"
                                    >${formatDateTime(session, row.case.awareAt)}</span
                                  >`
                              : html`<span class="muted">${t.notAware}</span>`
                          }
                        </td>
                        <td class="dashboard-clocks">${clocksCell(session, row)}</td>
                        <td>${deliveryCell(session, row)}</td>
                        <td data-ack="${row.acknowledged}">
                          ${rateCell(session, row.acknowledged, row.recipients, t.ackLabel(row.case.reference))}
                        </td>
                        <td>
                          ${rateCell(session, row.remedied, row.recipients, t.remedyLabel(row.case.reference))}
                        </td>
                        <td class="dashboard-recall">${recallCell(session, row)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${data.openCases.some((row) => row.clocks.length > 0) ? clockCountdownScript() : ''}`
    }`;
}
