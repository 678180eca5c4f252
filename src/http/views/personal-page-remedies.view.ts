import type { Language } from '../../config.js';
import { formatRecipientTime } from '../../domain/recipient-time.js';
import type { PageRemedy } from '../../services/remedies/remedy-page.service.js';
import { html, type SafeHtml } from './html.js';
import { statementHtml } from './statement-markdown.view.js';

/** Where one remedy's "I've done this" posts, and its nonce (see form-nonce.ts). */
export type RemedyForm = (key: string) => { action: string; nonce: string };

interface RemedyTexts {
  heading: string;
  intro: string;
  progress: (done: number, total: number) => string;
  done: string;
  notDone: string;
  button: string;
  byYou: (at: SafeHtml) => SafeHtml;
  byUs: (at: SafeHtml) => SafeHtml;
  weCheck: string;
  weSee: string;
}

const TEXTS: Record<Language, RemedyTexts> = {
  nl: {
    heading: 'Uw acties',
    intro: 'Laat ons per actie weten dat u die hebt uitgevoerd.',
    progress: (done, total) => `${done} van ${total} ${total === 1 ? 'actie' : 'acties'} gedaan`,
    done: 'Gedaan',
    notDone: 'Nog niet gedaan',
    button: 'Ik heb dit gedaan',
    byYou: (at) => html`door u bevestigd op ${at}`,
    byUs: (at) => html`door ons vastgesteld op ${at}`,
    weCheck: 'Wij controleren dit ook nog aan onze kant.',
    weSee: 'Dit zien wij vanzelf aan onze kant zodra het gedaan is.',
  },
  en: {
    heading: 'Your actions',
    intro: 'Tell us for each action once you have done it.',
    progress: (done, total) => `${done} of ${total} ${total === 1 ? 'action' : 'actions'} done`,
    done: 'Done',
    notDone: 'Not done yet',
    button: "I've done this",
    byYou: (at) => html`confirmed by you on ${at}`,
    byUs: (at) => html`confirmed by us on ${at}`,
    weCheck: 'We also check this on our side.',
    weSee: 'We will see this on our side once it is done.',
  },
};

interface Reader {
  language: Language;
  timeZone: string;
  remedies?: PageRemedy[];
}

/**
 * The summary's status line instead of the single "I've done it" button: how many of the
 * remedies are done, linking to the list below.
 */
export function remediesProgress(model: Reader): SafeHtml {
  const t = TEXTS[model.language];
  const list = model.remedies ?? [];
  const done = list.filter((r) => r.done).length;
  const line = html`<a href="#remedies">${t.progress(done, list.length)}</a>`;
  return done === list.length
    ? html`<p class="status" id="done" role="status">${line}</p>`
    : html`<p class="meta" id="done">${line}</p>`;
}

/**
 * Each remedy with its instructions and state, and where the customer may confirm it, its own
 * "I've done this" form (the redirect after it lands on the remedy).
 */
export function remediesSection(model: Reader, form: RemedyForm | undefined): SafeHtml {
  const t = TEXTS[model.language];
  const at = (iso: string) =>
    html`<time datetime="${iso}"
      >${formatRecipientTime(iso, model.language, model.timeZone)}</time
    >`;
  return html`<section class="card" aria-labelledby="remedies">
    <h2 id="remedies">${t.heading}</h2>
    <p>${t.intro}</p>
    ${(model.remedies ?? []).map((r) => {
      const who = [
        r.customerConfirmedAt ? t.byYou(at(r.customerConfirmedAt)) : null,
        r.providerConfirmedAt && r.completion !== 'customer'
          ? t.byUs(at(r.providerConfirmedAt))
          : null,
      ].filter((x): x is SafeHtml => x !== null);
      const state = html`<strong>${r.done ? t.done : t.notDone}</strong>${
          who.length ? html` (${who.map((w, i) => (i === 0 ? w : html`; ${w}`))})` : ''
        }`;
      const next = r.done
        ? ''
        : r.canConfirm && form
          ? html`<form id="remedy-${r.key}" method="post" action="${form(r.key).action}">
              <input type="hidden" name="nonce" value="${form(r.key).nonce}" />
              <button type="submit">${t.button}</button>
            </form>`
          : html`<p class="muted">${r.completion === 'provider' ? t.weSee : t.weCheck}</p>`;
      return html`<article id="remedy-${r.key}-item" aria-labelledby="remedy-${r.key}-title">
        <h3 id="remedy-${r.key}-title">${r.title}</h3>
        ${r.instructions && statementHtml(r.instructions)}
        <p class="${r.done ? 'status' : 'meta'}" role="status">${state}</p>
        ${next}
      </article>`;
    })}
  </section>`;
}
