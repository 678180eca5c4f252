import type { Language } from '../../config.js';
import { formatRecipientTime } from '../../domain/recipient-time.js';
import type { PersonalPageModel } from '../../services/recipients/personal-page.service.js';
import { html, type SafeHtml } from './html.js';
import { renderPage } from './page-layout.view.js';
import {
  remediesProgress,
  remediesSection,
  type RemedyForm,
} from './personal-page-remedies.view.js';
import { PERSONAL_PAGE_TEXTS, type PersonalPageTexts } from './personal-page-texts.js';
import { questionSection, type PersonalPageQuestions } from './personal-page-questions.view.js';
import {
  firstParagraphText,
  isSingleParagraph,
  listItemsText,
  shortSummary,
  statementHtml,
} from './statement-markdown.view.js';

/** Where the page's two forms post, and the nonce each carries (see form-nonce.ts). */
export interface PersonalPageForms {
  acknowledge: { action: string; nonce: string };
  done: { action: string; nonce: string };
  /** Per remedy "I've done this", when the case has remedies. */
  remedy?: RemedyForm;
}

/**
 * The personal page, a document of its own (not the mail pasted in). First what a reader on a
 * phone sees without scrolling: the headline, what happened in a sentence or two, what to do,
 * and the two buttons "I have read this" and "I've done it". Then the detail: what it means
 * for them (their impact values), what happened, what we did, the steps as a plain numbered
 * list, whom to ask, and how to check that the notice is really ours. Two plain forms, no
 * script: it works in any browser, on a phone, with a screen reader.
 */
