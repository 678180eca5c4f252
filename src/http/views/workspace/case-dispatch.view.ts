import type { CaseView } from '../../../domain/case.js';
import type { DispatchProgress } from '../../../services/dispatch/dispatch.service.js';
import type {
  DeliveryCurve,
  DispatchPanel,
  DispatchSummary,
  RecallCurve,
} from '../../../services/dispatch/dispatch-progress.service.js';
import { assetUrl } from '../../workspace/workspace-assets.js';
import { html, type SafeHtml } from '../html.js';
import { deliveryChart, progressTexts, recallChart } from './case-dispatch-charts.view.js';
import { dispatchTexts } from './case-dispatch-texts.view.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { confirmCheckbox } from './confirm-step.view.js';
import { lettersLink } from './case-letters.view.js';
import { csrfField } from './workspace-layout.view.js';
import { formatDateTime, formatDuration, formatElapsed, formatNumber } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

/** Everything the dispatch tab shows. */
export interface DispatchPageModel {
  kase: CaseView;
  panel: DispatchPanel;
  /** The affected set's size now: frozen, or counted live over the registry. */
  audience: { total: number; withoutEmail: number; frozen: boolean };
  /** Approved notices that have no dispatch yet (sending one twice would send twice). */
  startable: DispatchPanel['sendable'];
  selected: { summary: DispatchSummary; progress: DispatchProgress } | null;
  curve: DeliveryCurve | null;
  recall: RecallCurve | null;
  canStart: boolean;
  canControl: boolean;
  /** An inline error for the start form (after a refused POST). */
  error?: string;
}

const STATE_BADGE: Record<string, string> = {
  preparing: 'badge-info',
  running: 'badge-info',
  paused: 'badge-warn',
  cancelled: 'badge-danger',
  completed: 'badge-ok',
};

// The finished dispatch's headline (kept here, next to the one place that shows it).
const doneTexts = defineTexts({
  nl: { doneIn: (t: string) => `Klaar in ${t}.` },
  en: { doneIn: (t: string) => `Done in ${t}.` },
});

/** The URL of the dispatch tab showing one dispatch. */
export function dispatchTabUrl(reference: string, dispatchId?: number): string {
  const base = caseTabUrl(reference, 'dispatch');
  return dispatchId ? `${base}?dispatch=${dispatchId}` : base;
}

function startForm(view: ViewContext, m: DispatchPageModel): SafeHtml {
  const session = sessionOf(view);
  const t = dispatchTexts(session.locale);
  const n = (v: number) => formatNumber(session, v);
  const ref = m.kase.reference;
  const count = html`<p>
      <strong>${t.recipients(n(m.audience.total))}</strong>${
        m.audience.withoutEmail > 0 ? html` · ${t.withoutEmail(n(m.audience.withoutEmail))}` : ''
      }
    </p>
    <p class="muted">${m.audience.frozen ? t.frozenNote : t.liveNote}</p>`;
  if (m.panel.sendable.length === 0) {
    return html`<section class="card" aria-labelledby="start-heading">
      <h2 id="start-heading">${t.startHeading}</h2>
      ${count}
      <p>${t.noneApproved} ${m.panel.unapproved > 0 ? t.waiting(m.panel.unapproved) : ''}</p>
      <p><a href="${caseTabUrl(ref, 'notices')}">${t.toNotices}</a></p>
    </section>`;
  }
  if (m.startable.length === 0) {
    return html`<section class="card" aria-labelledby="start-heading">
      <h2 id="start-heading">${t.startHeading}</h2>
      ${count}
      <p>${t.alreadySent}</p>
      <p><a href="${caseTabUrl(ref, 'notices')}">${t.followUp}</a></p>
    </section>`;
  }
  if (!m.canStart) {
    return html`<section class="card" aria-labelledby="start-heading">
      <h2 id="start-heading">${t.startHeading}</h2>
      ${count}
      <p class="muted">${t.notAllowedStart}</p>
    </section>`;
  }
  return html`<section class="card" aria-labelledby="start-heading">
    <h2 id="start-heading">${t.startHeading}</h2>
    ${count}
    <form method="post" action="/app/cases/${encodeURIComponent(ref)}/dispatches">
      ${csrfField(view)}
      <div class="field">
        <label for="dispatch-notice">${t.notice}</label>
        <select id="dispatch-notice" name="notice_id" required>
          ${m.startable.map(
            (s) =>
              html`<option value="${s.id}">
                ${t.noticeOption(s.title, s.version, s.approvedBy)}
              </option>`,
          )}
        </select>
      </div>
      <div class="field checks">
        <label
          ><input
            type="checkbox"
            name="confirm"
            value="yes"
            required
            ${m.error ? html`aria-invalid="true" aria-describedby="dispatch-error"` : ''}
          />
          ${t.confirm(n(m.audience.total))}</label
        >
        ${m.error ? html`<span class="error-text" id="dispatch-error">${m.error}</span>` : ''}
      </div>
      <button type="submit">${t.start}</button>
    </form>
  </section>`;
}

