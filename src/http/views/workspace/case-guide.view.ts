import { can } from '../../../domain/access.js';
import type { ClockKind, LegalClock } from '../../../domain/assessment/legal-clocks.js';
import {
  nextDeadline,
  nextStep,
  type RecallStep,
  type RecallStepStatus,
  type StepReason,
  type StepState,
} from '../../../domain/recall-steps.js';
import type { CaseProgress } from '../../../services/cases/case-progress.service.js';
import { html, type SafeHtml } from '../html.js';
import type { CaseTab } from './case-tabs.view.js';
import { clockCountdownScript } from './legal-clocks.view.js';
import { csrfField } from './workspace-layout.view.js';
import {
  formatDateTime,
  formatDuration,
  formatNumber,
  type FormatContext,
} from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

// The guidance above every case tab: the next legal deadline, a prompt when the incident has
// no moment of awareness, and the recall as eight steps (src/domain/recall-steps.ts).

type Texts = {
  steps: Record<RecallStep, string>;
  states: Record<StepState, string>;
  trackerLabel: string;
  next: string;
  allDone: string;
  doIt: string;
  open: string;
  deadline: Record<ClockKind, { left: string; over: string }>;
  urgent: string;
  overdue: string;
  due: string;
  unitsJs: string;
  awareHeading: string;
  awareText: string;
  awareField: string;
  awareHint: (zone: string) => string;
  awareSave: string;
  awareAsk: string;
  reason: (r: StepReason, n: (v: number) => string) => string;
};

