import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor, Role } from '../../domain/access.js';
import type { UserView } from '../../domain/user.js';
import type { Config } from '../../config.js';
import type { Database } from '../../store/database.js';
import type { WorkspaceSessionRow } from '../../store/schema-workspace.js';
import * as sessions from '../../store/session.repository.js';
import { findUserByUsername } from '../../store/user.repository.js';
import { findConfirmedTotp } from '../../store/totp.repository.js';
import { appendAudit } from './audit.service.js';
import { pruneThrottle, recordSuccess, reserveAttempt } from './login-throttle.service.js';
import { hashPassword, verifyPassword } from '../../lib/secrets.js';
import { toUserView } from './user.service.js';

/** What the session service needs. */
export interface SessionDeps {
  database: Database;
  workspace: Config['workspace'];
}

/** Where a session stands: logged in, or past the password and owing a second factor. */
export type SessionStage = 'full' | 'totp' | 'enrol';

/** A live session, resolved from its cookie. */
export interface ResolvedSession {
  tokenHash: string;
  stage: SessionStage;
  csrfToken: string;
  user: UserView;
  timeZone: string;
  createdAt: string;
}

/** The outcome of a password attempt. */
export type LoginOutcome =
  | { ok: true; token: string; stage: SessionStage; user: UserView }
  | { ok: false; reason: 'invalid' | 'throttled'; retryAfterMs: number };

/** The cookie value: 256 random bits. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this digest of a session token is stored: a stolen database yields no sessions. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of the session's CSRF token with the one a request carries. */
export function sameCsrfToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The actor of a user acting through the workspace. */
export function sessionActor(user: UserView, source: string): Actor {
  return {
    kind: 'user',
    userId: user.id,
    name: user.username,
    roles: user.roles satisfies Role[],
    source,
  };
}

/** Creates a session of a user in a stage; returns the cookie value (shown to nobody else). */
export async function createSession(
  deps: SessionDeps,
  userId: number,
  stage: SessionStage,
  client: { ip: string; userAgent: string },
  now = Date.now(),
): Promise<string> {
  const token = newToken();
  const iso = new Date(now).toISOString();
  const row: WorkspaceSessionRow = {
    token_hash: hashSessionToken(token),
    user_id: userId,
    stage,
    csrf_token: randomBytes(32).toString('base64url'),
    created_at: iso,
    last_seen_at: iso,
    // A half logged-in session (waiting for the code) lives minutes, not hours.
    expires_at: new Date(
      now +
        (stage === 'totp'
          ? Math.min(10 * 60_000, deps.workspace.maxAgeMs)
          : deps.workspace.maxAgeMs),
    ).toISOString(),
    ip: client.ip.slice(0, 100),
    user_agent: client.userAgent.slice(0, 300),
  };
  await sessions.insertSession(deps.database.db, row);
  return token;
}

/**
 * The session behind a cookie value, or null when there is none, it ran past its absolute
 * end, sat idle too long, or its user was disabled. Dead sessions are deleted on sight.
 */
export async function resolveSession(
  deps: SessionDeps,
  token: string,
  now = Date.now(),
): Promise<ResolvedSession | null> {
  if (token.length < 20 || token.length > 100) return null;
  const tokenHash = hashSessionToken(token);
  const found = await sessions.findSessionWithUser(deps.database.db, tokenHash);
  if (!found) return null;
  const { session, user } = found;
  const idle = now - Date.parse(session.last_seen_at) > deps.workspace.idleMs;
  if (idle || Date.parse(session.expires_at) <= now || user.disabled_at !== null) {
    await sessions.deleteSession(deps.database.db, tokenHash);
    return null;
  }
  // Activity is recorded at most once a minute: enough for a 30-minute idle timeout, and
  // most requests write nothing at all.
  if (now - Date.parse(session.last_seen_at) >= 60_000)
    await sessions.touchSession(
      deps.database.db,
      tokenHash,
      new Date(now).toISOString(),
      new Date(now - 60_000).toISOString(),
    );
  const timeZone =
    (await sessions.findTimeZone(deps.database.db, user.id)) ?? deps.workspace.defaultTimeZone;
  return {
    tokenHash,
    stage: session.stage as SessionStage,
    csrfToken: session.csrf_token,
    user: toUserView(user),
    timeZone,
    createdAt: session.created_at,
  };
}

