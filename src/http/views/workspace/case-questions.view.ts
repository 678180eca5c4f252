import type { CaseView } from '../../../domain/case.js';
import type { InboxCounts, QuestionState } from '../../../domain/question.js';
import type { InboxFilter, InboxQuestion } from '../../../services/recipients/question.service.js';
import { html, type SafeHtml } from '../html.js';
import { lines } from '../personal-page-questions.view.js';
import { caseHeader, caseTabs, caseTabUrl } from './case-tabs.view.js';
import { csrfField } from './workspace-layout.view.js';
import { formatDateTime, formatDuration, formatNumber } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    title: 'Vragen',
    intro:
      'Vragen die getroffen klanten op hun persoonlijke pagina stellen. Een antwoord gaat per e-mail naar de klant, in de taal van de vraag, met de link naar de persoonlijke pagina, en blijft bij de zaak.',
    filters: {
      all: 'Alle',
      open: 'Open',
      answered: 'Beantwoord',
      closed: 'Gesloten',
    } satisfies Record<InboxFilter, string>,
    filterLabel: 'Toon',
    none: 'Geen vragen in deze selectie.',
    state: {
      open: 'open',
      answered: 'beantwoord',
      closed: 'gesloten',
    } satisfies Record<QuestionState, string>,
    asked: (when: string) => `Gesteld ${when}`,
    customer: 'Klant',
    language: 'Taal',
    email: 'E-mail',
    noEmail: 'geen e-mailadres: antwoorden per e-mail kan niet',
    impact: 'Wat het voor de klant betekent',
    noImpact: 'geen gegevens',
    notices: 'Berichten',
    noNotices: 'nog niets verzonden',
    dispatch: (id: number) => `verzending ${id}`,
    letter: 'brief',
    delivery: {
      queued: 'in de wachtrij',
      sending: 'wordt verzonden',
      sent: 'verzonden',
      deferred: 'uitgesteld',
      failed: 'mislukt',
      bounced: 'geweigerd',
      printed: 'gedrukt',
      posted: 'gepost',
      cancelled: 'geannuleerd',
    },
    read: 'Gelezen',
    notRead: 'nog niet bevestigd',
    done: '"Ik heb het gedaan"',
    remedies: 'Herstelacties',
    noRemedies: 'geen herstelacties',
    remedyState: {
      completed: 'gedaan',
      customer: 'bevestigd door klant',
      provider: 'bevestigd door ons',
      open: 'nog niet gedaan',
    },
    replies: 'Antwoorden',
    replyBy: (who: string, when: string) => `${who}, ${when}`,
    replyState: {
      queued: 'wacht op verzending',
      sending: 'wordt verzonden',
      sent: 'verzonden',
      failed: 'mislukt',
    },
    reply: 'Antwoord aan de klant',
    replyHint: 'Gewone tekst. De klant krijgt dit per e-mail, met de eigen vraag erbij.',
    send: 'Antwoord versturen',
    close: 'Sluiten zonder antwoord',
    reason: 'Reden',
    reasonHint: 'Bijvoorbeeld: dubbele vraag, al telefonisch beantwoord.',
    closed: (who: string, when: string) => `Gesloten door ${who}, ${when}`,
    notAllowed: 'U kunt vragen lezen maar niet beantwoorden.',
    counts: 'Vragen van klanten',
    open: 'Open',
    answeredCount: 'Beantwoord',
    median: 'Mediane tijd tot antwoord',
    noMedian: 'nog geen antwoorden',
    toInbox: 'Naar de vragen',
  },
  en: {
    title: 'Questions',
    intro:
      'Questions affected customers ask on their personal page. A reply goes to the customer by email, in the language of the question, with the link to their personal page, and stays with the case.',
    filters: {
      all: 'All',
      open: 'Open',
      answered: 'Answered',
      closed: 'Closed',
    } satisfies Record<InboxFilter, string>,
    filterLabel: 'Show',
    none: 'No questions in this selection.',
    state: {
      open: 'open',
      answered: 'answered',
      closed: 'closed',
    } satisfies Record<QuestionState, string>,
    asked: (when: string) => `Asked ${when}`,
    customer: 'Customer',
    language: 'Language',
    email: 'Email',
    noEmail: 'no email address: a reply by email is not possible',
    impact: 'What it means for the customer',
    noImpact: 'no details',
    notices: 'Notices',
    noNotices: 'nothing sent yet',
    dispatch: (id: number) => `dispatch ${id}`,
    letter: 'letter',
    delivery: {
      queued: 'queued',
      sending: 'sending',
      sent: 'sent',
      deferred: 'deferred',
      failed: 'failed',
      bounced: 'bounced',
      printed: 'printed',
      posted: 'posted',
      cancelled: 'cancelled',
    },
    read: 'Read',
    notRead: 'not confirmed yet',
    done: '"I\'ve done it"',
    remedies: 'Remedies',
    noRemedies: 'no remedies',
    remedyState: {
      completed: 'done',
      customer: 'confirmed by the customer',
      provider: 'confirmed by us',
      open: 'not done yet',
    },
    replies: 'Replies',
    replyBy: (who: string, when: string) => `${who}, ${when}`,
    replyState: {
      queued: 'waiting to be sent',
      sending: 'sending',
      sent: 'sent',
      failed: 'failed',
    },
    reply: 'Reply to the customer',
    replyHint: 'Plain text. The customer gets this by email, with their own question quoted.',
    send: 'Send reply',
    close: 'Close without a reply',
    reason: 'Reason',
    reasonHint: 'For example: duplicate question, already answered by phone.',
    closed: (who: string, when: string) => `Closed by ${who}, ${when}`,
    notAllowed: 'You can read questions but not answer them.',
    counts: 'Customer questions',
    open: 'Open',
    answeredCount: 'Answered',
    median: 'Median time to answer',
    noMedian: 'no answers yet',
    toInbox: 'To the questions',
  },
});

