import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FlashKind, FlashMessage } from '../views/workspace/view-context.js';

/**
 * The one-off message shown at the top of the next workspace page (after a POST → 303
 * redirect), carried in a cookie. The cookie is signed (key from the installation secret, see
 * cookie-secret.ts): a page only ever shows a message this server wrote. Only the route layer
 * touches it; views get the message already read, in their view context.
 */
const FLASH_COOKIE = 'candor_flash';
const PATH = '/app';

/** Shows `text` at the top of the next workspace page. */
export function flash(reply: FastifyReply, text: string, kind: FlashKind = 'ok'): void {
  const value = Buffer.from(JSON.stringify([kind, text.slice(0, 500)]), 'utf8').toString(
    'base64url',
  );
  reply.setCookie(FLASH_COOKIE, value, {
    path: PATH,
    httpOnly: true,
    sameSite: 'lax',
    signed: true,
  });
}

/** The message the previous request left, if any and if this server signed it. */
export function readFlash(request: FastifyRequest): FlashMessage | null {
  const cookie = request.cookies?.[FLASH_COOKIE];
  if (!cookie) return null;
  // Unsigned, tampered or signed with another key: ignored (and cleared when the page is sent).
  const unsigned = request.unsignCookie(cookie);
  if (!unsigned.valid || unsigned.value === null) return null;
  try {
    const [kind, text] = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (typeof text !== 'string' || (kind !== 'ok' && kind !== 'error' && kind !== 'info'))
      return null;
    return { kind, text };
  } catch {
    return null;
  }
}

/** Drops the message once a page has shown it (a valid one or not: either way it is spent). */
export function clearFlash(reply: FastifyReply, request: FastifyRequest): void {
  if (request.cookies?.[FLASH_COOKIE]) reply.clearCookie(FLASH_COOKIE, { path: PATH });
}