function controls(view: ViewContext, m: DispatchPageModel, p: DispatchProgress): SafeHtml {
  if (!m.canControl) return html``;
  const t = dispatchTexts(sessionOf(view).locale);
  const action = (name: 'pause' | 'resume' | 'cancel', label: string, cls: string) =>
    html`<form
      method="post"
      class="inline-form"
      action="/app/cases/${encodeURIComponent(m.kase.reference)}/dispatches/${p.id}/${name}"
    >
      ${csrfField(view)} ${name === 'cancel' ? confirmCheckbox(view, 'cancel') : ''}
      <button type="submit" class="${cls}">${label}</button>
    </form>`;
  const buttons = [
    p.state === 'running' && action('pause', t.pause, 'secondary'),
    (p.state === 'paused' || p.state === 'preparing') && action('resume', t.resume, ''),
    (p.state === 'running' || p.state === 'paused' || p.state === 'preparing') &&
      action('cancel', t.cancel, 'danger'),
  ].filter(Boolean);
  if (buttons.length === 0) return html``;
  return html`<div class="actions" role="group" aria-label="${t.controlsLabel}">${buttons}</div>`;
}

function progressPanel(view: ViewContext, m: DispatchPageModel): SafeHtml {
  const session = sessionOf(view);
  const t = dispatchTexts(session.locale);
  if (!m.selected) return html`<p class="muted">${t.noDispatch}</p>`;
  const { summary, progress: p } = m.selected;
  const text = progressTexts(session, p);
  const ref = m.kase.reference;
  const live = p.state !== 'completed' && p.state !== 'cancelled';
  const stream = `/app/cases/${encodeURIComponent(ref)}/dispatches/${p.id}/events`;
  // Every count but the queue (it includes what is being sent) opens the deliveries in that
  // state: "4 refused" is a question that the list of those four answers.
  const count = (key: keyof typeof t.counts) =>
    html`<div>
      <dt>${t.counts[key]}</dt>
      <dd>
        ${
          key === 'queued'
            ? html`<span data-progress="${key}">${text[key]}</span>`
            : html`<a href="${caseTabUrl(ref, 'deliveries')}?dispatch=${p.id}&amp;state=${key}"
                ><span data-progress="${key}">${text[key]}</span
                ><span class="visually-hidden"> ${t.counts[key]}</span></a
              >`
        }
      </dd>
    </div>`;
  // A finished dispatch has no rate or time left; when it ended and how long it took matter.
  const timing = live
    ? html`<div>
          <dt>${t.rate}</dt>
          <dd data-progress="rate">${text.rate}</dd>
        </div>
        <div>
          <dt>${t.eta}</dt>
          <dd data-progress="eta">${text.eta}</dd>
        </div>`
    : p.finishedAt
      ? html`<div>
            <dt>${p.state === 'cancelled' ? t.cancelledAt : t.finishedAt}</dt>
            <dd class="dispatch-when">
              <time datetime="${p.finishedAt}">${formatDateTime(session, p.finishedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>${t.took}</dt>
            <dd>${formatDuration(session, Date.parse(p.finishedAt) - Date.parse(p.createdAt))}</dd>
          </div>`
      : html``;
  return html`<section
      class="card dispatch-progress"
      aria-labelledby="progress-heading"
      data-state="${p.state}"
      ${live ? html`data-progress-stream="${stream}" data-finished-url="${dispatchTabUrl(ref, p.id)}"` : ''}
    >
      <h2 id="progress-heading">${t.dispatchOf(summary.noticeTitle)}</h2>
      <p class="muted">
        ${t.startedBy(summary.createdBy, formatDateTime(session, summary.createdAt))} ·
        ${t.stateLabel}:
        <span class="badge ${STATE_BADGE[p.state] ?? ''}" data-progress="state">${text.state}</span>
      </p>
      <div class="progress-row">
        <progress
          id="dispatch-bar"
          max="${Math.max(1, p.total)}"
          value="${Math.min(p.done, Math.max(1, p.total))}"
          aria-labelledby="dispatch-bar-label"
        ></progress>
        <span id="dispatch-bar-label"
          ><span data-progress="percent" class="stat">${text.percent}</span>
          <span class="stat-label">${t.percentDone}</span>
          (<span data-progress="done">${text.done}</span> / ${text.total})</span
        >
      </div>
      <dl class="dispatch-counts">
        ${count('sent')} ${count('deferred')} ${count('bounced')} ${count('failed')}
        ${count('queued')} ${count('cancelled')} ${timing}
      </dl>
      ${live ? html`<p class="dispatch-deferral" data-progress="deferral" role="status">${text.deferral}</p>` : ''}
      ${
        p.state === 'completed' && p.finishedAt
          ? html`<p class="dispatch-done" data-dispatch-done>
              <strong
                >${doneTexts(session.locale).doneIn(
                  formatElapsed(session, Date.parse(p.finishedAt) - Date.parse(p.createdAt)),
                )}</strong
              >
            </p>`
          : ''
      }
      <p role="status" data-progress-finished hidden>
        ${t.finished} <a href="${dispatchTabUrl(ref, p.id)}">${t.reload}</a>
      </p>
      ${controls(view, m, p)}
      <p class="actions">
        <a href="${dispatchTabUrl(ref, p.id)}">${t.refresh}</a>
        <a href="${caseTabUrl(ref, 'deliveries')}?dispatch=${p.id}">${t.deliveriesLink}</a>
      </p>
    </section>
    ${live ? html`<script src="${assetUrl('dispatch-progress.js')}" defer></script>` : ''}`;
}