/** The inbox URL of a case, optionally filtered. */
export function questionsUrl(reference: string, filter?: InboxFilter): string {
  const base = caseTabUrl(reference, 'questions');
  return filter && filter !== 'all' ? `${base}?show=${filter}` : base;
}

export function questionsTitle(view: ViewContext): string {
  return texts(sessionOf(view).locale).title;
}

/** A form's refusal to show again at the question it belongs to. */
export interface QuestionFormError {
  questionId: number;
  field: 'reply' | 'reason';
  message: string;
  value: string;
}

export interface QuestionsPageModel {
  kase: CaseView;
  questions: InboxQuestion[];
  counts: InboxCounts;
  filter: InboxFilter;
  canAnswer: boolean;
  error?: QuestionFormError;
}

/** The questions tab: counts, a filter, and each question with the asker's context. */
export function renderQuestionsPage(view: ViewContext, m: QuestionsPageModel): SafeHtml {
  const t = texts(sessionOf(view).locale);
  return html`${caseHeader(view, m.kase)} ${caseTabs(view, m.kase, 'questions')}
    <h2>${t.title}</h2>
    <p>${t.intro}</p>
    ${inboxFigures(view, m.counts)}
    <nav class="toolbar" aria-label="${t.filterLabel}">
      <span>${t.filterLabel}:</span>
      ${(['all', 'open', 'answered', 'closed'] as const).map(
        (f) =>
          html`<a
            href="${questionsUrl(m.kase.reference, f)}"
            ${f === m.filter ? html`aria-current="page"` : ''}
            >${t.filters[f]}</a
          >`,
      )}
    </nav>
    ${m.canAnswer ? '' : html`<p class="muted">${t.notAllowed}</p>`}
    ${
      m.questions.length === 0
        ? html`<p class="muted">${t.none}</p>`
        : m.questions.map((q) => questionCard(view, m, q))
    }`;
}

