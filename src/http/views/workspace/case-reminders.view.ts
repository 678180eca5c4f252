import type { CaseView } from '../../../domain/case.js';
import type { EffectMeasure } from '../../../domain/reminders/reminder.js';
import type { ReminderEffect } from '../../../services/remedies/reminder-effect.service.js';
import type { ReminderOverview } from '../../../services/remedies/reminder-overview.service.js';
import { html, type SafeHtml } from '../html.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { csrfField } from './workspace-layout.view.js';
import {
  escalationForm,
  reminderRuleForm,
  type ReminderFormState,
} from './case-reminders-forms.view.js';
import {
  formatDateTime,
  formatNumber,
  formatPercent,
  type FormatContext,
} from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { DELIVERY_STATES } from '../../../domain/delivery.js';
import { deliveriesTexts } from './case-deliveries.view.js';
import { sessionOf, type ViewContext } from './view-context.js';

export const remindersTexts = defineTexts({
  nl: {
    title: 'Herinneringen',
    intro:
      'Een herinnering is een eigen, goedgekeurd bericht aan wie nog niet klaar is: wie het bericht niet heeft bevestigd, of een herstelactie niet heeft afgerond. Nooit aan wie klaar is, nooit vaker dan ingesteld.',
    rules: 'Regels',
    noRules: 'Nog geen herinneringsregels.',
    cols: {
      rule: 'Regel',
      condition: 'Aan wie',
      notice: 'Bericht',
      days: 'Na dagen',
      sends: 'Verstuurd',
      next: 'Volgende',
      status: 'Status',
    },
    condition: (c: string, remedy: string | null) =>
      c === 'not-completed' ? `niet afgerond: ${remedy ?? ''}` : 'niet bevestigd',
    notApproved: 'bericht niet goedgekeurd: gaat niet uit',
    ready: 'klaar',
    none: '—',
    form: 'Regel toevoegen',
    formNotice: 'Bericht (persoonlijk, goedgekeurd)',
    formCondition: 'Aan wie nog niet',
    formConditions: { 'not-acknowledged': 'bevestigd heeft', 'not-completed': 'afgerond heeft' },
    formRemedy: 'Herstelactie (bij "afgerond")',
    formNoRemedy: '(geen)',
    formDays: 'Na hoeveel dagen (na de eerste verzending, daarna tussen de herinneringen)',
    formMax: 'Hoogstens zo vaak per ontvanger',
    add: 'Toevoegen',
    runNow: 'Nu controleren en versturen wat aan de beurt is',
    retire: 'Stoppen',
    sends: 'Verstuurde herinneringen',
    noSends: 'Nog geen herinnering verstuurd.',
    sendCols: {
      at: 'Moment',
      rule: 'Regel',
      chosen: 'Gekozen',
      mailed: 'Gemaild',
      states: 'Stand',
    },
    effect: 'Effect per herinnering',
    effectIntro:
      'Per dag het aandeel van wie nog open stond dat bevestigde of afrondde: in de N dagen na de herinnering tegen de N dagen ervoor (ontvangers met e-mailadres).',
    effectCols: {
      at: 'Herinnering',
      measure: 'Maat',
      before: 'Ervoor',
      after: 'Erna',
      factor: 'Verschil',
    },
    acknowledged: 'bevestigd',
    completed: 'afgerond',
    perDay: (rate: string, done: string, open: string) => `${rate} per dag (${done} van ${open})`,
    escalation: 'Brief voor wie e-mail niet bereikt',
    escalationIntro:
      'Geweigerd, mislukt, geen e-mailadres of geen reactie na de laatste herinnering: een gedrukte brief.',
    escalationOn: 'Aan',
    escalationAfter: 'Na hoeveel dagen',
    save: 'Opslaan',
    wouldGet: (n: string) => `${n} zouden nu een brief krijgen`,
    reasons: {
      'no-email': 'geen e-mailadres',
      bounced: 'geweigerd',
      failed: 'mislukt',
      'no-reaction': 'geen reactie',
    },
    escalate: 'Brieven maken',
    toLetters: 'Naar de brieven',
    errors: 'Controleer het formulier:',
    fieldErrors: {
      remedyNeeded: 'Kies de herstelactie waarvan het afronden telt.',
      remedyNotTaken: 'Alleen bij "afgerond" hoort een herstelactie.',
      noticeId: 'Kies een persoonlijk bericht van deze zaak.',
      remedy: 'Kies een herstelactie van deze zaak die nog geldt.',
    },
    notAllowed:
      'U mag geen herinneringen instellen of versturen (daarvoor is het recht om te verzenden nodig).',
  },
  en: {
    title: 'Reminders',
    intro:
      'A reminder is its own approved notice to those not done yet: who has not acknowledged the notice, or not completed a remedy. Never to those who are done, never more often than set.',
    rules: 'Rules',
    noRules: 'No reminder rules yet.',
    cols: {
      rule: 'Rule',
      condition: 'To whom',
      notice: 'Notice',
      days: 'After days',
      sends: 'Sent',
      next: 'Next',
      status: 'Status',
    },
    condition: (c: string, remedy: string | null) =>
      c === 'not-completed' ? `not completed: ${remedy ?? ''}` : 'not acknowledged',
    notApproved: 'notice not approved: does not go out',
    ready: 'ready',
    none: '—',
    form: 'Add a rule',
    formNotice: 'Notice (personal, approved)',
    formCondition: 'To those who have not',
    formConditions: { 'not-acknowledged': 'acknowledged', 'not-completed': 'completed' },
    formRemedy: 'Remedy (for "completed")',
    formNoRemedy: '(none)',
    formDays: 'After how many days (after the first dispatch, then between reminders)',
    formMax: 'At most this many times per recipient',
    add: 'Add',
    runNow: 'Check now and send what is due',
    retire: 'Stop',
    sends: 'Reminders sent',
    noSends: 'No reminder sent yet.',
    sendCols: { at: 'When', rule: 'Rule', chosen: 'Chosen', mailed: 'Mailed', states: 'States' },
    effect: 'Effect per reminder',
    effectIntro:
      'Per day, the share of those still open who acknowledged or completed: in the N days after the reminder against the N days before (recipients with an email address).',
    effectCols: {
      at: 'Reminder',
      measure: 'Measure',
      before: 'Before',
      after: 'After',
      factor: 'Change',
    },
    acknowledged: 'acknowledged',
    completed: 'completed',
    perDay: (rate: string, done: string, open: string) => `${rate} per day (${done} of ${open})`,
    escalation: 'A letter for those email cannot reach',
    escalationIntro:
      'Bounced, failed, no email address, or no reaction after the last reminder: a printed letter.',
    escalationOn: 'On',
    escalationAfter: 'After how many days',
    save: 'Save',
    wouldGet: (n: string) => `${n} would get a letter now`,
    reasons: {
      'no-email': 'no email address',
      bounced: 'bounced',
      failed: 'failed',
      'no-reaction': 'no reaction',
    },
    escalate: 'Make letters',
    toLetters: 'To the letters',
    errors: 'Please check the form:',
    fieldErrors: {
      remedyNeeded: 'Choose the remedy whose completion counts.',
      remedyNotTaken: 'Only "completed" takes a remedy.',
      noticeId: 'Choose a personal notice of this case.',
      remedy: 'Choose a remedy of this case that is still in force.',
    },
    notAllowed: 'You may not set up or send reminders (that needs the right to send).',
  },
});

