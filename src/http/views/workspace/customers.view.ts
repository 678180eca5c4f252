import { can } from '../../../domain/access.js';
import type { CustomerView } from '../../../domain/customer.js';
import type { CustomerImportRow } from '../../../store/schema.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatNumber } from './workspace-format.js';
import { customerTexts } from './customers-texts.js';
import { csrfAction } from './workspace-layout.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

/** The registry: search, one page of customers, and the way to the import. */
export function renderCustomerList(
  view: ViewContext,
  input: { q: string; total: number; items: CustomerView[]; next: number | null; paged: boolean },
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = customerTexts(session.locale);
  const q = input.q ? `&q=${encodeURIComponent(input.q)}` : '';
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <p>${t.count(formatNumber(session, input.total))}</p>
      ${
        can(session.roles, 'customers:import')
          ? html`<p>
              <a class="button secondary" href="/app/customers/import">${t.importLink}</a>
            </p>`
          : ''
      }
      <form method="get" action="/app/customers" role="search" class="toolbar">
        <div class="field">
          <label for="q">${t.search}</label>
          <span class="hint" id="q-hint">${t.searchHint}</span>
          <input id="q" name="q" type="search" value="${input.q}" aria-describedby="q-hint" />
        </div>
        <button type="submit">${t.searchButton}</button>
      </form>
      ${
        input.items.length === 0
          ? html`<p>${t.none}</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t.externalId}</th>
                    <th scope="col">${t.name}</th>
                    <th scope="col">${t.email}</th>
                    <th scope="col">${t.language}</th>
                    <th scope="col">${t.city}</th>
                    <th scope="col">${t.updated}</th>
                  </tr>
                </thead>
                <tbody>
                  ${input.items.map(
                    (c) =>
                      html`<tr>
                        <td>
                          <a href="/app/customers/${encodeURIComponent(c.externalId)}"
                            >${c.externalId}</a
                          >
                        </td>
                        <td>${c.name ?? ''}</td>
                        <td>${c.email ?? ''}</td>
                        <td>${c.language}</td>
                        <td>${c.city ?? ''}</td>
                        <td>${formatDateTime(session, c.updatedAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <nav class="pager" aria-label="${t.pages}">
        ${input.paged ? html`<a href="/app/customers${input.q ? `?q=${encodeURIComponent(input.q)}` : ''}">${t.first}</a>` : ''}
        ${input.next ? html`<a href="/app/customers?after=${input.next}${q}" rel="next">${t.next}</a>` : ''}
      </nav>`,
  };
}

/** The upload form and the import history. */
export function renderImportPage(
  view: ViewContext,
  imports: CustomerImportRow[],
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = customerTexts(session.locale);
  return {
    title: t.importTitle,
    main: html`<p><a href="/app/customers">← ${t.title}</a></p>
      <h1>${t.importTitle}</h1>
      <p>${t.importIntro}</p>
      <form
        method="post"
        action="${csrfAction(view, '/app/customers/import')}"
        enctype="multipart/form-data"
        class="card"
      >
        <div class="field">
          <label for="file">${t.file}</label>
          <span class="hint" id="file-hint">${t.fileHint}</span>
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,.jsonl,.ndjson,.txt,text/csv"
            required
            aria-describedby="file-hint"
          />
        </div>
        <button type="submit">${t.upload}</button>
      </form>
      <h2>${t.history}</h2>
      ${
        imports.length === 0
          ? html`<p>${t.noImports}</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t.started}</th>
                    <th scope="col">${t.source}</th>
                    <th scope="col">${t.by}</th>
                    <th scope="col">${t.status}</th>
                    <th scope="col" class="num">${t.total}</th>
                    <th scope="col" class="num">${t.inserted}</th>
                    <th scope="col" class="num">${t.updatedCol}</th>
                    <th scope="col" class="num">${t.rejected}</th>
                  </tr>
                </thead>
                <tbody>
                  ${imports.map(
                    (i) =>
                      html`<tr>
                        <td>${formatDateTime(session, i.started_at)}</td>
                        <td>${i.source}</td>
                        <td>${i.actor}</td>
                        <td>${statusBadge(t, i.status)}</td>
                        <td class="num">${formatNumber(session, Number(i.total))}</td>
                        <td class="num">${formatNumber(session, Number(i.inserted))}</td>
                        <td class="num">${formatNumber(session, Number(i.updated))}</td>
                        <td class="num">${formatNumber(session, Number(i.rejected))}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }`,
  };
}

/** A badge for an import or delivery state. */
export function statusBadge(t: ReturnType<typeof customerTexts>, status: string): SafeHtml {
  const kind =
    status === 'completed' || status === 'sent'
      ? 'badge badge-ok'
      : status === 'failed' || status === 'bounced'
        ? 'badge badge-danger'
        : status === 'running' || status === 'queued' || status === 'sending'
          ? 'badge badge-info'
          : status === 'deferred' || status === 'interrupted'
            ? 'badge badge-warn'
            : 'badge';
  return html`<span class="${kind}">${t.states[status] ?? status}</span>`;
}