function questionCard(view: ViewContext, m: QuestionsPageModel, q: InboxQuestion): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const at = (iso: string) => formatDateTime(session, iso);
  const r = q.recipient;
  const base = `${questionsUrl(m.kase.reference)}/${q.id}`;
  const error = m.error?.questionId === q.id ? m.error : null;
  const badge = { open: 'badge-warn', answered: 'badge-ok', closed: 'badge-info' }[q.state];
  const impact = Object.entries(r.impact).filter(([, v]) => v !== null && v !== '');
  return html`<article class="card question-item" id="question-${q.id}">
    <h3>
      <span class="badge ${badge}">${t.state[q.state]}</span>
      ${r.name ?? r.externalId} <span class="muted">(${r.externalId})</span>
    </h3>
    <p class="muted">${t.asked(at(q.askedAt))} · ${t.language}: ${q.language}</p>
    <blockquote class="question-text">${lines(q.body)}</blockquote>
    <details class="question-context">
      <summary>${t.customer}: ${r.name ?? r.externalId}</summary>
      <dl class="case-figures">
        <dt>${t.customer}</dt>
        <dd>${r.externalId}${r.name ? ` · ${r.name}` : ''} · ${r.language}</dd>
        <dt>${t.email}</dt>
        <dd>${r.email ?? html`<span class="muted">${t.noEmail}</span>`}</dd>
        <dt>${t.notices}</dt>
        <dd>
          ${
            q.deliveries.length === 0
              ? html`<span class="muted">${t.noNotices}</span>`
              : q.deliveries.map(
                  (d) =>
                    html`<span class="nowrap"
                        >${d.notice}
                        (${t.dispatch(d.dispatchId)}${d.channel === 'letter' ? `, ${t.letter}` : ''}):
                        <strong
                          >${(t.delivery as Record<string, string>)[d.state] ?? d.state}</strong
                        >${d.at ? `, ${at(d.at)}` : ''}</span
                      ><br />`,
                )
          }
        </dd>
        <dt>${t.impact}</dt>
        <dd>
          ${
            impact.length === 0
              ? html`<span class="muted">${t.noImpact}</span>`
              : impact.map(([k, v]) => html`${k}: ${plain(v)}<br />`)
          }
        </dd>
        <dt>${t.read}</dt>
        <dd>
          ${r.acknowledgedAt ? at(r.acknowledgedAt) : html`<span class="muted">${t.notRead}</span>`}
        </dd>
        <dt>${t.remedies}</dt>
        <dd>
          ${r.remediedAt ? html`${t.done}: ${at(r.remediedAt)}<br />` : ''}
          ${
            q.remedies.length === 0
              ? r.remediedAt
                ? ''
                : html`<span class="muted">${t.noRemedies}</span>`
              : q.remedies.map(
                  (x) =>
                    html`${x.title}:
                      <strong>${t.remedyState[x.state]}</strong
                      >${x.at ? `, ${at(x.at)}` : ''}<br />`,
                )
          }
        </dd>
      </dl>
    </details>
    ${
      q.replies.length > 0 &&
      html`<h4>${t.replies}</h4>
        ${q.replies.map(
          (a) =>
            html`<div class="question-reply">
              <p class="muted">
                ${t.replyBy(a.author, at(a.createdAt))} ·
                <span
                  class="badge ${a.state === 'sent' ? 'badge-ok' : a.state === 'failed' ? 'badge-danger' : 'badge-info'}"
                  >${t.replyState[a.state]}</span
                >${a.sentAt ? ` ${at(a.sentAt)}` : ''}${a.state === 'failed' && a.response ? ` (${a.response})` : ''}
              </p>
              <p>${lines(a.body)}</p>
            </div>`,
        )}`
    }
    ${q.closedAt && html`<p class="muted">${t.closed(q.closedBy ?? '', at(q.closedAt))}: ${q.closeReason ?? ''}</p>`}
    ${error && !formShown(m, q, error.field) && html`<p class="error-text" role="alert">${error.message}</p>`}
    ${formShown(m, q, 'reply') ? replyForm(view, base, q, error) : ''}
    ${formShown(m, q, 'reason') ? closeForm(view, base, q, error) : ''}
  </article>`;
}

