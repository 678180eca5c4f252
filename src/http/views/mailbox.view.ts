import type { CaughtMail, MailListPage } from '../../channels/email/mail-catcher.js';
import { html, type SafeHtml } from './html.js';
import { formatDateTime, formatNumber } from './workspace/workspace-format.js';
import { defineTexts } from './workspace/workspace-texts.js';
import { sessionOf, type ViewContext } from './workspace/view-context.js';

const texts = defineTexts({
  nl: {
    title: 'Mailbox',
    intro: (n: string) =>
      `De ingebouwde mailcatcher heeft ${n} mails opgevangen. Niets is werkelijk bij iemand bezorgd.`,
    search: 'Zoek op ontvanger, onderwerp of Message-ID',
    searchButton: 'Zoeken',
    received: 'Ontvangen',
    to: 'Aan',
    subject: 'Onderwerp',
    noSubject: '(geen onderwerp)',
    none: 'Geen mails gevonden.',
    older: 'Oudere mails',
    newest: 'Nieuwste mails',
    back: 'Terug naar de mailbox',
    from: 'Van',
    date: 'Datum',
    links: 'Links in deze mail',
    linksHint: 'De persoonlijke link opent de pagina zoals de ontvanger die ziet.',
    asSeen: 'Zoals de ontvanger het ziet',
    frameTitle: 'De HTML-versie van de mail',
    text: 'Platte-tekstversie',
    raw: 'Origineel bericht (.eml) downloaden',
  },
  en: {
    title: 'Mailbox',
    intro: (n: string) =>
      `The embedded mail catcher caught ${n} mails. Nothing was actually delivered to anyone.`,
    search: 'Search by recipient, subject or Message-ID',
    searchButton: 'Search',
    received: 'Received',
    to: 'To',
    subject: 'Subject',
    noSubject: '(no subject)',
    none: 'No mails found.',
    older: 'Older mails',
    newest: 'Newest mails',
    back: 'Back to the mailbox',
    from: 'From',
    date: 'Date',
    links: 'Links in this mail',
    linksHint: 'The personal link opens the page as the recipient sees it.',
    asSeen: 'As the recipient sees it',
    frameTitle: "The mail's HTML part",
    text: 'Plain-text part',
    raw: 'Download the original message (.eml)',
  },
});

/** The catcher's inbox: newest first, one row per mail. */
export function renderMailboxList(
  view: ViewContext,
  page: MailListPage,
  query: string,
  paged: boolean,
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const q = query ? `&q=${encodeURIComponent(query)}` : '';
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <p>${t.intro(formatNumber(session, page.total))}</p>
      <form method="get" action="/app/mailbox" role="search" class="toolbar">
        <div class="field">
          <label for="q">${t.search}</label>
          <input id="q" name="q" type="search" value="${query}" />
        </div>
        <button type="submit">${t.searchButton}</button>
      </form>
      ${
        page.mails.length === 0
          ? html`<p>${t.none}</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t.received}</th>
                    <th scope="col">${t.to}</th>
                    <th scope="col">${t.subject}</th>
                  </tr>
                </thead>
                <tbody>
                  ${page.mails.map(
                    (m) =>
                      html`<tr>
                        <td>${formatDateTime(session, m.receivedAt)}</td>
                        <td>${m.to.join(', ')}</td>
                        <td>
                          <a href="/app/mailbox/${encodeURIComponent(m.id)}"
                            >${m.subject || t.noSubject}</a
                          >
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <nav class="pager" aria-label="${t.older}">
        ${paged ? html`<a href="/app/mailbox${query ? `?q=${encodeURIComponent(query)}` : ''}">${t.newest}</a>` : ''}
        ${page.next ? html`<a href="/app/mailbox?before=${encodeURIComponent(page.next)}${q}">${t.older}</a>` : ''}
      </nav>`,
  };
}

/** One mail as the recipient sees it: the HTML part in a sandboxed frame, links, the text part. */
export function renderMailboxMail(
  view: ViewContext,
  mail: CaughtMail,
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const links = [...new Set((mail.text ?? '').match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
  const id = encodeURIComponent(mail.id);
  return {
    title: mail.subject || t.noSubject,
    main: html`<p><a href="/app/mailbox">← ${t.back}</a></p>
      <h1>${mail.subject || t.noSubject}</h1>
      <dl class="facts card">
        <dt>${t.from}</dt>
        <dd>${mail.from}</dd>
        <dt>${t.to}</dt>
        <dd>${mail.to || mail.recipients.join(', ')}</dd>
        <dt>${t.date}</dt>
        <dd>${formatDateTime(session, mail.date ?? mail.receivedAt)}</dd>
        <dt>Message-ID</dt>
        <dd><code>${mail.messageId ?? ''}</code></dd>
      </dl>
      ${
        links.length > 0
          ? html`<h2>${t.links}</h2>
              <p class="hint">${t.linksHint}</p>
              <ul class="mail-links">
                ${links.map((l) => html`<li><a href="${l}" rel="noreferrer">${l}</a></li>`)}
              </ul>`
          : ''
      }
      ${
        mail.html
          ? html`<h2>${t.asSeen}</h2>
              <iframe
                class="mail-frame"
                title="${t.frameTitle}"
                src="/app/mailbox/${id}/html"
                sandbox="allow-popups allow-popups-to-escape-sandbox"
              ></iframe>`
          : ''
      }
      <h2>${t.text}</h2>
      <pre>${mail.text ?? ''}</pre>
      <p><a href="/app/mailbox/${id}/raw">${t.raw}</a></p>`,
  };
}
