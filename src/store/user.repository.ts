import type { Executor } from './executor.js';
import type { ApiTokenRow, NewUserRow, UserRow } from './schema.js';

/** Inserts a user and returns its id. */
export async function insertUser(db: Executor, row: NewUserRow): Promise<number> {
  const { id } = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Finds a user by username (case-insensitive; usernames are stored lower-case). */
export async function findUserByUsername(
  db: Executor,
  username: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
}

/** Finds a user by id. */
export async function findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** All users, by username. */
export async function listUsers(db: Executor): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

/** Inserts an API token record (hash only). */
export async function insertApiToken(
  db: Executor,
  row: Omit<ApiTokenRow, 'id' | 'last_used_at' | 'revoked_at'>,
): Promise<number> {
  const { id } = await db
    .insertInto('api_tokens')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The token with this hash together with its user, if the token is still usable. */
export async function findActiveTokenByHash(
  db: Executor,
  tokenHash: string,
  now: string,
): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const token = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  if (!token) return undefined;
  const user = await findUserById(db, token.user_id);
  if (!user || user.disabled_at !== null) return undefined;
  return { token, user };
}

/**
 * Records a token use. The caller skips this while the stored time is less than a minute
 * old, so a busy integrator does not write per request; the condition keeps two racing
 * requests from writing twice.
 */
export async function touchApiToken(db: Executor, id: number, now: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', minuteBefore(now))]),
    )
    .execute();
}

function minuteBefore(iso: string): string {
  return new Date(Date.parse(iso) - 60_000).toISOString();
}

/** A token row with its owner's username. */
export type ApiTokenWithUser = ApiTokenRow & { username: string };

/** Tokens with their owners, newest first: one user's (by id) or everyone's. */
export async function listApiTokens(db: Executor, userId?: number): Promise<ApiTokenWithUser[]> {
  let query = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select('users.username');
  if (userId !== undefined) query = query.where('api_tokens.user_id', '=', userId);
  return query.orderBy('api_tokens.id', 'desc').execute();
}

/** One token with its owner's username. */
export async function findApiTokenById(
  db: Executor,
  id: number,
): Promise<ApiTokenWithUser | undefined> {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select('users.username')
    .where('api_tokens.id', '=', id)
    .executeTakeFirst();
}

/** Revokes one token; returns whether it was still active. */
export async function revokeApiToken(db: Executor, tokenId: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Revokes a user's active tokens (all, or only those created before `createdBefore`);
 * returns how many.
 */
export async function revokeTokensOfUser(
  db: Executor,
  userId: number,
  now: string,
  createdBefore?: string,
): Promise<number> {
  let query = db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (createdBefore !== undefined) query = query.where('created_at', '<=', createdBefore);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
