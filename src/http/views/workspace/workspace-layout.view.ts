import type { FastifyReply, FastifyRequest } from 'fastify';
import { can, type Permission } from '../../../domain/access.js';
import { readFlash } from '../../workspace/flash-cookie.js';
import { sendHtml } from '../../workspace/view-context-of.js';
import { localeOf } from '../../workspace/workspace-session.js';
import { assetUrl } from '../../workspace/workspace-assets.js';
import { html, type SafeHtml } from '../html.js';
import { defineTexts } from './workspace-texts.js';

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
export function csrfField(request: FastifyRequest): SafeHtml {
  const token = request.session?.csrfToken ?? request.workspace?.pending?.csrfToken ?? '';
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

/**
 * A form action with the CSRF token in its query: for multipart forms, whose fields are read
 * only when the handler streams the body, after the CSRF check has already run.
 */
export function csrfAction(request: FastifyRequest, action: string): string {
  const token = request.session?.csrfToken ?? '';
  return `${action}${action.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(token)}`;
}

function head(title: string, csrfToken: string | undefined): SafeHtml {
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

function flashBlock(request: FastifyRequest): SafeHtml | string {
  const message = readFlash(request);
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
export function renderWorkspacePage(request: FastifyRequest, input: WorkspacePageInput): string {
  const session = request.session;
  const locale = localeOf(request);
  const t = texts(locale);
  // Back to this page after switching language; a page shown after a POST goes to its section.
  const here =
    request.method === 'GET'
      ? request.url
      : (NAV.find((n) => n.section === input.section)?.href ?? '/app');
  const nav = session
    ? NAV.filter(
        (n) =>
          (n.permission === null || can(session.roles, n.permission)) &&
          (n.section !== 'mailbox' || request.workspace?.mailbox === true),
      )
    : [];
  const userMenu = session
    ? html`<div class="ws-user">
        <span class="visually-hidden">${t.user}</span>
        <a href="/app/account">${session.displayName}</a>
        <form method="post" action="/app/preferences/language" class="inline-form">
          ${csrfField(request)}
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
          ${csrfField(request)}
          <button type="submit">${t.logout}</button>
        </form>
      </div>`
    : '';
  return html`<!doctype html>
    <html lang="${locale}">
      ${head(input.title, request.session?.csrfToken ?? request.workspace?.pending?.csrfToken)}
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
        <main id="main" class="ws-main" tabindex="-1">${flashBlock(request)} ${input.main}</main>
      </body>
    </html>`.toString();
}

/** A document without navigation, for the login pages and errors before login. */
export function renderBarePage(
  request: FastifyRequest,
  input: { title: string; main: SafeHtml },
): string {
  const locale = localeOf(request);
  const t = texts(locale);
  return html`<!doctype html>
    <html lang="${locale}">
      ${head(input.title, request.session?.csrfToken ?? request.workspace?.pending?.csrfToken)}
      <body>
        <a class="skip-link" href="#main">${t.skip}</a>
        <header class="ws-header">
          <div class="ws-header-inner"><span class="ws-brand">Candor</span></div>
        </header>
        <main id="main" class="ws-main-narrow" tabindex="-1">
          ${flashBlock(request)} ${input.main}
        </main>
      </body>
    </html>`.toString();
}

/** Sends a workspace page (and drops the flash it showed). */
export function sendWorkspacePage(
  reply: FastifyReply,
  request: FastifyRequest,
  input: WorkspacePageInput,
  status = 200,
): FastifyReply {
  return sendHtml(reply, request, renderWorkspacePage(request, input), status);
}
