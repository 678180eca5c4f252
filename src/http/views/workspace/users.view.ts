import { ROLES } from '../../../domain/access.js';
import type { AdminUserView } from '../../../services/access/user-admin.service.js';
import { html, type SafeHtml } from '../html.js';
import { formatDate } from './workspace-format.js';
import { csrfField } from './workspace-layout.view.js';
import { defineTexts } from './workspace-texts.js';
import { sessionOf, type ViewContext } from './view-context.js';

const texts = defineTexts({
  nl: {
    title: 'Gebruikers',
    username: 'Gebruikersnaam',
    displayName: 'Naam',
    email: 'E-mail',
    emailHint: 'Optioneel: voor meldingen van de werkplek zelf (termijnen).',
    roles: 'Rollen',
    language: 'Taal',
    totp: 'Tweestaps',
    status: 'Status',
    since: 'Sinds',
    actions: 'Acties',
    active: 'actief',
    disabled: 'uitgeschakeld',
    yes: 'aan',
    no: 'uit',
    create: 'Gebruiker toevoegen',
    password: 'Wachtwoord',
    passwordHint: 'Minstens 12 tekens. Leeg laten: er wordt er een gemaakt en eenmalig getoond.',
    add: 'Toevoegen',
    disable: 'Uitschakelen',
    enable: 'Inschakelen',
    resetPassword: 'Nieuw wachtwoord',
    resetTotp: 'Tweestaps resetten',
    confirmDisable: 'Deze gebruiker uitschakelen? Lopende sessies stoppen meteen.',
    confirmReset:
      'Een nieuw wachtwoord maken? Het oude werkt dan niet meer, en de API-tokens worden ingetrokken tenzij u ze behoudt.',
    confirmTotp:
      'Tweestapsverificatie van deze gebruiker verwijderen? De API-tokens worden ingetrokken tenzij u ze behoudt.',
    roleNames: {
      admin: 'beheerder',
      responder: 'incidentleider',
      communicator: 'communicatie',
      approver: 'goedkeurder',
      viewer: 'lezer',
    },
    created: (u: string) => `Gebruiker ${u} is aangemaakt.`,
    passwordOnce: 'Wachtwoord (wordt maar één keer getoond; geef het veilig door):',
    newPassword: (u: string) => `Nieuw wachtwoord voor ${u}.`,
    back: 'Terug naar gebruikers',
    notAdded: 'De gebruiker is niet toegevoegd:',
    edit: 'Bewerken',
    editTitle: (u: string) => `Gebruiker ${u} bewerken`,
    save: 'Opslaan',
    cancel: 'Annuleren',
    notSaved: 'Niet opgeslagen:',
    selfAdminHint: 'Uw eigen beheerdersrol kunt u niet weghalen; een andere beheerder kan dat wel.',
    tokens: 'Tokens',
    keepTokens: 'API-tokens behouden',
  },
  en: {
    title: 'Users',
    username: 'Username',
    displayName: 'Name',
    email: 'Email',
    emailHint: "Optional: for the workspace's own alerts (deadlines).",
    roles: 'Roles',
    language: 'Language',
    totp: 'Two-step',
    status: 'Status',
    since: 'Since',
    actions: 'Actions',
    active: 'active',
    disabled: 'disabled',
    yes: 'on',
    no: 'off',
    create: 'Add a user',
    password: 'Password',
    passwordHint: 'At least 12 characters. Leave empty to have one generated and shown once.',
    add: 'Add',
    disable: 'Disable',
    enable: 'Enable',
    resetPassword: 'New password',
    resetTotp: 'Reset two-step',
    confirmDisable: 'Disable this user? Their sessions end at once.',
    confirmReset:
      'Generate a new password? The old one stops working, and the API tokens are revoked unless you keep them.',
    confirmTotp:
      "Remove this user's two-step verification? The API tokens are revoked unless you keep them.",
    roleNames: {
      admin: 'administrator',
      responder: 'incident lead',
      communicator: 'communications',
      approver: 'approver',
      viewer: 'viewer',
    },
    created: (u: string) => `User ${u} was created.`,
    passwordOnce: 'Password (shown only once; pass it on securely):',
    newPassword: (u: string) => `New password for ${u}.`,
    back: 'Back to users',
    notAdded: 'The user was not added:',
    edit: 'Edit',
    editTitle: (u: string) => `Edit user ${u}`,
    save: 'Save',
    cancel: 'Cancel',
    notSaved: 'Not saved:',
    selfAdminHint: 'You cannot remove your own administrator role; another administrator can.',
    tokens: 'Tokens',
    keepTokens: 'Keep API tokens',
  },
});

