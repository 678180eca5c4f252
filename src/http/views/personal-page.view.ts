import type { Language } from '../../config.js';
import { formatNoticeDate } from '../../domain/notices/notice-variables.js';
import type { PersonalPageModel } from '../../services/personal-page.service.js';
import { html, type SafeHtml } from './html.js';
import { pageNoticeContent } from './notice-content.view.js';
import { renderPage } from './page-layout.view.js';
import { PERSONAL_PAGE_TEXTS, type PersonalPageTexts } from './personal-page-texts.js';

/** Where the page's two forms post, and the nonce each carries (see form-nonce.ts). */
export interface PersonalPageForms {
  acknowledge: { action: string; nonce: string };
  done: { action: string; nonce: string };
}

/**
 * The personal page: who it is for, what it means for them (their impact values), the notice
 * they got, "I have read this", the checklist with "I've done it", and whom to ask. Two plain
 * forms, no script: it works in any browser, on a phone, with a screen reader.
 */
export function renderPersonalPage(model: PersonalPageModel, forms: PersonalPageForms): string {
  const t = PERSONAL_PAGE_TEXTS[model.language];
  const content = model.notice ? pageNoticeContent(model.notice.contentHtml) : null;
  const steps: (SafeHtml | string)[] =
    content && content.steps.length > 0 ? content.steps : [...t.todoFallback];
  const org = model.organisation;
  const main = html`<article class="card" aria-labelledby="title">
      <p class="eyebrow">
        ${model.case.kind === 'advisory' ? t.advisory : t.incident} · ${t.reference}
        ${model.case.reference}
      </p>
      <h1 id="title">${model.case.title}</h1>
      <p class="muted">
        ${t.pageFor} ${model.recipient.name ?? model.recipient.externalId} (${t.customerNumber}
        ${model.recipient.externalId})
      </p>
    </article>
    <section class="card" aria-labelledby="impact">
      <h2 id="impact">${t.yourDetails}</h2>
      ${impactList(model.impact, t)}
    </section>
    <section class="card" aria-labelledby="message">
      <h2 id="message">${t.message}</h2>
      ${
        content
          ? content.body
          : html`<p>${t.messageUnavailable}</p>
              ${model.case.summary.split(/\n\s*\n/).map((p) => html`<p>${p}</p>`)}`
      }
    </section>
    <section class="card" id="read" aria-labelledby="read-heading">
      <h2 id="read-heading">${t.readHeading}</h2>
      ${
        model.recipient.acknowledgedAt
          ? html`<p class="status" role="status">
              ${t.readDone(when(model.recipient.acknowledgedAt, model.language))}
            </p>`
          : html`<p>${t.readIntro}</p>
              ${button(forms.acknowledge, t.readButton)}`
      }
    </section>
    <section class="card" id="done" aria-labelledby="todo-heading">
      <h2 id="todo-heading">${t.todoHeading}</h2>
      <p>${t.todoIntro}</p>
      <ol class="checklist">
        ${steps.map(
          (step, i) =>
            html`<li>
              <input type="checkbox" id="step-${i + 1}" /><label for="step-${i + 1}">${step}</label>
            </li> `,
        )}
      </ol>
      ${
        model.recipient.remediedAt
          ? html`<p class="status" role="status">
              ${t.doneDone(when(model.recipient.remediedAt, model.language))}
            </p>`
          : html`<p>${t.doneIntro}</p>
              ${button(forms.done, t.doneButton)}`
      }
    </section>
    <section class="card" aria-labelledby="contact">
      <h2 id="contact">${t.contactHeading}</h2>
      <p>${t.contactIntro}</p>
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
    </section>`;
  return renderPage({
    language: model.language,
    title: `${model.case.title} · ${org.name}`,
    siteName: org.name,
    main,
    footer: html`<p>${t.privateLink}</p>`,
  });
}

function button(form: { action: string; nonce: string }, label: string): SafeHtml {
  return html`<form method="post" action="${form.action}">
    <input type="hidden" name="nonce" value="${form.nonce}" />
    <button type="submit">${label}</button>
  </form>`;
}

function when(iso: string, language: Language): SafeHtml {
  return html`<time datetime="${iso}">${formatNoticeDate(iso, language)}</time>`;
}

/** The impact values as a definition list, known keys with a plain label, the rest as written. */
function impactList(impact: Record<string, unknown>, t: PersonalPageTexts): SafeHtml {
  const rows = Object.entries(impact)
    .map(([key, value]) => ({ key, text: plainValue(value, t) }))
    .filter((row) => row.text !== '');
  if (rows.length === 0) return html`<p>${t.noDetails}</p>`;
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
