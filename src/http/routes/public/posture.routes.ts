import type { FastifyPluginAsync } from 'fastify';
import { POSTURE_LANGUAGES } from '../../../domain/posture/posture.js';
import {
  postureJsonSchema,
  postureVersionPath,
  POSTURE_SCHEMA_PATH,
} from '../../../domain/posture/posture-document.js';
import type { PublicRecordSigner } from '../../../services/publication/csaf-signing.service.js';
import { publishedPostureDocuments } from '../../../services/publication/posture.service.js';
import { getOrganisation } from '../../../services/access/settings.service.js';
import type { AppContext } from '../../../wiring.js';
import { publicCacheFor, type PublicDocument } from '../../public-cache.js';
import { renderPosturePage } from '../../views/public/posture-page.view.js';
import { localPath, SECURITY_HTML_HEADERS } from '../../views/public/security-layout.view.js';

const HTML = 'text/html; charset=utf-8';

/**
 * The posture statement's public documents, rendered by the public cache (served by the
 * security page's routes, which answer every /security/* key): the page in force, each
 * version at /security/posture/v/N, the JSON with its schema, and the JSON's detached OpenPGP
 * signature when a key is configured. The cache re-renders at every public change and at least
 * hourly, so an item or the statement itself turns "expired" on its own.
 */
export function postureRoutes(
  ctx: AppContext,
  signer: PublicRecordSigner | null,
): FastifyPluginAsync {
  return async () => {
    const cache = publicCacheFor(ctx.database);
    cache.register('posture', async (site) => {
      const docs: PublicDocument[] = [
        {
          key: POSTURE_SCHEMA_PATH,
          body: `${JSON.stringify(postureJsonSchema(ctx.config.publicUrl), null, 2)}\n`,
          contentType: 'application/schema+json',
          headers: { 'access-control-allow-origin': '*' },
        },
      ];
      const versions = await publishedPostureDocuments(ctx.deps, new Date(site.renderedAt));
      const current = versions[0];
      if (!current) return docs;
      const organisation = (await getOrganisation({ database: site.database })).name;
      const info = { organisation, publicUrl: ctx.config.publicUrl, signed: signer !== null };
      for (const language of POSTURE_LANGUAGES) {
        const page = (path: string, body: string) =>
          docs.push({
            key: localPath(path, language),
            body,
            contentType: HTML,
            headers: SECURITY_HTML_HEADERS,
          });
        page('/security/posture', renderPosturePage(current, current.version, language, info));
        for (const doc of versions) {
          page(
            postureVersionPath(doc.version),
            renderPosturePage(doc, current.version, language, info),
          );
        }
      }
      const json = `${JSON.stringify(current, null, 2)}\n`;
      docs.push({
        key: '/security/posture.json',
        body: json,
        contentType: 'application/json; charset=utf-8',
        headers: { 'access-control-allow-origin': '*' },
      });
      for (const doc of versions) {
        docs.push({
          key: `${postureVersionPath(doc.version)}.json`,
          body: `${JSON.stringify(doc, null, 2)}\n`,
          contentType: 'application/json; charset=utf-8',
          headers: { 'access-control-allow-origin': '*' },
        });
      }
      if (signer) {
        docs.push({
          key: '/security/posture.json.asc',
          body: await signer.signDetached(json),
          contentType: 'application/pgp-signature',
        });
      }
      return docs;
    });
  };
}
