import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPostureContent } from '../../src/demo/demo-posture.js';
import { dayOf, type PostureContent } from '../../src/domain/posture/posture.js';
import { buildApp } from '../../src/http/app.js';
import {
  approvePostureDraft,
  publishPostureDraft,
  savePostureDraft,
} from '../../src/services/publication/posture.service.js';
import { DIALECTS } from '../support/databases.js';
import { createDispatchContext, createPeople, type People } from '../dispatch/scenario.js';

const DAY = 86_400_000;
const ATOM_RNC = path.resolve(import.meta.dirname, '../fixtures/conformance/atom.rnc');

/** Validates an Atom document with jing against the RFC 4287 RELAX NG schema. */
function jing(xml: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atom-')), 'feed.xml');
  fs.writeFileSync(file, xml);
  try {
    return execFileSync('jing', ['-c', ATOM_RNC, file], { encoding: 'utf8' });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`jing: ${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

async function publish(
  ctx: Awaited<ReturnType<typeof createDispatchContext>>,
  people: People,
  content: PostureContent,
) {
  await savePostureDraft(people.joost, content, ctx.deps);
  await approvePostureDraft(people.fatima, {}, ctx.deps);
  return publishPostureDraft(people.sanne, ctx.deps);
}

/** Asks until the public cache has rendered the new revision (it polls once a second). */
async function waitFor(app: FastifyInstance, url: string, test: (body: string) => boolean) {
  const started = Date.now();
  let res = await app.inject({ url });
  while (!(res.statusCode === 200 && test(res.body)) && Date.now() - started < 15_000) {
    await new Promise((r) => setTimeout(r, 100));
    res = await app.inject({ url });
  }
  return res;
}

describe.each(DIALECTS)('the public posture statement on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createDispatchContext>>;
  let people: People;
  let app: FastifyInstance;
  let publicKey: openpgp.PublicKey;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-pgp-'));
    const generated = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Voorbeeld PSIRT', email: 'psirt@voorbeeld.example' }],
      format: 'armored',
    });
    publicKey = await openpgp.readKey({ armoredKey: generated.publicKey });
    fs.writeFileSync(path.join(dir, 'key.asc'), generated.privateKey, { mode: 0o600 });
    ctx = await createDispatchContext(dialect, {
      CANDOR_OPENPGP_KEY_FILE: path.join(dir, 'key.asc'),
      CANDOR_PUBLIC_URL: 'https://candor.example.nl',
    });
    people = await createPeople(ctx);
    app = await buildApp(ctx);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('is not there before anything is published; the schema always is', async () => {
    expect((await app.inject({ url: '/security/posture' })).statusCode).toBe(404);
    const schema = await app.inject({ url: '/security/posture.schema.json' });
    expect(schema.statusCode).toBe(200);
    expect(schema.headers['content-type']).toContain('application/schema+json');
  });

  it('serves the statement: no script, strict CSP, cached, expired items in place', async () => {
    await publish(ctx, people, demoPostureContent(new Date()));
    const res = await waitFor(app, '/en/security/posture', (b) => b.includes('Version 1'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toContain('max-age=60');
    expect(res.headers.etag).toBeTruthy();
    expect(res.body).not.toMatch(/<script/i);
    // All ten NIS2 points and the own item are listed.
    for (const p of 'abcdefghij') expect(res.body).toContain(`id="measure-${p}"`);
    expect(res.body).toContain('Protection against overload attacks');
    // The demo's point (e) is past its date: shown, in place, marked expired.
    const e = /<li id="measure-e" class="measure expired">[\s\S]*?<\/li>/.exec(res.body)?.[0];
    expect(e).toContain('Expired');
    expect(e).toContain('Voorbeeld Pentest B.V. (external)');
    expect(res.body).not.toContain('This statement lapsed');
    const nl = await app.inject({ url: '/security/posture' });
    expect(nl.body).toContain('Onze beveiliging, getoetst');
    expect(nl.body).toContain('Verlopen');
    expect(
      (
        await app.inject({
          url: '/security/posture',
          headers: { 'if-none-match': String(nl.headers.etag) },
        })
      ).statusCode,
    ).toBe(304);
  });

  it('JSON valid against its published schema, signed with the configured key', async () => {
    const json = await app.inject({ url: '/security/posture.json' });
    expect(json.statusCode).toBe(200);
    const doc = json.json<Record<string, unknown>>();
    const schema = (await app.inject({ url: '/security/posture.schema.json' })).json<object>();
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.$schema).toBe('https://candor.example.nl/security/posture.schema.json');
    // The schema can fail: a measure without a status does not pass.
    const broken = structuredClone(doc) as { measures: Record<string, unknown>[] };
    delete broken.measures[0]!.status;
    expect(validate(broken)).toBe(false);

    const asc = await app.inject({ url: '/security/posture.json.asc' });
    expect(asc.statusCode).toBe(200);
    const verified = await openpgp.verify({
      message: await openpgp.createMessage({ text: json.body }),
      signature: await openpgp.readSignature({ armoredSignature: asc.body }),
      verificationKeys: publicKey,
    });
    await expect(verified.signatures[0]!.verified).resolves.toBe(true);
  });

  it('is linked from /security, the Atom feed and security.txt', async () => {
    const list = await app.inject({ url: '/en/security' });
    expect(list.body).toContain('href="/en/security/posture"');
    const atom = await app.inject({ url: '/security/feed.atom' });
    expect(atom.body).toContain('https://candor.example.nl/security/posture/v/1');
    const txt = await app.inject({ url: '/.well-known/security.txt' });
    expect(txt.body).toContain(
      '# Our security posture statement / onze beveiligingsverklaring: https://candor.example.nl/security/posture',
    );
  });

  it('a new version keeps the old one public; a lapsed statement says so at the top', async () => {
    const lapsed = demoPostureContent(new Date());
    lapsed.validUntil = dayOf(new Date(Date.now() - 2 * DAY));
    await publish(ctx, people, lapsed);
    const res = await waitFor(app, '/en/security/posture', (b) => b.includes('Version 2'));
    const main = res.body.slice(res.body.indexOf('<main>'));
    expect(main.indexOf('This statement lapsed')).toBeGreaterThan(0);
    expect(main.indexOf('This statement lapsed')).toBeLessThan(main.indexOf('id="measures"'));
    const old = await app.inject({ url: '/en/security/posture/v/1' });
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('This is an earlier version. The statement in force is version 2.');
    expect(old.body).not.toContain('This statement lapsed');
    const json = (await app.inject({ url: '/security/posture.json' })).json<{
      version: number;
      lapsed: boolean;
      history: { version: number }[];
    }>();
    expect(json).toMatchObject({ version: 2, lapsed: true });
    expect(json.history.map((h) => h.version)).toEqual([2, 1]);
    const atom = await app.inject({ url: '/en/security/feed.atom' });
    expect(atom.body).toContain('/en/security/posture/v/2');
    expect(atom.body).toContain('/en/security/posture/v/1');
    // Still valid Atom (RFC 4287) with the posture entries in it.
    expect(jing(atom.body)).toBe('');
  });
});
