import { can } from '../../../domain/access.js';
import type { Assessment, DecisionKind } from '../../../domain/assessment/assessment-facts.js';
import type { LegalClock } from '../../../domain/assessment/legal-clocks.js';
import type { CaseView } from '../../../domain/case.js';
import type { CaseAssessment } from '../../../services/assessment/assessment.service.js';
import { html, type SafeHtml } from '../html.js';
import { renderFactsForm } from './case-assessment-form.view.js';
import { errorSummary, fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { assessmentTexts } from './case-assessment-texts.view.js';
import { caseHeader, caseTabs } from './case-tabs.view.js';
import { renderCaseClocks } from './legal-clocks.view.js';
import { csrfField } from './workspace-layout.view.js';
import { formatDateTime } from './workspace-format.js';
import { sessionOf, type ViewContext } from './view-context.js';

export interface AssessmentTabModel {
  kase: CaseView;
  assessment: CaseAssessment | null;
  /** The advice with texts in the reader's language. */
  advice: Assessment | null;
  clocks: LegalClock[];
  /** What the facts form shows: the posted values after an error, else the facts in force. */
  formValues?: unknown;
  formErrors?: { field: string; message: string }[];
  /** The override form that was refused: its decision, what was sent and the messages. */
  override?: { kind: DecisionKind; values: Record<string, string>; errors: FormErrors };
}

const LEVEL_BADGE = {
  low: 'badge-ok',
  medium: 'badge-info',
  high: 'badge-warn',
  'very-high': 'badge-danger',
} as const;
const LEVEL_NAMES = {
  nl: { low: 'laag', medium: 'gemiddeld', high: 'hoog', 'very-high': 'zeer hoog' },
  en: { low: 'low', medium: 'medium', high: 'high', 'very-high': 'very high' },
} as const;

/** The assessment tab: clocks, severity, decisions with overrides, and the facts form. */
export function renderAssessmentTab(view: ViewContext, m: AssessmentTabModel): SafeHtml {
  const session = sessionOf(view);
  const t = assessmentTexts(session.locale);
  const a = m.assessment;
  const canWrite = can(session.roles, 'assessment:write');
  const canOverride = can(session.roles, 'assessment:override');
  const ref = encodeURIComponent(m.kase.reference);

  const severity = m.advice
    ? html`<section class="card assessment-severity" aria-labelledby="severity-title">
        <h2 id="severity-title">${t.severity}</h2>
        <p>
          <span class="stat">${m.advice.severity.score}</span>
          <span class="badge ${LEVEL_BADGE[m.advice.severity.level]}"
            >${LEVEL_NAMES[session.locale][m.advice.severity.level]}</span
          >
        </p>
        <details class="assessment-how">
          <summary>${t.howScore}</summary>
          <ul class="assessment-explanation">
            ${m.advice.severity.explanation.map((line) => html`<li>${line}</li>`)}
          </ul>
        </details>
        <p class="muted">
          ${t.factsVersion(a!.factsVersion, a!.recordedBy, formatDateTime(session, a!.recordedAt))}
        </p>
      </section>`
    : html`<p class="flash flash-info">${t.noFacts}</p>`;

  const decision = (kind: DecisionKind) => {
    const adv = m.advice!;
    const eff = a!.effective;
    const adviceYes =
      kind === 'authority'
        ? adv.authority.notify
        : kind === 'subjects'
          ? adv.subjects.notify
          : adv.nis2.significant;
    const reasons =
      kind === 'authority'
        ? adv.authority.reasons
        : kind === 'subjects'
          ? adv.subjects.reasons
          : adv.nis2.reasons;
    const inForce =
      kind === 'authority' ? eff.authority : kind === 'subjects' ? eff.subjects : eff.nis2;
    const inForceYes =
      kind === 'nis2'
        ? eff.nis2.significant
        : kind === 'authority'
          ? eff.authority.notify
          : eff.subjects.notify;
    const word = (yes: boolean) => t.notifyWord[kind][yes ? 0 : 1];
    const lastOverride = a!.overrides.filter((o) => o.current && o.decision === kind).at(-1);
    return html`<article
      class="card assessment-decision assessment-decision-${inForce.source}"
      aria-labelledby="decision-${kind}"
    >
      <h3 id="decision-${kind}">${t.decisionNames[kind]}</h3>
      <p>
        ${t.advice}:
        <strong>${word(adviceYes)}</strong
        >${kind === 'subjects' && adv.subjects.publicCommunication ? html` — ${t.publicCommunication}` : ''}
      </p>
      <ul class="assessment-reasons">
        ${reasons.map((r) => html`<li>${r}</li>`)}
      </ul>
      <p>
        ${t.inForce}:
        <span class="badge ${inForceYes ? 'badge-warn' : 'badge-ok'}">${word(inForceYes)}</span>
        ${kind === 'subjects' && eff.subjects.publicCommunication ? html` — ${t.publicCommunication}` : ''}
        <span class="muted"
          >(${inForce.source === 'override' ? t.overridden(lastOverride?.decidedBy ?? '') : t.fromAdvice})</span
        >
      </p>
      ${inForce.rationale ? html`<p><strong>${t.rationale}:</strong> ${inForce.rationale}</p>` : ''}
      ${canOverride ? overrideForm(kind, !inForceYes) : ''}
    </article>`;
  };

  const overrideForm = (kind: DecisionKind, proposeYes: boolean) => {
    const sent = m.override?.kind === kind ? m.override : undefined;
    const errs = sent?.errors ?? {};
    const id = `override-${kind}`;
    const yes = sent ? sent.values.notify === 'yes' : proposeYes;
    const no = sent ? sent.values.notify === 'no' : !proposeYes;
    const publicChecked = sent?.values.publicCommunication !== undefined;
    // Visible, not folded (issue 13): the roles allowed to override see the choice, the
    // rationale field and the button without hunting for a disclosure triangle.
    return html`<div class="assessment-override">
      <h4 id="${id}-title">${t.override}</h4>
      <p class="hint">${t.overrideVisible}</p>
      <form
        method="post"
        action="/app/cases/${ref}/assessment/overrides"
        aria-labelledby="${id}-title"
      >
        ${csrfField(view)} ${errorSummary(t.errors, errs, id)}
        <input type="hidden" name="decision" value="${kind}" />
        <p class="hint">${t.overrideHint}</p>
        <fieldset class="field checks" id="${id}-notify">
          <legend>${t.overrideDecision}</legend>
          <label
            ><input type="radio" name="notify" value="yes" ${yes ? html`checked` : ''} />
            ${t.notifyWord[kind][0]}</label
          >
          <label
            ><input type="radio" name="notify" value="no" ${no ? html`checked` : ''} />
            ${t.notifyWord[kind][1]}</label
          >
          ${fieldError(errs, 'notify', id)}
          ${
            kind === 'subjects'
              ? html`<label
                  ><input
                    type="checkbox"
                    name="publicCommunication"
                    value="on"
                    ${publicChecked ? html`checked` : ''}
                  />
                  ${t.publicCommunication}</label
                >`
              : ''
          }
        </fieldset>
        <div class="field">
          <label for="${id}-rationale">${t.rationale}</label>
          <span class="hint" id="${id}-hint">${t.overrideRationaleHint}</span>
          <textarea
            id="${id}-rationale"
            name="rationale"
            required
            minlength="20"
            ${errs.rationale ? fieldAria(errs, 'rationale', id) : html`aria-describedby="${id}-hint"`}
          >
${sent?.values.rationale ?? ''}</textarea>
          ${fieldError(errs, 'rationale', id)}
        </div>
        <button type="submit">${t.overrideSave}</button>
      </form>
    </div>`;
  };

  const history =
    a && a.overrides.length > 0
      ? html`<section class="card" aria-labelledby="history-title">
          <h2 id="history-title">${t.history}</h2>
          <div class="table-wrap" tabindex="0">
            <table>
              <thead>
                <tr>
                  ${t.historyCols.map((c) => html`<th scope="col">${c}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${[...a.overrides].reverse().map(
                  (o) =>
                    html`<tr>
                      <td>
                        ${formatDateTime(session, o.decidedAt)}${o.current ? '' : html`<br /><span class="muted">${t.superseded}</span>`}
                      </td>
                      <td>${o.decidedBy}</td>
                      <td>${t.decisionNames[o.decision]}</td>
                      <td>${t.notifyWord[o.decision][o.adviceNotify ? 0 : 1]}</td>
                      <td>
                        ${t.notifyWord[o.decision][o.notify ? 0 : 1]}${o.publicCommunication ? html` (${t.publicCommunication})` : ''}
                      </td>
                      <td>${o.rationale}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>
        </section>`
      : '';

  return html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'assessment')}
    <section class="card assessment-clocks" aria-labelledby="clocks-title">
      <h2 id="clocks-title">${t.clocks}</h2>
      ${renderCaseClocks(session, m.clocks, {})}
    </section>
    ${severity}
    ${
      m.advice && a
        ? html`<section aria-labelledby="decisions-title">
            <h2 id="decisions-title">${t.decisions}</h2>
            <div class="grid assessment-decisions">
              ${decision('authority')} ${decision('subjects')} ${decision('nis2')}
            </div>
          </section>`
        : ''
    }
    ${history}
    ${renderFactsForm(view, m.kase.reference, m.formValues ?? a?.facts ?? null, m.formErrors ?? [], canWrite, { containedAt: m.kase.containedAt, canRecord: can(sessionOf(view).roles, 'cases:write') })}`;
}
