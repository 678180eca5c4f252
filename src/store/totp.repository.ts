import type { Executor } from './executor.js';
import type { UserTotpRow } from './schema-workspace.js';

/** The user's TOTP record, confirmed or not. */
export async function findTotp(db: Executor, userId: number): Promise<UserTotpRow | undefined> {
  return db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** The user's TOTP record if enrolment was confirmed. */
export async function findConfirmedTotp(
  db: Executor,
  userId: number,
): Promise<UserTotpRow | undefined> {
  return db
    .selectFrom('user_totp')
    .selectAll()
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
}

/** Starts (or restarts) an enrolment with a new secret, unconfirmed. */
export async function saveTotpSecret(
  db: Executor,
  userId: number,
  secretEnc: string,
  now: string,
): Promise<void> {
  await db
    .insertInto('user_totp')
    .values({
      user_id: userId,
      secret_enc: secretEnc,
      confirmed_at: null,
      last_step: 0,
      created_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ secret_enc: secretEnc, confirmed_at: null, last_step: 0, created_at: now }),
    )
    .execute();
}

/**
 * Records that the code of `step` was used, only if no later step was used before: the
 * compare-and-set makes a code single-use even when two requests race with it.
 */
export async function useTotpStep(
  db: Executor,
  userId: number,
  step: number,
  confirmAt: string | null,
): Promise<boolean> {
  let query = db
    .updateTable('user_totp')
    .set(confirmAt ? { last_step: step, confirmed_at: confirmAt } : { last_step: step })
    .where('user_id', '=', userId)
    .where('last_step', '<', step);
  if (!confirmAt) query = query.where('confirmed_at', 'is not', null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Removes a user's second factor (admin reset, CLI). */
export async function deleteTotp(db: Executor, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
