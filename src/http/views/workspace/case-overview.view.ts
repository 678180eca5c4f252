import {
  CASE_STATES,
  MILESTONES,
  RECORDED_MEASURES,
  type CaseView,
  type EventKind,
} from '../../../domain/case.js';
import { can } from '../../../domain/access.js';
import { html, type SafeHtml } from '../html.js';
import { caseHeader, caseStateName, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { errorSummary, fieldAria, fieldError, type FormErrors } from './case-form.view.js';
import { csrfField } from './workspace-layout.view.js';
import { formatDateTime } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import type { InboxCounts } from '../../../domain/question.js';
import { questionInboxPanel } from './case-questions.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    facts: 'Feiten',
    stateNote: 'Status',
    caseTitle: 'Titel',
    summary: 'Samenvatting',
    noSummary: 'Nog geen samenvatting.',
    createdBy: 'Aangemaakt door',
    saveFacts: 'Feiten opslaan',
    lifecycle: 'Verloop',
    lifecycleIntro: 'Een zaak gaat alleen vooruit; een stap terug kan niet.',
    current: 'huidige stap',
    moveTo: (state: string) => `Naar "${state}"`,
    noMoves: 'Deze zaak is gesloten.',
    milestones: 'Mijlpalen',
    milestone: {
      detected: 'Ontdekt',
      aware: 'Bekend (wettelijke termijnen starten)',
      contained: 'Ingedamd',
      resolved: 'Opgelost',
      passwords_reset: 'Wachtwoorden gereset',
      note: 'Notitie',
    } satisfies Record<EventKind, string>,
    notSet: 'nog niet vastgelegd',
    timeline: 'Tijdlijn',
    emptyTimeline: 'Nog geen gebeurtenissen.',
    by: 'door',
    addEvent: 'Gebeurtenis toevoegen',
    eventKind: 'Soort',
    eventAt: 'Tijdstip',
    eventAtHint: (zone: string) => `In uw tijdzone (${zone}); leeg is nu.`,
    eventText: 'Wat is er gebeurd?',
    add: 'Toevoegen',
    errorsHeading: 'Niet opgeslagen:',
    readOnly: 'U kunt deze zaak bekijken maar niet wijzigen.',
    evidence: 'Bewijsdossier downloaden',
    evidenceHint:
      'Alles wat over deze zaak is vastgelegd, met een stuk van het auditlogboek en de SHA-256 van elk bestand (zip; controleren met candor verify-bundle).',
  },
  en: {
    facts: 'Facts',
    stateNote: 'State',
    caseTitle: 'Title',
    summary: 'Summary',
    noSummary: 'No summary yet.',
    createdBy: 'Created by',
    saveFacts: 'Save facts',
    lifecycle: 'Lifecycle',
    lifecycleIntro: 'A case only moves forward; there is no step back.',
    current: 'current step',
    moveTo: (state: string) => `Move to "${state}"`,
    noMoves: 'This case is closed.',
    milestones: 'Milestones',
    milestone: {
      detected: 'Detected',
      aware: 'Aware (legal clocks start)',
      contained: 'Contained',
      resolved: 'Resolved',
      passwords_reset: 'Passwords reset',
      note: 'Note',
    } satisfies Record<EventKind, string>,
    notSet: 'not recorded yet',
    timeline: 'Timeline',
    emptyTimeline: 'No events yet.',
    by: 'by',
    addEvent: 'Add event',
    eventKind: 'Kind',
    eventAt: 'Time',
    eventAtHint: (zone: string) => `In your time zone (${zone}); empty means now.`,
    eventText: 'What happened?',
    add: 'Add',
    errorsHeading: 'Not saved:',
    readOnly: 'You can view this case but not change it.',
    evidence: 'Download evidence bundle',
    evidenceHint:
      'Everything on record about this case, with its slice of the audit log and the SHA-256 of every file (zip; check it with candor verify-bundle).',
  },
});

/**
 * The texts the case service gives milestone events it records itself (English only); the
 * badge already says the same in the user's language, so the timeline leaves them out.
 */
