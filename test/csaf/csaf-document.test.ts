import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import { describe, expect, it } from 'vitest';
import type { ProductView, VulnerabilityView } from '../../src/domain/csaf/affected-products.js';
import {
  buildCsafDocument,
  csafDocumentPath,
  csafFilename,
} from '../../src/domain/csaf/csaf-document.js';
import type { CsafCaseInput, CsafPublisher } from '../../src/domain/csaf/csaf-types.js';
import { parseCvss } from '../../src/domain/csaf/cvss.js';
import { validateCsaf } from './csaf-validation.js';

const PUBLISHER: CsafPublisher = {
  name: 'Voorbeeld Hosting B.V.',
  namespace: 'https://candor.example.nl',
  contactEmail: 'security@voorbeeld.example',
};

const base: CsafCaseInput = {
  reference: 'INC-2026-0001',
  kind: 'incident',
  language: 'en',
  title: 'Customer data copied with a stolen admin key',
  summary: 'An attacker used a stolen administrative key to copy part of our customer data.',
  details: 'We rotated every administrative key and added hardware-backed login for staff.',
  pageUrl: 'https://candor.example.nl/security/2026/customer-data-copied',
  revisions: [
    { number: 1, date: '2026-11-27T10:00:00.000Z', summary: 'First publication.' },
    { number: 2, date: '2026-11-28T09:30:00.000Z', summary: 'Resolved; details released.' },
  ],
  products: [],
  vulnerabilities: [],
};

const product = (id: number, over: Partial<ProductView>): ProductView => ({
  id,
  productId: `CANDOR-P${id}`,
  vendor: 'Voorbeeld Hosting',
  name: 'Control Panel',
  version: null,
  versionRange: null,
  cpe: null,
  purl: null,
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  ...over,
});

const xss = weaknesses.find((w) => w.id === 'CWE-79')!;
const vulnerabilities: VulnerabilityView[] = [
  {
    id: 1,
    cve: 'CVE-2026-12345',
    title: 'Stored cross-site scripting in the control panel',
    description: 'A crafted domain name runs script in the browser of an administrator.',
    cwe: { id: xss.id, name: xss.name },
    cvss: {
      vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:N',
      baseScore: 8.7,
      baseSeverity: 'HIGH',
    },
    remediation: { category: 'vendor_fix', details: 'Update to 2.4.1 or later.', url: null },
    productStatus: [
      { product: 1, status: 'known_affected' },
      { product: 2, status: 'fixed' },
      { product: 3, status: 'known_not_affected' },
    ],
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
  },
];
const products = [
  product(1, {
    versionRange: 'vers:semver/>=2.0.0|<2.4.1',
    cpe: 'cpe:2.3:a:voorbeeld:control_panel:*:*:*:*:*:*:*:*',
  }),
  product(2, { version: '2.4.1', purl: 'pkg:npm/voorbeeld-panel@2.4.1' }),
  product(3, {
    name: 'Mail Gateway',
    version: '5.0.0',
    cpe: 'cpe:2.3:a:voorbeeld:mail_gateway:5.0.0:*:*:*:*:*:*:*',
  }),
  product(4, { name: 'Unused', version: '1.0.0', purl: 'pkg:npm/unused@1.0.0' }),
];