const texts = defineTexts<Texts>({
  nl: {
    steps: {
      assess: 'Beoordelen',
      affected: 'Getroffenen',
      notice: 'Bericht',
      approval: 'Goedkeuring',
      send: 'Verzenden',
      public: 'Openbaar',
      authority: 'Melding AP',
      remedy: 'Herstel',
    },
    states: {
      done: 'gedaan',
      'needs-you': 'aan u',
      waiting: 'wacht op een ander',
      'not-yet': 'nog niet',
      'not-needed': 'niet nodig',
    },
    trackerLabel: 'Stappen van de terugroepactie',
    next: 'Volgende stap',
    allDone: 'Alle stappen zijn gedaan.',
    doIt: 'Nu doen',
    open: 'Bekijken',
    deadline: {
      'gdpr-art33': {
        left: 'AVG: meld bij de AP binnen {t}',
        over: 'AVG: de melding bij de AP is {t} te laat',
      },
      'nis2-early-warning': {
        left: 'NIS2: vroegtijdige waarschuwing binnen {t}',
        over: 'NIS2: de vroegtijdige waarschuwing is {t} te laat',
      },
      'nis2-notification': {
        left: 'NIS2: incidentmelding binnen {t}',
        over: 'NIS2: de incidentmelding is {t} te laat',
      },
      'nis2-final': {
        left: 'NIS2: eindverslag binnen {t}',
        over: 'NIS2: het eindverslag is {t} te laat',
      },
    },
    urgent: 'Dringend',
    overdue: 'Verlopen',
    due: 'uiterlijk',
    unitsJs: 'd,u,min,s',
    awareHeading: 'De wettelijke termijnen zijn nog niet gestart',
    awareText:
      'Voor dit incident is niet vastgelegd wanneer u ervan op de hoogte raakte. De 72 uur voor de melding bij de Autoriteit Persoonsgegevens lopen vanaf dat moment, ook als het hier niet staat.',
    awareField: 'Bekend sinds',
    awareHint: (zone) => `In uw tijdzone (${zone}).`,
    awareSave: 'Moment vastleggen en termijnen starten',
    awareAsk: 'Vraag een behandelaar dit moment vast te leggen.',
    reason: (r, n) => {
      switch (r.code) {
        case 'assessed':
          return 'De beoordeling is vastgelegd.';
        case 'not-assessed':
          return 'Nog niet beoordeeld: moeten de AP en de klanten het horen?';
        case 'advisory-no-assessment':
          return 'Een advies is een risico, geen datalek: geen beoordeling nodig.';
        case 'affected-set':
          return `${n(r.count)} klanten in de getroffen set.`;
        case 'affected-empty':
          return 'Nog niemand in de getroffen set: upload een lijst of stel een filter in.';
        case 'subjects-not-notified':
          return 'Volgens de beoordeling hoeven de klanten het niet te horen.';
        case 'notice-written':
          return `${n(r.count)} bericht(en) aan de getroffenen.`;
        case 'no-notice':
          return 'Nog geen bericht aan de getroffenen.';
        case 'write-notice-first':
          return 'Eerst een bericht schrijven.';
        case 'approved':
          return 'Goedgekeurd (vier ogen).';
        case 'approve-now':
          return 'Een bericht wacht op uw goedkeuring.';
        case 'you-wrote-it':
          return 'U schreef mee aan het bericht: een andere goedkeurder moet tekenen.';
        case 'approver-needed':
          return 'Wacht op een goedkeurder.';
        case 'approve-first':
          return 'Eerst moet een bericht goedgekeurd zijn.';
        case 'sent':
          return `Verzonden aan ${n(r.count)} ontvangers.`;
        case 'sending':
          return `Bezig: ${n(r.done)} van ${n(r.total)}.`;
        case 'send-now':
          return 'Een goedgekeurd bericht kan weg.';
        case 'sender-needed':
          return 'Wacht op een behandelaar om te verzenden.';
        case 'published':
          return 'Staat op de openbare beveiligingspagina.';
        case 'publish-now':
          return 'Nog niet gepubliceerd op de beveiligingspagina.';
        case 'publisher-needed':
          return 'Wacht op een behandelaar om te publiceren.';
        case 'reports-done':
          return 'Alle meldingen zijn ingediend.';
        case 'report-due':
          return `${n(r.clocks)} melding(en) met een lopende termijn.`;
        case 'reporter-needed':
          return `${n(r.clocks)} melding(en) met een lopende termijn; wacht op een behandelaar of goedkeurder.`;
        case 'clocks-not-started':
          return 'De termijnen zijn nog niet gestart: leg vast wanneer u het wist.';
        case 'authority-not-notified':
          return 'Volgens de beoordeling hoeft de AP het niet te horen.';
        case 'advisory-no-report':
          return 'Een advies meldt u niet bij de AP.';
        case 'send-first':
          return 'Klanten bevestigen op hun persoonlijke pagina, na verzending.';
        case 'customers-responding':
          return `${n(r.acknowledged)} van ${n(r.total)} gelezen, ${n(r.remedied)} hersteld.`;
        case 'all-remedied':
          return `Alle ${n(r.total)} klanten meldden het herstel.`;
      }
    },
  },
  en: {
    steps: {
      assess: 'Assess',
      affected: 'Affected',
      notice: 'Notice',
      approval: 'Approval',
      send: 'Send',
      public: 'Public record',
      authority: 'Authority report',
      remedy: 'Remedy',
    },
    states: {
      done: 'done',
      'needs-you': 'needs you',
      waiting: 'waiting for someone else',
      'not-yet': 'not yet',
      'not-needed': 'not needed',
    },
    trackerLabel: 'Steps of the recall',
    next: 'Next step',
    allDone: 'All steps are done.',
    doIt: 'Do it now',
    open: 'Open',
    deadline: {
      'gdpr-art33': {
        left: 'GDPR: notify the AP within {t}',
        over: 'GDPR: the AP notification is {t} overdue',
      },
      'nis2-early-warning': {
        left: 'NIS2: early warning within {t}',
        over: 'NIS2: the early warning is {t} overdue',
      },
      'nis2-notification': {
        left: 'NIS2: incident notification within {t}',
        over: 'NIS2: the incident notification is {t} overdue',
      },
      'nis2-final': {
        left: 'NIS2: final report within {t}',
        over: 'NIS2: the final report is {t} overdue',
      },
    },
    urgent: 'Urgent',
    overdue: 'Overdue',
    due: 'due',
    unitsJs: 'd,h,min,s',
    awareHeading: 'The legal clocks have not started',
    awareText:
      'This incident has no recorded moment of awareness. The 72 hours to notify the Dutch DPA (AP) run from that moment whether or not it is recorded here.',
    awareField: 'Aware since',
    awareHint: (zone) => `In your time zone (${zone}).`,
    awareSave: 'Record the moment and start the clocks',
    awareAsk: 'Ask a responder to record this moment.',
    reason: (r, n) => {
      switch (r.code) {
        case 'assessed':
          return 'The assessment is recorded.';
        case 'not-assessed':
          return 'Not assessed yet: must the AP and the customers be told?';
        case 'advisory-no-assessment':
          return 'An advisory is a risk, not a breach: no assessment needed.';
        case 'affected-set':
          return `${n(r.count)} customers in the affected set.`;
        case 'affected-empty':
          return 'Nobody in the affected set yet: upload a list or set a filter.';
        case 'subjects-not-notified':
          return 'The assessment decided the customers need not be told.';
        case 'notice-written':
          return `${n(r.count)} notice(s) to the affected.`;
        case 'no-notice':
          return 'No notice to the affected yet.';
        case 'write-notice-first':
          return 'Write a notice first.';
        case 'approved':
          return 'Approved (four eyes).';
        case 'approve-now':
          return 'A notice waits for your approval.';
        case 'you-wrote-it':
          return 'You wrote part of the notice: another approver must sign.';
        case 'approver-needed':
          return 'Waiting for an approver.';
        case 'approve-first':
          return 'A notice must be approved first.';
        case 'sent':
          return `Sent to ${n(r.count)} recipients.`;
        case 'sending':
          return `Sending: ${n(r.done)} of ${n(r.total)}.`;
        case 'send-now':
          return 'An approved notice is ready to go.';
        case 'sender-needed':
          return 'Waiting for a responder to send.';
        case 'published':
          return 'On the public security page.';
        case 'publish-now':
          return 'Not yet published on the security page.';
        case 'publisher-needed':
          return 'Waiting for a responder to publish.';
        case 'reports-done':
          return 'Every report is submitted.';
        case 'report-due':
          return `${n(r.clocks)} report(s) with a running clock.`;
        case 'reporter-needed':
          return `${n(r.clocks)} report(s) with a running clock; waiting for a responder or approver.`;
        case 'clocks-not-started':
          return 'The clocks have not started: record when you became aware.';
        case 'authority-not-notified':
          return 'The assessment decided the AP need not be notified.';
        case 'advisory-no-report':
          return 'An advisory is not reported to the AP.';
        case 'send-first':
          return 'Customers confirm on their personal page, once the notice is sent.';
        case 'customers-responding':
          return `${n(r.acknowledged)} of ${n(r.total)} read it, ${n(r.remedied)} remedied.`;
        case 'all-remedied':
          return `All ${n(r.total)} customers reported the remedy done.`;
      }
    },
  },
});

