import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { hashToken, sameDigest } from './secrets.js';

/**
 * The key personal-page tokens are derived from: CANDOR_SECRET, or a random 256-bit key
 * created once in the data dir (readable by the owner only). Every process of one
 * installation must share it; rotating it invalidates all personal links.
 */
export function loadSecret(configured: string | null, dataDir: string): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  const file = path.join(dataDir, 'secret.key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  } catch {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    try {
      fs.writeFileSync(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      return key;
    } catch {
      // Another process created it first: use theirs.
      return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
    }
  }
}

/**
 * The personal-page token of a frozen recipient: 256 bits derived from the secret, so the
 * worker can put it in the mail without anyone storing it; only its SHA-256 is stored.
 */
export function personalToken(secret: Buffer, caseId: number, recipientId: number): string {
  return createHmac('sha256', secret)
    .update(`personal-page:${caseId}:${recipientId}`)
    .digest('base64url');
}

/** The stored form of a personal token. */
export const personalTokenHash = hashToken;

/** Constant-time check of a presented token against a stored hash. */
export function matchesTokenHash(token: string, storedHash: string): boolean {
  return sameDigest(hashToken(token), storedHash);
}
