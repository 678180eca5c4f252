import type { Executor } from './executor.js';

/** Replaces a user's recovery codes by new ones (given as keyed hashes). */
export async function replaceRecoveryCodes(
  db: Executor,
  userId: number,
  hashes: readonly string[],
  now: string,
): Promise<void> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('user_recovery_codes')
    .values(
      hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now, used_at: null })),
    )
    .execute();
}

/**
 * Marks a code used if it is the user's and unused: the conditional update makes a code
 * single-use even when two requests race with it.
 */
export async function useRecoveryCode(
  db: Executor,
  userId: number,
  hash: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('user_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** How many unused codes the user has left. */
export async function countUnusedRecoveryCodes(db: Executor, userId: number): Promise<number> {
  const row = await db
    .selectFrom('user_recovery_codes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Removes a user's codes (second factor reset). */
export async function deleteRecoveryCodes(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute();
}