const MILESTONE_DEFAULT_TEXTS = new Set([
  'Detected',
  'Became aware (legal clocks start)',
  'Contained',
  'Resolved',
]);

const STATE_NOTE = /^State: ([a-z]+) → ([a-z]+)$/;

/** An event's text as the user reads it: service-made texts in their language. */
function eventText(view: ViewContext, value: string): string {
  if (MILESTONE_DEFAULT_TEXTS.has(value)) return '';
  const state = STATE_NOTE.exec(value);
  const [from, to] = [state?.[1], state?.[2]];
  if (!state || !isState(from) || !isState(to)) return value;
  return `${texts(sessionOf(view).locale).stateNote}: ${caseStateName(view, from)} → ${caseStateName(view, to)}`;
}

function isState(value: string | undefined): value is CaseView['state'] {
  return (CASE_STATES as readonly string[]).includes(value ?? '');
}

export interface CaseOverviewModel {
  kase: CaseView & {
    events: { id: number; kind: EventKind; at: string; text: string; actor: string }[];
  };
  canWrite: boolean;
  /** Customer questions: open, answered, median time to answer. */
  questionCounts?: InboxCounts;
  /** Which form the errors and values belong to. */
  form: {
    name: 'facts' | 'event' | 'state' | null;
    values: Record<string, string>;
    errors: FormErrors;
  };
}

/** The overview tab: facts, lifecycle, milestones and the timeline with "add event". */
export function caseOverviewView(view: ViewContext, model: CaseOverviewModel): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const { kase, canWrite, form } = model;
  const base = caseTabUrl(kase.reference, 'overview');
  const errorsOf = (name: string) => (form.name === name ? form.errors : {});
  const valuesOf = (name: string) => (form.name === name ? form.values : {});
  const milestoneAt = {
    detected: kase.detectedAt,
    aware: kase.awareAt,
    contained: kase.containedAt,
    resolved: kase.resolvedAt,
  };
  const later = CASE_STATES.slice(CASE_STATES.indexOf(kase.state) + 1);
  const events = [...kase.events].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  const factErrors = errorsOf('facts');
  const factValues = valuesOf('facts');
  const eventErrors = errorsOf('event');
  const eventValues = valuesOf('event');
  return html`${caseHeader(view, kase)} ${caseTabs(view, kase, 'overview')}
    ${canWrite ? '' : html`<p class="muted">${t.readOnly}</p>`}
    ${
      can(session.roles, 'audit:read')
        ? html`<p class="case-evidence">
            <a href="${base}/evidence-bundle.zip" download>${t.evidence}</a>
            <span class="muted">${t.evidenceHint}</span>
          </p>`
        : ''
    }
    <div class="case-columns">
      <section class="card case-panel" aria-labelledby="facts-heading">
        <h2 id="facts-heading">${t.facts}</h2>
        ${
          canWrite
            ? html`${errorSummary(t.errorsHeading, factErrors, 'facts')}
                <form method="post" action="${base}/facts" class="case-form">
                  ${csrfField(view)}
                  <label for="facts-title">${t.caseTitle}</label>
                  <input
                    id="facts-title"
                    name="title"
                    required
                    minlength="3"
                    maxlength="200"
                    value="${factValues.title ?? kase.title}"
                    ${fieldAria(factErrors, 'title', 'facts')}
                  />
                  ${fieldError(factErrors, 'title', 'facts')}
                  <label for="facts-summary">${t.summary}</label>
                  <textarea id="facts-summary" name="summary" rows="6" maxlength="5000">
