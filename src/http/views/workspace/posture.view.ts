import { can } from '../../../domain/access.js';
import {
  COMMITMENT_KINDS,
  EVIDENCE_KINDS,
  isExpired,
  MEASURE_STATUSES,
  measureTitle,
  NIS2_HEADINGS,
  type Nis2Point,
} from '../../../domain/posture/posture.js';
import type { PostureVersionView } from '../../../services/publication/posture.service.js';
import { html, type SafeHtml } from '../html.js';
import { errorSummary, fieldError, type FormErrors } from './case-form.view.js';
import type { PostureForm } from './posture-form.js';
import { csrfField } from './workspace-layout.view.js';
import { postureWorkspaceTexts as texts } from './posture-texts.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

/** /app/posture: the statement in force, the open draft, and what the user may do with it. */
export function renderPostureOverview(
  view: ViewContext,
  model: { open: PostureVersionView | null; published: PostureVersionView[]; now: Date },
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const roles = session.roles;
  const current = model.published[0];
  const form = (action: string, label: string, extra: SafeHtml | '' = '') =>
    html`<form method="post" action="${action}" class="inline-form">
      ${csrfField(view)} ${extra}<button type="submit">${label}</button>
    </form>`;
  const open = model.open;
  const wrote = open?.authors.includes(session.username) ?? false;
  const table = (v: PostureVersionView) =>
    html`<div class="table-wrap" tabindex="0">
        <table id="posture-measures">
          <caption>
            ${t.measures}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t.measures}</th>
              <th scope="col">${t.status}</th>
              <th scope="col">${t.validUntil}</th>
              <th scope="col">${t.descriptionNl}</th>
              <th scope="col">${t.descriptionEn}</th>
            </tr>
          </thead>
          <tbody>
            ${v.content.measures.map(
              (m) =>
                html`<tr>
                  <td>
                    ${m.id.startsWith('own-') ? '' : `${m.id}) `}${measureTitle(m, session.locale)}
                  </td>
                  <td>
                    ${t.statuses[m.status]}${
                      isExpired(m.validUntil, model.now)
                        ? html` <span class="badge badge-danger">${t.expired}</span>`
                        : ''
                    }
                  </td>
                  <td>${m.validUntil ?? '—'}</td>
                  <td lang="nl">
                    ${m.description.nl}${m.reason.nl ? html`<br /><em>${m.reason.nl}</em>` : ''}
                  </td>
                  <td lang="en">
                    ${m.description.en}${m.reason.en ? html`<br /><em>${m.reason.en}</em>` : ''}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <h3>${t.commitments}</h3>
      <ul id="posture-commitments">
        ${v.content.commitments.map(
          (c) =>
            html`<li>
              ${t.kinds[c.kind]}, ${c.hours} h: <span lang="nl">${c.text.nl}</span> /
              <span lang="en">${c.text.en}</span>
            </li>`,
        )}
      </ul>`;
  const daysLeft = current
    ? Math.round(
        (Date.parse(`${current.content.validUntil}T00:00:00Z`) - model.now.getTime()) / 86_400_000,
      )
    : 0;
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <p>${t.intro}</p>
      <h2>${t.published}</h2>
      ${
        current
          ? html`<p id="posture-current">
              ${t.version(current.number!)} · ${t.validUntil} ${current.content.validUntil}
              ${
                isExpired(current.content.validUntil, model.now)
                  ? html`<strong class="error-text">${t.lapsed}</strong>`
                  : daysLeft <= 30
                    ? html`<strong>${t.lapsing(daysLeft)}</strong>`
                    : ''
              }
              · <a href="/security/posture">${t.publicPage}</a>
            </p>`
          : html`<p>${t.none}</p>`
      }
      <h2>${t.draft}</h2>
      ${
        open
          ? html`<p id="posture-draft">
                ${t.state[open.state]} · ${t.writtenBy} ${open.authors.join(', ')}
                ${open.approvedBy ? html` · ${t.approvedBy} ${open.approvedBy}` : ''}
              </p>
              ${table(open)}
              <div class="actions">
                ${
                  can(roles, 'posture:write')
                    ? html`<a class="button" href="/app/posture/edit">${t.edit}</a>`
                    : ''
                }
                ${
                  can(roles, 'posture:approve') && open.state === 'draft'
                    ? wrote
                      ? html`<p class="muted">${t.fourEyes}</p>`
                      : form(
                          '/app/posture/approve',
                          t.approve,
                          html`<input type="hidden" name="hash" value="${open.contentHash}" />`,
                        )
                    : ''
                }
                ${
                  can(roles, 'publication:publish') && open.state === 'approved'
                    ? form('/app/posture/publish', t.publish)
                    : ''
                }
              </div>`
          : html`<p>${t.noDraft}</p>
              ${can(roles, 'posture:write') ? form('/app/posture/draft', t.start) : ''}`
      }`,
  };
}

