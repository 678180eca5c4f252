import { hkdfSync } from 'node:crypto';

/**
 * The key @fastify/cookie signs cookies with (HMAC-SHA-256), derived from the installation
 * secret (`CANDOR_SECRET` or data/secret.key) so every process of one installation agrees
 * and no new secret needs managing. Signed: the flash message, whose text a page shows —
 * a cookie planted by a sibling subdomain or a script on another path cannot put words in
 * our mouth. Rotating the installation secret merely drops pending flash messages.
 */
export function cookieSigningSecret(installationSecret: Buffer): string {
  return Buffer.from(
    hkdfSync('sha256', installationSecret, 'candor', 'workspace-cookie-signing v1', 32),
  ).toString('base64url');
}
