import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Permission } from '../../../domain/access.js';
import { sendHtml, viewOf } from '../../workspace/view-context-of.js';
import { assetUrl } from '../../workspace/workspace-assets.js';
import { html, type SafeHtml } from '../html.js';
import { defineTexts } from './workspace-texts.js';
import { csrfTokenOf, localeOf, type ViewContext } from './view-context.js';

/** The top-level areas of the workspace; the layout marks the current one in the nav. */
export type WorkspaceSection =
  | 'dashboard'
  | 'cases'
  | 'customers'
  | 'mailbox'
  | 'audit'
  | 'register'
  | 'posture'
  | 'settings'
  | 'users';

/** What a screen hands the layout. */
export interface WorkspacePageInput {
  title: string;
  section: WorkspaceSection;
  main: SafeHtml;
}

const texts = defineTexts({
  nl: {
    skip: 'Naar de inhoud',
    nav: 'Hoofdmenu',
    sections: {
      dashboard: 'Overzicht',
      cases: 'Zaken',
      customers: 'Klanten',
      mailbox: 'Mailbox',
      audit: 'Auditlog',
      register: 'Register',
      posture: 'Verklaring',
      settings: 'Instellingen',
      users: 'Gebruikers',
    },
    account: 'Mijn account',
    logout: 'Uitloggen',
    switchTo: 'English',
    switchLabel: 'Switch to English',
    user: 'Ingelogd als',
  },
  en: {
    skip: 'Skip to content',
    nav: 'Main menu',
    sections: {
      dashboard: 'Dashboard',
      cases: 'Cases',
      customers: 'Customers',
      mailbox: 'Mailbox',
      audit: 'Audit log',
      register: 'Register',
      posture: 'Posture',
      settings: 'Settings',
      users: 'Users',
    },
    account: 'My account',
    logout: 'Log out',
    switchTo: 'Nederlands',
    switchLabel: 'Schakel naar Nederlands',
    user: 'Logged in as',
  },
});

const NAV: { section: WorkspaceSection; href: string; permission: Permission | null }[] = [
  { section: 'dashboard', href: '/app', permission: null },
  { section: 'cases', href: '/app/cases', permission: 'cases:read' },
  { section: 'customers', href: '/app/customers', permission: 'customers:read' },
  { section: 'mailbox', href: '/app/mailbox', permission: 'customers:read' },
  { section: 'audit', href: '/app/audit', permission: 'audit:read' },
  { section: 'register', href: '/app/register', permission: 'register:read' },
  { section: 'posture', href: '/app/posture', permission: 'cases:read' },
  { section: 'settings', href: '/app/settings', permission: 'settings:manage' },
  { section: 'users', href: '/app/users', permission: 'users:manage' },
];

/** The hidden `_csrf` field every workspace form that posts must contain. */
export function csrfField(view: ViewContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfTokenOf(view) ?? ''}" />`;
}

/**
 * A form action with the CSRF token in its query: for multipart forms, whose fields are read
 * only when the handler streams the body, after the CSRF check has already run.
 */
export function csrfAction(view: ViewContext, action: string): string {
  const token = view.session?.csrfToken ?? '';
  return `${action}${action.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(token)}`;
}

function head(title: string, csrfToken: string | null): SafeHtml {
  return html`<head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex,nofollow" />
    <meta
      name="htmx-config"
      content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true}'
    />
    ${csrfToken ? html`<meta name="csrf-token" content="${csrfToken}" />` : ''}
    <title>${title} — Candor</title>
    <link rel="stylesheet" href="${assetUrl('workspace.css')}" />
    <script src="${assetUrl('htmx.min.js')}" defer></script>
    <script src="${assetUrl('workspace.js')}" defer></script>
  </head>`;
}

function flashBlock(view: ViewContext): SafeHtml | string {
  const message = view.flash;
  if (!message) return '';
  return html`<div
    class="flash${message.kind === 'ok' ? '' : ` flash-${message.kind}`}"
    role="${message.kind === 'error' ? 'alert' : 'status'}"
    tabindex="-1"
  >
    ${message.text}
  </div>`;
}

/** A whole workspace document: skip link, header with nav and user menu, flash, content. */
export function renderWorkspacePage(view: ViewContext, input: WorkspacePageInput): string {
  const session = view.session;
  const locale = localeOf(view);
  const t = texts(locale);
  // Back to this page after switching language; a page shown after a POST goes to its section.
  const here = view.path ?? NAV.find((n) => n.section === input.section)?.href ?? '/app';
  const nav = session
    ? NAV.filter(
        (n) =>
          (n.permission === null || can(session.roles, n.permission)) &&
          (n.section !== 'mailbox' || view.workspace.mailbox),
      )
    : [];
  const userMenu = session
    ? html`<div class="ws-user">
        <span class="visually-hidden">${t.user}</span>
        <a href="/app/account">${session.displayName}</a>
        <form method="post" action="/app/preferences/language" class="inline-form">
          ${csrfField(view)}
          <input type="hidden" name="language" value="${locale === 'nl' ? 'en' : 'nl'}" />
          <input type="hidden" name="next" value="${here}" />
          <button
            type="submit"
            lang="${locale === 'nl' ? 'en' : 'nl'}"
            aria-label="${t.switchLabel}"
          >
            ${t.switchTo}
          </button>
        </form>
        <form method="post" action="/app/logout" class="inline-form">
          ${csrfField(view)}
          <button type="submit">${t.logout}</button>
        </form>
      </div>`
    : '';
  return html`<!doctype html>
    <html lang="${locale}">
      ${head(input.title, csrfTokenOf(view))}
      <body>
        <a class="skip-link" href="#main">${t.skip}</a>
        <header class="ws-header">
          <div class="ws-header-inner">
            <a class="ws-brand" href="/app">Candor</a>
            ${
              nav.length > 0
                ? html`<nav class="ws-nav" aria-label="${t.nav}">
                    <ul>
                      ${nav.map(
                        (n) =>
                          html`<li>
                            <a
                              href="${n.href}"
                              ${n.section === input.section ? html`aria-current="page"` : ''}
                              >${t.sections[n.section]}</a
                            >
                          </li>`,
                      )}
                    </ul>
                  </nav>`
                : ''
            }
            ${userMenu}
          </div>
        </header>
        <main id="main" class="ws-main" tabindex="-1">${flashBlock(view)} ${input.main}</main>
      </body>
    </html>`.toString();
}

/** A document without navigation, for the login pages and errors before login. */
export function renderBarePage(
  view: ViewContext,
  input: { title: string; main: SafeHtml },
): string {
  const locale = localeOf(view);
  const t = texts(locale);
  return html`<!doctype html>
    <html lang="${locale}">
      ${head(input.title, csrfTokenOf(view))}
      <body>
        <a class="skip-link" href="#main">${t.skip}</a>
        <header class="ws-header">
          <div class="ws-header-inner"><span class="ws-brand">Candor</span></div>
        </header>
        <main id="main" class="ws-main-narrow" tabindex="-1">
          ${flashBlock(view)} ${input.main}
        </main>
      </body>
    </html>`.toString();
}

/**
 * Sends a workspace page (and drops the flash it showed). The one place here that takes the
 * request: routes call it with their request, and it builds the view context itself.
 */
export function sendWorkspacePage(
  reply: FastifyReply,
  request: FastifyRequest,
  input: WorkspacePageInput,
  status = 200,
): FastifyReply {
  return sendHtml(reply, request, renderWorkspacePage(viewOf(request), input), status);
}