${factValues.summary ?? kase.summary}</textarea>
                  <button type="submit">${t.saveFacts}</button>
                </form>`
            : html`<p>${kase.summary || t.noSummary}</p>`
        }
        <p class="muted">
          ${t.createdBy} ${kase.createdBy}, ${formatDateTime(session, kase.createdAt)}
        </p>
      </section>
      <section class="card case-panel" aria-labelledby="lifecycle-heading">
        <h2 id="lifecycle-heading">${t.lifecycle}</h2>
        <p class="hint case-hint">${t.lifecycleIntro}</p>
        <ol class="case-lifecycle">
          ${CASE_STATES.map(
            (state) =>
              html`<li
                class="${state === kase.state ? 'case-step-current' : CASE_STATES.indexOf(state) < CASE_STATES.indexOf(kase.state) ? 'case-step-done' : 'case-step-next'}"
                ${state === kase.state ? html`aria-current="step"` : ''}
              >
                ${caseStateName(view, state)}
                ${state === kase.state ? html`<span class="visually-hidden">(${t.current})</span>` : ''}
              </li>`,
          )}
        </ol>
        ${errorSummary(t.errorsHeading, errorsOf('state'), 'state')}
        ${
          canWrite
            ? later.length === 0
              ? html`<p>${t.noMoves}</p>`
              : html`<form method="post" action="${base}/state" class="actions case-actions">
                  ${csrfField(view)}
                  ${later.map(
                    (state) =>
                      html`<button type="submit" name="state" value="${state}">
                        ${t.moveTo(caseStateName(view, state))}
                      </button>`,
                  )}
                </form>`
            : ''
        }
        <h3>${t.milestones}</h3>
        <dl class="case-milestones">
          ${MILESTONES.map(
            (m) =>
              html`<dt>${t.milestone[m]}</dt>
                <dd>
                  ${
                    milestoneAt[m]
                      ? html`<time datetime="${milestoneAt[m]}"
                          >${formatDateTime(session, milestoneAt[m])}</time
                        >`
                      : html`<span class="muted">${t.notSet}</span>`
                  }
                </dd>`,
          )}
        </dl>
      </section>
    </div>
    ${questionInboxPanel(view, kase.reference, model.questionCounts)}
    <section class="card case-panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">${t.timeline}</h2>
      ${
        events.length === 0
          ? html`<p class="muted">${t.emptyTimeline}</p>`
          : html`<ol class="case-timeline">
              ${events.map(
                (e) =>
                  html`<li class="case-event case-event-${e.kind}">
                    <time datetime="${e.at}">${formatDateTime(session, e.at)}</time>
                    <span class="badge case-badge">${t.milestone[e.kind] ?? e.kind}</span>
                    <span class="case-event-text">${eventText(view, e.text)}</span>
                    <span class="muted">${t.by} ${e.actor}</span>
                  </li>`,
              )}
            </ol>`
      }
      ${
        canWrite
          ? html`<h3 id="add-event-heading">${t.addEvent}</h3>
              ${errorSummary(t.errorsHeading, eventErrors, 'event')}
              <form
                method="post"
                action="${base}/events"
                class="case-form"
                aria-labelledby="add-event-heading"
              >
                ${csrfField(view)}
                <label for="event-kind">${t.eventKind}</label>
                <select id="event-kind" name="kind">
                  ${(['note', ...MILESTONES, ...RECORDED_MEASURES] as const).map(
                    (k) =>
                      html`<option value="${k}" ${eventValues.kind === k ? html`selected` : ''}>
                        ${t.milestone[k]}
                      </option>`,
                  )}
                </select>
                <label for="event-at">${t.eventAt}</label>
                <p class="hint case-hint" id="event-at-hint">${t.eventAtHint(session.timeZone)}</p>
                <input
                  id="event-at"
                  type="datetime-local"
                  name="at"
                  value="${eventValues.at ?? ''}"
                  aria-describedby="event-at-hint"
                  ${eventErrors.at ? html`aria-invalid="true"` : ''}
                />
                ${fieldError(eventErrors, 'at', 'event')}
                <label for="event-text">${t.eventText}</label>
                <textarea
                  id="event-text"
                  name="text"
                  rows="3"
                  required
                  maxlength="5000"
                  ${fieldAria(eventErrors, 'text', 'event')}
                >
${eventValues.text ?? ''}</textarea>
                ${fieldError(eventErrors, 'text', 'event')}
                <button type="submit">${t.add}</button>
              </form>`
          : ''
      }
    </section>`;
}
