import type { CaseView } from '../../../domain/case.js';
import {
  REPORT_FIELDS,
  REPORT_KINDS,
  type ReportKind,
} from '../../../domain/reports/report-content.js';
import type {
  CaseReportsView,
  ReportVersionView,
  ReportView,
} from '../../../domain/reports/report-view.js';
import { html, type SafeHtml } from '../html.js';
import { errorSummary, fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { reportTexts } from './case-reports-texts.view.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { formatDateTime, formatDuration } from './workspace-format.js';
import { confirmCheckbox } from './confirm-step.view.js';
import { csrfField } from './workspace-layout.view.js';
import { CLOCK_ARTICLE_LABELS } from './service-messages.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

export interface CaseReportsModel {
  kase: CaseView;
  view: CaseReportsView;
  selected: { report: ReportView; version: ReportVersionView } | null;
  canWrite: boolean;
  canApprove: boolean;
  canSubmit: boolean;
  actorName: string;
  errors: FormErrors;
  now: number;
}

const P = 'report';

/** URL of a report version on the tab. */
export function reportVersionUrl(reference: string, reportId: number, version: number): string {
  return `${caseTabUrl(reference, 'reports')}?report=${reportId}&version=${version}`;
}

function versionBase(reference: string, reportId: number, version: number): string {
  return `${caseTabUrl(reference, 'reports')}/${reportId}/versions/${version}`;
}

function statusBadge(view: ViewContext, status: ReportVersionView['status']): SafeHtml {
  const t = reportTexts(sessionOf(view).locale);
  const tone =
    status === 'submitted'
      ? 'ok'
      : status === 'approved'
        ? 'info'
        : status === 'draft'
          ? 'warn'
          : 'danger';
  return html`<span class="badge badge-${tone}">${t.statuses[status]}</span>`;
}

function clocksTable(view: ViewContext, m: CaseReportsModel): SafeHtml {
  const session = sessionOf(view);
  const t = reportTexts(session.locale);
  const clocks = REPORT_KINDS.flatMap((k) => {
    const c = m.view.clocks[k];
    return c ? [c] : [];
  });
  if (clocks.length === 0) return html`<p class="muted">${t.noClocks}</p>`;
  return html`<div class="table-wrap" tabindex="0">
    <table>
      <thead>
        <tr>
          <th scope="col">${t.clockKind}</th>
          <th scope="col">${t.due}</th>
          <th scope="col">${t.state}</th>
          <th scope="col">${t.remaining}</th>
        </tr>
      </thead>
      <tbody>
        ${clocks.map(
          (c) =>
            html`<tr>
              <td>
                ${t.kinds[c.kind]}
                <span class="muted">(${CLOCK_ARTICLE_LABELS[session.locale][c.kind]})</span>
              </td>
              <td><time datetime="${c.dueAt}">${formatDateTime(session, c.dueAt)}</time></td>
              <td>
                <span
                  class="badge badge-${c.state === 'done' ? 'ok' : c.state === 'running' ? 'info' : c.state === 'due-soon' ? 'warn' : 'danger'}"
                  >${t.clockStates[c.state]}</span
                >
                ${c.late ? html`<span class="badge badge-danger">${t.late}</span>` : ''}
                ${c.provisional ? html`<span class="muted">${t.provisional}</span>` : ''}
              </td>
              <td>${c.state === 'done' ? '—' : formatDuration(session, c.remainingMs)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function reportList(view: ViewContext, m: CaseReportsModel): SafeHtml {
  const t = reportTexts(sessionOf(view).locale);
  const ref = m.kase.reference;
  return html`<ul class="report-list">
    ${REPORT_KINDS.map((kind: ReportKind) => {
      const report = m.view.reports.find((r) => r.kind === kind);
      if (!report) {
        return html`<li>
          <span>${t.kinds[kind]}</span> <span class="muted">${t.notDrafted}</span>
          ${
            m.canWrite
              ? html`<form method="post" action="${caseTabUrl(ref, 'reports')}" class="inline-form">
                  ${csrfField(view)}<input type="hidden" name="kind" value="${kind}" />
                  <button type="submit" class="button">${t.draft}</button>
                </form>`
              : ''
          }
        </li>`;
      }
      const latest = report.versions.at(-1)!;
      const current = m.selected?.report.id === report.id;
      return html`<li>
        <a
          href="${reportVersionUrl(ref, report.id, latest.version)}"
          ${current ? html`aria-current="true"` : ''}
          >${t.kinds[kind]}</a
        >
        ${t.version} ${latest.version} ${statusBadge(view, latest.status)}
      </li>`;
    })}
  </ul>`;
}

function fieldEditor(view: ViewContext, m: CaseReportsModel, v: ReportVersionView): SafeHtml {
  const t = reportTexts(sessionOf(view).locale);
  const locale = sessionOf(view).locale;
  const editable = m.canWrite && v.status !== 'submitted';
  const base = versionBase(m.kase.reference, m.selected!.report.id, v.version);
  const figure = (name: 'dataSubjects' | 'records') => {
    const value = v.content.figures[name];
    return html`<div class="field">
      <label for="${P}-${name}">${t[name]}</label>
      <span class="hint">${t.unknownHint}</span>
      <input
        type="number"
        min="0"
        step="1"
        id="${P}-${name}"
        name="${name}"
        value="${value === null ? '' : String(value)}"
        ${editable ? '' : html`readonly`}
        ${fieldAria(m.errors, `figures.${name}`, P)}
      />
      ${fieldError(m.errors, `figures.${name}`, P)}
    </div>`;
  };
  const fields = REPORT_FIELDS[v.content.kind].map((f) => {
    const value = v.content.fields[f.key] ?? { nl: '', en: '' };
    return html`<fieldset class="report-field">
      <legend>${f.label[locale]} <span class="muted">${f.basis}</span></legend>
      <div class="report-field-languages">
        ${(['nl', 'en'] as const).map(
          (lang) =>
            html`<div class="field">
              <label for="${P}-${f.key}-${lang}">${lang === 'nl' ? t.dutch : t.english}</label>
              <textarea
                id="${P}-${f.key}-${lang}"
                name="f.${f.key}.${lang}"
                rows="5"
                lang="${lang}"
                ${editable ? '' : html`readonly`}
                ${fieldAria(m.errors, `fields.${f.key}`, P)}
              >
${value[lang]}</textarea>
            </div>`,
        )}
      </div>
      ${fieldError(m.errors, `fields.${f.key}`, P)}
    </fieldset>`;
  });
  const body = html`<h3>${t.figures}</h3>
    <div class="grid">${figure('dataSubjects')} ${figure('records')}</div>
    <h3>${t.fields}</h3>
    ${fields}`;
  if (!editable) return html`<div class="report-fields">${body}</div>`;
  return html`<form method="post" action="${base}" class="report-fields">
      ${csrfField(view)}
      <input type="hidden" name="contentHash" value="${v.contentHash}" />
      ${body}
      <div class="actions"><button type="submit" class="button">${t.save}</button></div>
    </form>
    <form method="post" action="${base}/redraft">
      ${csrfField(view)}
      <button type="submit" class="button" data-confirm="${t.redraftConfirm}">${t.redraft}</button>
    </form>`;
}

function approvalAndSubmission(
  view: ViewContext,
  m: CaseReportsModel,
  v: ReportVersionView,
): SafeHtml {
  const session = sessionOf(view);
  const t = reportTexts(session.locale);
  const report = m.selected!.report;
  const base = versionBase(m.kase.reference, report.id, v.version);
  const clock = v.version === 1 ? m.view.clocks[report.kind] : undefined;
  const overdue = clock !== undefined && clock.remainingMs < 0;
  const wrote = v.editors.includes(m.actorName);
  const approval =
    v.status === 'submitted'
      ? html``
      : v.status === 'approved'
        ? html`<p>${t.approvedBy} ${v.approvedBy}, ${formatDateTime(session, v.approvedAt)}</p>`
        : m.canApprove && !wrote
          ? html`<form method="post" action="${base}/approve">
              ${csrfField(view)}<input type="hidden" name="contentHash" value="${v.contentHash}" />
              ${confirmCheckbox(view, 'approveReport')}
              <button type="submit" class="button">${t.approve}</button>
            </form>`
          : m.canApprove && wrote
            ? html`<p class="case-four-eyes">${t.youWrote}</p>`
            : html``;
  let submission: SafeHtml = html``;
  if (v.status === 'submitted') {
    submission = html`<dl class="facts">
      <dt>${t.submittedOn}</dt>
      <dd>${formatDateTime(session, v.submittedAt)} (${v.submittedBy ?? '—'})</dd>
      <dt>${t.authorityReference}</dt>
      <dd>${v.authorityReference ?? '—'}</dd>
      ${
        v.delayReason
          ? html`<dt>${t.delay}</dt>
              <dd>${v.delayReason}</dd>`
          : ''
      }
    </dl>`;
  } else if (m.canSubmit && v.status === 'approved') {
    submission = html`<form method="post" action="${base}/submit" class="case-form">
      ${csrfField(view)}<input type="hidden" name="contentHash" value="${v.contentHash}" />
      <h3>${t.submitHeading}</h3>
      <div class="field">
        <label for="${P}-authorityReference">${t.authorityReference}</label>
        <input
          type="text"
          id="${P}-authorityReference"
          name="authorityReference"
          required
          maxlength="200"
          ${fieldAria(m.errors, 'authorityReference', P)}
        />
        ${fieldError(m.errors, 'authorityReference', P)}
      </div>
      <div class="field">
        <label for="${P}-submittedAt">${t.submittedAt}</label>
        <input
          type="datetime-local"
          id="${P}-submittedAt"
          name="submittedAt"
          ${fieldAria(m.errors, 'submittedAt', P)}
        />
        ${fieldError(m.errors, 'submittedAt', P)}
      </div>
      <div class="field">
        <label for="${P}-delayReason">${t.delayReason}</label>
        <span class="hint">${overdue ? t.delayRequired : t.delayHint}</span>
        <textarea
          id="${P}-delayReason"
          name="delayReason"
          rows="3"
          ${overdue ? html`required` : ''}
          ${fieldAria(m.errors, 'delayReason', P)}
        ></textarea>
        ${fieldError(m.errors, 'delayReason', P)}
      </div>
      <button type="submit" class="button">${t.submit}</button>
    </form>`;
  } else if (v.status !== 'approved') {
    submission = html`<p class="muted">${t.notApproved}</p>`;
  }
  return html`${approval}${submission}`;
}

function downloads(view: ViewContext, m: CaseReportsModel, v: ReportVersionView): SafeHtml {
  const t = reportTexts(sessionOf(view).locale);
  const base = versionBase(m.kase.reference, m.selected!.report.id, v.version);
  return html`<h3>${t.downloads}</h3>
    <ul class="report-downloads">
      <li><a href="${base}/download?format=pdf&amp;lang=nl" download>${t.pdfNl}</a></li>
      <li><a href="${base}/download?format=pdf&amp;lang=en" download>${t.pdfEn}</a></li>
      <li><a href="${base}/download?format=json" download>${t.json}</a></li>
      <li>
        <a href="${base}/download?format=sheet&amp;lang=${sessionOf(view).locale}" download
          >${t.sheetText}</a
        >
      </li>
      ${
        m.selected!.report.kind === 'gdpr-art33'
          ? html`<li><a href="${base}/sheet">${t.sheet}</a></li>`
          : ''
      }
    </ul>`;
}

function selectedReport(view: ViewContext, m: CaseReportsModel): SafeHtml {
  if (!m.selected) return html``;
  const session = sessionOf(view);
  const t = reportTexts(session.locale);
  const { report, version: v } = m.selected;
  const latest = report.versions.at(-1)!;
  return html`<section class="card report-detail" aria-labelledby="${P}-title">
    <h2 id="${P}-title">
      ${t.kinds[report.kind]} — ${t.version} ${v.version} ${statusBadge(view, v.status)}
    </h2>
    ${
      report.versions.length > 1
        ? html`<nav aria-label="${t.versions}">
            <ul class="report-versions">
              ${report.versions.map(
                (x) =>
                  html`<li>
                    <a
                      href="${reportVersionUrl(m.kase.reference, report.id, x.version)}"
                      ${x.version === v.version ? html`aria-current="page"` : ''}
                      >${t.version} ${x.version}</a
                    >
                    ${statusBadge(view, x.status)}
                  </li>`,
              )}
            </ul>
          </nav>`
        : ''
    }
    <dl class="facts">
      <dt>${t.editors}</dt>
      <dd>${v.editors.join(', ')}</dd>
      <dt>${t.approvedBy}</dt>
      <dd>${v.approvedBy ? `${v.approvedBy}, ${formatDateTime(session, v.approvedAt)}` : '—'}</dd>
    </dl>
    <p class="case-four-eyes">${t.fourEyes}</p>
    ${errorSummary('!', m.errors, P)} ${approvalAndSubmission(view, m, v)}
    ${
      latest.status === 'submitted' && latest.version === v.version && m.canWrite
        ? html`<form
            method="post"
            action="${caseTabUrl(m.kase.reference, 'reports')}/${report.id}/supplement"
          >
            ${csrfField(view)}<button type="submit" class="button">${t.supplement}</button>
          </form>`
        : ''
    }
    ${downloads(view, m, v)} ${fieldEditor(view, m, v)}
  </section>`;
}

/** The reports tab of a case: clocks, the four reports, and the selected version. */
export function caseReportsView(view: ViewContext, m: CaseReportsModel): SafeHtml {
  const t = reportTexts(sessionOf(view).locale);
  return html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'reports')}
    <h2>${t.heading}</h2>
    <p class="muted">${t.intro}</p>
    <section aria-labelledby="${P}-clocks">
      <h3 id="${P}-clocks">${t.clocks}</h3>
      ${clocksTable(view, m)}
    </section>
    <section aria-labelledby="${P}-list">
      <h3 id="${P}-list">${t.reports}</h3>
      ${reportList(view, m)}
    </section>
    ${selectedReport(view, m)}`;
}