export function renderPersonalPage(
  model: PersonalPageModel,
  forms: PersonalPageForms,
  questions?: PersonalPageQuestions,
): string {
  const t = PERSONAL_PAGE_TEXTS[model.language];
  const s = model.statements;
  const org = model.organisation;
  const at = (iso: string) => when(iso, model);
  const happened = s.what_happened
    ? shortSummary(firstParagraphText(s.what_happened), model.language)
    : '';
  const steps = s.what_you_should_do ? listItemsText(s.what_you_should_do) : [];
  const main = html`<article class="card summary" aria-labelledby="title">
      <p class="eyebrow">
        ${model.case.kind === 'advisory' ? t.advisory : t.incident} ·
        <span class="nowrap">${t.reference} ${model.case.reference}</span>
      </p>
      <h1 id="title">${model.headline}</h1>
      ${happened && html`<p class="lead">${happened}</p>`}
      <p class="todo"><strong>${t.todoLabel}</strong> ${todoLine(model, steps, t)}</p>
      <div class="actions" id="actions" role="group" aria-label="${t.actionsLabel}">
        ${
          model.recipient.acknowledgedAt
            ? html`<p class="status" id="read" role="status">
                ${t.readDone(at(model.recipient.acknowledgedAt))}
              </p>`
            : button('read', forms.acknowledge, t.readButton, 'secondary')
        }
        ${
          model.remedies?.length
            ? remediesProgress(model)
            : model.recipient.remediedAt
              ? html`<p class="status" id="done" role="status">
                  ${t.doneDone(at(model.recipient.remediedAt))}
                </p>`
              : button('done', forms.done, t.doneButton, 'primary')
        }
      </div>
      <p class="meta">
        ${t.pageFor} ${model.recipient.name ?? model.recipient.externalId} (${t.customerNumber}
        ${model.recipient.externalId})${model.sentAt && html`<br />${t.sentOn(at(model.sentAt))}`}${
          model.referenceCode &&
          html`<br />${t.code} <span class="code">${model.referenceCode}</span>`
        }
      </p>
    </article>
    <section class="card" aria-labelledby="impact">
      <h2 id="impact">${t.yourDetails}</h2>
      ${s.what_it_means && statementHtml(s.what_it_means)}
      ${impactList(model.impact, t, !!s.what_it_means)}
    </section>
    ${
      s.what_happened &&
      !(isSingleParagraph(s.what_happened) && firstParagraphText(s.what_happened) === happened) &&
      section('happened', t.whatHappened, statementHtml(s.what_happened))
    }
    ${s.what_we_did && section('did', t.whatWeDid, statementHtml(s.what_we_did))}
    <section class="card" id="steps" aria-labelledby="todo-heading">
      <h2 id="todo-heading">${t.todoHeading}</h2>
      ${
        s.what_you_should_do
          ? statementHtml(s.what_you_should_do)
          : html`<ol>
              ${(model.remedies?.length ? t.todoFallbackRemedies : t.todoFallback).map(
                (step) => html`<li>${step}</li>`,
              )}
            </ol>`
      }
      ${!model.recipient.remediedAt && !model.remedies?.length && html`<p>${t.doneHint}</p>`}
    </section>
    ${model.remedies?.length ? remediesSection(model, forms.remedy) : ''}
    ${questions && questionSection(model, questions)}
    <section class="card" aria-labelledby="contact">
      <h2 id="contact">${t.contactHeading}</h2>
      ${s.contact ? statementHtml(s.contact) : html`<p>${t.contactIntro}</p>`}
      <dl>
        <dt>${t.email}</dt>
        <dd><a href="mailto:${org.contactEmail}">${org.contactEmail}</a></dd>
        ${
          org.contactPhone &&
          html`<dt>${t.phone}</dt>
            <dd>
              <a href="tel:${org.contactPhone.replace(/[^+\d]/g, '')}">${org.contactPhone}</a>
            </dd>`
        }
        ${
          org.dpoEmail &&
          html`<dt>${t.dpo}</dt>
            <dd><a href="mailto:${org.dpoEmail}">${org.dpoEmail}</a></dd>`
        }
        ${
          /^https?:\/\//i.test(org.website) &&
          html`<dt>${t.website}</dt>
            <dd><a href="${org.website}">${org.website.replace(/^https?:\/\//, '')}</a></dd>`
        }
        <dt>${t.reference}</dt>
        <dd>${model.case.reference}</dd>
      </dl>
    </section>
    ${model.referenceCode && genuineSection(model, t)}`;
  return renderPage({
    language: model.language,
    title: `${model.headline} · ${org.name}`,
    siteName: org.name,
    main,
    footer: html`<p>${t.privateLink}</p>`,
  });
}

/** How to check that the notice is ours: its code, and where to enter it. */
function genuineSection(model: PersonalPageModel, t: PersonalPageTexts): SafeHtml {
  const href = `${model.language === 'en' ? '/en' : ''}/security/verify`;
  const link = html`<a href="${href}">${t.verifyLink}</a>`;
  const code = html`<span class="code">${model.referenceCode}</span>`;
  return section('genuine', t.genuineHeading, html`<p>${t.genuine(code, link)}</p>`);
}

function section(id: string, heading: string, body: SafeHtml): SafeHtml {
  return html`<section class="card" aria-labelledby="${id}">
    <h2 id="${id}">${heading}</h2>
    ${body}
  </section>`;
}

/**
 * The summary's one line of what to do: the first step of the notice (with how many follow),
 * else an update to the fixed version the impact names, else a general request.
 */
function todoLine(model: PersonalPageModel, steps: string[], t: PersonalPageTexts): string {
  const first = steps[0];
  if (first) {
    const line = shortSummary(first, model.language, 160);
    return steps.length > 1 ? `${line} ${t.moreSteps(steps.length)}` : line;
  }
  const own = model.statements.what_you_should_do;
  if (own) return shortSummary(firstParagraphText(own), model.language, 200);
  const fixed = plainValue(model.impact['fixed_version'], t);
  if (fixed) {
    return t.updateTo(
      plainValue(model.impact['software'], t) || null,
      fixed,
      plainValue(model.impact['deadline'], t) || null,
    );
  }
  return t.todoGeneric;
}

/** One action: a form of its own, so the redirect after it can land on its id. */
function button(
  id: string,
  form: { action: string; nonce: string },
  label: string,
  kind: 'primary' | 'secondary',
): SafeHtml {
  return html`<form id="${id}" method="post" action="${form.action}">
    <input type="hidden" name="nonce" value="${form.nonce}" />
    <button type="submit" class="${kind}">${label}</button>
  </form>`;
}

/** A moment in the reader's own zone, the zone named. */
function when(iso: string, model: { language: Language; timeZone: string }): SafeHtml {
  const text = formatRecipientTime(iso, model.language, model.timeZone);
  return html`<time datetime="${iso}">${text}</time>`;
}

/** The impact values as a definition list, known keys with a plain label, the rest as written. */
function impactList(
  impact: Record<string, unknown>,
  t: PersonalPageTexts,
  explained: boolean,
): SafeHtml | '' {
  const rows = Object.entries(impact)
    .map(([key, value]) => ({ key, text: plainValue(value, t) }))
    .filter((row) => row.text !== '');
  if (rows.length === 0) return explained ? '' : html`<p>${t.noDetails}</p>`;
  return html`<p>${t.yourDetailsIntro}</p>
    <dl>
      ${rows.map(
        (row) =>
          html`<dt>${t.impactLabels[row.key] ?? label(row.key)}</dt>
            <dd>${row.text}</dd> `,
      )}
    </dl>`;
}

/** `fixed_version` → "Fixed version": a column name made readable. */
function label(key: string): string {
  const words = key.replace(/[_.-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as text: lists joined with commas, yes/no for booleans, nothing for empty. */
function plainValue(value: unknown, t: PersonalPageTexts): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    return value
      .map((v) => plainValue(v, t))
      .filter((v) => v !== '')
      .join(', ');
  }
  if (typeof value === 'boolean') return value ? t.yes : t.no;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${plainValue(v, t)}`)
      .join('; ');
  }
  return '';
}
