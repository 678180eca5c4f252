import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import * as openpgp from 'openpgp';
import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/access.js';
import { createApiToken, createUser } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import { buildCsafApp } from './csaf-app.js';
import { validateCsaf } from './csaf-validation.js';
import { providerMetadataErrors, rolieFeedErrors } from './provider-schema.js';
import { releaseEmbargoNow } from '../../src/services/publication/embargo-release.service.js';
import { actorOf, createPublicContext, EMBARGOED, publishTestCase } from './published-case.js';

const WK = '/.well-known/csaf';

describe.each(DIALECTS)('CSAF provider on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicContext>>;
  let app: FastifyInstance;
  let reference: string;
  let incident: string;
  const tokens: Record<string, string> = {};
  const auth = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });

  beforeAll(async () => {
    ctx = await createPublicContext(dialect);
    for (const [name, role] of [
      ['sanne', 'responder'],
      ['vera', 'viewer'],
    ] as const) {
      await createUser(
        systemActor('test'),
        { username: name, roles: [role], password: 'correct horse battery' },
        ctx.deps,
      );
      tokens[name] = (
        await createApiToken(systemActor('test'), name, { label: 'test' }, ctx.deps)
      ).token;
    }
    reference = (await publishTestCase(ctx, 'advisory')).reference;
    incident = (await publishTestCase(ctx, 'incident', 'Storing bij de mailservers')).reference;
    app = await buildCsafApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const get = async (url: string, headers: Record<string, string> = {}) => {
    // The public cache polls once a second; a fresh poll makes changes visible at once.
    const { publicCacheFor } = await import('../../src/http/public-cache.js');
    await publicCacheFor(ctx.database).poll();
    return app.inject({ url, headers });
  };

  it('records products and vulnerabilities over the API, refusing bad input by field', async () => {
    const post = (url: string, payload: object, who = 'sanne') =>
      app.inject({
        method: 'POST',
        url: `/api/v1/cases/${reference}/${url}`,
        headers: auth(who),
        payload,
      });
    const affected = await post('products', {
      vendor: 'Voorbeeld Hosting',
      name: 'Klantpaneel',
      versionRange: 'vers:semver/>=2.0.0|<2.4.1',
      cpe: 'cpe:2.3:a:voorbeeld:klantpaneel:*:*:*:*:*:*:*:*',
    });
    expect(affected.statusCode).toBe(201);
    const fixed = await post('products', {
      vendor: 'Voorbeeld Hosting',
      name: 'Klantpaneel',
      version: '2.4.1',
      purl: 'pkg:npm/klantpaneel@2.4.1',
    });
    expect(fixed.statusCode).toBe(201);
    expect(
      (await post('products', { vendor: 'V', name: 'P', version: '< 2.0' })).json(),
    ).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ field: 'body.version' })],
    });
    expect(
      (await post('products', { vendor: 'V', name: 'P', version: '1' }, 'vera')).statusCode,
    ).toBe(403);

    const xss = weaknesses.find((w) => w.id === 'CWE-79')!;
    const vulnerability = {
      cve: 'cve-2026-31337',
      title: 'Stored cross-site scripting in the customer panel',
      description: `Script in a domain name runs in the panel. ${EMBARGOED}.`,
      cwe: { id: xss.id, name: xss.name },
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:N',
      remediation: { category: 'vendor_fix', details: 'Update to version 2.4.1.' },
      productStatus: [
        { product: affected.json<{ id: number }>().id, status: 'known_affected' },
        { product: fixed.json<{ id: number }>().id, status: 'fixed' },
      ],
    };
    const bad = await post('vulnerabilities', {
      ...vulnerability,
      cve: 'CVE-26-1',
      cvssVector: 'CVSS:3.1/AV:N/AC:L',
      productStatus: [{ product: 9999, status: 'fixed' }],
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json<{ errors: { field: string; message: string }[] }>().errors;
    expect(fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['body.cve', 'body.cvssVector']),
    );
    expect(fields.find((f) => f.field === 'body.cvssVector')!.message).toMatch(
      /missing base metric/,
    );
    // CSAF 2.0 holds 3.0/3.1 scores only: a 4.0 vector is refused, naming the field, not dropped.
    const v4 = await post('vulnerabilities', {
      ...vulnerability,
      cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    });
    expect(v4.statusCode).toBe(400);
    expect(v4.json<{ errors: { field: string; message: string }[] }>().errors).toEqual([
      {
        field: 'body.cvssVector',
        message:
          'CVSS 4.0 cannot be published: a CSAF 2.0 document holds CVSS 3.0 and 3.1 scores only (cvss_v3, there is no cvss_v4); give the CVSS:3.1 base vector',
      },
    ]);
    const unknown = await post('vulnerabilities', {
      ...vulnerability,
      productStatus: [{ product: 9999, status: 'fixed' }],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ errors: [{ field: 'productStatus.0.product' }] });

    const created = await post('vulnerabilities', vulnerability);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      cve: 'CVE-2026-31337',
      cvss: { baseScore: 8.7, baseSeverity: 'HIGH' },
    });
    const inUse = await app.inject({
      method: 'DELETE',
      url: `/api/v1/cases/${reference}/products/${affected.json<{ id: number }>().id}`,
      headers: auth('sanne'),
    });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json<{ detail: string }>().detail).toMatch(/named by vulnerability/);
    const list = await app.inject({
      url: `/api/v1/cases/${reference}/vulnerabilities`,
      headers: auth('vera'),
    });
    expect(list.json()).toHaveLength(1);
  });

  it('publishes provider-metadata.json that the official schema accepts', async () => {
    const res = await get(`${WK}/provider-metadata.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const metadata = res.json<Record<string, unknown>>();
    expect(providerMetadataErrors(metadata)).toEqual([]);
    expect(metadata).toMatchObject({
      canonical_url: `https://candor.example.nl${WK}/provider-metadata.json`,
      role: 'csaf_provider',
      distributions: [
        { directory_url: `https://candor.example.nl${WK}/white/` },
        {
          rolie: {
            feeds: [
              { tlp_label: 'WHITE', url: `https://candor.example.nl${WK}/feed-tlp-white.json` },
            ],
          },
        },
      ],
      publisher: { category: 'vendor', namespace: 'https://candor.example.nl' },
    });
    expect(metadata.public_openpgp_keys).toBeUndefined();
  });

  it('serves valid documents of every published case, without embargoed text, with hashes, index and changes', async () => {
    const year = new Date().getUTCFullYear();
    const index = await get(`${WK}/white/index.txt`);
    const files = index.body.trim().split('\n').sort();
    expect(files).toEqual(
      [`${year}/${reference.toLowerCase()}.json`, `${year}/${incident.toLowerCase()}.json`].sort(),
    );
    const changes = (await get(`${WK}/white/changes.csv`)).body.trim().split('\n');
    expect(changes).toHaveLength(2);
    const dates = changes.map((line) => {
      const m = /^"(\d{4}\/[+\-a-z0-9_]+\.json)","([^"]+)"$/.exec(line);
      expect(m, line).not.toBeNull();
      return m![2]!;
    });
    expect([...dates].sort().reverse()).toEqual(dates);

    for (const file of files) {
      const res = await get(`${WK}/white/${file}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(EMBARGOED);
      const doc = res.json<{ document: { category: string; tracking: { id: string } } }>();
      expect(await validateCsaf(doc)).toEqual({ errors: [], warnings: [] });
      const name = path.basename(file);
      for (const algorithm of ['sha256', 'sha512'] as const) {
        const hash = await get(`${WK}/white/${file}.${algorithm}`);
        expect(hash.body).toBe(
          `${createHash(algorithm).update(res.rawPayload).digest('hex')}  ${name}\n`,
        );
      }
      expect((await get(`${WK}/white/${file}.asc`)).statusCode).toBe(404);
    }
    const advisory = (await get(`${WK}/white/${year}/${reference.toLowerCase()}.json`)).json<{
      document: { category: string; lang: string };
      vulnerabilities: { cve: string; notes: { text: string }[] }[];
    }>();
    expect(advisory.document.category).toBe('csaf_security_advisory');
    expect(advisory.document.lang).toBe('en');
    expect(advisory.vulnerabilities[0]!.cve).toBe('CVE-2026-31337');
    const incidentDoc = (await get(`${WK}/white/${year}/${incident.toLowerCase()}.json`)).json<{
      document: { category: string };
    }>();
    expect(incidentDoc.document.category).toBe('csaf_security_incident_response');
  });

  it('includes the held-back detail once the embargo is released, as a new revision', async () => {
    const file = `${WK}/white/${new Date().getUTCFullYear()}/${reference.toLowerCase()}.json`;
    const before = (await get(file)).json<{ document: { tracking: { version: string } } }>();
    await releaseEmbargoNow(actorOf('sanne', 'responder'), reference, ctx.deps);
    const res = await get(file);
    expect(res.body).toContain(EMBARGOED);
    const doc = res.json<{
      document: { tracking: { version: string; revision_history: unknown[] } };
      vulnerabilities: { notes: { text: string }[] }[];
    }>();
    expect(Number(doc.document.tracking.version)).toBeGreaterThan(
      Number(before.document.tracking.version),
    );
    expect(doc.document.tracking.revision_history).toHaveLength(
      Number(doc.document.tracking.version),
    );
    expect(doc.vulnerabilities[0]!.notes[0]!.text).toContain(EMBARGOED);
    expect(await validateCsaf(doc)).toEqual({ errors: [], warnings: [] });
  });

  it('publishes a ROLIE feed that the ROLIE schema accepts', async () => {
    const feed = (await get(`${WK}/feed-tlp-white.json`)).json<{
      feed: { entry: { id: string; content: { src: string }; link: { rel: string }[] }[] };
    }>();
    expect(rolieFeedErrors(feed)).toEqual([]);
    expect(feed.feed.entry.map((e) => e.id).sort()).toEqual([reference, incident].sort());
    for (const entry of feed.feed.entry) {
      const path = new URL(entry.content.src).pathname;
      expect((await get(path)).statusCode).toBe(200);
      expect(entry.link.map((l) => l.rel)).toEqual(['self', 'hash', 'hash']);
    }
  });

  it('lists directories, answers 304 to a current copy and never redirects', async () => {
    const root = await get(`${WK}/`);
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('href="white/"');
    expect(root.body).toContain('href="provider-metadata.json"');
    const year = await get(`${WK}/white/${new Date().getUTCFullYear()}/`);
    expect(year.body).toContain(`${reference.toLowerCase()}.json.sha512`);
    const first = await get(`${WK}/provider-metadata.json`);
    expect(first.headers['cache-control']).toContain('stale-while-revalidate');
    const again = await get(`${WK}/provider-metadata.json`, {
      'if-none-match': String(first.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect((await get(`${WK}/white/1999/nope.json`)).statusCode).toBe(404);
    expect((await get(`${WK}/white`)).statusCode).toBe(404);
  });
});

describe('CSAF provider with a signing key', () => {
  let ctx: Awaited<ReturnType<typeof createPublicContext>>;
  let app: FastifyInstance;
  let publicKey: openpgp.PublicKey;
  let reference: string;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-pgp-'));
    const { privateKey, publicKey: armoredPublic } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Voorbeeld PSIRT', email: 'psirt@voorbeeld.example' }],
      passphrase: 'sesam open u',
      format: 'armored',
    });
    publicKey = await openpgp.readKey({ armoredKey: armoredPublic });
    fs.writeFileSync(path.join(dir, 'key.asc'), privateKey, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'passphrase'), 'sesam open u\n', { mode: 0o600 });
    ctx = await createPublicContext('sqlite', {
      CANDOR_OPENPGP_KEY_FILE: path.join(dir, 'key.asc'),
      CANDOR_OPENPGP_PASSPHRASE_FILE: path.join(dir, 'passphrase'),
    });
    reference = (await publishTestCase(ctx, 'advisory')).reference;
    app = await buildCsafApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('is a trusted provider: lists the key, publishes it, and signs every document', async () => {
    const fingerprint = publicKey.getFingerprint().toUpperCase();
    const metadata = (await app.inject({ url: `${WK}/provider-metadata.json` })).json<
      Record<string, unknown>
    >();
    expect(providerMetadataErrors(metadata)).toEqual([]);
    expect(metadata.role).toBe('csaf_trusted_provider');
    expect(metadata.public_openpgp_keys).toEqual([
      { fingerprint, url: `https://candor.example.nl${WK}/openpgp/${fingerprint}.asc` },
    ]);
    const feed = (await app.inject({ url: `${WK}/feed-tlp-white.json` })).json<{
      feed: { entry: { link: { rel: string }[] }[] };
    }>();
    expect(rolieFeedErrors(feed)).toEqual([]);
    expect(feed.feed.entry[0]!.link.map((l) => l.rel)).toContain('signature');
    const key = await app.inject({ url: `${WK}/openpgp/${fingerprint}.asc` });
    expect(key.body).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(key.body).not.toContain('PRIVATE');

    const file = `${WK}/white/${new Date().getUTCFullYear()}/${reference.toLowerCase()}.json`;
    const doc = await app.inject({ url: file });
    const signature = await openpgp.readSignature({
      armoredSignature: (await app.inject({ url: `${file}.asc` })).body,
    });
    const verified = await openpgp.verify({
      message: await openpgp.createMessage({ binary: doc.rawPayload }),
      signature,
      verificationKeys: publicKey,
    });
    await expect(verified.signatures[0]!.verified).resolves.toBe(true);
    const tampered = await openpgp.verify({
      message: await openpgp.createMessage({
        binary: Buffer.from(doc.body.replace('final', 'draft')),
      }),
      signature,
      verificationKeys: publicKey,
    });
    await expect(tampered.signatures[0]!.verified).rejects.toThrow();
  });
});
