import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { renderPdf } from '../../../channels/letters/pdf-document.js';
import {
  PUBLIC_LANGUAGES,
  type PublicLanguage,
  type PublishedCase,
} from '../../../domain/publication.js';
import { latestPublishedAuditAnchor } from '../../../services/access/audit-anchor.service.js';
import { getOrganisation } from '../../../services/access/settings.service.js';
import { publishedPostureVersions } from '../../../services/publication/posture.service.js';
import type { AppContext } from '../../../wiring.js';
import { attachFastPath, pathOf, publicCacheFor, type PublicDocument } from '../../public-cache.js';
import {
  localPath,
  SECURITY_CSS,
  SECURITY_HTML_HEADERS,
} from '../../views/public/security-layout.view.js';
import { renderAtomFeed, renderJsonFeed } from '../../views/public/security-feeds.js';
import {
  filterQuery,
  pressPlainText,
  renderSecurityCase,
  renderSecurityList,
  type ListFilter,
  type SiteInfo,
} from '../../views/public/security-pages.view.js';
import { formatPublicDate, securityTexts } from '../../views/public/security-texts.js';

/**
 * The public security page: /security (Dutch) and /en/security (English), filterable by kind
 * and year, a page per case at /security/{year}/{slug}, the press statement as text and PDF,
 * and the Atom and JSON feeds. Everything is rendered by the public cache when the site
 * revision moves, and served from memory.
 */

const HTML = 'text/html; charset=utf-8';
const KINDS = ['incident', 'advisory'] as const;

/** Renders every public document of the security page. */
export async function securityDocuments(
  cases: readonly PublishedCase[],
  site: SiteInfo,
  renderedAt: string,
): Promise<PublicDocument[]> {
  const docs: PublicDocument[] = [
    { key: '/security/security.css', body: SECURITY_CSS, contentType: 'text/css; charset=utf-8' },
  ];
  const years = [...new Set(cases.map((c) => c.year))];
  for (const language of PUBLIC_LANGUAGES) {
    const page = (path: string, body: string) =>
      docs.push({
        key: localPath(path, language),
        body,
        contentType: HTML,
        headers: SECURITY_HTML_HEADERS,
      });
    for (const kind of [null, ...KINDS]) {
      for (const year of [null, ...years]) {
        const filter: ListFilter = { kind, year };
        page(`/security${filterQuery(filter)}`, renderSecurityList(cases, filter, language, site));
      }
    }
    for (const c of cases) {
      page(c.paths.page, renderSecurityCase(c, language, site));
      const press = pressPlainText(c, language, site);
      if (press && c.paths.pressText && c.paths.pressPdf) {
        docs.push({
          key: localPath(c.paths.pressText, language),
          body: press,
          contentType: 'text/plain; charset=utf-8',
        });
        docs.push({
          key: localPath(c.paths.pressPdf, language),
          body: await pressPdf(c, language, site),
          contentType: 'application/pdf',
          headers: {
            'content-disposition': `inline; filename="${c.reference.toLowerCase()}-press-${language}.pdf"`,
          },
        });
      }
    }
    docs.push({
      key: localPath('/security/feed.atom', language),
      body: renderAtomFeed(cases, language, site, renderedAt),
      contentType: 'application/atom+xml; charset=utf-8',
    });
    docs.push({
      key: localPath('/security/feed.json', language),
      body: renderJsonFeed(cases, language, site),
      contentType: 'application/feed+json; charset=utf-8',
    });
  }
  return docs;
}

/** The press statement as a PDF (the shared document renderer of src/channels/letters). */
async function pressPdf(
  c: PublishedCase,
  language: PublicLanguage,
  site: SiteInfo,
): Promise<Buffer> {
  const t = securityTexts(language);
  const press = c.pressStatement!;
  const text = press.texts[language] ?? Object.values(press.texts)[0]!;
  const paragraphs = text.body
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .replace(/\*\*([^*]+)\*\*/g, '$1')
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
        .trim(),
    )
    .filter(Boolean);
  return renderPdf({
    title: text.title,
    subtitle: site.organisation,
    meta: [
      `${t.reference}: ${c.reference}`,
      `${t.published}: ${formatPublicDate(press.publishedAt, language)}`,
      `${site.publicUrl}${localPath(c.paths.page, language)}`,
    ],
    author: site.organisation,
    createdAt: press.publishedAt,
    locale: language,
    footer: `${site.organisation} — ${t.press}`,
    sections: [
      {
        blocks: paragraphs.map((p) =>
          p.startsWith('#')
            ? { type: 'heading' as const, text: p.replace(/^#+\s*/, '') }
            : { type: 'paragraph' as const, text: p.replace(/\\\n/g, '\n') },
        ),
      },
    ],
  });
}

/**
 * The cache key of a request URL: the path, plus the normalised filter for the listing;
 * null when it is not a security-page URL or the filter is invalid.
 */
export function securityKey(url: string): string | null {
  if (!url.startsWith('/security') && !url.startsWith('/en/security')) return null;
  const path = pathOf(url);
  const listing =
    path === '/security' ||
    path === '/en/security' ||
    path === '/security/' ||
    path === '/en/security/';
  if (!listing)
    return path.startsWith('/security/') || path.startsWith('/en/security/') ? path : null;
  const q = new URLSearchParams(url.slice(path.length + 1));
  const rawKind = q.get('kind');
  const rawYear = q.get('year');
  const kind = rawKind
    ? (KINDS as readonly string[]).includes(rawKind)
      ? (rawKind as ListFilter['kind'])
      : undefined
    : null;
  const year = rawYear ? (/^\d{4}$/.test(rawYear) ? Number(rawYear) : undefined) : null;
  if (kind === undefined || year === undefined) return null;
  return `${path.replace(/\/$/, '')}${filterQuery({ kind, year })}`;
}

/** Registers the security page's producer with the public cache, and its routes. */
export function securityRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const cache = publicCacheFor(ctx.database, (error) =>
      app.log.error({ err: error }, 'public cache'),
    );
    cache.acquire();
    cache.register('security', async (site) => {
      const organisation = await getOrganisation({ database: site.database });
      const posture = await publishedPostureVersions(site.database.db);
      const auditAnchor = await latestPublishedAuditAnchor(site.database);
      return securityDocuments(
        site.cases,
        { organisation: organisation.name, publicUrl: ctx.config.publicUrl, auditAnchor, posture },
        site.renderedAt,
      );
    });
    // Render once at start-up, so the first visitor does not wait for it.
    app.addHook('onReady', async () => cache.ready());
    app.addHook('onClose', async () => cache.close());
    // Cache hits are answered before Fastify's routing and hooks (see attachFastPath).
    attachFastPath(app.server, cache, securityKey, ctx.config.publicUrl);

    const notFound = (reply: FastifyReply) => () =>
      reply
        .code(404)
        .headers({ 'content-type': HTML, ...SECURITY_HTML_HEADERS, 'cache-control': 'no-store' })
        .send(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title><link rel="stylesheet" href="/security/security.css"></head><body><main><h1>Not found / Niet gevonden</h1><p><a href="/security">/security</a></p></main></body></html>',
        );
    const handler = (request: FastifyRequest, reply: FastifyReply) => {
      const key = securityKey(request.url);
      return key === null ? notFound(reply)() : cache.serve(request, reply, key, notFound(reply));
    };
    const config = { permission: 'public' as const };
    for (const prefix of ['', '/en']) {
      app.get(`${prefix}/security`, { config, schema: { hide: true } }, handler);
      app.get(`${prefix}/security/*`, { config, schema: { hide: true } }, handler);
    }
  };
}
