import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { authorize, type Actor } from '../../domain/access.js';
import { NotFoundError } from '../../domain/errors.js';
import { generateTotpSecret, matchTotp, otpauthUri } from '../../domain/totp.js';
import type { Database } from '../../store/database.js';
import { deleteSessionsOfUser } from '../../store/session.repository.js';
import * as totp from '../../store/totp.repository.js';
import { findUserByUsername } from '../../store/user.repository.js';
import { revokeAllTokensOf } from './api-token.service.js';
import { appendAudit } from './audit.service.js';
import { recordSuccess, reserveAttempt } from './login-throttle.service.js';
import { deleteRecoveryCodes } from '../../store/recovery-code.repository.js';
import { looksLikeRecoveryCode, useRecoveryCode } from './recovery-code.service.js';

/** What the TOTP service needs: the store and the installation secret. */
export interface TotpDeps {
  database: Database;
  secret: Buffer;
}

/** Derived, not the installation secret itself: one key per purpose. */
function encryptionKey(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'candor', 'totp-secret-encryption v1', 32));
}

/** AES-256-GCM: a stolen database alone does not yield anyone's second factor. */
export function encryptTotpSecret(secret: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Decrypts what encryptTotpSecret wrote; throws if it was altered or the key changed. */
export function decryptTotpSecret(secret: Buffer, stored: string): string {
  if (!stored.startsWith('v1:')) throw new Error('unknown TOTP secret format');
  const raw = Buffer.from(stored.slice(3), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(secret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** An enrolment in progress: the secret to type in, and the QR code of its otpauth:// URI. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
  /** An SVG document (Candor's own output of the qrcode package, no scripts or styles). */
  qrSvg: string;
}

/** Whether the user has a confirmed second factor. */
export async function hasTotp(deps: TotpDeps, userId: number): Promise<boolean> {
  return (await totp.findConfirmedTotp(deps.database.db, userId)) !== undefined;
}

/**
 * The user's pending enrolment, started now if there is none. Reloading the page shows the
 * same secret, so a code from an app that already scanned it keeps working.
 */
export async function enrolment(
  deps: TotpDeps,
  user: { id: number; username: string },
  issuer: string,
): Promise<TotpEnrolment | null> {
  const existing = await totp.findTotp(deps.database.db, user.id);
  if (existing?.confirmed_at) return null;
  let secret: string;
  if (existing) {
    secret = decryptTotpSecret(deps.secret, existing.secret_enc);
  } else {
    secret = generateTotpSecret();
    await totp.saveTotpSecret(
      deps.database.db,
      user.id,
      encryptTotpSecret(deps.secret, secret),
      new Date().toISOString(),
    );
  }
  const uri = otpauthUri(issuer, user.username, secret);
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret, uri, qrSvg };
}

/** The outcome of a code; `recovery` when a recovery code was used instead of a TOTP code. */
export type CodeOutcome = { ok: true; recovery?: boolean } | { ok: false; retryAfterMs: number };

/**
 * Checks a code for login (confirmed secret) or to confirm an enrolment. A code works once:
 * its step is stored and only later steps are accepted afterwards. Attempts are reserved
 * against (user, address) and the address before they are checked, like passwords.
 */
export async function verifyCode(
  deps: TotpDeps,
  user: { id: number; username: string },
  code: string,
  ip: string,
  purpose: 'login' | 'confirm',
  now = Date.now(),
): Promise<CodeOutcome> {
  const subject = { scope: 'totp' as const, account: user.username, ip };
  // Reserved before the code is checked, so a burst of guesses gets no more than the policy.
  const reservation = await reserveAttempt(deps.database, subject, now);
  if (!reservation.allowed) return { ok: false, retryAfterMs: reservation.retryAfterMs };
  const row = await totp.findTotp(deps.database.db, user.id);
  if (purpose === 'login' && row?.confirmed_at && looksLikeRecoveryCode(code)) {
    // A recovery code instead of the TOTP code: counted and throttled exactly the same.
    if (!(await useRecoveryCode(deps, user.id, code, new Date(now)))) {
      return { ok: false, retryAfterMs: 0 };
    }
    await recordSuccess(deps.database, subject);
    return { ok: true, recovery: true };
  }
  const usable =
    row && (purpose === 'login' ? row.confirmed_at !== null : row.confirmed_at === null);
  const step = usable
    ? matchTotp(decryptTotpSecret(deps.secret, row.secret_enc), code, now, Number(row.last_step))
    : null;
  const used =
    step !== null &&
    (await totp.useTotpStep(
      deps.database.db,
      user.id,
      step,
      purpose === 'confirm' ? new Date(now).toISOString() : null,
    ));
  if (!used) {
    return { ok: false, retryAfterMs: 0 };
  }
  await recordSuccess(deps.database, subject);
  return { ok: true };
}

/**
 * Removes a user's second factor, ends their sessions and revokes their API tokens unless
 * `keepTokens` (lost phone, or a stolen one); at the next login an admin who must use TOTP
 * enrols again.
 */
export async function resetTotp(
  actor: Actor,
  username: string,
  deps: TotpDeps,
  options: { keepTokens?: boolean } = {},
): Promise<boolean> {
  authorize(actor, 'users:manage');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const user = await findUserByUsername(tx, username);
    if (!user) throw new NotFoundError(`no user named "${username}"`);
    const removed = await totp.deleteTotp(tx, user.id);
    await deleteRecoveryCodes(tx, user.id);
    await deleteSessionsOfUser(tx, user.id);
    const tokensRevoked = options.keepTokens ? 0 : await revokeAllTokensOf(tx, user.id);
    await appendAudit(tx, dialect, actor, {
      action: 'user.totp-reset',
      objectType: 'user',
      objectId: user.id,
      details: {
        username: user.username,
        hadTotp: removed,
        keepTokens: options.keepTokens === true,
        tokensRevoked,
      },
    });
    return removed;
  });
}