export function remindersUrl(reference: string): string {
  return caseTabUrl(reference, 'reminders');
}

export interface RemindersPageModel {
  kase: CaseView;
  overview: ReminderOverview;
  choices: { notices: { id: number; title: string; approved: boolean }[]; remedies: string[] };
  canWrite: boolean;
  /** The add-a-rule form as it was sent, with its errors, after a refusal. */
  ruleForm?: ReminderFormState;
  /** The escalation form as it was sent, with its errors, after a refusal. */
  escalationForm?: ReminderFormState;
}

/** The reminders tab: rules and their form, the sends, their effect, and the escalation. */
export function renderRemindersPage(view: ViewContext, m: RemindersPageModel): SafeHtml {
  const session = sessionOf(view);
  const t = remindersTexts(session.locale);
  const n = (v: number) => formatNumber(session, v);
  const base = remindersUrl(m.kase.reference);
  const o = m.overview;
  const deliveryStates = deliveriesTexts(session.locale).states;
  const rules =
    o.rules.length === 0
      ? html`<p>${t.noRules}</p>`
      : html`<div class="table-wrap" tabindex="0">
          <table>
            <caption>
              ${t.rules}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.cols.rule}</th>
                <th scope="col">${t.cols.condition}</th>
                <th scope="col">${t.cols.notice}</th>
                <th scope="col" class="num">${t.cols.days}</th>
                <th scope="col" class="num">${t.cols.sends}</th>
                <th scope="col">${t.cols.next}</th>
                <th scope="col">${t.cols.status}</th>
              </tr>
            </thead>
            <tbody>
              ${o.rules.map(
                (r) =>
                  html`<tr>
                    <td>${r.id}</td>
                    <td>${t.condition(r.condition, r.remedy)}</td>
                    <td>${r.noticeId} · ${r.noticeTitle}</td>
                    <td class="num">${n(r.days)}</td>
                    <td class="num">${n(r.runs)} / ${n(r.maxSends)}</td>
                    <td>${r.nextDueAt ? formatDateTime(session, r.nextDueAt) : t.none}</td>
                    <td>
                      ${r.noticeApproved ? t.ready : html`<strong>${t.notApproved}</strong>`}
                      ${r.refusal ? html`<br /><span class="muted">${r.refusal}</span>` : ''}
                      ${
                        m.canWrite
                          ? html`<form
                              method="post"
                              class="inline-form"
                              action="${base}/${r.id}/retire"
                            >
                              ${csrfField(view)}
                              <button type="submit" class="secondary">${t.retire}</button>
                            </form>`
                          : ''
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  const form = !m.canWrite
    ? html`<p class="muted">${t.notAllowed}</p>`
    : html`${reminderRuleForm(view, t, base, m.choices, m.ruleForm)}
        <form method="post" action="${base}/run">
          ${csrfField(view)}
          <button type="submit" class="secondary">${t.runNow}</button>
        </form>`;
  const sends =
    o.sends.length === 0
      ? html`<p>${t.noSends}</p>`
      : html`<div class="table-wrap" tabindex="0">
          <table>
            <caption class="visually-hidden">
              ${t.sends}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.sendCols.at}</th>
                <th scope="col">${t.sendCols.rule}</th>
                <th scope="col" class="num">${t.sendCols.chosen}</th>
                <th scope="col" class="num">${t.sendCols.mailed}</th>
                <th scope="col">${t.sendCols.states}</th>
              </tr>
            </thead>
            <tbody>
              ${o.sends.map(
                (s) =>
                  html`<tr>
                    <td>${formatDateTime(session, s.at)}</td>
                    <td>${s.ruleId} · ${s.runNo}</td>
                    <td class="num">${n(s.selected)}</td>
                    <td class="num">${n(s.recipients)}</td>
                    <td>
                      ${DELIVERY_STATES.filter((state) => s.states[state] !== undefined)
                        .map((state) => `${deliveryStates[state]} ${n(s.states[state]!)}`)
                        .join(' · ')}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  const effect = reminderEffectTable(session, o.effect);
  const x = o.escalation;
  const escalation = html`<section class="card" id="escalation">
    <h3>${t.escalation}</h3>
    <p>${t.escalationIntro}</p>
    <p>
      <strong>${t.wouldGet(n(x.total))}</strong>:
      ${(['no-email', 'bounced', 'failed', 'no-reaction'] as const)
        .map((r) => `${t.reasons[r]} ${n(x.reasons[r])}`)
        .join(' · ')}
    </p>
    ${
      m.canWrite
        ? html`${escalationForm(view, t, base, x, m.escalationForm)}
            <form method="post" action="${base}/escalation/letters">
              ${csrfField(view)}
              <button type="submit" ${x.enabled && x.total > 0 ? '' : html`disabled`}>
                ${t.escalate}
              </button>
            </form>`
        : ''
    }
    <p><a href="/app/cases/${encodeURIComponent(m.kase.reference)}/letters">${t.toLetters}</a></p>
  </section>`;
  return html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'reminders')}
    <h2>${t.title}</h2>
    <p>${t.intro}</p>
    ${rules} ${form}
    <h3>${t.sends}</h3>
    ${sends} ${effect} ${escalation}`;
}

/**
 * The reminder effect: acknowledgement and completion per day among those still open, in the
 * days before each reminder and after it. Shown on the reminders tab and next to the curve.
 */
export function reminderEffectTable(
  session: FormatContext,
  effect: readonly ReminderEffect[],
): SafeHtml {
  const t = remindersTexts(session.locale);
  const n = (v: number) => formatNumber(session, v);
  const measureRow = (at: string, name: string, e: EffectMeasure) =>
    html`<tr>
      <td>${at}</td>
      <td>${name}</td>
      <td class="num">
        ${t.perDay(formatPercent(session, e.before.ratePerDay), n(e.before.done), n(e.before.open))}
      </td>
      <td class="num">
        ${t.perDay(formatPercent(session, e.after.ratePerDay), n(e.after.done), n(e.after.open))}
      </td>
      <td class="num">${e.factor === null ? t.none : `×${e.factor.toFixed(1)}`}</td>
    </tr>`;
  return effect.length === 0
    ? html``
    : html`<h3>${t.effect}</h3>
        <p>${t.effectIntro}</p>
        <div class="table-wrap" tabindex="0">
          <table class="reminder-effect">
            <caption class="visually-hidden">
              ${t.effect}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t.effectCols.at}</th>
                <th scope="col">${t.effectCols.measure}</th>
                <th scope="col" class="num">${t.effectCols.before}</th>
                <th scope="col" class="num">${t.effectCols.after}</th>
                <th scope="col" class="num">${t.effectCols.factor}</th>
              </tr>
            </thead>
            <tbody>
              ${effect.map((e) => {
                const at = `${formatDateTime(session, e.at)} (${e.ruleId} · ${e.runNo})`;
                return html`${measureRow(at, t.acknowledged, e.acknowledged)}
                ${e.completed ? measureRow(at, t.completed, e.completed) : ''}`;
              })}
            </tbody>
          </table>
        </div>`;
}
