import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets must be usable (we sign with them), so they are stored encrypted,
 * not hashed: AES-256-GCM under a key derived with HKDF from the installation secret. A
 * database dump alone does not reveal them; rotating the installation secret makes them
 * unreadable (re-create the webhooks then).
 */
const PREFIX = 'v1:';

function keyOf(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'candor', 'webhook-secret-v1', 32));
}

/** A new signing secret: 256 random bits, shown to the integrator once. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** iv.tag.ciphertext, base64url, with a version prefix. */
export function encryptWebhookSecret(installationSecret: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(installationSecret), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.')}`;
}

/** Decrypts what encryptWebhookSecret stored; throws when the key or data are wrong. */
export function decryptWebhookSecret(installationSecret: Buffer, stored: string): string {
  if (!stored.startsWith(PREFIX)) throw new Error('unknown webhook secret format');
  const [iv, tag, data] = stored
    .slice(PREFIX.length)
    .split('.')
    .map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', keyOf(installationSecret), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
}
