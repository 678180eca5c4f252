import { createHmac, hkdfSync, randomInt } from 'node:crypto';
import type { Database } from '../../store/database.js';
import * as codes from '../../store/recovery-code.repository.js';

// TOTP recovery codes: ten single-use codes shown once when the second factor is confirmed,
// for the day the phone is lost. Stored as HMAC-SHA-256 under a key derived from the
// installation secret: a copy of the database alone cannot test guesses offline.

export const RECOVERY_CODE_COUNT = 10;
/** No 0/o, 1/l/i: codes get read off paper. 31^10 ≈ 2^49.5 per code. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const LENGTH = 10;

function hashKey(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'candor', 'totp-recovery-codes v1', 32));
}

/** Lower case without spaces and dashes; what is stored and compared. */
export function normaliseRecoveryCode(input: string): string {
  return input.replace(/[\s-]/g, '').toLowerCase();
}

/** Whether the input has the shape of a recovery code (not of a six-digit TOTP code). */
export function looksLikeRecoveryCode(input: string): boolean {
  const code = normaliseRecoveryCode(input);
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c));
}

/** The keyed hash of a code (normalised first). */
export function hashRecoveryCode(secret: Buffer, code: string): string {
  return createHmac('sha256', hashKey(secret)).update(normaliseRecoveryCode(code)).digest('hex');
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Makes ten new codes for the user (the old ones stop working) and returns them, once. */
export async function issueRecoveryCodes(
  deps: { database: Database; secret: Buffer },
  userId: number,
  now = new Date(),
): Promise<string[]> {
  const fresh = new Set<string>();
  while (fresh.size < RECOVERY_CODE_COUNT) fresh.add(newCode());
  const list = [...fresh];
  await codes.replaceRecoveryCodes(
    deps.database.db,
    userId,
    list.map((c) => hashRecoveryCode(deps.secret, c)),
    now.toISOString(),
  );
  return list;
}

/** Uses a code if it is one of the user's unused ones; returns whether it was. */
export async function useRecoveryCode(
  deps: { database: Database; secret: Buffer },
  userId: number,
  code: string,
  now = new Date(),
): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  return codes.useRecoveryCode(
    deps.database.db,
    userId,
    hashRecoveryCode(deps.secret, code),
    now.toISOString(),
  );
}

/** How many unused codes the user has left. */
export function unusedRecoveryCodes(deps: { database: Database }, userId: number): Promise<number> {
  return codes.countUnusedRecoveryCodes(deps.database.db, userId);
}
