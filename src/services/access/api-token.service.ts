import { authorize, can, tokenScopeSchema, type Actor } from '../../domain/access.js';
import { NotFoundError } from '../../domain/errors.js';
import type { TokenView } from '../../domain/user.js';
import type { Database } from '../../store/database.js';
import { nowIso, type Executor } from '../../store/executor.js';
import * as users from '../../store/user.repository.js';
import type { ApiTokenWithUser } from '../../store/user.repository.js';
import { appendAudit } from './audit.service.js';
type UserDeps = { database: Database };

/** Presents a stored token (never its hash). */
export function toTokenView(row: ApiTokenWithUser): TokenView {
  return {
    id: Number(row.id),
    username: row.username,
    label: row.label,
    prefix: row.token_prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revoked: row.revoked_at !== null,
    revokedAt: row.revoked_at,
    scope: tokenScopeSchema.safeParse(row.scope).data ?? null,
  };
}

/**
 * The tokens of one user, or of everyone when `username` is undefined. People see their own;
 * anyone else's (and the full list) only an admin or the operator.
 */
export async function listApiTokens(
  actor: Actor,
  username: string | undefined,
  deps: UserDeps,
): Promise<TokenView[]> {
  const db = deps.database.db;
  if (username === undefined) {
    authorize(actor, 'users:manage');
    return (await users.listApiTokens(db)).map(toTokenView);
  }
  const user = await users.findUserByUsername(db, username);
  if (user && user.id === actor.userId) authorize(actor, 'tokens:create-own');
  else authorize(actor, 'users:manage');
  if (!user) throw new NotFoundError(`no user named "${username}"`);
  return (await users.listApiTokens(db, user.id)).map(toTokenView);
}

/**
 * Revokes a token: its owner may, and an admin or the operator. Someone else's token is "not
 * found" to anyone else, so token ids tell nothing. Revoking a revoked token changes nothing
 * and records nothing.
 */
export async function revokeApiToken(
  actor: Actor,
  tokenId: number,
  deps: UserDeps,
): Promise<{ view: TokenView; revoked: boolean }> {
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const token = await users.findApiTokenById(tx, tokenId);
    const mayRevoke =
      token !== undefined &&
      (can(actor.roles, 'users:manage') ||
        (Number(token.user_id) === actor.userId && can(actor.roles, 'tokens:create-own')));
    if (!token || !mayRevoke) throw new NotFoundError(`no token ${tokenId}`);
    const now = nowIso();
    const revoked = await users.revokeApiToken(tx, tokenId, now);
    if (revoked) {
      await appendAudit(tx, dialect, actor, {
        action: 'token.revoke',
        objectType: 'user',
        objectId: Number(token.user_id),
        details: {
          tokenId,
          username: token.username,
          label: token.label,
          prefix: token.token_prefix,
        },
      });
    }
    const after = (await users.findApiTokenById(tx, tokenId))!;
    return { view: toTokenView(after), revoked };
  });
}

/**
 * Revokes all of a user's active tokens inside the caller's transaction (a password or
 * second-factor reset, disabling); returns how many, for the caller's audit entry.
 */
export async function revokeAllTokensOf(
  tx: Executor,
  userId: number,
  createdBefore?: string,
): Promise<number> {
  return users.revokeTokensOfUser(tx, userId, nowIso(), createdBefore);
}
