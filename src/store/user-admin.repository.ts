import type { Executor } from './executor.js';

/** Sets or clears a user's disabled mark. */
export async function setUserDisabled(
  db: Executor,
  userId: number,
  disabledAt: string | null,
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ disabled_at: disabledAt, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

/** Replaces a user's password hash. */
export async function setPasswordHash(
  db: Executor,
  userId: number,
  passwordHash: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

/** Sets a user's (optional) email address. */
export async function setUserEmail(
  db: Executor,
  userId: number,
  email: string | null,
  now: string,
): Promise<void> {
  await db.updateTable('users').set({ email, updated_at: now }).where('id', '=', userId).execute();
}

/** Ids of the users with a confirmed second factor. */
export async function listUserIdsWithTotp(db: Executor): Promise<Set<number>> {
  const rows = await db
    .selectFrom('user_totp')
    .select('user_id')
    .where('confirmed_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => Number(r.user_id)));
}

/** Emails of all users by id. */
export async function listUserEmails(db: Executor): Promise<Map<number, string | null>> {
  const rows = await db.selectFrom('users').select(['id', 'email']).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** Replaces a user's display name, email and roles (roles as a JSON array). */
export async function setUserProfile(
  db: Executor,
  userId: number,
  profile: { displayName: string; email: string | null; roles: readonly string[] },
  now: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      display_name: profile.displayName,
      email: profile.email,
      roles: JSON.stringify(profile.roles),
      updated_at: now,
    })
    .where('id', '=', userId)
    .execute();
}
