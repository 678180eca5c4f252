import type { CaseView } from '../../../domain/case.js';
import { DELIVERY_STATES, type DeliveryState } from '../../../domain/delivery.js';
import type {
  DeliveryPage,
  DispatchSummary,
} from '../../../services/dispatch/dispatch-progress.service.js';
import type { DeliveryReportRow } from '../../../store/delivery-report.repository.js';
import { html, type SafeHtml } from '../html.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { formatDateTime, formatNumber, type FormatContext } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

export const deliveriesTexts = defineTexts({
  nl: {
    title: 'Afleveringen',
    filterLabel: 'Afleveringen filteren',
    dispatch: 'Verzending',
    state: 'Status',
    all: 'Alle',
    search: 'Zoek een ontvanger',
    searchHint: 'Begin van het e-mailadres of de naam, of het klantnummer',
    apply: 'Toepassen',
    reset: 'Wissen',
    states: {
      queued: 'in de wachtrij',
      sending: 'wordt verzonden',
      sent: 'verzonden',
      deferred: 'uitgesteld',
      bounced: 'geweigerd',
      failed: 'mislukt',
      cancelled: 'geannuleerd',
      printed: 'brief gedrukt',
      posted: 'brief gepost',
    } satisfies Record<DeliveryState, string>,
    cols: {
      recipient: 'Ontvanger',
      state: 'Status',
      attempts: 'Pogingen',
      answer: 'Antwoord server',
      sent: 'Verzonden',
      acknowledged: 'Bevestigd',
      remedied: 'Hersteld',
      details: 'Details',
    },
    caption: (shown: string) => `Afleveringen (${shown} getoond)`,
    none: 'Geen afleveringen die aan het filter voldoen.',
    noDispatch: 'Er is in deze zaak nog niets verzonden.',
    toDispatch: 'Naar verzenden',
    details: 'Details',
    messageId: 'Message-ID',
    updated: 'Laatst bijgewerkt',
    nextAttempt: 'Volgende poging',
    fullAnswer: 'Volledig antwoord',
    bounce: 'Weigering',
    bounceAfter: 'Eerst aangenomen, later teruggestuurd (bounce-bericht)',
    bounceAtOnce: 'Direct geweigerd door de ontvangende server',
    failedInfo: 'Opgegeven na herhaalde tijdelijke fouten',
    notice: 'Bericht',
    no: '—',
    next: 'Volgende pagina',
    first: 'Eerste pagina',
    pager: 'Paginering',
  },
  en: {
    title: 'Deliveries',
    filterLabel: 'Filter deliveries',
    dispatch: 'Dispatch',
    state: 'State',
    all: 'All',
    search: 'Search a recipient',
    searchHint: 'Start of the email address or name, or the customer id',
    apply: 'Apply',
    reset: 'Clear',
    states: {
      queued: 'queued',
      sending: 'sending',
      sent: 'sent',
      deferred: 'deferred',
      bounced: 'bounced',
      failed: 'failed',
      cancelled: 'cancelled',
      printed: 'letter printed',
      posted: 'letter posted',
    } satisfies Record<DeliveryState, string>,
    cols: {
      recipient: 'Recipient',
      state: 'State',
      attempts: 'Attempts',
      answer: 'Server answer',
      sent: 'Sent',
      acknowledged: 'Acknowledged',
      remedied: 'Remedied',
      details: 'Details',
    },
    caption: (shown: string) => `Deliveries (${shown} shown)`,
    none: 'No deliveries match the filter.',
    noDispatch: 'Nothing has been sent in this case yet.',
    toDispatch: 'Go to dispatch',
    details: 'Details',
    messageId: 'Message-ID',
    updated: 'Last updated',
    nextAttempt: 'Next attempt',
    fullAnswer: 'Full answer',
    bounce: 'Bounce',
    bounceAfter: 'Accepted first, returned later (bounce message)',
    bounceAtOnce: 'Refused at once by the receiving server',
    failedInfo: 'Given up after repeated temporary failures',
    notice: 'Notice',
    no: '—',
    next: 'Next page',
    first: 'First page',
    pager: 'Pages',
  },
});

