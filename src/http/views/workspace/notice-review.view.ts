import type { DiffLine } from '../../../domain/line-diff.js';
import type { NoticeView } from '../../../domain/notice.js';
import type { NoticeReview } from '../../../services/notices/notice-review.service.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime } from './workspace-format.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    heading: 'Wat is er veranderd sinds de vorige goedkeuring',
    first: 'Eerste goedkeuring: er is nog geen eerdere goedgekeurde versie.',
    since: (by: string) => `Vergeleken met de versie die ${by} goedkeurde op`,
    none: 'Geen wijzigingen.',
    language: { nl: 'Nederlands', en: 'Engels' },
    added: 'toegevoegd',
    removed: 'verwijderd',
    legend: 'Regels met + zijn toegevoegd, regels met − zijn verwijderd.',
    voided: (reason: string, by: string) => `Goedkeuring vervallen: ${reason} — door ${by} op`,
  },
  en: {
    heading: 'What changed since the last approval',
    first: 'First approval: there is no earlier approved version.',
    since: (by: string) => `Compared with the version ${by} approved on`,
    none: 'No changes.',
    language: { nl: 'Dutch', en: 'English' },
    added: 'added',
    removed: 'removed',
    legend: 'Lines with + were added, lines with − were removed.',
    voided: (reason: string, by: string) => `Approval voided: ${reason} — by ${by} at`,
  },
});

/** "Approval voided: <reason> — by <who> at <time>", when the last approval no longer holds. */
export function voidedNote(view: ViewContext, notice: NoticeView): SafeHtml {
  if (!notice.voided) return html``;
  const session = sessionOf(view);
  const t = texts(session.locale);
  return html`<p class="case-errors notice-voided" role="note">
    ${t.voided(notice.voided.reason, notice.voided.by)}
    <time datetime="${notice.voided.at}">${formatDateTime(session, notice.voided.at)}</time>
  </p>`;
}

/**
 * The changes since the last approval, per language, as added and removed lines. `idPrefix`
 * keeps the ids unique when one page shows several notices (the public tab).
 */
export function reviewDiff(view: ViewContext, review: NoticeReview, idPrefix = 'notice'): SafeHtml {
  const session = sessionOf(view);
  const t = texts(session.locale);
  if (!review.lastApproval)
    return html`<h3>${t.heading}</h3>
      <p class="notice-first-approval">${t.first}</p>`;
  return html`<h3>${t.heading}</h3>
    <p>
      ${t.since(review.lastApproval.by)}
      <time datetime="${review.lastApproval.at}"
        >${formatDateTime(session, review.lastApproval.at)}</time
      >.
      <span class="hint">${t.legend}</span>
    </p>
    ${review.changes.map(
      (c) =>
        html`<h4>${t.language[c.language]}</h4>
          ${
            c.changed
              ? html`<div
                  class="notice-diff"
                  id="${idPrefix}-diff-${c.language}"
                  role="group"
                  tabindex="0"
                  aria-label="${t.heading}: ${t.language[c.language]}"
                >
                  ${withContext(c.diff).map((line) =>
                    line === null
                      ? html`<span class="diff-gap">…</span>`
                      : line.kind === 'added'
                        ? html`<ins title="${t.added}"
                            ><span class="diff-mark">+ </span>${line.text}</ins
                          >`
                        : line.kind === 'removed'
                          ? html`<del title="${t.removed}"
                              ><span class="diff-mark">− </span>${line.text}</del
                            >`
                          : html`<span class="diff-same">${line.text}</span>`,
                  )}
                </div>`
              : html`<p class="muted">${t.none}</p>`
          }`,
    )}`;
}

/** Changed lines with two unchanged lines around them; null stands for the lines left out. */
function withContext(diff: readonly DiffLine[], around = 2): (DiffLine | null)[] {
  const near = new Set<number>();
  diff.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let j = i - around; j <= i + around; j++) near.add(j);
  });
  const out: (DiffLine | null)[] = [];
  diff.forEach((line, i) => {
    if (near.has(i)) out.push(line);
    else if (out.at(-1) !== null) out.push(null);
  });
  return out;
}
