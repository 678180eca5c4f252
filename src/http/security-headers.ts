import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The API reference page (Swagger UI): its own scripts and styles only. Swagger UI sets
 * inline style attributes as it renders, hence 'unsafe-inline' for styles (never scripts).
 */
export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const HSTS = 'max-age=31536000; includeSubDomains';

function under(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
}

/** Whether the request reached us over https: the public URL says so, or a trusted proxy. */
function overHttps(request: FastifyRequest, publicUrl: string): boolean {
  // request.protocol reads X-Forwarded-Proto only from proxies Fastify trusts.
  return publicUrl.startsWith('https:') || request.protocol === 'https';
}

/**
 * Headers outside the workspace (which sets its own, workspace-hook.ts): HSTS on every https
 * response; the API's answers carry customer data, so no cache keeps them and no browser
 * sniffs them into HTML; the API reference page gets a CSP and may not be framed. Set in
 * onRequest, so a route that knows better (a public page's cache time) can still override.
 */
export function registerSecurityHeaders(app: FastifyInstance, publicUrl: string): void {
  app.addHook('onRequest', async (request, reply) => {
    if (overHttps(request, publicUrl)) reply.header('strict-transport-security', HSTS);
    if (under(request.url, '/api')) {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    }
    if (under(request.url, '/api/v1')) reply.header('cache-control', 'no-store');
    if (under(request.url, '/api/docs')) {
      reply.header('content-security-policy', API_DOCS_CSP);
      reply.header('x-frame-options', 'DENY');
    }
  });
}