const BADGE: Record<string, string> = {
  sent: 'badge-ok',
  deferred: 'badge-warn',
  bounced: 'badge-danger',
  failed: 'badge-danger',
  queued: 'badge-info',
  sending: 'badge-info',
};

export interface DeliveriesFilter {
  dispatch: number;
  state?: DeliveryState;
  q?: string;
  after?: number;
}

export interface DeliveriesPageModel {
  kase: CaseView;
  dispatches: DispatchSummary[];
  filter: DeliveriesFilter | null;
  page: DeliveryPage | null;
}

/** The deliveries tab URL for a filter (the cursor included when given). */
export function deliveriesUrl(reference: string, f: Partial<DeliveriesFilter>): string {
  const params = new URLSearchParams();
  if (f.dispatch) params.set('dispatch', String(f.dispatch));
  if (f.state) params.set('state', f.state);
  if (f.q) params.set('q', f.q);
  if (f.after) params.set('after', String(f.after));
  const query = params.toString();
  return `${caseTabUrl(reference, 'deliveries')}${query ? `?${query}` : ''}`;
}

function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const TAGS = { nl: 'nl-NL', en: 'en-GB' } as const;
const compactFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A table cell's date-time: day, month, time and zone ("27 nov, 15:57 CET"), the year only
 * when it is not this year. Three full date-times per row made the table wider than a
 * laptop screen and wrapped each over five lines; the full form stays in the title.
 */
