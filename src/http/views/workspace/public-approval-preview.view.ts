import { applyEmbargo, parseEmbargo } from '../../../domain/embargo.js';
import type { PublicApprovalPreview } from '../../../services/notices/public-approval-preview.service.js';
import { html, type SafeHtml } from '../html.js';
import { markdownHtml } from '../public/security-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    heading: 'Wat er gepubliceerd wordt',
    hint: 'Zo komt de tekst op de beveiligingspagina: met de verklaringen, datums en feiten van de zaak zoals ze nu zijn. Goedkeuren legt precies deze versie vast; verandert er daarna iets, dan vervalt de goedkeuring.',
    language: { nl: 'Nederlands', en: 'Engels' },
    heldBack: (until: string) =>
      until === 'resolved'
        ? 'Achtergehouden tot de zaak is opgelost (embargo), nog niet op de pagina:'
        : `Achtergehouden tot ${until} (embargo), nog niet op de pagina:`,
    problem: 'Deze taal kan niet worden opgemaakt:',
  },
  en: {
    heading: 'What will be published',
    hint: 'This is how the text goes on the security page: with the statements, dates and facts of the case as they are now. Approving pins exactly this version; if any of it changes afterwards, the approval is voided.',
    language: { nl: 'Dutch', en: 'English' },
    heldBack: (until: string) =>
      until === 'resolved'
        ? 'Held back until the case is resolved (embargo), not on the page yet:'
        : `Held back until ${until} (embargo), not on the page yet:`,
    problem: 'This language does not render:',
  },
});

/**
 * The texts as the security page would show them, per language, rendered with the page's own
 * Markdown rendering; embargoed blocks that are not released are shown apart, marked as held
 * back, so the approver sees both what goes out now and what goes out later.
 */
export function publishedPreview(
  view: ViewContext,
  audience: 'public' | 'press',
  preview: PublicApprovalPreview,
  released: (condition: string) => boolean,
): SafeHtml {
  const t = texts(sessionOf(view).locale);
  return html`<h3>${t.heading}</h3>
    <p class="hint case-hint">${t.hint}</p>
    ${preview.languages.map((l) => {
      const name = t.language[l.language];
      if (l.problem)
        return html`<h4>${name}</h4>
          <p class="case-errors" role="note">${t.problem} ${l.problem}</p>`;
      const held = parseEmbargo(l.body).blocks.filter((b) => !released(b.condition));
      return html`<h4>${name}</h4>
        <div class="public-preview" id="${audience}-preview-${l.language}" lang="${l.language}">
          <p class="public-preview-title">${l.subject}</p>
          ${markdownHtml(applyEmbargo(l.body, released))}
          ${held.map(
            (b) =>
              html`<div class="public-embargoed" role="note">
                <p><strong>${t.heldBack(b.condition)}</strong></p>
                ${markdownHtml(b.text)}
              </div>`,
          )}
        </div>`;
    })}`;
}
