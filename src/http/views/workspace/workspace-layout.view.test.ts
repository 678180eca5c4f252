import { describe, expect, it } from 'vitest';
import { html } from '../html.js';
import type { ViewContext, ViewSession } from './view-context.js';
import { csrfAction, renderBarePage, renderWorkspacePage } from './workspace-layout.view.js';

// The layout rendered from hand-built view contexts: no server, no database, no request.

const TOKEN = 'csrf-token-42';

function session(over: Partial<ViewSession> = {}): ViewSession {
  return {
    userId: 7,
    username: 'anna',
    displayName: 'Anna <script>alert(1)</script> & co',
    roles: ['admin'],
    locale: 'nl',
    timeZone: 'Europe/Amsterdam',
    csrfToken: TOKEN,
    ...over,
  };
}

function view(over: Partial<ViewContext> = {}): ViewContext {
  return {
    session: session(),
    workspace: { mailbox: false, defaultLocale: 'nl', pendingCsrfToken: null },
    path: '/app/cases?status=open',
    caseProgress: null,
    flash: null,
    ...over,
  };
}

const page = { title: 'Zaken', section: 'cases' as const, main: html`<p>Inhoud</p>` };

/** The value of the hidden `name` field in every form that has one. */
function hiddenValues(document: string, name: string): string[] {
  return [...document.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map(
    (m) => m[1]!,
  );
}

describe('renderWorkspacePage', () => {
  it('renders a Dutch page for a Dutch user: language, nav, escaped name, CSRF in every form', () => {
    const document = renderWorkspacePage(view(), page);
    expect(document).toMatch(/^<!doctype html>/);
    expect(document).toContain('<html lang="nl">');
    expect(document).toContain('<title>Zaken — Candor</title>');
    expect(document).toContain('Naar de inhoud');
    expect(document).toContain('>Gebruikers</a');
    expect(document).toContain('Uitloggen');
    // The user's own text is escaped, never markup.
    expect(document).toContain('Anna &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(document).not.toContain('<script>alert(1)');
    // Both forms (language switch, logout) post the token; the meta tag carries it for scripts.
    expect(hiddenValues(document, '_csrf')).toEqual([TOKEN, TOKEN]);
    expect(document).toContain(`<meta name="csrf-token" content="${TOKEN}" />`);
    expect(document).toContain('<p>Inhoud</p>');
  });

  it('renders the same page in English for an English user, offering Dutch', () => {
    const document = renderWorkspacePage(view({ session: session({ locale: 'en' }) }), {
      ...page,
      title: 'Cases',
    });
    expect(document).toContain('<html lang="en">');
    expect(document).toContain('Skip to content');
    expect(document).toContain('>Users</a');
    expect(document).toContain('Log out');
    expect(document).not.toContain('Uitloggen');
    expect(document).toMatch(/name="language" value="nl"/);
    expect(document).toMatch(/lang="nl"\s+aria-label="Schakel naar Nederlands"/);
  });

  it('marks the current section and offers only what the roles allow', () => {
    const viewer = renderWorkspacePage(view({ session: session({ roles: ['viewer'] }) }), page);
    expect(viewer).toMatch(/href="\/app\/cases"\s+aria-current="page"/);
    expect(viewer).not.toContain('href="/app/users"');
    expect(viewer).not.toContain('href="/app/mailbox"');
    const admin = renderWorkspacePage(
      view({ workspace: { mailbox: true, defaultLocale: 'nl', pendingCsrfToken: null } }),
      page,
    );
    expect(admin).toContain('href="/app/users"');
    expect(admin).toContain('href="/app/mailbox"');
  });

  it('sends the language switch back to the page, or to the section after a POST', () => {
    const shown = renderWorkspacePage(view(), page);
    expect(hiddenValues(shown, 'next')).toEqual(['/app/cases?status=open']);
    const afterPost = renderWorkspacePage(view({ path: null }), page);
    expect(hiddenValues(afterPost, 'next')).toEqual(['/app/cases']);
  });

  it('shows the flash message the route layer read, escaped, as an alert when it is an error', () => {
    const document = renderWorkspacePage(
      view({ flash: { kind: 'error', text: 'Niet opgeslagen: <b>titel</b>' } }),
      page,
    );
    expect(document).toMatch(/class="flash flash-error"\s+role="alert"/);
    expect(document).toContain('Niet opgeslagen: &lt;b&gt;titel&lt;/b&gt;');
    expect(renderWorkspacePage(view(), page)).not.toContain('class="flash');
  });
});

describe('renderBarePage', () => {
  it('uses the default language before login and the pending login token for its forms', () => {
    const document = renderBarePage(
      view({
        session: null,
        workspace: { mailbox: true, defaultLocale: 'en', pendingCsrfToken: 'pending-1' },
      }),
      { title: 'Second step', main: html`<p>code</p>` },
    );
    expect(document).toContain('<html lang="en">');
    expect(document).toContain('<meta name="csrf-token" content="pending-1" />');
    expect(document).not.toContain('ws-nav');
  });

  it('has no token to offer when nobody is logged in', () => {
    const document = renderBarePage(view({ session: null }), { title: 'Inloggen', main: html`` });
    expect(document).toContain('<html lang="nl">');
    expect(document).not.toContain('csrf-token');
  });
});

describe('csrfAction', () => {
  it('puts the session token in a multipart form action', () => {
    expect(csrfAction(view(), '/app/customers/import')).toBe(
      `/app/customers/import?_csrf=${TOKEN}`,
    );
    expect(csrfAction(view(), '/app/x?a=1')).toBe(`/app/x?a=1&_csrf=${TOKEN}`);
  });
});
