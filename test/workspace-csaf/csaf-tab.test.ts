import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAffectedProducts } from '../../src/services/publication/csaf-products.service.js';
import { systemActor } from '../../src/domain/access.js';
import { DIALECTS } from '../support/databases.js';
import type { Role } from '../../src/domain/access.js';
import type { People } from '../dispatch/scenario.js';
import { publishedIncident } from '../publication/public-record.js';
import {
  createCaseVia,
  flat,
  startWorkspace,
  text,
  type WorkspaceFixture,
} from '../workspace-cases/case-workspace-app.js';

const VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

describe.each(DIALECTS)('CSAF products and vulnerabilities page on %s', (dialect) => {
  let w: WorkspaceFixture;
  beforeAll(async () => {
    w = await startWorkspace(dialect);
  });
  afterAll(() => w.close());

  const stored = (reference: string) =>
    listAffectedProducts(systemActor('test'), reference, w.ctx.deps);

  it('is linked from the public tab and adds a product and a vulnerability by form', async () => {
    const { rita } = w.clients;
    const reference = await createCaseVia(rita!);
    const base = `/app/cases/${reference}/public/csaf`;
    const tab = await rita!.get(`/app/cases/${reference}/public`);
    expect(tab.status).toBe(200);
    expect(tab.body).toContain(`href="${base}"`);

    const added = await rita!.post(`${base}/products`, {
      vendor: 'Acme',
      name: 'Portal <b>Pro</b>',
      version: '2.4.1',
      cpe: '',
      purl: 'pkg:npm/acme-portal@2.4.1',
    });
    expect(added.status).toBe(303);
    expect(added.location).toBe(base);
    const { products } = await stored(reference);
    expect(products).toHaveLength(1);
    expect(products[0]).toMatchObject({ vendor: 'Acme', version: '2.4.1', cpe: null });

    const vuln = await rita!.post(`${base}/vulnerabilities`, {
      cve: 'cve-2026-12345',
      title: 'SQL injection in the login form',
      description: '',
      cweId: 'CWE-89',
      cweName: 'Improper Neutralization of Special Elements used in an SQL Command',
      cvssVector: VECTOR,
      remediationCategory: 'vendor_fix',
      remediationDetails: 'Update to 2.4.2.',
      remediationUrl: '',
      [`status.${products[0]!.id}`]: 'known_affected',
    });
    expect(vuln.status).toBe(303);
    const { vulnerabilities } = await stored(reference);
    expect(vulnerabilities).toHaveLength(1);
    expect(vulnerabilities[0]).toMatchObject({
      cve: 'CVE-2026-12345',
      cwe: { id: 'CWE-89' },
      cvss: { baseScore: 9.8, baseSeverity: 'CRITICAL' },
      productStatus: [{ product: products[0]!.id, status: 'known_affected' }],
    });

    const page = await rita!.get(base);
    expect(page.status).toBe(200);
    const shown = text(page.body);
    expect(shown).toContain('Portal <b>Pro</b>'); // as text: escaped in the markup
    expect(page.body).not.toContain('<b>Pro</b>');
    expect(shown).toContain('CVE-2026-12345');
    expect(shown).toContain('9.8 CRITICAL');
    expect(shown).toContain('Acme Portal <b>Pro</b> 2.4.1: Affected');
    // Not published: no CSAF link yet.
    expect(page.body).not.toContain('/.well-known/csaf/white/');
    expect(shown).toContain('appears once the case is published');

    // A product a vulnerability names cannot go; the vulnerability can, then the product.
    const blocked = await rita!.post(`${base}/products/${products[0]!.id}/remove`, {});
    expect(blocked.status).toBe(303);
    expect((await stored(reference)).products).toHaveLength(1);
    await rita!.post(`${base}/vulnerabilities/${vulnerabilities[0]!.id}/remove`, {});
    await rita!.post(`${base}/products/${products[0]!.id}/remove`, {});
    expect(await stored(reference)).toEqual({ products: [], vulnerabilities: [] });
  });

  it('shows a bad CVSS vector next to its field and stores nothing', async () => {
    const { rita } = w.clients;
    const reference = await createCaseVia(rita!);
    const base = `/app/cases/${reference}/public/csaf`;
    await rita!.post(`${base}/products`, { vendor: 'Acme', name: 'Portal', version: '1.0' });
    const [product] = (await stored(reference)).products;
    const res = await rita!.post(`${base}/vulnerabilities`, {
      title: 'Broken thing',
      cvssVector: 'CVSS:3.1/AV:X/AC:L',
      remediationCategory: 'workaround',
      remediationDetails: 'Turn it off.',
      [`status.${product!.id}`]: 'known_affected',
    });
    expect(res.status).toBe(422);
    const page = flat(res.body);
    expect(page).toMatch(
      /<input id="vuln-cvssVector" name="cvssVector" type="text" value="CVSS:3.1\/AV:X\/AC:L" autocomplete="off" aria-invalid="true" aria-describedby="vuln-cvssVector-error"/,
    );
    expect(page).toMatch(
      /<p class="error-text case-field-error" id="vuln-cvssVector-error">invalid CVSS vector: AV:X is not allowed/,
    );
    // The rest of what was typed is kept.
    expect(page).toContain('value="Broken thing"');
    expect((await stored(reference)).vulnerabilities).toEqual([]);

    // A valid CVSS 4.0 vector is refused too: a CSAF 2.0 document cannot carry it.
    const v4 = await rita!.post(`${base}/vulnerabilities`, {
      title: 'Broken thing',
      cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      remediationCategory: 'workaround',
      remediationDetails: 'Turn it off.',
      [`status.${product!.id}`]: 'known_affected',
    });
    expect(v4.status).toBe(422);
    expect(flat(v4.body)).toMatch(
      /id="vuln-cvssVector-error">CVSS 4\.0 cannot be published: a CSAF 2\.0 document holds CVSS 3\.0 and 3\.1 scores only/,
    );
    expect((await stored(reference)).vulnerabilities).toEqual([]);

    // A product field error too (a CPE that is not one), in Dutch labels for a Dutch user.
    const { nina } = w.clients;
    const nl = await nina!.post(`${base}/products`, {
      vendor: 'Acme',
      name: 'Other',
      version: '1.0',
      cpe: 'not-a-cpe',
    });
    expect(nl.status).toBe(422);
    expect(flat(nl.body)).toMatch(/id="product-cpe-error">must be a CPE 2\.3 string/);
    expect(text(nl.body)).toContain('Getroffen producten en kwetsbaarheden (CSAF)');
    expect((await stored(reference)).products).toHaveLength(1);
  });

  it('lets a viewer read but not change, and refuses a post without the CSRF token', async () => {
    const { rita, vera } = w.clients;
    const reference = await createCaseVia(rita!);
    const base = `/app/cases/${reference}/public/csaf`;
    const read = await vera!.get(base);
    expect(read.status).toBe(200);
    expect(read.body).not.toContain('id="csaf-product-form"');
    const refused = await vera!.post(`${base}/products`, {
      vendor: 'Acme',
      name: 'Portal',
      version: '1.0',
    });
    expect(refused.status).toBe(403);
    const noCsrf = await rita!.post(
      `${base}/products`,
      { vendor: 'Acme', name: 'Portal', version: '1.0' },
      { csrf: false },
    );
    expect(noCsrf.status).toBe(403);
    expect((await stored(reference)).products).toEqual([]);
  });

  it('links the published CSAF document, which names the products added here', async () => {
    // The fixture's users in the roles the publishing helper expects.
    const actor = async (username: string, role: Role) => {
      const row = await w.ctx.database.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      return {
        kind: 'user',
        userId: Number(row.id),
        name: username,
        roles: [role],
        source: 'test',
      };
    };
    const people = {
      sanne: await actor('rita', 'responder'),
      joost: await actor('cor', 'communicator'),
      fatima: await actor('anna', 'approver'),
    } as unknown as People;
    const { kase } = await publishedIncident(w.ctx, people);
    const base = `/app/cases/${kase.reference}/public/csaf`;
    const { rita } = w.clients;
    const added = await rita!.post(`${base}/products`, {
      vendor: 'Acme',
      name: 'Mailer',
      version: '3.1',
    });
    expect(added.status).toBe(303);
    // A product is in the advisory once a vulnerability names it.
    const [product] = (await stored(kase.reference)).products;
    const vuln = await rita!.post(`${base}/vulnerabilities`, {
      title: 'Open relay in the mailer',
      remediationCategory: 'vendor_fix',
      remediationDetails: 'Update to 3.2.',
      [`status.${product!.id}`]: 'known_affected',
    });
    expect(vuln.status).toBe(303);
    const page = await rita!.get(base);
    const href = /<a href="([^"]+)" id="csaf-json">/.exec(page.body)?.[1];
    expect(href).toMatch(/^\/\.well-known\/csaf\/white\/\d{4}\/[a-z0-9_+-]+\.json$/);
    // The provider re-renders after the change; wait for it (bounded).
    let body = '';
    for (let i = 0; i < 50 && !body.includes('Mailer'); i++) {
      const res = await w.app.inject({ method: 'GET', url: href! });
      body = res.statusCode === 200 ? res.body : '';
      if (!body.includes('Mailer')) await new Promise((r) => setTimeout(r, 100));
    }
    const doc = JSON.parse(body) as { document: { tracking: { id: string } } };
    expect(doc.document.tracking.id).toBe(kase.reference);
    expect(body).toContain('Mailer');
  });
});
