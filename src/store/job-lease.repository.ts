import type { Executor } from './executor.js';

/**
 * Takes the lease on a job's round for `holder` until `until` (epoch ms), in one statement: the
 * row is created on first use, taken over when the lease ran out, or extended by its holder.
 * Resolves false while another process holds it. Concurrent callers on several servers are
 * serialised by the row, so exactly one gets it.
 */
export async function acquireJobLease(
  db: Executor,
  lease: { name: string; holder: string; now: number; until: number },
): Promise<boolean> {
  const row = await db
    .insertInto('job_leases')
    .values({ name: lease.name, holder: lease.holder, lease_until: lease.until })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder: lease.holder, lease_until: lease.until })
        .where((eb) =>
          eb.or([
            eb('job_leases.lease_until', '<=', lease.now),
            eb('job_leases.holder', '=', lease.holder),
          ]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === lease.holder;
}

/** Gives a lease back early (its round is done), so any process may run the next round. */
export async function releaseJobLease(
  db: Executor,
  lease: { name: string; holder: string; now: number },
): Promise<void> {
  await db
    .updateTable('job_leases')
    .set({ lease_until: lease.now })
    .where('name', '=', lease.name)
    .where('holder', '=', lease.holder)
    .execute();
}
