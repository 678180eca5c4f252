import type { CustomerHistory } from '../../../services/customers/customer-history.service.js';
import type { ImportJob } from '../../workspace/import-jobs.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatNumber } from './workspace-format.js';
import { customerTexts } from './customers-texts.js';
import { statusBadge } from './customers.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

/**
 * The progress card of an import. While it runs, htmx swaps in a fresh card every second;
 * without JavaScript the Refresh link does the same.
 */
export function renderImportProgress(view: ViewContext, job: ImportJob): SafeHtml {
  const session = sessionOf(view);
  const t = customerTexts(session.locale);
  const url = `/app/customers/imports/${job.id}`;
  const s = job.summary;
  return html`<div
    class="card"
    id="import-progress"
    aria-live="polite"
    data-state="${job.state}"
    ${
      job.state === 'running'
        ? html`hx-get="${url}/progress" hx-trigger="every 1s" hx-swap="outerHTML"`
        : ''
    }
  >
    <p>${job.fileName} ${statusBadge(t, job.state)}</p>
    <div class="progress-row">
      <progress
        value="${job.state === 'completed' ? job.totalBytes : job.bytes}"
        max="${Math.max(job.totalBytes, 1)}"
        aria-label="${t.progressLabel}"
      ></progress>
      <span>${t.rows(formatNumber(session, job.rows))}</span>
    </div>
    ${job.state === 'running' ? html`<p><a href="${url}">${t.refresh}</a></p>` : ''}
    ${job.state === 'failed' ? html`<p class="error-text" role="alert">${t.failed} ${job.error ?? ''}</p>` : ''}
    ${job.state === 'interrupted' ? html`<p class="error-text" role="alert">${t.interrupted}</p>` : ''}
    ${
      s
        ? html`<p>${t.done}</p>
            <dl class="facts">
              <dt>${t.total}</dt>
              <dd data-total>${formatNumber(session, s.total)}</dd>
              <dt>${t.inserted}</dt>
              <dd>${formatNumber(session, s.inserted)}</dd>
              <dt>${t.updatedCol}</dt>
              <dd>${formatNumber(session, s.updated)}</dd>
              <dt>${t.duplicates}</dt>
              <dd>${formatNumber(session, s.duplicates)}</dd>
              <dt>${t.rejected}</dt>
              <dd data-rejected>${formatNumber(session, s.rejected)}</dd>
            </dl>
            ${
              s.rejected > 0
                ? html`<p>
                      <a class="button secondary" href="${url}/rejects" download
                        >${t.rejectsDownload}</a
                      >
                    </p>
                    <p class="hint">${t.rejectsHint}</p>
                    <h3>${t.firstRejects}</h3>
                    <div class="table-wrap" tabindex="0">
                      <table>
                        <thead>
                          <tr>
                            <th scope="col" class="num">${t.line}</th>
                            <th scope="col">${t.field}</th>
                            <th scope="col">${t.reason}</th>
                          </tr>
                        </thead>
                        <tbody>
                          ${s.rejects.slice(0, 20).map(
                            (r) =>
                              html`<tr>
                                <td class="num">${r.line}</td>
                                <td>${r.field}</td>
                                <td>${r.reason}</td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                    </div>`
                : ''
            }
            <p><a href="/app/customers/import">${t.again}</a></p>`
        : ''
    }
  </div>`;
}

/** The page around the progress card. */
export function renderImportJobPage(
  view: ViewContext,
  job: ImportJob,
): { title: string; main: SafeHtml } {
  const t = customerTexts(sessionOf(view).locale);
  return {
    title: t.progressTitle,
    main: html`<p><a href="/app/customers">← ${t.title}</a></p>
      <h1>${t.importTitle}</h1>
      ${renderImportProgress(view, job)}`,
  };
}

/** One customer: their record, the cases that touched them, what was sent and what they did. */
export function renderCustomer(
  view: ViewContext,
  history: CustomerHistory,
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = customerTexts(session.locale);
  const c = history.customer;
  const address = [c.street, [c.postalCode, c.city].filter(Boolean).join(' '), c.country]
    .filter(Boolean)
    .join(', ');
  const attributes = Object.entries(c.attributes);
  const when = (iso: string | null) =>
    iso
      ? html`<span class="badge badge-ok">${formatDateTime(session, iso)}</span>`
      : html`<span class="muted">${t.notYet}</span>`;
  return {
    title: `${c.name ?? c.externalId} — ${t.customer}`,
    main: html`<p><a href="/app/customers">← ${t.title}</a></p>
      <h1>${c.name ?? c.externalId}</h1>
      <h2>${t.details}</h2>
      <dl class="facts card">
        <dt>${t.externalId}</dt>
        <dd>${c.externalId}</dd>
        <dt>${t.email}</dt>
        <dd>${c.email ?? '—'}</dd>
        <dt>${t.language}</dt>
        <dd>${c.language}</dd>
        <dt>${t.address}</dt>
        <dd>${address || '—'}</dd>
        <dt>${t.updated}</dt>
        <dd>${formatDateTime(session, c.updatedAt)}</dd>
        ${
          attributes.length > 0
            ? html`<dt>${t.attributes}</dt>
                <dd>
                  <ul>
                    ${attributes.map(([k, v]) => html`<li><code>${k}</code>: ${typeof v === 'string' ? v : JSON.stringify(v)}</li>`)}
                  </ul>
                </dd>`
            : ''
        }
      </dl>
      <h2>${t.cases}</h2>
      ${
        history.cases.length === 0
          ? html`<p>${t.noCases}</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table id="customer-cases">
                <thead>
                  <tr>
                    <th scope="col">${t.case}</th>
                    <th scope="col">${t.acknowledged}</th>
                    <th scope="col">${t.remedied}</th>
                  </tr>
                </thead>
                <tbody>
                  ${history.cases.map(
                    (r) =>
                      html`<tr>
                        <td>
                          <a href="/app/cases/${encodeURIComponent(r.reference)}">${r.reference}</a>
                          ${r.title}
                        </td>
                        <td>${when(r.acknowledgedAt)}</td>
                        <td>${when(r.remediedAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <h2>${t.deliveries}</h2>
      ${
        history.deliveries.length === 0
          ? html`<p>${t.noDeliveries}</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table id="customer-deliveries">
                <thead>
                  <tr>
                    <th scope="col">${t.notice}</th>
                    <th scope="col">${t.to}</th>
                    <th scope="col">${t.status}</th>
                    <th scope="col">${t.sentAt}</th>
                    <th scope="col" class="num">${t.attempts}</th>
                    <th scope="col">${t.smtp}</th>
                  </tr>
                </thead>
                <tbody>
                  ${history.deliveries.map(
                    (d) =>
                      html`<tr>
                        <td>${d.noticeTitle}</td>
                        <td>${d.email}</td>
                        <td>${statusBadge(t, d.state)}</td>
                        <td>${formatDateTime(session, d.sentAt)}</td>
                        <td class="num">${d.attempts}</td>
                        <td><code>${d.smtpResponse ?? ''}</code></td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }`,
  };
}