/** Where each step is done. */
const STEP_TAB: Record<RecallStep, CaseTab> = {
  assess: 'assessment',
  affected: 'affected',
  notice: 'notices',
  approval: 'notices',
  send: 'dispatch',
  public: 'public',
  authority: 'reports',
  remedy: 'dispatch',
};

// case-tabs.view.ts renders this guide in every case header, so the guide builds its links itself
// (importing caseTabUrl back would make the two modules a cycle).
function caseTabUrl(reference: string, tab: CaseTab): string {
  const base = `/app/cases/${encodeURIComponent(reference)}`;
  return tab === 'overview' ? base : `${base}/${tab}`;
}

/** Short marks so the state reads without colour too. */
const STATE_MARK: Record<StepState, string> = {
  done: '✓',
  'needs-you': '!',
  waiting: '…',
  'not-yet': '·',
  'not-needed': '–',
};

/**
 * Everything above a case tab's bar: the deadline banner, the awareness prompt (incidents
 * without aware_at that are not finished) and the compact tracker.
 */
export function caseGuide(
  view: ViewContext,
  progress: CaseProgress,
  options: { full?: boolean } = {},
): SafeHtml {
  const session = sessionOf(view);
  const unaware =
    progress.kind === 'incident' &&
    progress.awareAt === null &&
    progress.state !== 'resolved' &&
    progress.state !== 'closed';
  return html`${deadlineBanner(view, progress.clocks, {
    href: caseTabUrl(progress.reference, 'reports'),
  })}
  ${unaware ? awarenessPrompt(view, progress, can(session.roles, 'cases:write')) : ''}
  ${recallTracker(view, progress, options)}`;
}

/** The words of a step's reason, for the tracker and for tests. */
export function stepReasonText(locale: 'nl' | 'en', ctx: FormatContext, s: RecallStepStatus) {
  return texts(locale).reason(s.reason, (v) => formatNumber(ctx, v));
}

/**
 * The compact tracker heading every case tab: eight linked steps with their state in words,
 * then the next step with its reason and a link to do it. `full` (the overview) adds every
 * step's reason.
 */