function formatCompact(session: FormatContext, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const yearOf = (d: Date) =>
    new Intl.DateTimeFormat('en', { timeZone: session.timeZone, year: 'numeric' }).format(d);
  const withYear = yearOf(date) !== yearOf(new Date());
  const key = `${session.locale}|${session.timeZone}|${withYear}`;
  let format = compactFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(TAGS[session.locale], {
      timeZone: session.timeZone,
      day: 'numeric',
      month: 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    if (compactFormats.size > 200) compactFormats.clear();
    compactFormats.set(key, format);
  }
  return format.format(date);
}

function row(view: ViewContext, r: DeliveryReportRow): SafeHtml {
  const session = sessionOf(view);
  const t = deliveriesTexts(session.locale);
  const when = (iso: string | null) =>
    iso
      ? html`<time datetime="${iso}" title="${formatDateTime(session, iso)}"
          >${formatCompact(session, iso)}</time
        >`
      : t.no;
  const full = (iso: string | null) =>
    iso ? html`<time datetime="${iso}">${formatDateTime(session, iso)}</time>` : t.no;
  const state = r.state;
  const bounceInfo =
    state === 'bounced'
      ? r.sentAt
        ? t.bounceAfter
        : t.bounceAtOnce
      : state === 'failed'
        ? t.failedInfo
        : null;
  return html`<tr>
    <td>
      ${r.name ?? t.no}<br /><span class="break-anywhere">${r.email}</span><br /><span class="muted"
        >${r.externalId}</span
      >
    </td>
    <td><span class="badge ${BADGE[state] ?? ''}">${t.states[state] ?? r.state}</span></td>
    <td class="num">${formatNumber(session, r.attempts)}</td>
    <td>${r.smtpResponse ? html`<code>${shorten(r.smtpResponse)}</code>` : t.no}</td>
    <td>${when(r.sentAt)}</td>
    <td>${when(r.acknowledgedAt)}</td>
    <td>${when(r.remediedAt)}</td>
    <td>
      <details>
        <summary>${t.details}<span class="visually-hidden"> ${r.email}</span></summary>
        <dl class="facts">
          <dt>${t.messageId}</dt>
          <dd><code>${r.messageId}</code></dd>
          <dt>${t.updated}</dt>
          <dd>${full(r.updatedAt)}</dd>
          ${
            state === 'queued' || state === 'deferred'
              ? html`<dt>${t.nextAttempt}</dt>
                  <dd>${full(r.nextAttemptAt)}</dd>`
              : ''
          }
          ${
            r.smtpResponse
              ? html`<dt>${t.fullAnswer}</dt>
                  <dd><code>${r.smtpResponse}</code></dd>`
              : ''
          }
          ${
            bounceInfo
              ? html`<dt>${t.bounce}</dt>
                  <dd>${bounceInfo}</dd>`
              : ''
          }
        </dl>
      </details>
    </td>
  </tr>`;
}

function filterForm(view: ViewContext, m: DeliveriesPageModel, f: DeliveriesFilter): SafeHtml {
  const session = sessionOf(view);
  const t = deliveriesTexts(session.locale);
  const counts = m.page?.counts;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
  return html`<form
    method="get"
    action="${caseTabUrl(m.kase.reference, 'deliveries')}"
    class="toolbar"
    role="search"
    aria-label="${t.filterLabel}"
  >
    ${
      m.dispatches.length > 1
        ? html`<div class="field">
            <label for="deliveries-dispatch">${t.dispatch}</label>
            <select id="deliveries-dispatch" name="dispatch">
              ${m.dispatches.map(
                (d) =>
                  html`<option value="${d.id}" ${d.id === f.dispatch ? html`selected` : ''}>
                    ${d.noticeTitle} · ${formatDateTime(session, d.createdAt)}
                  </option>`,
              )}
            </select>
          </div>`
        : html`<input type="hidden" name="dispatch" value="${f.dispatch}" />`
    }
    <div class="field">
      <label for="deliveries-state">${t.state}</label>
      <select id="deliveries-state" name="state">
        <option value="">${t.all} (${formatNumber(session, total)})</option>
        ${DELIVERY_STATES.map(
          (s) =>
            html`<option value="${s}" ${s === f.state ? html`selected` : ''}>
              ${t.states[s]} (${formatNumber(session, counts?.[s] ?? 0)})
            </option>`,
        )}
      </select>
    </div>
    <div class="field">
      <label for="deliveries-q">${t.search}</label>
      <input
        id="deliveries-q"
        type="search"
        name="q"
        value="${f.q ?? ''}"
        maxlength="200"
        aria-describedby="deliveries-q-hint"
      />
      <span class="hint" id="deliveries-q-hint">${t.searchHint}</span>
    </div>
    <div class="actions">
      <button type="submit">${t.apply}</button>
      <a href="${deliveriesUrl(m.kase.reference, { dispatch: f.dispatch })}">${t.reset}</a>
    </div>
  </form>`;
}

/** The deliveries tab's content (inside the workspace layout). */
export function renderDeliveriesTab(view: ViewContext, m: DeliveriesPageModel): SafeHtml {
  const session = sessionOf(view);
  const t = deliveriesTexts(session.locale);
  const head = html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'deliveries')}`;
  if (!m.filter || !m.page) {
    return html`${head}
      <h2>${t.title}</h2>
      <p>${t.noDispatch}</p>
      <p><a href="${caseTabUrl(m.kase.reference, 'dispatch')}">${t.toDispatch}</a></p>`;
  }
  const f = m.filter;
  const rows = m.page.rows;
  const pager =
    f.after || m.page.nextAfterId
      ? html`<nav class="pager" aria-label="${t.pager}">
          ${
            f.after
              ? html`<a href="${deliveriesUrl(m.kase.reference, { ...f, after: undefined })}"
                  >${t.first}</a
                >`
              : ''
          }
          ${
            m.page.nextAfterId
              ? html`<a
                  rel="next"
                  href="${deliveriesUrl(m.kase.reference, { ...f, after: m.page.nextAfterId })}"
                  >${t.next}</a
                >`
              : ''
          }
        </nav>`
      : '';
  return html`${head}
    <h2>${t.title}</h2>
    ${filterForm(view, m, f)}
    ${
      rows.length === 0
        ? html`<p role="status">${t.none}</p>`
        : html`<div class="table-wrap" tabindex="0">
            <table class="deliveries-table">
              <caption>
                ${t.caption(formatNumber(session, rows.length))}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.cols.recipient}</th>
                  <th scope="col">${t.cols.state}</th>
                  <th scope="col" class="num">${t.cols.attempts}</th>
                  <th scope="col">${t.cols.answer}</th>
                  <th scope="col">${t.cols.sent}</th>
                  <th scope="col">${t.cols.acknowledged}</th>
                  <th scope="col">${t.cols.remedied}</th>
                  <th scope="col">${t.cols.details}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((r) => row(view, r))}
              </tbody>
            </table>
          </div>`
    }
    ${pager}`;
}
