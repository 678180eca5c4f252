import type { CaseProgress } from '../../../services/cases/case-progress.service.js';
import type { WorkspaceSession } from '../../workspace/workspace-session.js';
import type { WorkspaceLocale } from './workspace-texts.js';

/**
 * The logged-in user as a page sees them: name, roles, language, time zone and the CSRF token
 * the page's forms echo. The session's stored key is left out: no page shows or needs it.
 */
export type ViewSession = Omit<WorkspaceSession, 'id'>;

/** Kinds of one-off messages shown at the top of the next page. */
export type FlashKind = 'ok' | 'error' | 'info';

/** A one-off message for the top of a page, already read and verified by the route layer. */
export interface FlashMessage {
  kind: FlashKind;
  text: string;
}

/**
 * Everything a workspace view reads about the request it answers, and nothing else: views
 * take this instead of the Fastify request, so any view renders in a unit test from a
 * hand-built value. The route layer builds it (`viewOf` in src/http/workspace/view-context-of.ts);
 * views never read cookies, headers or the URL themselves.
 */
export interface ViewContext {
  /** The logged-in user; null on the login pages and on error pages before login. */
  session: ViewSession | null;
  workspace: {
    /** The embedded mail catcher runs, so the nav offers the mailbox. */
    mailbox: boolean;
    /** The language of pages seen before login (the browser's choice or the installation's). */
    defaultLocale: WorkspaceLocale;
    /**
     * The CSRF token of a login still owing its second factor: the TOTP and enrolment forms
     * post with it before there is a session. Null otherwise.
     */
    pendingCsrfToken: string | null;
  };
  /**
   * The path and query of the page, where the language switch sends the user back to; null
   * when the page answers a POST (going back there would re-post), so it goes to the section.
   */
  path: string | null;
  /** The recall tracker and clocks of the case a case tab shows; null on other pages. */
  caseProgress: { progress: CaseProgress; full: boolean } | null;
  /** The message the previous request left for this page (after a POST → 303), if any. */
  flash: FlashMessage | null;
}

/** The logged-in user of a view that only logged-in users reach (every screen but login). */
export function sessionOf(view: ViewContext): ViewSession {
  if (!view.session) throw new Error('a workspace screen was rendered without a session');
  return view.session;
}

/** The language of a page, logged in or not. */
export function localeOf(view: ViewContext): WorkspaceLocale {
  return view.session?.locale ?? view.workspace.defaultLocale;
}

/** The token a form posts with: the session's, or the pending login's before the second step. */
export function csrfTokenOf(view: ViewContext): string | null {
  return view.session?.csrfToken ?? view.workspace.pendingCsrfToken;
}