describe('CSAF documents', () => {
  it('an incident without products is a security incident response, valid with no findings', async () => {
    const doc = buildCsafDocument(base, PUBLISHER);
    expect(doc.document.category).toBe('csaf_security_incident_response');
    expect(doc.document.tracking).toMatchObject({
      id: 'INC-2026-0001',
      status: 'final',
      version: '2',
      initial_release_date: '2026-11-27T10:00:00.000Z',
      current_release_date: '2026-11-28T09:30:00.000Z',
    });
    expect(doc.document.distribution.tlp.label).toBe('WHITE');
    expect(doc.document.publisher).toMatchObject({
      category: 'vendor',
      namespace: PUBLISHER.namespace,
    });
    expect(doc.document.references[0]!.url).toBe(
      'https://candor.example.nl/.well-known/csaf/white/2026/inc-2026-0001.json',
    );
    expect(doc.product_tree).toBeUndefined();
    expect(await validateCsaf(doc)).toEqual({ errors: [], warnings: [] });
  });

  it('an advisory without products is an informational advisory, valid with no findings', async () => {
    const doc = buildCsafDocument(
      { ...base, reference: 'ADV-2026-0003', kind: 'advisory', language: 'nl', details: null },
      PUBLISHER,
    );
    expect(doc.document.category).toBe('csaf_informational_advisory');
    expect(doc.document.lang).toBe('nl');
    expect(doc.vulnerabilities).toBeUndefined();
    expect(await validateCsaf(doc)).toEqual({ errors: [], warnings: [] });
  });

  it('an advisory with products and vulnerabilities is a security advisory, valid with no findings', async () => {
    const doc = buildCsafDocument(
      { ...base, reference: 'ADV-2026-0004', kind: 'advisory', products, vulnerabilities },
      PUBLISHER,
    );
    expect(doc.document.category).toBe('csaf_security_advisory');
    expect(doc.document.aggregate_severity).toEqual({ text: 'High' });
    const json = JSON.stringify(doc);
    expect(json).toContain('CANDOR-P1');
    expect(json).not.toContain('CANDOR-P4');
    const vuln = doc.vulnerabilities![0]!;
    expect(vuln.product_status).toEqual({
      fixed: ['CANDOR-P2'],
      known_affected: ['CANDOR-P1'],
      known_not_affected: ['CANDOR-P3'],
    });
    const scores = vuln.scores as { products: string[]; cvss_v3: { baseScore: number } }[];
    expect(scores.map((x) => [x.products, x.cvss_v3.baseScore])).toEqual([[['CANDOR-P1'], 8.7]]);
    expect(await validateCsaf(doc)).toEqual({ errors: [], warnings: [] });
  });

  it('a CVSS 3.0 vector becomes a cvss_v3 score of version 3.0, valid with no findings', async () => {
    const vector = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N';
    const doc = buildCsafDocument(
      {
        ...base,
        reference: 'ADV-2026-0005',
        kind: 'advisory',
        products,
        vulnerabilities: [
          { ...vulnerabilities[0]!, cvss: { vector, baseScore: 6.1, baseSeverity: 'MEDIUM' } },
        ],
      },
      PUBLISHER,
    );
    expect(doc.document.aggregate_severity).toEqual({ text: 'Medium' });
    const scores = doc.vulnerabilities![0]!.scores as { cvss_v3: Record<string, unknown> }[];
    expect(scores[0]!.cvss_v3).toMatchObject({
      version: '3.0',
      vectorString: vector,
      baseScore: 6.1,
      baseSeverity: 'MEDIUM',
      scope: 'CHANGED',
    });
    expect(await validateCsaf(doc)).toEqual({ errors: [], warnings: [] });
  });

  it('CSAF 2.0 has no place for a CVSS 4.0 score, which is why Candor refuses 4.0 vectors', async () => {
    const doc = buildCsafDocument(
      { ...base, reference: 'ADV-2026-0006', kind: 'advisory', products, vulnerabilities },
      PUBLISHER,
    );
    const score = (doc.vulnerabilities![0]!.scores as Record<string, unknown>[])[0]!;
    delete score.cvss_v3;
    score.cvss_v4 = parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    const { errors } = await validateCsaf(doc);
    expect(errors).toEqual([
      'csaf_2_0_strict /vulnerabilities/0/scores/0: must NOT have additional properties',
    ]);
  });

  it('an incident with products and vulnerabilities becomes a security advisory too', async () => {
    const doc = buildCsafDocument({ ...base, products, vulnerabilities }, PUBLISHER);
    expect(doc.document.category).toBe('csaf_security_advisory');
    expect((await validateCsaf(doc)).errors).toEqual([]);
  });

  it('applies the filename rule', () => {
    expect(csafFilename('INC-2026-0001')).toBe('inc-2026-0001.json');
    expect(csafFilename('Example Company - 2019-YH3234')).toBe(
      'example_company_-_2019-yh3234.json',
    );
    expect(csafFilename('RHBA-2019:0024')).toBe('rhba-2019_0024.json');
    expect(csafDocumentPath('ADV-2027-0001', '2027-01-01T00:00:00Z')).toBe(
      'white/2027/adv-2027-0001.json',
    );
  });
});
