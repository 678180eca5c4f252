import type { TokenView } from '../../../domain/user.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime } from './workspace-format.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    title: (u: string) => `API-tokens van ${u}`,
    intro:
      'Tokens geven toegang tot de API met de rechten van deze gebruiker. Een ingetrokken of verlopen token wordt meteen geweigerd.',
    label: 'Omschrijving',
    prefix: 'Begint met',
    created: 'Aangemaakt',
    lastUsed: 'Laatst gebruikt',
    expires: 'Verloopt',
    state: 'Status',
    actions: 'Acties',
    never: 'nooit',
    noExpiry: 'niet',
    active: 'actief',
    expired: 'verlopen',
    revoked: (at: string) => `ingetrokken ${at}`,
    revoke: 'Intrekken',
    confirmRevoke: 'Dit token intrekken? Wat het gebruikt, krijgt meteen geen toegang meer.',
    none: 'Deze gebruiker heeft geen tokens.',
    create: 'Token aanmaken',
    expiresInDays: 'Geldig (dagen)',
    expiresHint: 'Leeg laten: verloopt niet. Hoogstens 3650 dagen.',
    add: 'Aanmaken',
    tokenOnce: 'Het token (wordt maar één keer getoond; bewaar het nu):',
    tokenUse: 'Gebruik: Authorization: Bearer <token>',
    notCreated: 'Het token is niet aangemaakt:',
    back: 'Terug naar gebruikers',
    backAccount: 'Terug naar mijn account',
  },
  en: {
    title: (u: string) => `API tokens of ${u}`,
    intro:
      "Tokens give access to the API with this user's rights. A revoked or expired token is refused at once.",
    label: 'Label',
    prefix: 'Starts with',
    created: 'Created',
    lastUsed: 'Last used',
    expires: 'Expires',
    state: 'State',
    actions: 'Actions',
    never: 'never',
    noExpiry: 'never',
    active: 'active',
    expired: 'expired',
    revoked: (at: string) => `revoked ${at}`,
    revoke: 'Revoke',
    confirmRevoke: 'Revoke this token? Whatever uses it loses access at once.',
    none: 'This user has no tokens.',
    create: 'Create a token',
    expiresInDays: 'Valid for (days)',
    expiresHint: 'Leave empty for no expiry. At most 3650 days.',
    add: 'Create',
    tokenOnce: 'The token (shown only once; store it now):',
    tokenUse: 'Use it as: Authorization: Bearer <token>',
    notCreated: 'The token was not created:',
    back: 'Back to users',
    backAccount: 'Back to my account',
  },
});

/**
 * The tokens of one user with a revoke button each, and the form to create one; under the
 * users screen (`own` false) or under My account (`own` true, the user's own tokens).
 */
export function renderUserTokens(
  view: ViewContext,
  username: string,
  tokens: TokenView[],
  extra: { problems?: string[]; created?: string; own?: boolean } = {},
  now = Date.now(),
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const base = extra.own
    ? '/app/account/tokens'
    : `/app/users/${encodeURIComponent(username)}/tokens`;
  const problems = extra.problems ?? [];
  const state = (v: TokenView) =>
    v.revokedAt
      ? html`<span class="badge">${t.revoked(formatDateTime(session, v.revokedAt))}</span>`
      : v.expiresAt && Date.parse(v.expiresAt) <= now
        ? html`<span class="badge badge-danger">${t.expired}</span>`
        : html`<span class="badge badge-ok">${t.active}</span>`;
  return {
    title: t.title(username),
    main: html`<h1>${t.title(username)}</h1>
      <p>${t.intro}</p>
      ${
        extra.created
          ? html`<div class="card" role="status">
              <p>${t.tokenOnce}</p>
              <p><code class="secret" data-token>${extra.created}</code></p>
              <p class="hint">${t.tokenUse}</p>
            </div>`
          : ''
      }
      ${
        tokens.length === 0
          ? html`<p>${t.none}</p>`
          : html`<div class="table-wrap" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t.label}</th>
                    <th scope="col">${t.prefix}</th>
                    <th scope="col">${t.created}</th>
                    <th scope="col">${t.lastUsed}</th>
                    <th scope="col">${t.expires}</th>
                    <th scope="col">${t.state}</th>
                    <th scope="col">${t.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  ${tokens.map(
                    (v) =>
                      html`<tr>
                        <td>${v.label}</td>
                        <td><code>${v.prefix}…</code></td>
                        <td>${formatDateTime(session, v.createdAt)}</td>
                        <td>${v.lastUsedAt ? formatDateTime(session, v.lastUsedAt) : t.never}</td>
                        <td>${v.expiresAt ? formatDateTime(session, v.expiresAt) : t.noExpiry}</td>
                        <td>${state(v)}</td>
                        <td>
                          ${
                            v.revoked
                              ? ''
                              : html`<form
                                  method="post"
                                  action="${base}/${v.id}/revoke"
                                  class="inline-form"
                                >
                                  ${csrfField(view)}
                                  <button
                                    type="submit"
                                    class="danger"
                                    data-confirm="${t.confirmRevoke}"
                                    aria-label="${t.revoke}: ${v.label}"
                                  >
                                    ${t.revoke}
                                  </button>
                                </form>`
                          }
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <h2 id="add-token">${t.create}</h2>
      ${
        problems.length > 0
          ? html`<div class="flash flash-error" role="alert" id="add-token-errors">
              <p>${t.notCreated}</p>
              <ul>
                ${problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      <form method="post" action="${base}" class="card" aria-labelledby="add-token">
        ${csrfField(view)}
        <div class="field">
          <label for="token-label">${t.label}</label>
          <input id="token-label" name="label" type="text" maxlength="100" required />
        </div>
        <div class="field">
          <label for="token-days">${t.expiresInDays}</label>
          <span class="hint" id="token-days-hint">${t.expiresHint}</span>
          <input
            id="token-days"
            name="expiresInDays"
            type="number"
            min="1"
            max="3650"
            inputmode="numeric"
            aria-describedby="token-days-hint"
          />
        </div>
        <button type="submit">${t.add}</button>
      </form>
      <p>
        <a href="${extra.own ? '/app/account' : '/app/users'}"
          >${extra.own ? t.backAccount : t.back}</a
        >
      </p>`,
  };
}
