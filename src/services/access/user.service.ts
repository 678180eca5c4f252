import {
  authorize,
  roleSchema,
  tokenScopeSchema,
  type Actor,
  type Role,
} from '../../domain/access.js';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../../domain/errors.js';
import {
  newTokenSchema,
  newUserSchema,
  type NewToken,
  type NewUser,
  type TokenView,
  type UserView,
} from '../../domain/user.js';
import type { Language } from '../../config.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson } from '../../store/executor.js';
import type { UserRow } from '../../store/schema.js';
import * as users from '../../store/user.repository.js';
import { toTokenView } from './api-token.service.js';
import { appendAudit } from './audit.service.js';
import { generatePassword, generateToken, hashPassword, hashToken } from '../../lib/secrets.js';
import { z } from 'zod';

/** What the user service needs. */
export interface UserDeps {
  database: Database;
  defaultLanguage: Language;
}

/** Presents a stored user. */
export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: readJson(row.roles, z.array(roleSchema)),
    language: row.language === 'en' ? 'en' : 'nl',
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
  };
}

/** Creates a user; returns the generated password when none was given (shown once). */
export async function createUser(
  actor: Actor,
  input: NewUser,
  deps: UserDeps,
): Promise<{ user: UserView; generatedPassword: string | null }> {
  authorize(actor, 'users:manage');
  const data = newUserSchema.parse(input);
  const generatedPassword = data.password === undefined ? generatePassword() : null;
  const passwordHash = await hashPassword(data.password ?? generatedPassword!);
  const { db, dialect } = deps.database;
  const user = await db.transaction().execute(async (tx) => {
    if (await users.findUserByUsername(tx, data.username)) {
      throw new ConflictError(`a user named "${data.username}" already exists`);
    }
    const now = nowIso();
    const id = await users.insertUser(tx, {
      username: data.username,
      display_name: data.displayName ?? data.username,
      roles: JSON.stringify([...new Set(data.roles)]),
      password_hash: passwordHash,
      language: data.language ?? deps.defaultLanguage,
      created_at: now,
      updated_at: now,
      disabled_at: null,
    });
    await appendAudit(tx, dialect, actor, {
      action: 'user.create',
      objectType: 'user',
      objectId: id,
      details: { username: data.username, roles: data.roles },
    });
    return toUserView((await users.findUserById(tx, id))!);
  });
  return { user, generatedPassword };
}

/** Lists users (admins only). */
export async function listUsers(actor: Actor, deps: UserDeps): Promise<UserView[]> {
  authorize(actor, 'users:manage');
  return (await users.listUsers(deps.database.db)).map(toUserView);
}

/**
 * Creates an API token for a user. People create their own; an admin (or the CLI operator)
 * may create one for anyone. The token is returned once and only its hash is kept.
 */
export async function createApiToken(
  actor: Actor,
  username: string,
  input: NewToken,
  deps: UserDeps,
): Promise<{ token: string; view: TokenView }> {
  const data = newTokenSchema.parse(input);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const user = await users.findUserByUsername(tx, username);
    if (!user) throw new NotFoundError(`no user named "${username}"`);
    if (actor.userId !== user.id) authorize(actor, 'users:manage');
    else authorize(actor, 'tokens:create-own');
    const token = generateToken();
    const now = new Date();
    const row = {
      user_id: user.id,
      label: data.label,
      token_hash: hashToken(token),
      token_prefix: token.slice(0, 12),
      created_at: now.toISOString(),
      expires_at: data.expiresInDays
        ? new Date(now.getTime() + data.expiresInDays * 86_400_000).toISOString()
        : null,
      scope: data.scope ?? null,
    };
    const id = await users.insertApiToken(tx, row);
    await appendAudit(tx, dialect, actor, {
      action: 'token.create',
      objectType: 'user',
      objectId: user.id,
      details: {
        tokenId: id,
        label: data.label,
        prefix: row.token_prefix,
        ...(row.scope ? { scope: row.scope } : {}),
      },
    });
    return {
      token,
      view: toTokenView({
        ...row,
        id,
        username: user.username,
        last_used_at: null,
        revoked_at: null,
      }),
    };
  });
}

/** Resolves a bearer token to its actor; throws UnauthenticatedError for anything unusable. */
export async function authenticateToken(
  token: string,
  source: string,
  deps: UserDeps,
): Promise<Actor> {
  const now = nowIso();
  const found = await users.findActiveTokenByHash(deps.database.db, hashToken(token), now);
  if (!found) throw new UnauthenticatedError('invalid, expired or revoked token');
  // Most requests read the time and write nothing: at most one write a minute per token.
  const last = found.token.last_used_at;
  if (last === null || Date.parse(now) - Date.parse(last) >= 60_000) {
    await users.touchApiToken(deps.database.db, found.token.id, now);
  }
  // A scope this version does not know limits to nothing: refused, never unlimited.
  const scope = found.token.scope === null ? null : tokenScopeSchema.safeParse(found.token.scope);
  if (scope && !scope.success) throw new UnauthenticatedError('invalid, expired or revoked token');
  const view = toUserView(found.user);
  return {
    kind: 'user',
    userId: view.id,
    name: view.username,
    roles: view.roles satisfies Role[],
    source,
    scope: scope?.data ?? null,
  };
}
