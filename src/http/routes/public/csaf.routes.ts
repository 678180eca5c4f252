import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { listDirectory, WELL_KNOWN } from '../../../domain/csaf/csaf-provider.js';
import {
  loadSigner,
  type PublicRecordSigner,
} from '../../../services/publication/csaf-signing.service.js';
import { renderCsafProvider } from '../../../services/publication/csaf.service.js';
import type { AppContext } from '../../../wiring.js';
import { pathOf, publicCacheFor, type PublicDocument } from '../../public-cache.js';
import { html } from '../../views/html.js';
import { securityTxtRoutes } from './security-txt.routes.js';
import { postureRoutes } from './posture.routes.js';

export interface CsafRouteOptions {
  /** The signer; default: the configured key (CANDOR_OPENPGP_KEY_FILE), or none. */
  signer?: PublicRecordSigner | null;
}

/**
 * The CSAF provider under /.well-known/csaf/ (provider-metadata.json, white/<year>/<id>.json
 * with .sha256/.sha512/.asc, index.txt, changes.csv, directory listings, openpgp/ keys) and
 * security.txt, all rendered into the public cache once per site revision. No redirects
 * anywhere (CSAF requirement 6). See docs/csaf.md.
 */
export function csafRoutes(ctx: AppContext, options: CsafRouteOptions = {}): FastifyPluginAsync {
  return async (app) => {
    const signer =
      options.signer !== undefined
        ? options.signer
        : ctx.config.openpgp
          ? await loadSigner(ctx.config.openpgp)
          : null;
    const cache = publicCacheFor(ctx.database);
    cache.register('csaf', async (site) => {
      const files = await renderCsafProvider(ctx.deps, signer, {
        cases: site.cases,
        now: new Date(site.renderedAt),
      });
      const docs: PublicDocument[] = [...files].map(([path, file]) => ({
        key: `${WELL_KNOWN}/${path}`,
        body: file.body,
        contentType: file.contentType,
        headers: { 'access-control-allow-origin': '*' },
      }));
      // Directory listings (requirement 14) for the root and every folder below it.
      const folders = new Set(['']);
      for (const path of files.keys()) {
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
      }
      for (const folder of folders) {
        const names = listDirectory(files.keys(), folder) ?? [];
        docs.push({
          key: `${WELL_KNOWN}/${folder ? `${folder}/` : ''}`,
          body: listingPage(folder, names),
          contentType: 'text/html; charset=utf-8',
          headers: { 'content-security-policy': "default-src 'none'" },
        });
      }
      return docs;
    });
    await app.register(securityTxtRoutes(ctx, signer));
    await app.register(postureRoutes(ctx, signer));

    const notFound = (reply: FastifyReply) =>
      reply.status(404).type('text/plain; charset=utf-8').send('Not found\n');
    for (const url of [`${WELL_KNOWN}/`, `${WELL_KNOWN}/*`]) {
      app.get(url, { config: { permission: 'public' }, schema: { hide: true } }, (request, reply) =>
        cache.serve(request, reply, pathOf(request.url), () => notFound(reply)),
      );
    }
  };
}

/** A plain directory listing (CSAF requirement 14), relative links only. */
function listingPage(folder: string, names: string[]): string {
  const title = `${WELL_KNOWN}/${folder ? `${folder}/` : ''}`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Index of ${title}</title>
      </head>
      <body>
        <h1>Index of ${title}</h1>
        <ul>
          ${names.map((n) => html`<li><a href="${n}">${n}</a></li> `)}
        </ul>
      </body>
    </html> `.toString();
}
