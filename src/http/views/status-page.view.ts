import { html } from './html.js';
import { renderPage } from './page-layout.view.js';
import { STATUS_PAGE_TEXTS } from './personal-page-texts.js';

/**
 * The plain pages around the personal page: not found, refused, too many attempts. They are
 * in Dutch and English (who asks is unknown) and say nothing about any case, recipient or
 * token, so an unknown link and a revoked one look exactly alike.
 */
export function renderStatusPage(kind: keyof typeof STATUS_PAGE_TEXTS): string {
  const t = STATUS_PAGE_TEXTS[kind];
  return renderPage({
    language: 'nl',
    title: `${t.title.nl} / ${t.title.en}`,
    main: html`<section class="card">
      <h1>${t.title.nl}</h1>
      <p>${t.body.nl}</p>
      <h2 lang="en">${t.title.en}</h2>
      <p lang="en">${t.body.en}</p>
    </section>`,
  });
}
