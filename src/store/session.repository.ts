import type { Executor } from './executor.js';
import type { UserRow } from './schema.js';
import type { WorkspaceSessionRow } from './schema-workspace.js';

/** Stores a new session (the caller hashes the token). */
export async function insertSession(db: Executor, row: WorkspaceSessionRow): Promise<void> {
  await db.insertInto('workspace_sessions').values(row).execute();
}

/** The session with this token hash and its user, whatever their state (the caller checks). */
export async function findSessionWithUser(
  db: Executor,
  tokenHash: string,
): Promise<{ session: WorkspaceSessionRow; user: UserRow } | undefined> {
  const session = await db
    .selectFrom('workspace_sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!session) return undefined;
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', session.user_id)
    .executeTakeFirst();
  return user ? { session, user } : undefined;
}

/** Records activity; only when the last record is older than `notAfter`, to spare writes. */
export async function touchSession(
  db: Executor,
  tokenHash: string,
  now: string,
  notAfter: string,
): Promise<void> {
  await db
    .updateTable('workspace_sessions')
    .set({ last_seen_at: now })
    .where('token_hash', '=', tokenHash)
    .where('last_seen_at', '<', notAfter)
    .execute();
}

/** Deletes one session; returns whether it existed. */
export async function deleteSession(db: Executor, tokenHash: string): Promise<boolean> {
  const result = await db
    .deleteFrom('workspace_sessions')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Ends every session of a user (password reset, disable, TOTP reset). */
export async function deleteSessionsOfUser(db: Executor, userId: number): Promise<number> {
  const result = await db
    .deleteFrom('workspace_sessions')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes sessions past their absolute end or idle since `idleBefore`. */
export async function deleteStaleSessions(
  db: Executor,
  now: string,
  idleBefore: string,
): Promise<number> {
  const result = await db
    .deleteFrom('workspace_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A user's chosen time zone, if any. */
export async function findTimeZone(db: Executor, userId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('user_preferences')
    .select('time_zone')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.time_zone;
}

/** Stores a user's time zone. */
export async function saveTimeZone(
  db: Executor,
  userId: number,
  timeZone: string,
  now: string,
): Promise<void> {
  await db
    .insertInto('user_preferences')
    .values({ user_id: userId, time_zone: timeZone, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ time_zone: timeZone, updated_at: now }))
    .execute();
}

/** Stores a user's language (users.language: also the language of their own mail). */
export async function saveLanguage(
  db: Executor,
  userId: number,
  language: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ language, updated_at: now })
    .where('id', '=', userId)
    .execute();
}
