import type { Database } from '../../store/database.js';
import {
  clearThrottle,
  deleteOldThrottles,
  findThrottles,
  releaseOnKey,
  reserveOnKey,
  type ThrottleLock,
} from '../../store/login-throttle.repository.js';

/**
 * Brute-force protection for password and TOTP attempts, kept in the store so that every
 * process agrees. Two counters per attempt:
 * - per (account, address): a few free failures, then an exponential back-off capped at
 *   MAX_LOCK_MS. Someone failing from their own address never blocks the real user at
 *   another address, and even at that address the lock ends after at most 15 minutes.
 * - per address: many failures in a window (password spraying over many accounts) lock the
 *   address for the rest of the window.
 * Every attempt is reserved (counted as a failure, with the lock that would follow) before it
 * is evaluated, in one statement per counter; a success gives its reservation back. So a
 * burst of concurrent guesses gets no more evaluations than sequential ones would.
 */
export const FREE_FAILURES = 5;
export const BASE_LOCK_MS = 2_000;
export const MAX_LOCK_MS = 15 * 60_000;
/** Failures per (account, address) are forgotten after this long without a new one. */
export const ACCOUNT_WINDOW_MS = 60 * 60_000;
export const ADDRESS_LIMIT = 100;
export const ADDRESS_WINDOW_MS = 15 * 60_000;

/** The keys of one attempt. `scope` separates password from TOTP attempts. */
export interface ThrottleSubject {
  scope: 'password' | 'totp';
  account: string;
  ip: string;
}

function keysOf(subject: ThrottleSubject): { account: string; address: string } {
  return {
    account: `${subject.scope}:${subject.account.toLowerCase()}|${subject.ip}`,
    address: `ip:${subject.ip}`,
  };
}

/** The lock duration after `failures` failures of one account at one address. */
export function lockDurationMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  const exponent = Math.min(failures - FREE_FAILURES, 20);
  return Math.min(BASE_LOCK_MS * 2 ** exponent, MAX_LOCK_MS);
}

/** Milliseconds until an attempt is allowed again; 0 = allowed now. */
export async function retryAfterMs(
  database: Database,
  subject: ThrottleSubject,
  now = Date.now(),
): Promise<number> {
  const keys = keysOf(subject);
  const rows = await findThrottles(database.db, [keys.account, keys.address]);
  let wait = 0;
  for (const row of rows) {
    if (row.locked_until) wait = Math.max(wait, Date.parse(row.locked_until) - now);
  }
  return Math.max(0, wait);
}

/** Whether an attempt may be evaluated; when not, how long until one may. */
export type Reservation = { allowed: true } | { allowed: false; retryAfterMs: number };

const iso = (ms: number) => new Date(ms).toISOString();

/** The account locks the policy sets, by count: the back-off steps up to the cap. */
function accountLocks(now: number): ThrottleLock[] {
  const locks: ThrottleLock[] = [];
  for (let n = FREE_FAILURES; ; n++) {
    const ms = lockDurationMs(n);
    locks.push({ from: n, until: iso(now + ms) });
    if (ms >= MAX_LOCK_MS) return locks;
  }
}

/**
 * Reserves an attempt before it is evaluated: counted as a failure at once, with the lock
 * that failure would cause. Call recordSuccess when the attempt succeeds; a failure needs
 * nothing more. Refused while the account (at this address) or the address is locked.
 */
export async function reserveAttempt(
  database: Database,
  subject: ThrottleSubject,
  now = Date.now(),
): Promise<Reservation> {
  const keys = keysOf(subject);
  const nowIso = iso(now);
  const address = await reserveOnKey(database.db, keys.address, {
    now: nowIso,
    resetBefore: iso(now - ADDRESS_WINDOW_MS),
    since: 'window',
    locks: [{ from: ADDRESS_LIMIT, until: iso(now + ADDRESS_WINDOW_MS) }],
  });
  if (address === null) return refused(database, subject, now);
  const account = await reserveOnKey(database.db, keys.account, {
    now: nowIso,
    resetBefore: iso(now - ACCOUNT_WINDOW_MS),
    since: 'last',
    locks: accountLocks(now),
  });
  if (account === null) {
    // Not evaluated, so not counted against the address either.
    await releaseOnKey(database.db, keys.address, ADDRESS_LIMIT);
    return refused(database, subject, now);
  }
  return { allowed: true };
}

async function refused(
  database: Database,
  subject: ThrottleSubject,
  now: number,
): Promise<Reservation> {
  // The lock may have been lifted (a success) since the statement saw it: say a second.
  const wait = await retryAfterMs(database, subject, now);
  return { allowed: false, retryAfterMs: Math.max(1_000, wait) };
}

/** Counts a failed attempt that was not reserved first (nothing if a lock refuses it). */
export async function recordFailure(
  database: Database,
  subject: ThrottleSubject,
  now = Date.now(),
): Promise<void> {
  await reserveAttempt(database, subject, now);
}

/**
 * After a successful attempt: forgets the failures of this account at this address and gives
 * the address its reservation back (a success is not a failure of the address).
 */
export async function recordSuccess(database: Database, subject: ThrottleSubject): Promise<void> {
  const keys = keysOf(subject);
  await clearThrottle(database.db, keys.account);
  await releaseOnKey(database.db, keys.address, ADDRESS_LIMIT);
}

/** Housekeeping: drops counters untouched for a day. */
export async function pruneThrottle(database: Database, now = Date.now()): Promise<number> {
  return deleteOldThrottles(database.db, new Date(now - 86_400_000).toISOString());
}
