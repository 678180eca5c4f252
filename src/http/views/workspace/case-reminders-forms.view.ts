import { html, type SafeHtml } from '../html.js';
import {
  errorSummary,
  fieldAria,
  fieldError,
  numberField,
  type FormErrors,
} from './case-form.view.js';
import type { remindersTexts } from './case-reminders.view.js';
import { csrfField } from './workspace-layout.view.js';
import type { ViewContext } from './view-context.js';

type Texts = ReturnType<typeof remindersTexts>;

/** A form as it was sent, with a message at each wrong field (empty on a fresh page). */
export interface ReminderFormState {
  values: Record<string, string>;
  errors: FormErrors;
}

const FRESH: ReminderFormState = { values: {}, errors: {} };

/** The "add a rule" form; after a refusal it shows what was chosen and what is wrong. */
export function reminderRuleForm(
  view: ViewContext,
  t: Texts,
  base: string,
  choices: { notices: { id: number; title: string; approved: boolean }[]; remedies: string[] },
  state: ReminderFormState = FRESH,
): SafeHtml {
  const { values: v, errors } = state;
  const P = 'reminder';
  const selected = (field: string, value: string) => (v[field] === value ? html`selected` : '');
  return html`<form method="post" action="${base}" class="card" id="reminder-form">
    <h3>${t.form}</h3>
    ${csrfField(view)} ${errorSummary(t.errors, errors, P)}
    <div class="field">
      <label for="reminder-noticeId">${t.formNotice}</label>
      <select id="reminder-noticeId" name="noticeId" required ${fieldAria(errors, 'noticeId', P)}>
        ${choices.notices.map(
          (x) =>
            html`<option value="${x.id}" ${selected('noticeId', String(x.id))}>
              ${x.id} · ${x.title}${x.approved ? '' : ` (${t.notApproved})`}
            </option>`,
        )}
      </select>
      ${fieldError(errors, 'noticeId', P)}
    </div>
    <div class="field">
      <label for="reminder-condition">${t.formCondition}</label>
      <select id="reminder-condition" name="condition" ${fieldAria(errors, 'condition', P)}>
        ${(['not-acknowledged', 'not-completed'] as const).map(
          (c) =>
            html`<option value="${c}" ${selected('condition', c)}>${t.formConditions[c]}</option>`,
        )}
      </select>
      ${fieldError(errors, 'condition', P)}
    </div>
    <div class="field">
      <label for="reminder-remedy">${t.formRemedy}</label>
      <select id="reminder-remedy" name="remedy" ${fieldAria(errors, 'remedy', P)}>
        <option value="">${t.formNoRemedy}</option>
        ${choices.remedies.map(
          (k) => html`<option value="${k}" ${selected('remedy', k)}>${k}</option>`,
        )}
      </select>
      ${fieldError(errors, 'remedy', P)}
    </div>
    ${numberField({ prefix: P, name: 'days', label: t.formDays, min: 1, max: 365, value: v.days ?? '7', errors })}
    ${numberField({ prefix: P, name: 'maxSends', label: t.formMax, min: 1, max: 10, value: v.maxSends ?? '2', errors })}
    <button type="submit">${t.add}</button>
  </form>`;
}

/** The escalation's on/off and its number of days; after a refusal, as it was sent. */
export function escalationForm(
  view: ViewContext,
  t: Texts,
  base: string,
  saved: { enabled: boolean; afterDays: number },
  state?: ReminderFormState,
): SafeHtml {
  const errors = state?.errors ?? {};
  const P = 'escalation';
  const enabled = state ? state.values.enabled !== undefined : saved.enabled;
  const afterDays = state ? (state.values.afterDays ?? '') : String(saved.afterDays);
  return html`<form method="post" action="${base}/escalation">
    ${csrfField(view)} ${errorSummary(t.errors, errors, P)}
    <div class="field">
      <label
        ><input type="checkbox" name="enabled" value="on" ${enabled ? 'checked' : ''} />
        ${t.escalationOn}</label
      >
    </div>
    ${numberField({ prefix: P, name: 'afterDays', label: t.escalationAfter, min: 0, max: 365, value: afterDays, errors })}
    <button type="submit" class="secondary">${t.save}</button>
  </form>`;
}
