import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

/**
 * TOTP for the workspace's second factor, on the maintained `otpauth` library (RFC 4226/6238,
 * base32, the otpauth:// URI). Candor adds only its replay rule: a code, once used, never works
 * again, nor does any older one — which is why matching walks the window itself instead of
 * calling `TOTP.validate`, which answers the first step that matches.
 */

/** RFC 6238 parameters Candor uses: what every authenticator app supports. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes of the step before and after are accepted too (clock drift of phones). */
export const TOTP_WINDOW = 1;

/** A new 160-bit secret (RFC 4226 recommends 160 bits for SHA-1), base32. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The time step of an instant. */
export function totpStep(atMs: number, period = TOTP_PERIOD_SECONDS): number {
  return Math.floor(atMs / 1000 / period);
}

/** The code of one time step (HOTP of the step counter, SHA-1). */
export function totpCodeAtStep(secretBase32: string, step: number, digits = TOTP_DIGITS): string {
  return HOTP.generate({ secret: Secret.fromBase32(secretBase32), counter: step, digits });
}

/** The TOTP code of an instant (RFC 6238 with SHA-1). */
export function totpCode(secretBase32: string, atMs: number, digits = TOTP_DIGITS): string {
  return totpCodeAtStep(secretBase32, totpStep(atMs), digits);
}

/**
 * The step whose code matches, within ±TOTP_WINDOW of now and after `lastUsedStep` (a code,
 * once used, never works again, nor does any older one); null when none matches. Every
 * candidate is compared in constant time.
 */
export function matchTotp(
  secretBase32: string,
  code: string,
  atMs: number,
  lastUsedStep: number,
): number | null {
  const given = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(given)) return null;
  const secret = Secret.fromBase32(secretBase32);
  const now = totpStep(atMs);
  let found: number | null = null;
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const expected = HOTP.generate({ secret, counter: step, digits: TOTP_DIGITS });
    const same = timingSafeEqual(Buffer.from(expected), Buffer.from(given));
    if (same && step > lastUsedStep && found === null) found = step;
  }
  return found;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function otpauthUri(issuer: string, account: string, secretBase32: string): string {
  return new TOTP({
    issuer,
    label: account,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  }).toString();
}
