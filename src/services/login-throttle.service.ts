import type { Database } from '../store/database.js';
import {
  clearThrottle,
  countFailure,
  deleteOldThrottles,
  findThrottles,
  setLock,
} from '../store/login-throttle.repository.js';

/**
 * Brute-force protection for password and TOTP attempts, kept in the store so that every
 * process agrees. Two counters per attempt:
 * - per (account, address): a few free failures, then an exponential back-off capped at
 *   MAX_LOCK_MS. Someone failing from their own address never blocks the real user at
 *   another address, and even at that address the lock ends after at most 15 minutes.
 * - per address: many failures in a window (password spraying over many accounts) lock the
 *   address for the rest of the window.
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

/** Counts a failed attempt and locks as the policy says. */
export async function recordFailure(
  database: Database,
  subject: ThrottleSubject,
  now = Date.now(),
): Promise<void> {
  const keys = keysOf(subject);
  const nowIso = new Date(now).toISOString();
  await database.db.transaction().execute(async (tx) => {
    const accountFailures = await countFailure(
      tx,
      keys.account,
      nowIso,
      new Date(now - ACCOUNT_WINDOW_MS).toISOString(),
      'last',
    );
    const lock = lockDurationMs(accountFailures);
    if (lock > 0) await setLock(tx, keys.account, new Date(now + lock).toISOString());
    const windowStart = new Date(now - ADDRESS_WINDOW_MS).toISOString();
    const addressFailures = await countFailure(tx, keys.address, nowIso, windowStart, 'window');
    if (addressFailures >= ADDRESS_LIMIT) {
      await setLock(tx, keys.address, new Date(now + ADDRESS_WINDOW_MS).toISOString());
    }
  });
}

/** Forgets the failures of this account at this address (the address counter stays). */
export async function recordSuccess(database: Database, subject: ThrottleSubject): Promise<void> {
  await clearThrottle(database.db, keysOf(subject).account);
}

/** Housekeeping: drops counters untouched for a day. */
export async function pruneThrottle(database: Database, now = Date.now()): Promise<number> {
  return deleteOldThrottles(database.db, new Date(now - 86_400_000).toISOString());
}
