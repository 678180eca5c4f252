import { createHash } from 'node:crypto';
import { csafDocumentPath, sortKeys } from './csaf-document.js';
import type { CsafDocument, CsafPublisher } from './csaf-types.js';
import { endSentence } from '../sentence.js';

/**
 * The files of a CSAF provider with directory-based distribution (CSAF 2.0 section 7.1,
 * requirements 7–14 and 18): provider-metadata.json, one TLP:WHITE folder with a folder
 * per year, index.txt, changes.csv and a .sha256/.sha512 next to each document. Pure: the
 * service adds the OpenPGP signatures (requirement 19) and serves the result from memory.
 */

/** One file under /.well-known/csaf/, by its path relative to that folder. */
export interface ProviderFile {
  body: string;
  contentType: string;
}

export interface ProviderInput {
  publisher: CsafPublisher;
  documents: CsafDocument[];
  /** The OpenPGP key documents are signed with, if one is configured. */
  signingKey: { fingerprint: string } | null;
  /** When the public record last changed (provider-metadata last_updated). */
  lastUpdated: string;
}

export const WELL_KNOWN = '/.well-known/csaf';
/** The ROLIE feed of the TLP:WHITE documents (requirement 15), next to provider-metadata.json. */
export const ROLIE_FEED = 'feed-tlp-white.json';

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** Every provider file, keyed by path below /.well-known/csaf/ ("provider-metadata.json", "white/index.txt"…). */
export function buildProviderFiles(input: ProviderInput): Map<string, ProviderFile> {
  const base = `${input.publisher.namespace.replace(/\/+$/, '')}${WELL_KNOWN}`;
  const files = new Map<string, ProviderFile>();
  files.set('provider-metadata.json', {
    body: `${JSON.stringify(providerMetadata(input, base), null, 2)}\n`,
    contentType: JSON_TYPE,
  });
  const entries = input.documents.map((doc) => {
    const tracking = doc.document.tracking;
    const path = csafDocumentPath(tracking.id, tracking.initial_release_date);
    return {
      doc,
      path,
      relative: path.slice('white/'.length),
      changed: tracking.current_release_date,
    };
  });
  for (const { doc, path } of entries) {
    const body = `${JSON.stringify(doc, null, 2)}\n`;
    const name = path.slice(path.lastIndexOf('/') + 1);
    files.set(path, { body, contentType: JSON_TYPE });
    files.set(`${path}.sha256`, { body: hashLine('sha256', body, name), contentType: TEXT_TYPE });
    files.set(`${path}.sha512`, { body: hashLine('sha512', body, name), contentType: TEXT_TYPE });
  }
  // index.txt: every document, one relative path per line (requirement 12).
  const sortedPaths = entries.map((e) => e.relative).sort();
  files.set('white/index.txt', { body: lines(sortedPaths), contentType: TEXT_TYPE });
  // changes.csv: path and current release date, newest first, both quoted (requirement 13).
  const changes = [...entries]
    .sort((a, b) => b.changed.localeCompare(a.changed) || a.relative.localeCompare(b.relative))
    .map((e) => `${csvQuote(e.relative)},${csvQuote(e.changed)}`);
  files.set('white/changes.csv', { body: lines(changes), contentType: 'text/csv; charset=utf-8' });
  files.set(ROLIE_FEED, {
    body: `${JSON.stringify(rolieFeed(input, base, entries), null, 2)}\n`,
    contentType: JSON_TYPE,
  });
  return files;
}

/** provider-metadata.json: trusted provider only when every document is signed. */
export function providerMetadata(input: ProviderInput, base: string): Record<string, unknown> {
  const { publisher, signingKey } = input;
  return sortKeys({
    canonical_url: `${base}/provider-metadata.json`,
    distributions: [
      { directory_url: `${base}/white/` },
      {
        rolie: {
          feeds: [
            {
              summary: `All TLP:WHITE advisories of ${endSentence(publisher.name)}`,
              tlp_label: 'WHITE',
              url: `${base}/${ROLIE_FEED}`,
            },
          ],
        },
      },
    ],
    last_updated: input.lastUpdated,
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    ...(signingKey
      ? {
          public_openpgp_keys: [
            {
              fingerprint: signingKey.fingerprint,
              url: `${base}/openpgp/${signingKey.fingerprint}.asc`,
            },
          ],
        }
      : {}),
    publisher: {
      category: 'vendor',
      name: publisher.name,
      namespace: publisher.namespace.replace(/\/+$/, ''),
    },
    role: signingKey ? 'csaf_trusted_provider' : 'csaf_provider',
  }) as Record<string, unknown>;
}

/** The ROLIE feed: one entry per document, newest change first, with hash and signature links. */
function rolieFeed(
  input: ProviderInput,
  base: string,
  entries: { doc: CsafDocument; path: string; changed: string }[],
): Record<string, unknown> {
  const sorted = [...entries].sort((a, b) => b.changed.localeCompare(a.changed));
  return {
    feed: {
      id: 'csaf-feed-tlp-white',
      title: `${input.publisher.name} CSAF feed (TLP:WHITE)`,
      link: [{ rel: 'self', href: `${base}/${ROLIE_FEED}` }],
      category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
      updated: sorted[0]?.changed ?? input.lastUpdated,
      entry: sorted.map(({ doc, path }) => {
        const url = `${base}/${path}`;
        const summary = doc.document.notes.find((n) => n.category === 'summary')?.text;
        return {
          id: doc.document.tracking.id,
          title: doc.document.title,
          link: [
            { rel: 'self', href: url },
            { rel: 'hash', href: `${url}.sha256` },
            { rel: 'hash', href: `${url}.sha512` },
            ...(input.signingKey ? [{ rel: 'signature', href: `${url}.asc` }] : []),
          ],
          published: doc.document.tracking.initial_release_date,
          updated: doc.document.tracking.current_release_date,
          ...(summary ? { summary: { content: summary } } : {}),
          content: { type: 'application/json', src: url },
          format: {
            schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json',
            version: '2.0',
          },
        };
      }),
    },
  };
}

/** `<hex>  <filename>`: the format sha256sum/sha512sum write and check (requirement 18). */
export function hashLine(algorithm: 'sha256' | 'sha512', body: string, filename: string): string {
  return `${createHash(algorithm).update(body, 'utf8').digest('hex')}  ${filename}\n`;
}

/**
 * The directory listing of a folder below /.well-known/csaf/ (requirement 14), as the
 * names of its entries (sub-folders end in "/"), or null when no such folder exists.
 */
export function listDirectory(files: Iterable<string>, folder: string): string[] | null {
  const prefix = folder === '' ? '' : `${folder.replace(/\/+$/, '')}/`;
  const names = new Set<string>();
  for (const path of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    names.add(slash === -1 ? rest : rest.slice(0, slash + 1));
  }
  return names.size > 0 ? [...names].sort() : null;
}

function csvQuote(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function lines(items: string[]): string {
  return items.map((l) => `${l}\n`).join('');
}
