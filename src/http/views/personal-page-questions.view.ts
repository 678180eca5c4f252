import type { Language } from '../../config.js';
import { QUESTION_MAX_CHARS, type TextProblem } from '../../domain/question.js';
import { formatRecipientTime } from '../../domain/recipient-time.js';
import type { AskedQuestion } from '../../services/recipients/question.service.js';
import { html, type SafeHtml } from './html.js';

/** What the "Ask us a question" part of the personal page shows. */
export interface PersonalPageQuestions {
  form: { action: string; nonce: string };
  asked: AskedQuestion[];
  /** The text to put back in the box after a refusal. */
  value?: string;
  problem?: TextProblem;
  limited?: { by: 'recipient' | 'address'; retryAt: string };
  /** The question was just sent (the page after the redirect). */
  sent?: boolean;
}

const max = (language: Language) => QUESTION_MAX_CHARS.toLocaleString(language);

const TEXTS = {
  nl: {
    heading: 'Stel ons een vraag',
    intro:
      'Hebt u een vraag over dit bericht? Stel hem hier. Wij antwoorden per e-mail, en u leest het antwoord ook hieronder op deze pagina.',
    label: 'Uw vraag',
    hint: `Gewone tekst, hoogstens ${max('nl')} tekens. Zet er geen wachtwoorden in.`,
    send: 'Vraag versturen',
    sent: 'Uw vraag is verstuurd. Wij antwoorden zo snel mogelijk.',
    problem: (p: TextProblem) =>
      p.kind === 'empty'
        ? 'Uw vraag is leeg. Schrijf uw vraag in het vak.'
        : p.kind === 'too-long'
          ? `Uw vraag is te lang: ${p.length.toLocaleString('nl')} tekens. Het maximum is ${max('nl')} tekens.`
          : `Uw vraag bevatte een onzichtbaar stuurteken (${p.code}, teken ${p.position}). Wij hebben het weggehaald: lees uw vraag na en verstuur hem opnieuw.`,
    limited: (by: 'recipient' | 'address', at: string) =>
      by === 'recipient'
        ? `U hebt vandaag al het maximale aantal vragen gesteld. U kunt weer een vraag stellen vanaf ${at}.`
        : `Vanaf uw internetadres zijn vandaag te veel vragen gesteld. U kunt weer een vraag stellen vanaf ${at}.`,
    earlier: 'Uw vragen',
    askedOn: (at: SafeHtml) => html`Gesteld op ${at}`,
    state: {
      open: 'Wacht op antwoord',
      answered: 'Beantwoord',
      closed: 'Afgesloten zonder antwoord',
    },
    answer: (at: SafeHtml) => html`Ons antwoord van ${at}`,
  },
  en: {
    heading: 'Ask us a question',
    intro:
      'Do you have a question about this notice? Ask it here. We answer by email, and you can also read the answer below on this page.',
    label: 'Your question',
    hint: `Plain text, at most ${max('en')} characters. Do not include passwords.`,
    send: 'Send question',
    sent: 'Your question has been sent. We will answer as soon as we can.',
    problem: (p: TextProblem) =>
      p.kind === 'empty'
        ? 'Your question is empty. Please write your question in the box.'
        : p.kind === 'too-long'
          ? `Your question is too long: ${p.length.toLocaleString('en')} characters. The maximum is ${max('en')} characters.`
          : `Your question contained an invisible control character (${p.code}, character ${p.position}). We removed it: please check your question and send it again.`,
    limited: (by: 'recipient' | 'address', at: string) =>
      by === 'recipient'
        ? `You have asked the maximum number of questions for today. You can ask again from ${at}.`
        : `Too many questions came from your internet address today. You can ask again from ${at}.`,
    earlier: 'Your questions',
    askedOn: (at: SafeHtml) => html`Asked on ${at}`,
    state: { open: 'Awaiting an answer', answered: 'Answered', closed: 'Closed without an answer' },
    answer: (at: SafeHtml) => html`Our answer of ${at}`,
  },
} as const;

/**
 * The questions part of the personal page: the form (plain text, one box, no script) and the
 * reader's earlier questions with our answers. Everything the customer or the team typed is
 * shown escaped, its line breaks kept.
 */
export function questionSection(
  page: { language: Language; timeZone: string },
  q: PersonalPageQuestions,
): SafeHtml {
  const t = TEXTS[page.language];
  const at = (iso: string) =>
    html`<time datetime="${iso}">${formatRecipientTime(iso, page.language, page.timeZone)}</time>`;
  const error = q.problem
    ? t.problem(q.problem)
    : q.limited
      ? t.limited(
          q.limited.by,
          formatRecipientTime(q.limited.retryAt, page.language, page.timeZone),
        )
      : null;
  return html`<section class="card" id="questions" aria-labelledby="questions-heading">
    <h2 id="questions-heading">${t.heading}</h2>
    ${q.sent && html`<p class="status" role="status">${t.sent}</p>`}
    <p>${t.intro}</p>
    <form method="post" action="${q.form.action}" class="question-form">
      <input type="hidden" name="nonce" value="${q.form.nonce}" />
      <label for="question">${t.label}</label>
      <p class="muted hint" id="question-hint">${t.hint}</p>
      ${error && html`<p class="field-error" id="question-error" role="alert">${error}</p>`}
      <textarea
        id="question"
        name="question"
        rows="6"
        maxlength="${String(QUESTION_MAX_CHARS)}"
        required
        aria-describedby="question-hint${error ? ' question-error' : ''}"
        ${error ? html`aria-invalid="true"` : ''}
      >
${q.value ?? ''}</textarea>
      <button type="submit">${t.send}</button>
    </form>
    ${
      q.asked.length > 0 &&
      html`<h3>${t.earlier}</h3>
        <ol class="questions">
          ${q.asked.map(
            (item) =>
              html`<li class="question question-${item.state}">
                <p class="meta">
                  ${t.askedOn(at(item.askedAt))} · <strong>${t.state[item.state]}</strong>
                </p>
                <blockquote>${lines(item.body)}</blockquote>
                ${item.replies.map(
                  (reply) =>
                    html`<div class="answer">
                      <p class="meta">${t.answer(at(reply.at))}</p>
                      <p>${lines(reply.body)}</p>
                    </div>`,
                )}
              </li>`,
          )}
        </ol>`
    }
  </section>`;
}

/** Plain text with its line breaks: each line escaped, joined by <br />. */
export function lines(text: string): SafeHtml {
  return html`${text.split('\n').map((line, i) => (i === 0 ? html`${line}` : html`<br />${line}`))}`;
}
