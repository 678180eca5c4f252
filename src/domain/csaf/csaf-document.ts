import { AFFECTED_STATUSES, csafProductId, type ProductView } from './affected-products.js';
import { parseCvssV3, severityOf } from './cvss.js';
import type { CsafCaseInput, CsafCategory, CsafDocument, CsafPublisher } from './csaf-types.js';

/** CSAF 2.0 still names the public TLP label WHITE (TLP 2.0's CLEAR came later). */
export const TLP_URL = 'https://www.first.org/tlp/';

const TEXTS = {
  en: {
    summary: 'Summary',
    details: 'Details',
    description: 'Description',
    page: 'The case on the security page of',
    self: 'Canonical URL of this CSAF document',
    notAffected: 'This product is not affected by this vulnerability.',
  },
  nl: {
    summary: 'Samenvatting',
    details: 'Details',
    description: 'Beschrijving',
    page: 'De zaak op de beveiligingspagina van',
    self: 'Canonieke URL van dit CSAF-document',
    notAffected: 'Dit product is niet kwetsbaar voor deze kwetsbaarheid.',
  },
} as const;

/** The CSAF filename rule (section 5.1): lower case, runs outside [+\-a-z0-9] become "_". */
export function csafFilename(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

/** The path under /.well-known/csaf/ of a TLP:WHITE document: white/<year>/<file>. */
export function csafDocumentPath(trackingId: string, initialReleaseDate: string): string {
  return `white/${new Date(initialReleaseDate).getUTCFullYear()}/${csafFilename(trackingId)}`;
}

/** Which profile a published case gets. */
export function csafCategoryOf(
  input: Pick<CsafCaseInput, 'kind' | 'products' | 'vulnerabilities'>,
): CsafCategory {
  if (input.vulnerabilities.length > 0 && input.products.length > 0)
    return 'csaf_security_advisory';
  return input.kind === 'incident'
    ? 'csaf_security_incident_response'
    : 'csaf_informational_advisory';
}

/**
 * Builds the CSAF 2.0 document of a published case (pure). Keys come out sorted (CSAF
 * optional test 6.2.13), product ids sorted, and only products a vulnerability mentions are
 * in the product tree (6.2.1).
 */
export function buildCsafDocument(input: CsafCaseInput, publisher: CsafPublisher): CsafDocument {
  if (input.revisions.length === 0) throw new Error(`case ${input.reference} has no revision`);
  const t = TEXTS[input.language];
  const category = csafCategoryOf(input);
  const revisions = [...input.revisions].sort((a, b) => a.number - b.number);
  const first = revisions[0]!;
  const last = revisions[revisions.length - 1]!;
  const namespace = publisher.namespace.replace(/\/+$/, '');
  const selfUrl = `${namespace}/.well-known/csaf/${csafDocumentPath(input.reference, first.date)}`;

  const notes: { category: string; title: string; text: string }[] = [
    { category: 'summary', title: t.summary, text: input.summary.trim() || input.title },
  ];
  if (input.details?.trim())
    notes.push({ category: 'details', title: t.details, text: input.details.trim() });

  const doc: CsafDocument = {
    document: {
      category,
      csaf_version: '2.0',
      title: input.title,
      lang: input.language,
      publisher: {
        category: 'vendor',
        name: publisher.name,
        namespace,
        contact_details: publisher.contactEmail,
      },
      distribution: { tlp: { label: 'WHITE', url: TLP_URL } },
      notes,
      references: [
        { category: 'self', summary: t.self, url: selfUrl },
        { category: 'external', summary: `${t.page} ${publisher.name}`, url: input.pageUrl },
      ],
      tracking: {
        id: input.reference,
        status: 'final',
        version: String(last.number),
        initial_release_date: first.date,
        current_release_date: last.date,
        revision_history: revisions.map((r) => ({
          number: String(r.number),
          date: r.date,
          summary: r.summary,
        })),
        generator: { engine: { name: 'Candor', version: '0.1.0' } },
      },
    },
  };
  if (category === 'csaf_security_advisory') {
    const used = new Set(
      input.vulnerabilities.flatMap((v) => v.productStatus.map((p) => p.product)),
    );
    const products = input.products.filter((p) => used.has(p.id));
    doc.product_tree = productTree(products);
    doc.vulnerabilities = input.vulnerabilities.map((v) => vulnerability(v, input, t));
    const scores = input.vulnerabilities.flatMap((v) => (v.cvss ? [v.cvss.baseScore] : []));
    if (scores.length > 0) {
      const worst = severityOf(Math.max(...scores));
      doc.document.aggregate_severity = { text: worst.charAt(0) + worst.slice(1).toLowerCase() };
    }
  }
  return sortKeys(doc) as CsafDocument;
}

/** vendor → product name → version (or range) → the product itself. */
function productTree(products: ProductView[]): Record<string, unknown> {
  const vendors = new Map<string, Map<string, ProductView[]>>();
  for (const p of products) {
    const names = vendors.get(p.vendor) ?? new Map<string, ProductView[]>();
    vendors.set(p.vendor, names);
    names.set(p.name, [...(names.get(p.name) ?? []), p]);
  }
  return {
    branches: [...vendors].map(([vendor, names]) => ({
      category: 'vendor',
      name: vendor,
      branches: [...names].map(([name, versions]) => ({
        category: 'product_name',
        name,
        branches: versions.map((p) => {
          const helper: Record<string, string> = {};
          if (p.cpe) helper.cpe = p.cpe;
          if (p.purl) helper.purl = p.purl;
          return {
            category: p.version ? 'product_version' : 'product_version_range',
            name: p.version ?? p.versionRange!,
            product: {
              name: `${vendor} ${name} ${p.version ?? p.versionRange!}`,
              product_id: csafProductId(p.id),
              ...(Object.keys(helper).length > 0 ? { product_identification_helper: helper } : {}),
            },
          };
        }),
      })),
    })),
  };
}

function vulnerability(
  v: CsafCaseInput['vulnerabilities'][number],
  input: CsafCaseInput,
  t: (typeof TEXTS)[keyof typeof TEXTS],
): Record<string, unknown> {
  const byStatus = new Map<string, string[]>();
  for (const { product, status } of v.productStatus) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), csafProductId(product)]);
  }
  const productStatus = Object.fromEntries(
    [...byStatus].map(([status, ids]) => [status, ids.sort(compareIds)]),
  );
  const affected = v.productStatus
    .filter((p) => AFFECTED_STATUSES.includes(p.status))
    .map((p) => csafProductId(p.product))
    .sort(compareIds);
  const remediated =
    affected.length > 0
      ? affected
      : v.productStatus.map((p) => csafProductId(p.product)).sort(compareIds);
  const out: Record<string, unknown> = {
    title: v.title,
    notes: [{ category: 'description', title: t.description, text: v.description ?? v.title }],
    product_status: productStatus,
    remediations: [
      {
        category: v.remediation.category,
        details: v.remediation.details,
        product_ids: remediated,
        ...(v.remediation.url ? { url: v.remediation.url } : {}),
      },
    ],
  };
  if (v.cve) out.cve = v.cve;
  if (v.cwe) out.cwe = { id: v.cwe.id, name: v.cwe.name };
  if (v.cvss && affected.length > 0) {
    out.scores = [{ cvss_v3: parseCvssV3(v.cvss.vector), products: affected }];
  }
  // A product declared not affected needs an impact statement (CSAF mandatory test 6.1.27.9).
  const notAffected = productStatus.known_not_affected;
  if (notAffected)
    out.threats = [{ category: 'impact', details: t.notAffected, product_ids: notAffected }];
  void input;
  return out;
}

const collator = new Intl.Collator();
const compareIds = (a: string, b: string) => collator.compare(a, b);

/** A deep copy with every object's keys in collation order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    collator.compare(a, b),
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
