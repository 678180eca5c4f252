import type { CaughtMail, MailListPage } from '../../channels/email/mail-catcher.js';
import { html } from './html.js';
import { renderPage } from './page-layout.view.js';

/** The catcher's inbox: newest first, one row per mail. */
export function renderMailboxList(page: MailListPage, query: string): string {
  const rows = page.mails.map(
    (m) =>
      html`<tr>
        <td>
          ${new Date(m.receivedAt).toLocaleString('en-GB', { timeZone: 'Europe/Amsterdam', timeZoneName: 'short' })}
        </td>
        <td>${m.to.join(', ')}</td>
        <td><a href="/mailbox/${encodeURIComponent(m.id)}">${m.subject || '(no subject)'}</a></td>
      </tr>`,
  );
  return renderPage({
    language: 'en',
    title: 'Mailbox — Candor mail catcher',
    siteName: 'Candor mail catcher (demo): every mail Candor sent, kept on this machine',
    main: html`<h1>Mailbox</h1>
      <p>${page.total.toLocaleString('en')} mails caught. Nothing was delivered to anyone.</p>
      <form method="get" action="/mailbox">
        <label for="q">Search recipient or subject</label>
        <input id="q" name="q" value="${query}" />
        <button type="submit">Search</button>
      </form>
      <table>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      ${page.next ? html`<p><a href="/mailbox?before=${encodeURIComponent(page.next)}&amp;q=${encodeURIComponent(query)}">Older mails</a></p>` : ''}`,
  });
}

/** One mail as the recipient sees it: the HTML part in a sandboxed frame, links, the text part. */
export function renderMailboxMail(mail: CaughtMail): string {
  const links = [...new Set((mail.text ?? '').match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
  return renderPage({
    language: 'en',
    title: `${mail.subject ?? 'Mail'} — Candor mail catcher`,
    siteName: 'Candor mail catcher (demo)',
    main: html`<p><a href="/mailbox">← Mailbox</a></p>
      <h1>${mail.subject ?? '(no subject)'}</h1>
      <dl>
        <dt>From</dt>
        <dd>${mail.from ?? ''}</dd>
        <dt>To</dt>
        <dd>${mail.to ?? mail.recipients.join(', ')}</dd>
        <dt>Date</dt>
        <dd>${mail.date ?? mail.receivedAt}</dd>
        <dt>Message-ID</dt>
        <dd><code>${mail.messageId ?? ''}</code></dd>
      </dl>
      ${
        links.length > 0
          ? html`<h2>Links in this mail</h2>
              <ul>
                ${links.map((l) => html`<li><a href="${l}" rel="noreferrer">${l}</a></li>`)}
              </ul>`
          : ''
      }
      ${
        mail.html
          ? html`<h2>As the recipient sees it</h2>
              <iframe
                title="The mail's HTML part"
                src="/mailbox/${encodeURIComponent(mail.id)}/html"
                sandbox="allow-popups allow-popups-to-escape-sandbox"
              ></iframe>`
          : ''
      }
      <h2>Plain-text part</h2>
      <pre>${mail.text ?? ''}</pre>
      <p><a href="/mailbox/${encodeURIComponent(mail.id)}/raw">Raw message (.eml)</a></p>`,
  });
}