/** /app/posture/edit: the draft as a form, every measure and commitment in both languages. */
export function renderPostureEditor(
  view: ViewContext,
  model: { values: PostureForm; errors: FormErrors },
): { title: string; main: SafeHtml } {
  const t = texts(sessionOf(view).locale);
  const { values, errors } = model;
  const p = 'posture';
  const aria = (name: string) =>
    errors[name] ? html`aria-invalid="true" aria-describedby="${p}-${name}-error"` : '';
  const input = (name: string, label: string, type = 'text') =>
    html`<div class="field">
      <label for="${p}-${name}">${label}</label>
      <input
        id="${p}-${name}"
        name="${name}"
        type="${type}"
        value="${values[name] ?? ''}"
        ${aria(name)}
      />
      ${fieldError(errors, name, p)}
    </div>`;
  const area = (name: string, label: string) =>
    html`<div class="field">
      <label for="${p}-${name}">${label}</label>
      <textarea id="${p}-${name}" name="${name}" rows="3" ${aria(name)}>
${values[name] ?? ''}</textarea>
      ${fieldError(errors, name, p)}
    </div>`;
  const select = (name: string, label: string, options: readonly [string, string][]) =>
    html`<div class="field">
      <label for="${p}-${name}">${label}</label>
      <select id="${p}-${name}" name="${name}" ${aria(name)}>
        ${options.map(
          ([value, text]) =>
            html`<option value="${value}" ${values[name] === value ? html`selected` : ''}>
              ${text}
            </option>`,
        )}
      </select>
      ${fieldError(errors, name, p)}
    </div>`;
  // Dutch and English side by side on a wide screen (stacked on a phone: workspace.css).
  const pair = (nl: SafeHtml, en: SafeHtml) => html`<div class="posture-pair">${nl} ${en}</div>`;
  const mcount = Number(values.mcount ?? 0);
  const measures = Array.from({ length: mcount }, (_, i) => {
    const id = values[`m${i}_id`] ?? '';
    const nis2 = /^[a-j]$/.test(id);
    const blank = id === '';
    const legend = nis2
      ? `${id}) ${NIS2_HEADINGS[id as Nis2Point][sessionOf(view).locale]}`
      : blank
        ? t.newOwnItem
        : `${t.ownItem}: ${values[`m${i}_title_${sessionOf(view).locale}`] || id}`;
    return html`<fieldset class="posture-measure" id="${p}-m${i}">
      <legend>${legend}</legend>
      <input type="hidden" name="m${i}_id" value="${id}" />
      ${nis2 ? '' : pair(input(`m${i}_title_nl`, t.titleNl), input(`m${i}_title_en`, t.titleEn))}
      <div class="posture-row">
        ${select(
          `m${i}_status`,
          t.status,
          MEASURE_STATUSES.map((s) => [s, t.statuses[s]] as [string, string]),
        )}
        ${select(
          `m${i}_evidence`,
          t.evidence,
          EVIDENCE_KINDS.map((k) => [k, t.evidenceKinds[k]] as [string, string]),
        )}
        ${input(`m${i}_lastChecked`, t.lastChecked, 'date')}
        ${input(`m${i}_validUntil`, t.itemValidUntil, 'date')}
      </div>
      ${pair(area(`m${i}_description_nl`, t.descriptionNl), area(`m${i}_description_en`, t.descriptionEn))}
      ${pair(area(`m${i}_reason_nl`, t.reasonNl), area(`m${i}_reason_en`, t.reasonEn))}
      <div class="posture-row">
        ${select(`m${i}_checkedBy`, t.checkedBy, [
          ['internal', t.internal],
          ['external', t.external],
        ])}
        ${input(`m${i}_auditor`, t.auditor)}
      </div>
      ${
        !nis2 && !blank
          ? html`<div class="field">
              <label><input type="checkbox" name="m${i}_remove" value="1" /> ${t.remove}</label>
            </div>`
          : ''
      }
    </fieldset>`;
  });
  const ccount = Number(values.ccount ?? 0);
  const commitments = Array.from({ length: ccount }, (_, j) => {
    const blank = !values[`c${j}_id`];
    return html`<fieldset class="posture-commitment" id="${p}-c${j}">
      <legend>${blank ? t.newCommitment : `${t.commitment}: ${values[`c${j}_id`]}`}</legend>
      <input type="hidden" name="c${j}_id" value="${values[`c${j}_id`] ?? ''}" />
      ${select(
        `c${j}_kind`,
        t.kind,
        COMMITMENT_KINDS.map((k) => [k, t.kinds[k]] as [string, string]),
      )}
      ${input(`c${j}_hours`, t.hours, 'number')}
      ${pair(area(`c${j}_text_nl`, t.textNl), area(`c${j}_text_en`, t.textEn))}
      ${
        blank
          ? ''
          : html`<div class="field">
              <label><input type="checkbox" name="c${j}_remove" value="1" /> ${t.remove}</label>
            </div>`
      }
    </fieldset>`;
  });
  return {
    title: t.editTitle,
    main: html`<h1>${t.editTitle}</h1>
      <p><a href="/app/posture">${t.back}</a></p>
      <form method="post" action="/app/posture/edit" novalidate>
        ${csrfField(view)} ${errorSummary(t.errors, errors, p)}
        <input type="hidden" name="mcount" value="${values.mcount ?? '0'}" />
        <input type="hidden" name="ccount" value="${values.ccount ?? '0'}" />
        ${input('validUntil', t.statementValidUntil, 'date')}
        ${pair(area('intro_nl', t.introNl), area('intro_en', t.introEn))}
        <h2>${t.measures}</h2>
        ${measures}
        <h2>${t.commitments}</h2>
        ${commitments}
        <button type="submit">${t.save}</button>
      </form>`,
  };
}