// A real argon2id hash to verify against when the user does not exist, so an unknown name
// costs as much time as a wrong password (no user enumeration by timing).
let decoyHash: Promise<string> | null = null;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}

/**
 * Checks a username and password, throttled per (username, address) and per address. On
 * success creates a new session (a new id: the caller deletes any old one, so a session id
 * planted before login is worthless) in the stage the user's second factor calls for.
 */
export async function loginWithPassword(
  deps: SessionDeps,
  input: { username: string; password: string; ip: string; userAgent: string },
  now = Date.now(),
): Promise<LoginOutcome> {
  const username = input.username.trim().toLowerCase().slice(0, 64);
  const subject = { scope: 'password' as const, account: username, ip: input.ip };
  // Reserved before the (slow) check: concurrent guesses cannot all pass a lock not yet set.
  const reservation = await reserveAttempt(deps.database, subject, now);
  if (!reservation.allowed) {
    return { ok: false, reason: 'throttled', retryAfterMs: reservation.retryAfterMs };
  }
  const row = username ? await findUserByUsername(deps.database.db, username) : undefined;
  const usable = row !== undefined && row.disabled_at === null;
  const valid = await verifyPassword(usable ? row.password_hash : await decoy(), input.password);
  if (!usable || !valid) {
    return { ok: false, reason: 'invalid', retryAfterMs: 0 };
  }
  await recordSuccess(deps.database, subject);
  await housekeeping(deps, now);
  const user = toUserView(row);
  const totp = await findConfirmedTotp(deps.database.db, user.id);
  const stage: SessionStage = totp
    ? 'totp'
    : user.roles.includes('admin') && deps.workspace.requireTotpForAdmins
      ? 'enrol'
      : 'full';
  const token = await createSession(deps, user.id, stage, input, now);
  if (stage === 'full') await auditLogin(deps, user, input.ip, 'password');
  return { ok: true, token, stage, user };
}

/**
 * Drops dead sessions and old throttle counters. Done at logins, which are rare enough for
 * the cost and frequent enough to keep both tables small, in every process alike.
 */
async function housekeeping(deps: SessionDeps, now: number): Promise<void> {
  await sessions.deleteStaleSessions(
    deps.database.db,
    new Date(now).toISOString(),
    new Date(now - deps.workspace.idleMs).toISOString(),
  );
  await pruneThrottle(deps.database, now);
}

/** Records a completed login in the audit log. */
export async function auditLogin(
  deps: SessionDeps,
  user: UserView,
  ip: string,
  factors: 'password' | 'password+totp' | 'password+recovery-code',
): Promise<void> {
  const { db, dialect } = deps.database;
  await db.transaction().execute((tx) =>
    appendAudit(tx, dialect, sessionActor(user, ip), {
      action: 'session.login',
      objectType: 'user',
      objectId: user.id,
      details: { factors },
    }),
  );
}

/**
 * Replaces a session by a new one of the same user in another stage (after the second
 * factor): new id, new CSRF token, the old row gone.
 */
export async function promoteSession(
  deps: SessionDeps,
  old: ResolvedSession,
  stage: SessionStage,
  client: { ip: string; userAgent: string },
): Promise<string> {
  await sessions.deleteSession(deps.database.db, old.tokenHash);
  return createSession(deps, old.user.id, stage, client);
}

/** Ends a session (logout). */
export async function endSession(deps: SessionDeps, tokenHash: string): Promise<void> {
  await sessions.deleteSession(deps.database.db, tokenHash);
}

/** Ends every session of a user. */
export async function endSessionsOfUser(deps: SessionDeps, userId: number): Promise<number> {
  return sessions.deleteSessionsOfUser(deps.database.db, userId);
}

/** Stores the user's language for the workspace and their own mail. */
export async function setLanguage(
  deps: SessionDeps,
  userId: number,
  language: 'nl' | 'en',
): Promise<void> {
  await sessions.saveLanguage(deps.database.db, userId, language, new Date().toISOString());
}

/** Stores the user's time zone (validated by the caller with isTimeZone). */
export async function setTimeZone(
  deps: SessionDeps,
  userId: number,
  timeZone: string,
): Promise<void> {
  await sessions.saveTimeZone(deps.database.db, userId, timeZone, new Date().toISOString());
}
