import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PublishedCase } from '../domain/publication.js';
import type { Database } from '../store/database.js';
import { listPublishedCases, publicSiteMark } from '../services/publication/publication.service.js';
import { HSTS } from './security-headers.js';

/**
 * The public site, rendered once per change and served from memory.
 *
 * Every public change bumps the site revision in the database (publication.service
 * `recordPublicChange`). One timer per process reads that revision at most once per
 * `pollMs` (1 s): when it moved, every registered producer renders its documents again from
 * one shared list of PublishedCase snapshots. Requests never touch the database: a lookup
 * is one Map read, the headers are precomputed, the body is a Buffer. Several `candor serve`
 * processes on PostgreSQL each poll the same revision, so a change is visible everywhere
 * within about a second.
 *
 * Caching headers: a strong ETag (content hash), Last-Modified (when this document's bytes
 * last changed), and `Cache-Control: public, max-age=60, stale-while-revalidate=600` — a
 * CDN or browser may reuse a page for a minute and serve it stale for ten while it
 * revalidates, which is what keeps a press-driven spike cheap. 304 on If-None-Match or
 * If-Modified-Since.
 */

export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';

/** One document a producer renders. */
export interface PublicDocument {
  /** The request path it answers (no query), or path + normalised query (see `cacheKey`). */
  key: string;
  body: string | Buffer;
  contentType: string;
  /** Extra headers, e.g. a CSP for HTML or Content-Disposition for a download. */
  headers?: Record<string, string>;
  cacheControl?: string;
}

/** What a producer gets: the snapshots, the revision, and the store for anything else it needs. */
export interface PublicSite {
  revision: number;
  cases: PublishedCase[];
  database: Database;
  /** When this rendering started (ISO). */
  renderedAt: string;
}

export type PublicProducer = (
  site: PublicSite,
) => Promise<Iterable<PublicDocument>> | Iterable<PublicDocument>;

interface Entry {
  body: Buffer;
  etag: string;
  lastModified: string;
  lastModifiedMs: number;
  headers: Record<string, string>;
  /** The same headers plus Content-Length, for the raw fast path. */
  rawHeaders: Record<string, string | number>;
}

/** The in-memory public site of one process, for one database. */
export class PublicCache {
  private readonly producers = new Map<string, PublicProducer>();
  private entries = new Map<string, Entry>();
  private keysByProducer = new Map<string, string[]>();
  private revision = -1;
  /** The site mark (revision and newest dispatch) the documents were rendered from. */
  private mark = '';
  private built: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private lastBuildMs = 0;
  private users = 0;

  constructor(
    private readonly database: Database,
    private readonly options: {
      pollMs?: number;
      /** Re-render at least this often even without a change (dated texts, Expires). */
      refreshMs?: number;
      onError?: (error: unknown) => void;
    } = {},
  ) {}

  /** Adds (or replaces) a producer; the next build includes it. */
  register(name: string, producer: PublicProducer): void {
    this.producers.set(name, producer);
    this.revision = -1;
    this.built = null;
  }

  /** Builds now if never built; starts the poll timer. Callers await this before the first serve. */
  async ready(): Promise<void> {
    this.start();
    this.built ??= this.rebuild();
    await this.built;
  }

  /** Reads the revision and rebuilds when it moved (or the refresh interval passed). */
  async poll(): Promise<boolean> {
    if (this.polling) return false;
    this.polling = true;
    try {
      const mark = await publicSiteMark(this.database.db);
      const stale = Date.now() - this.lastBuildMs > (this.options.refreshMs ?? 3_600_000);
      if (mark === this.mark && !stale) return false;
      await this.rebuild(mark);
      return true;
    } catch (error) {
      this.options.onError?.(error);
      return false;
    } finally {
      this.polling = false;
    }
  }

  /** One more server uses this cache (each calls close() once when it stops). */
  acquire(): void {
    this.users++;
  }

