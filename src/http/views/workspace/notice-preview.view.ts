import type { NoticePreview } from '../../../services/notices/case-workspace-preview.js';
import { html, type SafeHtml } from '../html.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

export const noticePreviewTexts = defineTexts({
  nl: {
    previewFor: (who: string, language: string) => `Voorbeeld voor ${who}, in het ${language}`,
    languageName: { nl: 'Nederlands', en: 'Engels' },
    noRecipients:
      'Er zijn nog geen getroffenen, dus geen voorbeeld als echte ontvanger. Upload eerst een lijst of schrijf een filter.',
    subject: 'Onderwerp',
    htmlVersion: 'HTML-versie (zoals de ontvanger hem ziet)',
    textVersion: 'Tekstversie',
    frameTitle: 'Voorbeeld van de e-mail',
    problems: 'Fouten in de tekst',
    unknownPlaceholder: (part: string, line: number, column: number, path: string) =>
      `${part === 'subject' ? 'onderwerp' : 'tekst'}, regel ${line}:${column}: onbekende variabele {{ ${path} }}`,
    problem: (part: string, line: number, column: number, message: string) =>
      `${part === 'subject' ? 'onderwerp' : 'tekst'}, regel ${line}:${column}: ${message}`,
    missing: (who: string) => `Voor ${who} ontbreekt een waarde:`,
    renderError: 'Het bericht kon voor deze ontvanger niet worden opgemaakt:',
    allGood: 'Geen fouten gevonden voor deze ontvanger.',
    problemCount: (n: number) =>
      n === 1 ? '1 fout in het voorbeeld.' : `${n} fouten in het voorbeeld.`,
  },
  en: {
    previewFor: (who: string, language: string) => `Preview for ${who}, in ${language}`,
    languageName: { nl: 'Dutch', en: 'English' },
    noRecipients:
      'There are no affected customers yet, so no preview as a real recipient. Upload a list or write a filter first.',
    subject: 'Subject',
    htmlVersion: 'HTML version (as the recipient sees it)',
    textVersion: 'Text version',
    frameTitle: 'Preview of the email',
    problems: 'Errors in the text',
    unknownPlaceholder: (part: string, line: number, column: number, path: string) =>
      `${part}, line ${line}:${column}: unknown placeholder {{ ${path} }}`,
    problem: (part: string, line: number, column: number, message: string) =>
      `${part}, line ${line}:${column}: ${message}`,
    missing: (who: string) => `A value is missing for ${who}:`,
    renderError: 'The notice could not be rendered for this recipient:',
    allGood: 'No errors found for this recipient.',
    problemCount: (n: number) =>
      n === 1 ? '1 error in the preview.' : `${n} errors in the preview.`,
  },
});

/**
 * The live part of the notice editor: problems with line:column, values missing for the
 * chosen recipient, the rendered subject and text version. The HTML version lives in the
 * sandboxed frame next to it (its own URL, its own CSP), so it is not part of this fragment.
 */
export function noticePreviewView(view: ViewContext, preview: NoticePreview): SafeHtml {
  const t = noticePreviewTexts(sessionOf(view).locale);
  const who = preview.recipient
    ? `${preview.recipient.name ?? preview.recipient.externalId} (${preview.recipient.externalId})`
    : '';
  const problems = [
    ...preview.problems.map((p) => t.problem(p.part, p.line, p.column, p.message)),
    ...preview.unknown.map((u) => t.unknownPlaceholder(u.part, u.line, u.column, u.path)),
  ];
  return html`<div class="notice-live" data-language="${preview.language}">
    ${
      problems.length > 0
        ? html`<div class="case-errors">
            <p><strong>${t.problems}</strong></p>
            <ul class="notice-problems">
              ${problems.map((p) => html`<li>${p}</li>`)}
            </ul>
          </div>`
        : ''
    }
    ${
      preview.recipient
        ? html`<p class="notice-preview-for">
            ${t.previewFor(who, t.languageName[preview.language] ?? preview.language)}
          </p>`
        : html`<p class="case-notice">${t.noRecipients}</p>`
    }
    ${
      preview.missing.length > 0
        ? html`<div class="case-errors">
            <p><strong>${t.missing(who)}</strong></p>
            <ul class="notice-missing">
              ${preview.missing.map((m) => html`<li><code>{{ ${m} }}</code></li>`)}
            </ul>
          </div>`
        : ''
    }
    ${
      preview.renderError && problems.length === 0
        ? html`<div class="case-errors">
            <p><strong>${t.renderError}</strong> ${preview.renderError}</p>
          </div>`
        : ''
    }
    ${
      preview.rendered
        ? html`${
              problems.length === 0 && preview.missing.length === 0
                ? html`<p class="case-ok">${t.allGood}</p>`
                : ''
            }
            <h4>${t.subject}</h4>
            <p class="notice-subject">${preview.rendered.subject}</p>
            <h4>${t.textVersion}</h4>
            <pre class="notice-text" tabindex="0" aria-label="${t.textVersion}">
${preview.rendered.text}</pre>`
        : ''
    }
  </div>`;
}

/** The one-sentence summary of a preview, for the page's polite live region (see filterStatus). */
export function noticeStatus(
  view: ViewContext,
  preview: NoticePreview | null,
  oob: boolean,
): SafeHtml {
  const t = noticePreviewTexts(sessionOf(view).locale);
  const count = preview
    ? preview.problems.length + preview.unknown.length + preview.missing.length
    : 0;
  const sentence = !preview ? '' : count === 0 ? t.allGood : t.problemCount(count);
  return html`<p
    id="notice-status-live"
    class="visually-hidden"
    role="status"
    ${oob ? html`hx-swap-oob="true"` : ''}
  >
    ${sentence}
  </p>`;
}

/** The sandboxed frame that shows the HTML email; forms post drafts into it by name. */
export function noticeFrame(view: ViewContext, src: string): SafeHtml {
  const t = noticePreviewTexts(sessionOf(view).locale);
  return html`<h4>${t.htmlVersion}</h4>
    <iframe
      class="notice-frame"
      name="notice-preview-frame"
      title="${t.frameTitle}"
      src="${src}"
      sandbox=""
      referrerpolicy="no-referrer"
    ></iframe>`;
}