function history(view: ViewContext, m: DispatchPageModel): SafeHtml {
  if (m.panel.dispatches.length < 2) return html``;
  const session = sessionOf(view);
  const t = dispatchTexts(session.locale);
  return html`<section aria-labelledby="history-heading">
    <h2 id="history-heading">${t.historyHeading}</h2>
    <div class="table-wrap" tabindex="0">
      <table>
        <thead>
          <tr>
            <th scope="col">${t.historyCols.notice}</th>
            <th scope="col">${t.historyCols.state}</th>
            <th scope="col" class="num">${t.historyCols.total}</th>
            <th scope="col">${t.historyCols.started}</th>
          </tr>
        </thead>
        <tbody>
          ${m.panel.dispatches.map(
            (d) =>
              html`<tr>
                <td>
                  <a
                    href="${dispatchTabUrl(m.kase.reference, d.id)}"
                    ${m.selected?.summary.id === d.id ? html`aria-current="true"` : ''}
                    >${d.noticeTitle}</a
                  >
                </td>
                <td>
                  <span class="badge ${STATE_BADGE[d.state] ?? ''}"
                    >${t.states[d.state] ?? d.state}</span
                  >
                </td>
                <td class="num">${formatNumber(session, d.total)}</td>
                <td>${formatDateTime(session, d.createdAt)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

/** The dispatch tab's content (inside the workspace layout). */
export function renderDispatchTab(view: ViewContext, m: DispatchPageModel): SafeHtml {
  const session = sessionOf(view);
  const t = dispatchTexts(session.locale);
  return html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'dispatch')}
    <div class="dispatch-tab">
      ${
        m.selected
          ? html`${progressPanel(view, m)} ${startForm(view, m)}`
          : html`${startForm(view, m)} ${progressPanel(view, m)}`
      }
      ${history(view, m)} ${m.selected ? lettersLink(view, m.kase.reference) : ''}
      <section aria-labelledby="charts-heading">
        <h2 id="charts-heading">${t.chartsHeading}</h2>
        <div class="chart-grid">
          ${deliveryChart(session, m.curve, 'delivery-chart')}
          ${recallChart(session, m.recall, 'recall-chart')}
        </div>
      </section>
    </div>`;
}