  /** Stops the poll timer once the last server using the cache has closed. */
  close(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The document for a key, if any. */
  get(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  /** The site revision the documents were rendered from. */
  get currentRevision(): number {
    return this.revision;
  }

  /**
   * Answers a request from the cache: 304 when the client's copy is current, the bytes
   * otherwise, 404 (with `notFound`) when there is no such document.
   */
  async serve(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    notFound?: () => unknown,
  ): Promise<unknown> {
    if (this.revision < 0) await this.ready();
    const entry = this.entries.get(key);
    if (!entry) return notFound ? notFound() : reply.code(404).send();
    reply.headers(entry.headers);
    if (notModified(request.headers, entry)) return reply.code(304).send();
    return reply.send(entry.body);
  }

  /**
   * The fast path in front of Fastify: answers a GET/HEAD for a cached key straight from
   * memory on the raw Node response (no routing, hooks or serialisation). Returns false when
   * it did not answer (not built yet, no such document): Fastify's routes then handle it.
   */
  serveRaw(request: IncomingMessage, response: ServerResponse, key: string): boolean {
    const entry = this.revision < 0 ? undefined : this.entries.get(key);
    if (!entry) return false;
    if (notModified(request.headers, entry)) {
      response.writeHead(304, entry.headers);
      response.end();
    } else {
      response.writeHead(200, entry.rawHeaders);
      response.end(request.method === 'HEAD' ? undefined : entry.body);
    }
    return true;
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 1_000);
    this.timer.unref();
  }

  private async rebuild(knownMark?: string): Promise<void> {
    const mark = knownMark ?? (await publicSiteMark(this.database.db));
    const revision = Number(mark.split(':')[0]);
    const cases = await listPublishedCases(this.database.db);
    const renderedAt = new Date();
    const site: PublicSite = {
      revision,
      cases,
      database: this.database,
      renderedAt: renderedAt.toISOString(),
    };
    const next = new Map<string, Entry>();
    for (const [name, producer] of this.producers) {
      try {
        const keys: string[] = [];
        for (const doc of await producer(site)) {
          next.set(doc.key, this.entryFor(doc, renderedAt));
          keys.push(doc.key);
        }
        this.keysByProducer.set(name, keys);
      } catch (error) {
        // One broken producer must not take the whole public site down: keep its old documents.
        this.options.onError?.(error);
        for (const key of this.keysByProducer.get(name) ?? []) {
          const old = this.entries.get(key);
          if (old) next.set(key, old);
        }
      }
    }
    this.entries = next;
    this.revision = revision;
    this.mark = mark;
    this.lastBuildMs = Date.now();
  }

  private entryFor(doc: PublicDocument, now: Date): Entry {
    const body = typeof doc.body === 'string' ? Buffer.from(doc.body, 'utf8') : doc.body;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const previous = this.entries.get(doc.key);
    // Last-Modified moves only when the bytes do, so conditional requests keep working.
    const lastModifiedMs =
      previous && previous.etag === etag
        ? previous.lastModifiedMs
        : Math.floor(now.getTime() / 1000) * 1000;
    const lastModified = new Date(lastModifiedMs).toUTCString();
    const headers = {
      'content-type': doc.contentType,
      etag,
      'last-modified': lastModified,
      'cache-control': doc.cacheControl ?? PUBLIC_CACHE_CONTROL,
      'x-content-type-options': 'nosniff',
      ...doc.headers,
    };
    return {
      body,
      etag,
      lastModified,
      lastModifiedMs,
      headers,
      rawHeaders: { ...headers, 'content-length': body.length },
    };
  }
}

/** RFC 9110 §13.1: If-None-Match wins; If-Modified-Since only without it. */
function notModified(headers: IncomingMessage['headers'], entry: Entry): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    return inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag);
  }
  const ims = headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && entry.lastModifiedMs <= since;
  }
  return false;
}

const caches = new WeakMap<Database, PublicCache>();

/**
 * The process's public cache for a database: the security page, feeds and (P2) CSAF files
 * and security.txt all register their producers here and share one poll.
 *
 *     const cache = publicCacheFor(ctx.database);
 *     cache.register('csaf', async (site) => [{ key: '/.well-known/csaf/…', body, contentType }]);
 *     app.get('/.well-known/csaf/*', (request, reply) => cache.serve(request, reply, pathOf(request.url)));
 */
export function publicCacheFor(
  database: Database,
  onError?: (error: unknown) => void,
): PublicCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = new PublicCache(database, { onError });
    caches.set(database, cache);
  }
  return cache;
}

/**
 * Puts the cache's fast path in front of a Fastify server's request handler: `keyOf` maps a
 * raw request URL to a cache key (or null: not ours). Everything else, and every miss, goes
 * to Fastify as before. Cache hits skip Fastify's logging and hooks by design: they are the
 * requests of a spike, and carry no session, cookie or body.
 */
export function attachFastPath(
  server: Server,
  cache: PublicCache,
  keyOf: (url: string) => string | null,
  publicUrl: string,
): void {
  // Hits skip the hook that sends HSTS on https responses (security-headers.ts), so the
  // fast path sends it itself when the public URL is https. With an http public URL only a
  // trusted proxy's X-Forwarded-Proto can make a request https, and trust is Fastify's to
  // judge: such requests take the ordinary route (still answered from the cache).
  const https = publicUrl.startsWith('https:');
  const handlers = server.listeners('request') as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  if (handlers.length !== 1) return; // not the plain server Fastify makes: leave it alone
  const fastify = handlers[0]!;
  server.removeListener('request', fastify);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const forwarded = !https && request.headers['x-forwarded-proto'] !== undefined;
    if ((request.method === 'GET' || request.method === 'HEAD') && !forwarded) {
      const key = keyOf(request.url ?? '/');
      if (key !== null) {
        if (https) response.setHeader('strict-transport-security', HSTS);
        if (cache.serveRaw(request, response, key)) return;
        response.removeHeader('strict-transport-security');
      }
    }
    fastify.call(server, request, response);
  });
}

/** The path of a request URL without its query. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
