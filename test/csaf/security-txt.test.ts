import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSecurityTxt } from '../../src/domain/security-txt.js';
import { DIALECTS } from '../support/databases.js';
import { buildCsafApp } from './csaf-app.js';
import { createPublicContext } from './published-case.js';

/** The fields of a security.txt body (comments and blank lines skipped), per RFC 9116 section 4. */
function fields(text: string): [string, string][] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^([A-Za-z0-9-]+): (.+)$/.exec(l);
      expect(m, `not a field line: ${l}`).not.toBeNull();
      return [m![1]!.toLowerCase(), m![2]!];
    });
}

/** Checks the RFC 9116 rules a machine can check; returns the fields. */
function expectRfc9116(text: string, canonical: string, now = Date.now()): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [k, v] of fields(text)) byName.set(k, [...(byName.get(k) ?? []), v]);
  // Contact: at least one, each a URI (mailto:, tel: or https:).
  expect(byName.get('contact')?.length ?? 0).toBeGreaterThanOrEqual(1);
  for (const c of byName.get('contact')!)
    expect(c).toMatch(/^(mailto:[^@\s]+@[^@\s]+|tel:\+?[0-9]+|https:\/\/\S+)$/);
  // Expires: exactly once, in the future, less than a year ahead.
  expect(byName.get('expires')).toHaveLength(1);
  const expires = Date.parse(byName.get('expires')![0]!);
  expect(byName.get('expires')![0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect(expires).toBeGreaterThan(now);
  expect(expires - now).toBeLessThan(365 * 86_400_000);
  // Web URIs must be https.
  for (const name of ['canonical', 'policy', 'csaf', 'encryption']) {
    for (const v of byName.get(name) ?? []) expect(v).toMatch(/^https:\/\//);
  }
  expect(byName.get('canonical')).toEqual([canonical]);
  expect(byName.get('preferred-languages')).toEqual(['nl, en']);
  for (const once of ['preferred-languages'])
    expect(byName.get(once)?.length ?? 0).toBeLessThanOrEqual(1);
  return byName;
}

describe('security.txt (pure)', () => {
  it('puts Expires 180 days ahead, whatever day it is rendered', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const text = buildSecurityTxt({
      contactEmail: 'security@voorbeeld.example',
      contactPhone: '+31 (0)20 123 4567',
      publicUrl: 'https://candor.example.nl/',
      policyPath: '/security',
      encryptionUrl: null,
      now,
    });
    const byName = expectRfc9116(
      text,
      'https://candor.example.nl/.well-known/security.txt',
      now.getTime(),
    );
    expect(byName.get('expires')).toEqual(['2027-05-26T10:00:00Z']);
    expect(byName.get('contact')).toEqual([
      'mailto:security@voorbeeld.example',
      'tel:+31201234567',
    ]);
  });
});

describe.each(DIALECTS)('security.txt on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicContext>>;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await createPublicContext(dialect);
    app = await buildCsafApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('serves the RFC 9116 fields at both places, with the CSAF and Policy fields', async () => {
    const res = await app.inject({ url: '/.well-known/security.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const byName = expectRfc9116(res.body, 'https://candor.example.nl/.well-known/security.txt');
    expect(byName.get('csaf')).toEqual([
      'https://candor.example.nl/.well-known/csaf/provider-metadata.json',
    ]);
    expect(byName.get('policy')).toEqual(['https://candor.example.nl/security']);
    expect(byName.get('contact')).toContain('mailto:security@example.com');
    const copy = await app.inject({ url: '/security.txt' });
    expect(copy.statusCode).toBe(200);
    expect(copy.body).toBe(res.body);
    const again = await app.inject({
      url: '/.well-known/security.txt',
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });
});

describe('security.txt with a signing key', () => {
  let ctx: Awaited<ReturnType<typeof createPublicContext>>;
  let app: FastifyInstance;
  let publicKey: openpgp.PublicKey;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-pgp-'));
    const { privateKey, publicKey: armored } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Voorbeeld PSIRT', email: 'psirt@voorbeeld.example' }],
      format: 'armored',
    });
    publicKey = await openpgp.readKey({ armoredKey: armored });
    fs.writeFileSync(path.join(dir, 'key.asc'), privateKey, { mode: 0o600 });
    ctx = await createPublicContext('sqlite', {
      CANDOR_OPENPGP_KEY_FILE: path.join(dir, 'key.asc'),
    });
    app = await buildCsafApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('is cleartext-signed, the signature verifies, and it points at the key', async () => {
    const res = await app.inject({ url: '/.well-known/security.txt' });
    expect(res.body).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\n/);
    const message = await openpgp.readCleartextMessage({ cleartextMessage: res.body });
    const verified = await openpgp.verify({ message, verificationKeys: publicKey });
    await expect(verified.signatures[0]!.verified).resolves.toBe(true);
    const byName = expectRfc9116(
      message.getText(),
      'https://candor.example.nl/.well-known/security.txt',
    );
    const fingerprint = publicKey.getFingerprint().toUpperCase();
    expect(byName.get('encryption')).toEqual([
      `https://candor.example.nl/.well-known/csaf/openpgp/${fingerprint}.asc`,
    ]);
    expect(
      (await app.inject({ url: `/.well-known/csaf/openpgp/${fingerprint}.asc` })).statusCode,
    ).toBe(200);
  });
});
