import { UPDATE_STATUSES } from '../../../domain/publication.js';
import { html } from '../html.js';
import { errorSummary, fieldAria, fieldError } from './case-form.view.js';
import type { CasePublicModel, PublicFormState } from './case-public.view.js';
import type { PublicTabTexts } from './case-public-texts.view.js';
import { formatDateTime } from './workspace-format.js';
import { csrfField } from './workspace-layout.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

/** The timeline updates of a published case and the form to post one (ids update-<field>). */
export function updatesPanel(
  view: ViewContext,
  model: CasePublicModel,
  t: PublicTabTexts,
  base: string,
) {
  const session = sessionOf(view);
  return html`<section class="card case-panel" aria-labelledby="updates-heading">
    <h2 id="updates-heading">${t.updatesHeading}</h2>
    ${
      model.updates.length === 0
        ? html`<p class="muted">${t.noUpdates}</p>`
        : html`<ol class="public-timeline">
            ${[...model.updates].reverse().map(
              (u) =>
                html`<li>
                  <time datetime="${u.at}">${formatDateTime(session, u.at)}</time>
                  <strong>${t.status[u.status]}</strong>
                  <span class="muted">(${u.createdBy})</span>
                  ${Object.entries(u.text).map(([l, text]) => html`<p lang="${l}">${text}</p>`)}
                </li>`,
            )}
          </ol>`
    }
    ${model.canPublish && model.status.published ? updateForm(view, t, base, model.updateForm) : ''}
  </section>`;
}

/** The form to post an update; after a refusal, what was sent and the messages at the fields. */
function updateForm(
  view: ViewContext,
  t: PublicTabTexts,
  base: string,
  sent: PublicFormState | undefined,
) {
  const errs = sent?.errors ?? {};
  const values = sent?.values ?? {};
  const id = 'update';
  const text = (l: 'nl' | 'en') =>
    html`<label for="${id}-${l}">${t.language[l]}</label>
      <textarea id="${id}-${l}" name="${l}" rows="3" maxlength="20000" ${fieldAria(errs, l, id)}>
${values[l] ?? ''}</textarea>
      ${fieldError(errs, l, id)}`;
  return html`<form method="post" action="${base}/updates" class="case-form">
    ${csrfField(view)} ${errorSummary(t.errors, errs, id)}
    <label for="${id}-status">${t.updateStatus}</label>
    <select id="${id}-status" name="status" ${fieldAria(errs, 'status', id)}>
      ${UPDATE_STATUSES.map(
        (s) =>
          html`<option value="${s}" ${values.status === s ? html`selected` : ''}>
            ${t.status[s]}
          </option>`,
      )}
    </select>
    ${fieldError(errs, 'status', id)} ${text('nl')} ${text('en')}
    <div class="actions case-actions"><button type="submit">${t.postUpdate}</button></div>
  </form>`;
}
