import { z } from 'zod';
import { authorize, roleSchema, ROLES, type Actor } from '../../domain/access.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { passwordSchema, type UserView } from '../../domain/user.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson } from '../../store/executor.js';
import { deleteSessionsOfUser } from '../../store/session.repository.js';
import * as admin from '../../store/user-admin.repository.js';
import { findUserByUsername } from '../../store/user.repository.js';
import { revokeAllTokensOf } from './api-token.service.js';
import { appendAudit } from './audit.service.js';
import { generatePassword, hashPassword } from '../../lib/secrets.js';
import { listUsers } from './user.service.js';

/** A user as the users screen shows them. */
export interface AdminUserView extends UserView {
  email: string | null;
  totp: boolean;
}

/** An email address for the workspace's own mail; empty = none. */
export const userEmailSchema = z
  .string()
  .trim()
  .max(254)
  .transform((v) => (v === '' ? null : v))
  .pipe(z.email('must be an email address').nullable());

/** Users with their email and second-factor state (admins only). */
export async function listUsersForAdmin(
  actor: Actor,
  deps: { database: Database; defaultLanguage: 'nl' | 'en' },
): Promise<AdminUserView[]> {
  authorize(actor, 'users:manage');
  const users = await listUsers(actor, deps);
  const withTotp = await admin.listUserIdsWithTotp(deps.database.db);
  const emails = await admin.listUserEmails(deps.database.db);
  return users.map((u) => ({ ...u, email: emails.get(u.id) ?? null, totp: withTotp.has(u.id) }));
}

async function requireUser(deps: { database: Database }, username: string) {
  const user = await findUserByUsername(deps.database.db, username);
  if (!user) throw new NotFoundError(`no user named "${username}"`);
  return user;
}

/**
 * Disables (or re-enables) a user; disabling ends their sessions and revokes their API tokens,
 * so enabling them again revives nothing issued before. Nobody disables themselves.
 */
export async function setUserDisabled(
  actor: Actor,
  username: string,
  disabled: boolean,
  deps: { database: Database },
): Promise<void> {
  authorize(actor, 'users:manage');
  const user = await requireUser(deps, username);
  if (disabled && actor.userId === user.id) {
    throw new ConflictError('you cannot disable your own account');
  }
  const { db, dialect } = deps.database;
  await db.transaction().execute(async (tx) => {
    const now = nowIso();
    await admin.setUserDisabled(tx, user.id, disabled ? now : null, now);
    if (disabled) await deleteSessionsOfUser(tx, user.id);
    // Enabling also revokes what was issued before the disable and somehow left active
    // (tokens of users disabled before tokens were revoked at disabling).
    const tokensRevoked = disabled
      ? await revokeAllTokensOf(tx, user.id)
      : user.disabled_at
        ? await revokeAllTokensOf(tx, user.id, user.disabled_at)
        : 0;
    await appendAudit(tx, dialect, actor, {
      action: disabled ? 'user.disable' : 'user.enable',
      objectType: 'user',
      objectId: user.id,
      details: { username: user.username, tokensRevoked },
    });
  });
}

/** Options of a password or second-factor reset. */
export interface ResetOptions {
  /** Keep the user's API tokens working; by default a reset revokes them. */
  keepTokens?: boolean;
}

/**
 * Sets a new password (generated when none is given, returned once), ends the user's
 * sessions and revokes their API tokens (unless `keepTokens`), so whoever knew the old
 * password, or took a token with it, is out.
 */
export async function resetPassword(
  actor: Actor,
  username: string,
  password: string | undefined,
  deps: { database: Database },
  options: ResetOptions = {},
): Promise<string | null> {
  authorize(actor, 'users:manage');
  const user = await requireUser(deps, username);
  const generated = password === undefined ? generatePassword() : null;
  const hash = await hashPassword(passwordSchema.parse(password ?? generated));
  const { db, dialect } = deps.database;
  await db.transaction().execute(async (tx) => {
    await admin.setPasswordHash(tx, user.id, hash, nowIso());
    await deleteSessionsOfUser(tx, user.id);
    const tokensRevoked = options.keepTokens ? 0 : await revokeAllTokensOf(tx, user.id);
    await appendAudit(tx, dialect, actor, {
      action: 'user.password-reset',
      objectType: 'user',
      objectId: user.id,
      details: { username: user.username, keepTokens: options.keepTokens === true, tokensRevoked },
    });
  });
  return generated;
}

/** Sets a user's email address (null = none). */
export async function updateUserEmail(
  actor: Actor,
  username: string,
  email: string | null,
  deps: { database: Database },
): Promise<void> {
  authorize(actor, 'users:manage');
  const user = await requireUser(deps, username);
  const value = userEmailSchema.parse(email ?? '');
  const { db, dialect } = deps.database;
  await db.transaction().execute(async (tx) => {
    await admin.setUserEmail(tx, user.id, value, nowIso());
    await appendAudit(tx, dialect, actor, {
      action: 'user.email',
      objectType: 'user',
      objectId: user.id,
      details: { username: user.username, email: value },
    });
  });
}

/** What an admin may change of an existing user on the users screen. */
export const userProfileSchema = z.object({
  displayName: z.string().trim().min(1, 'must not be empty').max(200),
  email: userEmailSchema,
  roles: z
    .array(roleSchema)
    .min(1, 'choose at least one role')
    .transform((roles) => ROLES.filter((r) => roles.includes(r))),
});
/** The form's values before validation (roles as submitted). */
export interface UserProfileInput {
  displayName: string;
  email: string | null;
  roles: readonly string[];
}

/**
 * Changes a user's display name, email and roles, audited with what changed. An admin
 * cannot take the admin role from themselves: the last admin would lock everyone out of
 * the users screen (another admin can). Sessions read the user on every request, so new
 * roles apply at once.
 */
export async function updateUserProfile(
  actor: Actor,
  username: string,
  input: UserProfileInput,
  deps: { database: Database },
): Promise<void> {
  authorize(actor, 'users:manage');
  const profile = userProfileSchema.parse(input);
  const user = await requireUser(deps, username);
  const before = {
    displayName: user.display_name,
    email: user.email,
    roles: readJson(user.roles, z.array(roleSchema)),
  };
  if (
    actor.userId === user.id &&
    before.roles.includes('admin') &&
    !profile.roles.includes('admin')
  ) {
    throw new ConflictError('you cannot remove your own admin role');
  }
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (before.displayName !== profile.displayName)
    changes.displayName = { from: before.displayName, to: profile.displayName };
  if (before.email !== profile.email) changes.email = { from: before.email, to: profile.email };
  const inOrder = (roles: readonly string[]) => ROLES.filter((r) => roles.includes(r)).join();
  if (inOrder(before.roles) !== inOrder(profile.roles))
    changes.roles = { from: before.roles, to: profile.roles };
  if (Object.keys(changes).length === 0) return;
  const { db, dialect } = deps.database;
  await db.transaction().execute(async (tx) => {
    await admin.setUserProfile(tx, user.id, profile, nowIso());
    await appendAudit(tx, dialect, actor, {
      action: 'user.update',
      objectType: 'user',
      objectId: user.id,
      details: { username: user.username, changes },
    });
  });
}
