import { publishedPostureVersions } from './posture.service.js';
import { buildCsafDocument } from '../../domain/csaf/csaf-document.js';
import { csafInputOf } from '../../domain/csaf/csaf-from-publication.js';
import { buildProviderFiles, type ProviderFile } from '../../domain/csaf/csaf-provider.js';
import type { CsafDocument, CsafPublisher } from '../../domain/csaf/csaf-types.js';
import type { PublishedCase } from '../../domain/publication.js';
import { buildSecurityTxt } from '../../domain/security-txt.js';
import type { Database } from '../../store/database.js';
import { listCaseProducts, listCaseVulnerabilities } from '../../store/csaf.repository.js';
import type { PublicRecordSigner } from './csaf-signing.service.js';
import { toProductView, toVulnerabilityView } from './csaf-products.service.js';
import { listPublishedCases } from './publication.service.js';
import { getOrganisation } from '../access/settings.service.js';

type Deps = { database: Database; publicUrl: string };

/** Who publishes, from the organisation settings and the public URL. */
export async function csafPublisher(deps: Deps): Promise<CsafPublisher> {
  const organisation = await getOrganisation(deps);
  return {
    name: organisation.name,
    namespace: deps.publicUrl.replace(/\/+$/, ''),
    contactEmail: organisation.contactEmail,
  };
}

/** The CSAF document of every published case (embargo-free), in the order given. */
export async function buildCsafDocuments(
  deps: Deps,
  published?: PublishedCase[],
): Promise<CsafDocument[]> {
  const db = deps.database.db;
  published ??= await listPublishedCases(db);
  const ids = published.map((p) => p.caseId);
  const [products, vulnerabilities, publisher] = await Promise.all([
    listCaseProducts(db, ids),
    listCaseVulnerabilities(db, ids),
    csafPublisher(deps),
  ]);
  const documents: CsafDocument[] = [];
  for (const p of published) {
    const input = csafInputOf(
      p,
      {
        products: products.filter((r) => Number(r.case_id) === p.caseId).map(toProductView),
        vulnerabilities: vulnerabilities
          .filter((r) => Number(r.case_id) === p.caseId)
          .map(toVulnerabilityView),
      },
      deps.publicUrl,
    );
    if (input) documents.push(buildCsafDocument(input, publisher));
  }
  return documents;
}

/**
 * Every file below /.well-known/csaf/: documents, hashes, index.txt, changes.csv,
 * provider-metadata.json and, with a signing key, a detached .asc per document and the
 * public key under openpgp/. Rendered once per site revision by the caller's cache.
 */
export async function renderCsafProvider(
  deps: Deps,
  signer: PublicRecordSigner | null,
  options: { cases?: PublishedCase[]; now?: Date } = {},
): Promise<Map<string, ProviderFile>> {
  const documents = await buildCsafDocuments(deps, options.cases);
  // last_updated: the newest public change, so the file's bytes only move when content does.
  const newest = documents
    .map((d) => d.document.tracking.current_release_date)
    .sort()
    .at(-1);
  const files = buildProviderFiles({
    publisher: await csafPublisher(deps),
    documents,
    signingKey: signer ? { fingerprint: signer.fingerprint } : null,
    lastUpdated: newest ?? (options.now ?? new Date()).toISOString(),
  });
  if (signer) {
    for (const [path, file] of [...files]) {
      if (!path.startsWith('white/') || !path.endsWith('.json')) continue;
      files.set(`${path}.asc`, {
        body: await signer.signDetached(file.body),
        contentType: 'application/pgp-signature',
      });
    }
    files.set(`openpgp/${signer.fingerprint}.asc`, {
      body: signer.publicKeyArmored,
      contentType: 'application/pgp-keys',
    });
  }
  return files;
}

/** security.txt as of `now` (Expires = now + 180 days), cleartext-signed with a key. */
export async function renderSecurityTxt(
  deps: Deps,
  signer: PublicRecordSigner | null,
  now = new Date(),
): Promise<string> {
  const organisation = await getOrganisation(deps);
  const base = deps.publicUrl.replace(/\/+$/, '');
  const body = buildSecurityTxt({
    contactEmail: organisation.contactEmail,
    contactPhone: organisation.contactPhone,
    publicUrl: base,
    policyPath: '/security',
    posturePath:
      (await publishedPostureVersions(deps.database.db)).length > 0 ? '/security/posture' : null,
    encryptionUrl: signer ? `${base}/.well-known/csaf/openpgp/${signer.fingerprint}.asc` : null,
    now,
  });
  return signer ? signer.signCleartext(body) : body;
}
