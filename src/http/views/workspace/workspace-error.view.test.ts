import { describe, expect, it } from 'vitest';
import type { ViewContext } from './view-context.js';
import { renderWorkspaceError } from './workspace-error.view.js';

// The error page rendered from hand-built view contexts: inside the workspace's layout for a
// logged-in user, a bare page with a login link before login.

const loggedIn: ViewContext = {
  session: {
    userId: 3,
    username: 'bob',
    displayName: 'Bob',
    roles: ['viewer'],
    locale: 'en',
    timeZone: 'Europe/London',
    csrfToken: 'bob-token',
  },
  workspace: { mailbox: false, defaultLocale: 'nl', pendingCsrfToken: null },
  path: null,
  caseProgress: null,
  flash: null,
};

const anonymous: ViewContext = { ...loggedIn, session: null };

describe('renderWorkspaceError', () => {
  it('shows a not-found page in the layout, in the user’s language, with the way home', () => {
    const page = renderWorkspaceError(loggedIn, 404);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<title>Not found — Candor</title>');
    expect(page).toContain('<h1>Not found</h1>');
    expect(page).toContain('<a href="/app">To the dashboard</a>');
    // The layout's forms (language switch, logout) still carry the session's token.
    expect(page).toContain('name="_csrf" value="bob-token"');
    expect(page).toContain('class="ws-nav"');
  });

  it('lists what is wrong per field, escaping the detail and the field messages', () => {
    const page = renderWorkspaceError(loggedIn, 400, 'Bad <input>', [
      { field: 'body.title', message: 'must not be <empty>' },
    ]);
    expect(page).toContain('<h1>Invalid input</h1>');
    expect(page).toContain('<p class="card">Bad &lt;input&gt;</p>');
    expect(page).toContain('What is not right:');
    expect(page).toContain('<li><strong>body.title</strong>: must not be &lt;empty&gt;</li>');
    expect(page).not.toContain('<empty>');
  });

  it('answers before login with a bare page in the default language and a login link', () => {
    const page = renderWorkspaceError(anonymous, 'csrf');
    expect(page).toContain('<html lang="nl">');
    expect(page).toContain('<h1>Formulier verlopen</h1>');
    expect(page).toContain('<a href="/app/login">Inloggen</a>');
    expect(page).not.toContain('class="ws-nav"');
    expect(page).not.toContain('csrf-token');
  });
});
