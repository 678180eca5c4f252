import Negotiator from 'negotiator';
import type { FastifyRequest } from 'fastify';

// Which of our two languages a browser asks for first. The Accept-Language grammar (q
// values, ranges such as "nl-BE", "*") is parsed by `negotiator` (jshttp, the parser
// behind Express's req.acceptsLanguages), not by a regex of our own.

export type UiLanguage = 'nl' | 'en';

/** The cookie that remembers an explicit choice (shared by the workspace and the public site). */
export const LANGUAGE_COOKIE = 'candor_lang';

/** The first of nl/en in the Accept-Language header, by q value; null when neither. */
export function acceptLanguage(header: string | undefined): UiLanguage | null {
  if (!header) return null;
  const ranked = new Negotiator({ headers: { 'accept-language': header } }).languages();
  for (const tag of ranked) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'nl' || primary === 'en') return primary;
  }
  return null;
}

/** An explicit choice (cookie) wins over the browser's list, which wins over the default. */
export function preferredLanguage(request: FastifyRequest, fallback: UiLanguage): UiLanguage {
  const chosen = request.cookies?.[LANGUAGE_COOKIE];
  if (chosen === 'nl' || chosen === 'en') return chosen;
  return acceptLanguage(request.headers['accept-language']) ?? fallback;
}