/** Whether the card offers the reply (not closed, has an address) or the close form (open). */
function formShown(m: QuestionsPageModel, q: InboxQuestion, field: 'reply' | 'reason'): boolean {
  if (!m.canAnswer) return false;
  return field === 'reply'
    ? q.state !== 'closed' && q.recipient.email !== null
    : q.state === 'open';
}

function replyForm(
  view: ViewContext,
  base: string,
  q: InboxQuestion,
  error: QuestionFormError | null,
): SafeHtml {
  const t = texts(sessionOf(view).locale);
  const id = `reply-${q.id}`;
  const mine = error?.field === 'reply' ? error : null;
  return html`<form method="post" action="${base}/reply" class="case-form">
    ${csrfField(view)}
    <div class="field">
      <label for="${id}">${t.reply}</label>
      <span class="hint" id="${id}-hint">${t.replyHint}</span>
      ${mine && html`<span class="error-text" id="${id}-error">${mine.message}</span>`}
      <textarea
        id="${id}"
        name="reply"
        rows="5"
        maxlength="10000"
        required
        aria-describedby="${id}-hint${mine ? ` ${id}-error` : ''}"
        ${mine ? html`aria-invalid="true"` : ''}
      >
${mine?.value ?? ''}</textarea>
    </div>
    <button type="submit">${t.send}</button>
  </form>`;
}

function closeForm(
  view: ViewContext,
  base: string,
  q: InboxQuestion,
  error: QuestionFormError | null,
): SafeHtml {
  const t = texts(sessionOf(view).locale);
  const id = `reason-${q.id}`;
  const mine = error?.field === 'reason' ? error : null;
  return html`<details class="question-close" ${mine ? html`open` : ''}>
    <summary>${t.close}</summary>
    <form method="post" action="${base}/close" class="case-form">
      ${csrfField(view)}
      <div class="field">
        <label for="${id}">${t.reason}</label>
        <span class="hint" id="${id}-hint">${t.reasonHint}</span>
        ${mine && html`<span class="error-text" id="${id}-error">${mine.message}</span>`}
        <input
          id="${id}"
          name="reason"
          maxlength="500"
          required
          value="${mine?.value ?? ''}"
          aria-describedby="${id}-hint${mine ? ` ${id}-error` : ''}"
          ${mine ? html`aria-invalid="true"` : ''}
        />
      </div>
      <button type="submit" class="secondary">${t.close}</button>
    </form>
  </details>`;
}

/** Open / answered / median time to answer: the figures on the tab and on the overview. */
function inboxFigures(view: ViewContext, c: InboxCounts): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  return html`<dl class="case-figures question-figures">
    <dt>${t.open}</dt>
    <dd>${formatNumber(session, c.open)}</dd>
    <dt>${t.answeredCount}</dt>
    <dd>${formatNumber(session, c.answered)}</dd>
    <dt>${t.median}</dt>
    <dd>
      ${c.medianAnswerMs === null ? html`<span class="muted">${t.noMedian}</span>` : formatDuration(session, c.medianAnswerMs)}
    </dd>
  </dl>`;
}

/** The inbox counts as a panel for the case overview, linking to the tab. */
export function questionInboxPanel(
  view: ViewContext,
  reference: string,
  counts: InboxCounts | undefined,
): SafeHtml | '' {
  if (!counts) return '';
  const t = texts(sessionOf(view).locale);
  return html`<section class="card case-panel" aria-labelledby="questions-heading">
    <h2 id="questions-heading">${t.counts}</h2>
    ${inboxFigures(view, counts)}
    <p><a href="${questionsUrl(reference, counts.open > 0 ? 'open' : 'all')}">${t.toInbox}</a></p>
  </section>`;
}

function plain(value: unknown): string {
  if (Array.isArray(value)) return value.map(plain).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
