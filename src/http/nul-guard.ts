import type { FastifyInstance } from 'fastify';
import { Stream } from 'node:stream';
import { ZodError } from 'zod';

/** Where a NUL character sits in a parsed value, as a dotted path; null when there is none. */
export function findNul(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNul(item, [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  // Only what a parser built: a streamed body (an import's request stream) is a graph of
  // sockets and servers, whose walk overflowed the stack and answered every import with 500.
  if (isParsedObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return [...path, key];
      const found = findNul(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function isParsedObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Stream) &&
    !ArrayBuffer.isView(value)
  );
}

/**
 * Refuses a NUL character anywhere in a request's query, path parameters or parsed body, on
 * every route, before any handler runs. PostgreSQL cannot store NUL in text (a 500, even on
 * the unauthenticated login) and SQLite stores it, after which the Atom feed is invalid XML.
 * No text Candor keeps has a use for it. Streamed bodies (imports, multipart files) are not
 * parsed here; their readers check their own rows.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const found = findNul(value);
      if (found) {
        throw new ZodError([
          {
            code: 'custom',
            path: [where, ...found],
            message: 'must not contain a NUL character',
            input: undefined,
          },
        ]);
      }
    }
  });
}