export function recallTracker(
  view: ViewContext,
  progress: CaseProgress,
  options: { full?: boolean } = {},
): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const reason = (s: RecallStepStatus) => stepReasonText(session.locale, session, s);
  const url = (s: RecallStepStatus) => caseTabUrl(progress.reference, STEP_TAB[s.step]);
  const next = nextStep(progress.steps);
  return html`<nav class="recall-tracker" aria-label="${t.trackerLabel}">
    <ol class="recall-steps${options.full ? ' recall-steps-full' : ''}">
      ${progress.steps.map(
        (s, i) =>
          html`<li
            class="recall-step recall-step-${s.state}"
            data-step="${s.step}"
            data-state="${s.state}"
          >
            <a href="${url(s)}" ${next?.step === s.step ? html`aria-current="step"` : ''}
              ><span class="recall-mark" aria-hidden="true">${STATE_MARK[s.state]}</span>
              <span class="recall-name">${i + 1}. ${t.steps[s.step]}</span>
              <span class="recall-state">${t.states[s.state]}</span></a
            >
            ${options.full ? html`<span class="recall-reason">${reason(s)}</span>` : ''}
          </li>`,
      )}
    </ol>
    <p class="recall-next">
      ${
        next
          ? html`<strong>${t.next}:</strong> ${t.steps[next.step]} — ${reason(next)}
              <a href="${url(next)}">${next.state === 'needs-you' ? t.doIt : t.open}</a>`
          : t.allDone
      }
    </p>
  </nav>`;
}

/**
 * The next legal deadline as a banner ("GDPR: notify the AP within 3 h 48 min"), urgent from 90 %
 * of the period and overdue after; `caseRef` names the case (the dashboard). The countdown
 * ticks with the clocks' script.
 */
export function deadlineBanner(
  view: ViewContext,
  clocks: readonly LegalClock[],
  link: { href: string; caseRef?: string; script?: boolean },
): SafeHtml {
  const deadline = nextDeadline(clocks);
  if (!deadline) return html``;
  const session = sessionOf(view);
  const t = texts(session.locale);
  const { clock, level } = deadline;
  const words = t.deadline[clock.kind];
  const remaining = formatDuration(session, Math.abs(clock.remainingMs));
  const sentence = (clock.remainingMs >= 0 ? words.left : words.over).replace('{t}', remaining);
  return html`<div class="deadline-banner deadline-${level}" data-deadline="${level}">
      ${
        level === 'running'
          ? ''
          : html`<strong class="deadline-level"
              >${level === 'overdue' ? t.overdue : t.urgent}:</strong
            >`
      }
      ${link.caseRef ? html`<span class="deadline-case">${link.caseRef}</span>` : ''}
      <a href="${link.href}"
        ><time
          datetime="${clock.dueAt}"
          data-clock-due="${clock.dueAt}"
          data-clock-start="${clock.startsAt}"
          data-left="${words.left}"
          data-over="${words.over}"
          data-units="${t.unitsJs}"
          >${sentence}</time
        ></a
      >
      <span class="deadline-due">(${t.due} ${formatDateTime(session, clock.dueAt)})</span>
    </div>
    ${link.script === false ? '' : clockCountdownScript()}`;
}

/** "The legal clocks have not started": an incident without a moment of awareness asks for it. */
export function awarenessPrompt(
  view: ViewContext,
  progress: CaseProgress,
  canWrite: boolean,
): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const base = caseTabUrl(progress.reference, 'overview');
  return html`<section class="aware-prompt" aria-labelledby="aware-prompt-heading">
    <h2 id="aware-prompt-heading">${t.awareHeading}</h2>
    <p>${t.awareText}</p>
    ${
      canWrite
        ? html`<form method="post" action="${base}/events" class="aware-form">
            ${csrfField(view)}
            <input type="hidden" name="kind" value="aware" />
            <input type="hidden" name="text" value="Became aware (legal clocks start)" />
            <label for="aware-prompt-at">${t.awareField}</label>
            <span class="hint" id="aware-prompt-hint">${t.awareHint(session.timeZone)}</span>
            <input
              id="aware-prompt-at"
              type="datetime-local"
              name="at"
              required
              aria-describedby="aware-prompt-hint"
            />
            <button type="submit">${t.awareSave}</button>
          </form>`
        : html`<p>${t.awareAsk}</p>`
    }
  </section>`;
}

/** The dashboard's banner: the soonest legal deadline over all open cases, naming the case. */
export function dashboardDeadlineBanner(
  view: ViewContext,
  cases: readonly { case: { reference: string }; clocks: readonly LegalClock[] }[],
): SafeHtml {
  const soonest = cases
    .map((c) => ({ ref: c.case.reference, clocks: c.clocks, next: nextDeadline(c.clocks) }))
    .filter((c) => c.next !== null)
    .sort((a, b) => a.next!.clock.remainingMs - b.next!.clock.remainingMs)[0];
  if (!soonest) return html``;
  return deadlineBanner(view, soonest.clocks, {
    href: caseTabUrl(soonest.ref, 'reports'),
    caseRef: soonest.ref,
    // The dashboard loads the countdown script itself whenever any case has clocks.
    script: false,
  });
}
