import type { FastifyRequest } from 'fastify';
import type { DashboardData } from '../../../services/dashboard.service.js';
import { sessionOf, type WorkspaceSession } from '../../workspace/workspace-session.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatDuration } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';

const texts = defineTexts({
  nl: {
    title: 'Overzicht',
    openCases: 'Open zaken',
    none: 'Er zijn geen open zaken.',
    reference: 'Kenmerk',
    case: 'Zaak',
    state: 'Status',
    sinceAware: 'Sinds bewust',
    notAware: 'nog niet vastgelegd',
  },
  en: {
    title: 'Dashboard',
    openCases: 'Open cases',
    none: 'There are no open cases.',
    reference: 'Reference',
    case: 'Case',
    state: 'State',
    sinceAware: 'Since aware',
    notAware: 'not recorded yet',
  },
});

/** The page title in the user's language. */
export function dashboardTitle(session: WorkspaceSession): string {
  return texts(session.locale).title;
}

/** The dashboard's main content. */
export function renderDashboard(request: FastifyRequest, data: DashboardData): SafeHtml {
  const session = sessionOf(request);
  const t = texts(session.locale);
  const now = Date.now();
  return html`<h1>${t.title}</h1>
    <h2>${t.openCases}</h2>
    ${
      data.openCases.length === 0
        ? html`<p>${t.none}</p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">${t.reference}</th>
                  <th scope="col">${t.case}</th>
                  <th scope="col">${t.state}</th>
                  <th scope="col">${t.sinceAware}</th>
                </tr>
              </thead>
              <tbody>
                ${data.openCases.map(
                  ({ case: c }) =>
                    html`<tr>
                      <td>
                        <a href="/app/cases/${encodeURIComponent(c.reference)}">${c.reference}</a>
                      </td>
                      <td>${c.title}</td>
                      <td><span class="badge">${c.state}</span></td>
                      <td>
                        ${
                          c.awareAt
                            ? html`<span title="${formatDateTime(session, c.awareAt)}"
                                >${formatDuration(session, now - Date.parse(c.awareAt))}</span
                              >`
                            : html`<span class="muted">${t.notAware}</span>`
                        }
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }`;
}
