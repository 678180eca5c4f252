import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a personal-page form does; each has its own nonce. */
export type FormPurpose = 'acknowledge' | 'done' | 'question' | `remedy:${string}`;

/**
 * The hidden value the page's forms carry: an HMAC of the token hash and the form's purpose
 * under the installation secret. Only a page we rendered for that token holds it, so a POST
 * has to come from the page itself, not from a form another site built around a link. It
 * needs no server-side state, so it works across processes, and it never expires (a page
 * left open overnight still works).
 */
export function formNonce(secret: Buffer, tokenHash: string, purpose: FormPurpose): string {
  return createHmac('sha256', secret)
    .update(`personal-page-form:${purpose}:${tokenHash}`)
    .digest('base64url');
}

/** Constant-time check of a posted nonce. */
export function isFormNonce(
  secret: Buffer,
  tokenHash: string,
  purpose: FormPurpose,
  posted: unknown,
): boolean {
  if (typeof posted !== 'string') return false;
  const expected = Buffer.from(formNonce(secret, tokenHash, purpose));
  const given = Buffer.from(posted);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
