import { can } from '../../../domain/access.js';
import type { AuditVerification } from '../../../services/access/audit.service.js';
import type { AuditPage } from '../../../services/access/audit-view.service.js';
import type { AuditFilter } from '../../../store/audit-view.repository.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime, formatNumber } from './workspace-format.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    title: 'Auditlog',
    intro:
      'Wie deed wat, wanneer. Elke regel is met de vorige verbonden door een hash: achteraf wijzigen valt op.',
    filter: 'Filteren',
    actor: 'Wie',
    action: 'Actie',
    objectType: 'Soort object',
    // The stored object types (stable identifiers) as a reader names them.
    objectTypes: {
      case: 'zaak',
      case_recipient: 'getroffene',
      customer: 'klant',
      customer_import: 'klantenimport',
      delivery: 'aflevering',
      dispatch: 'verzending',
      notice: 'bericht',
      report: 'melding',
      settings: 'instellingen',
      subscriber: 'abonnee',
      user: 'gebruiker',
      webhook: 'webhook',
    },
    objectId: 'Object-id',
    any: '(alle)',
    apply: 'Toon',
    reset: 'Wis filter',
    seq: 'Nr.',
    at: 'Wanneer',
    object: 'Object',
    source: 'Vanaf',
    details: 'Details',
    none: 'Geen regels gevonden.',
    older: 'Oudere regels',
    newest: 'Nieuwste regels',
    verify: 'Keten controleren',
    verifyHint: 'Rekent elke hash en elke koppeling opnieuw na.',
    verifyOk: (n: string) => `De keten is intact: ${n} regels nagerekend, geen afwijkingen.`,
    verifyBad: (n: string, f: string) =>
      `De keten is NIET intact: ${n} regels nagerekend, ${f} afwijkingen.`,
    head: 'Laatste hash',
  },
  en: {
    title: 'Audit log',
    intro:
      'Who did what, when. Every entry is linked to the previous one by a hash: changing history shows.',
    filter: 'Filter',
    actor: 'Who',
    action: 'Action',
    objectType: 'Object type',
    objectTypes: {
      case: 'case',
      case_recipient: 'affected customer',
      customer: 'customer',
      customer_import: 'customer import',
      delivery: 'delivery',
      dispatch: 'dispatch',
      notice: 'notice',
      report: 'report',
      settings: 'settings',
      subscriber: 'subscriber',
      user: 'user',
      webhook: 'webhook',
    },
    objectId: 'Object id',
    any: '(all)',
    apply: 'Show',
    reset: 'Clear filter',
    seq: 'No.',
    at: 'When',
    object: 'Object',
    source: 'From',
    details: 'Details',
    none: 'No entries found.',
    older: 'Older entries',
    newest: 'Newest entries',
    verify: 'Verify chain',
    verifyHint: 'Recomputes every hash and every link.',
    verifyOk: (n: string) => `The chain is intact: ${n} entries recomputed, no findings.`,
    verifyBad: (n: string, f: string) =>
      `The chain is NOT intact: ${n} entries recomputed, ${f} findings.`,
    head: 'Latest hash',
  },
});

function select(
  id: string,
  name: string,
  label: string,
  any: string,
  options: string[],
  value: string | undefined,
  labelOf: (option: string) => string = (o) => o,
) {
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <select id="${id}" name="${name}">
      <option value="">${any}</option>
      ${options.map((o) => html`<option value="${o}" ${o === value ? html`selected` : ''}>${labelOf(o)}</option>`)}
    </select>
  </div>`;
}

function query(filter: AuditFilter, beforeSeq: number | null): string {
  const params = new URLSearchParams();
  if (filter.actor) params.set('actor', filter.actor);
  if (filter.action) params.set('action', filter.action);
  if (filter.objectType) params.set('objectType', filter.objectType);
  if (filter.objectId) params.set('objectId', filter.objectId);
  if (beforeSeq) params.set('before', String(beforeSeq));
  return params.toString();
}

/** The audit viewer: filter, entries, paging and the verification button (and its result). */
export function renderAudit(
  view: ViewContext,
  page: AuditPage,
  filter: AuditFilter,
  verification: AuditVerification | null,
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const actionChoices = [
    ...new Set(page.vocabulary.actions.flatMap((a) => [`${a.split('.')[0]}.`, a])),
  ].sort();
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <p>${t.intro}</p>
      ${
        verification
          ? html`<div
              class="flash ${verification.ok ? '' : 'flash-error'}"
              role="status"
              id="verify-result"
            >
              ${
                verification.ok
                  ? t.verifyOk(formatNumber(session, verification.entries))
                  : t.verifyBad(
                      formatNumber(session, verification.entries),
                      formatNumber(session, verification.findings.length),
                    )
              }
              <br /><span class="muted">${t.head}: <code>${verification.head.hash}</code></span>
              ${
                verification.findings.length > 0
                  ? html`<ul>
                      ${verification.findings.slice(0, 20).map((f) => html`<li>${f.seq}: ${f.message}</li>`)}
                    </ul>`
                  : ''
              }
            </div>`
          : ''
      }
      ${
        can(session.roles, 'audit:verify')
          ? html`<form method="post" action="/app/audit/verify" class="actions">
              ${csrfField(view)}
              <button type="submit" aria-describedby="verify-hint">${t.verify}</button>
              <span class="hint" id="verify-hint">${t.verifyHint}</span>
            </form>`
          : ''
      }
      <form method="get" action="/app/audit" class="card" aria-label="${t.filter}">
        <div class="toolbar">
          ${select('f-actor', 'actor', t.actor, t.any, page.vocabulary.actors, filter.actor)}
          ${select('f-action', 'action', t.action, t.any, actionChoices, filter.action)}
          ${select('f-type', 'objectType', t.objectType, t.any, page.vocabulary.objectTypes, filter.objectType, (o) => (t.objectTypes as Record<string, string>)[o] ?? o)}
          <div class="field">
            <label for="f-id">${t.objectId}</label>
            <input id="f-id" name="objectId" type="text" value="${filter.objectId ?? ''}" />
          </div>
          <button type="submit">${t.apply}</button>
          <a href="/app/audit" class="button secondary">${t.reset}</a>
        </div>
      </form>
      ${
        page.entries.length === 0
          ? html`<p>${t.none}</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col" class="num">${t.seq}</th>
                    <th scope="col">${t.at}</th>
                    <th scope="col">${t.actor}</th>
                    <th scope="col">${t.action}</th>
                    <th scope="col">${t.object}</th>
                    <th scope="col">${t.source}</th>
                    <th scope="col">${t.details}</th>
                  </tr>
                </thead>
                <tbody>
                  ${page.entries.map(
                    (e) =>
                      html`<tr>
                        <td class="num">${e.seq}</td>
                        <td>${formatDateTime(session, e.at)}</td>
                        <td>${e.actor}</td>
                        <td><code>${e.action}</code></td>
                        <td>
                          ${(t.objectTypes as Record<string, string>)[e.objectType] ?? e.objectType}${e.objectId ? ` ${e.objectId}` : ''}
                        </td>
                        <td>${e.source}</td>
                        <td class="break-anywhere">
                          <code>${truncate(JSON.stringify(e.details), 300)}</code>
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <nav class="pager" aria-label="${t.older}">
        ${filter.beforeSeq ? html`<a href="/app/audit?${query(filter, null)}">${t.newest}</a>` : ''}
        ${page.nextBeforeSeq ? html`<a href="/app/audit?${query(filter, page.nextBeforeSeq)}">${t.older}</a>` : ''}
      </nav>`,
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