/** The users page: the list with actions, and the form to add one. */
export function renderUsers(
  view: ViewContext,
  users: AdminUserView[],
  problems: string[] = [],
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const action = (
    u: AdminUserView,
    path: string,
    label: string,
    confirm: string,
    danger = false,
    keepTokens = false,
  ) =>
    html`<form
      method="post"
      action="/app/users/${encodeURIComponent(u.username)}/${path}"
      class="inline-form"
    >
      ${csrfField(view)}
      ${
        keepTokens
          ? html`<label class="inline-check"
              ><input type="checkbox" name="keepTokens" value="1" /> ${t.keepTokens}</label
            >`
          : ''
      }
      <button
        type="submit"
        class="${danger ? 'danger' : 'secondary'}"
        data-confirm="${confirm}"
        aria-label="${label}: ${u.username}"
      >
        ${label}
      </button>
    </form>`;
  return {
    title: t.title,
    main: html`<h1>${t.title}</h1>
      <div class="table-wrap" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${t.username}</th>
              <th scope="col">${t.displayName}</th>
              <th scope="col">${t.email}</th>
              <th scope="col">${t.roles}</th>
              <th scope="col">${t.totp}</th>
              <th scope="col">${t.status}</th>
              <th scope="col">${t.since}</th>
              <th scope="col">${t.actions}</th>
            </tr>
          </thead>
          <tbody>
            ${users.map(
              (u) =>
                html`<tr>
                  <td>${u.username}</td>
                  <td>${u.displayName}</td>
                  <td>${u.email ?? ''}</td>
                  <td>${u.roles.map((r) => t.roleNames[r]).join(', ')}</td>
                  <td>
                    ${u.totp ? html`<span class="badge badge-ok">${t.yes}</span>` : html`<span class="badge">${t.no}</span>`}
                  </td>
                  <td>
                    ${
                      u.disabled
                        ? html`<span class="badge badge-danger">${t.disabled}</span>`
                        : html`<span class="badge badge-ok">${t.active}</span>`
                    }
                  </td>
                  <td>${formatDate(session, u.createdAt)}</td>
                  <td>
                    <div class="actions">
                      <a
                        class="button secondary"
                        href="/app/users/${encodeURIComponent(u.username)}/edit"
                        aria-label="${t.edit}: ${u.username}"
                        >${t.edit}</a
                      >
                      ${
                        u.disabled
                          ? action(u, 'enable', t.enable, '')
                          : u.id === session.userId
                            ? ''
                            : action(u, 'disable', t.disable, t.confirmDisable, true)
                      }
                      <a
                        class="button secondary"
                        href="/app/users/${encodeURIComponent(u.username)}/tokens"
                        aria-label="${t.tokens}: ${u.username}"
                        >${t.tokens}</a
                      >
                      ${action(u, 'password', t.resetPassword, t.confirmReset, false, true)}
                      ${u.totp ? action(u, 'totp-reset', t.resetTotp, t.confirmTotp, false, true) : ''}
                    </div>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <h2 id="add-user">${t.create}</h2>
      ${
        problems.length > 0
          ? html`<div class="flash flash-error" role="alert" id="add-user-errors">
              <p>${t.notAdded}</p>
              <ul>
                ${problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      <form method="post" action="/app/users" class="card" aria-labelledby="add-user">
        ${csrfField(view)}
        <div class="field">
          <label for="new-username">${t.username}</label>
          <input id="new-username" name="username" type="text" autocomplete="off" required />
        </div>
        <div class="field">
          <label for="new-display">${t.displayName}</label>
          <input id="new-display" name="displayName" type="text" autocomplete="off" />
        </div>
        <div class="field">
          <label for="new-email">${t.email}</label>
          <span class="hint" id="new-email-hint">${t.emailHint}</span>
          <input
            id="new-email"
            name="email"
            type="email"
            autocomplete="off"
            aria-describedby="new-email-hint"
          />
        </div>
        <fieldset class="checks">
          <legend>${t.roles}</legend>
          ${ROLES.map(
            (r) =>
              html`<label
                ><input type="checkbox" name="roles" value="${r}" /> ${t.roleNames[r]} (${r})</label
              >`,
          )}
        </fieldset>
        <div class="field">
          <label for="new-language">${t.language}</label>
          <select id="new-language" name="language">
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
          </select>
        </div>
        <div class="field">
          <label for="new-password">${t.password}</label>
          <span class="hint" id="new-password-hint">${t.passwordHint}</span>
          <input
            id="new-password"
            name="password"
            type="password"
            autocomplete="new-password"
            aria-describedby="new-password-hint"
          />
        </div>
        <button type="submit">${t.add}</button>
      </form>`,
  };
}

/** The one-time display of a password (after creating a user or resetting theirs). */
export function renderPasswordOnce(
  view: ViewContext,
  input: { username: string; password: string | null; created: boolean },
): { title: string; main: SafeHtml } {
  const t = texts(sessionOf(view).locale);
  const heading = input.created ? t.created(input.username) : t.newPassword(input.username);
  return {
    title: t.title,
    main: html`<h1>${heading}</h1>
      ${
        input.password
          ? html`<div class="card">
              <p>${t.passwordOnce}</p>
              <p><code class="secret" data-password>${input.password}</code></p>
            </div>`
          : ''
      }
      <p><a href="/app/users">${t.back}</a></p>`,
  };
}

/** The values the edit form shows: the stored ones, or what was posted when it failed. */
export interface UserEditValues {
  displayName: string;
  email: string;
  roles: readonly string[];
}

/** The form to change an existing user's name, email and roles. */
export function renderUserEdit(
  view: ViewContext,
  user: AdminUserView,
  values: UserEditValues,
  problems: string[] = [],
): { title: string; main: SafeHtml } {
  const session = sessionOf(view);
  const t = texts(session.locale);
  const self = user.id === session.userId;
  const path = `/app/users/${encodeURIComponent(user.username)}/edit`;
  return {
    title: t.editTitle(user.username),
    main: html`<h1 id="edit-user">${t.editTitle(user.username)}</h1>
      ${
        problems.length > 0
          ? html`<div class="flash flash-error" role="alert" id="edit-user-errors">
              <p>${t.notSaved}</p>
              <ul>
                ${problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      <form method="post" action="${path}" class="card" aria-labelledby="edit-user">
        ${csrfField(view)}
        <div class="field">
          <label for="edit-display">${t.displayName}</label>
          <input
            id="edit-display"
            name="displayName"
            type="text"
            autocomplete="off"
            required
            maxlength="200"
            value="${values.displayName}"
          />
        </div>
        <div class="field">
          <label for="edit-email">${t.email}</label>
          <span class="hint" id="edit-email-hint">${t.emailHint}</span>
          <input
            id="edit-email"
            name="email"
            type="email"
            autocomplete="off"
            aria-describedby="edit-email-hint"
            value="${values.email}"
          />
        </div>
        <fieldset class="checks" ${self ? html`aria-describedby="edit-roles-hint"` : ''}>
          <legend>${t.roles}</legend>
          ${self ? html`<span class="hint" id="edit-roles-hint">${t.selfAdminHint}</span>` : ''}
          ${ROLES.map(
            (r) =>
              html`<label
                ><input
                  type="checkbox"
                  name="roles"
                  value="${r}"
                  ${values.roles.includes(r) ? html`checked` : ''}
                />
                ${t.roleNames[r]} (${r})</label
              >`,
          )}
        </fieldset>
        <div class="actions">
          <button type="submit">${t.save}</button>
          <a class="button secondary" href="/app/users">${t.cancel}</a>
        </div>
      </form>`,
  };
}
