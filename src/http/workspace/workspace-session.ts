import type { FastifyRequest } from 'fastify';
import type { Role } from '../../domain/access.js';
import type { ResolvedSession } from '../../services/access/session.service.js';

/**
 * The logged-in user of a workspace request. Views get it through their view context
 * (`viewOf` in view-context-of.ts), without the stored key.
 */
export interface WorkspaceSession {
  /** The stored key of the session (the SHA-256 of the cookie value, never the value). */
  id: string;
  userId: number;
  username: string;
  displayName: string;
  roles: readonly Role[];
  locale: 'nl' | 'en';
  timeZone: string;
  /** Echoed by every state-changing request: form field `_csrf` or header `x-csrf-token`. */
  csrfToken: string;
}

/** Workspace-wide facts the layout needs (set by the hook on every /app request). */
export interface WorkspaceInfo {
  /** The embedded mail catcher runs, so the mailbox screen exists. */
  mailbox: boolean;
  /** The language for pages seen before login. */
  defaultLocale: 'nl' | 'en';
  /** A session past its password but still owing the second factor (login pages only). */
  pending: ResolvedSession | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The login form: checked by origin only, since a browser may post it while holding an
     * old session whose token the form cannot know.
     */
    workspaceLogin?: boolean;
  }
  interface FastifyRequest {
    /** The workspace session; null outside /app or before login. */
    session: WorkspaceSession | null;
    workspace: WorkspaceInfo | null;
  }
}

/** The session of a workspace request (routes that declare a permission always have one). */
export function sessionOf(request: FastifyRequest): WorkspaceSession {
  if (!request.session) throw new Error('workspace route without a session reached a handler');
  return request.session;
}

/** Builds the contract shape from a resolved session. */
export function toWorkspaceSession(resolved: ResolvedSession): WorkspaceSession {
  return {
    id: resolved.tokenHash,
    userId: resolved.user.id,
    username: resolved.user.username,
    displayName: resolved.user.displayName,
    roles: resolved.user.roles,
    locale: resolved.user.language,
    timeZone: resolved.timeZone,
    csrfToken: resolved.csrfToken,
  };
}
