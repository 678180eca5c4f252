import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { publicCacheFor } from '../../src/http/public-cache.js';
import { updateCase } from '../../src/services/cases/case.service.js';
import { approveNotice, createNotice } from '../../src/services/notices/notice.service.js';
import { publishCase } from '../../src/services/publication/publication-publish.service.js';
import { releaseDueEmbargoes } from '../../src/services/publication/embargo-release.service.js';
import { postPublicUpdate } from '../../src/services/publication/public-update.service.js';
import { getPublishedCase } from '../../src/services/publication/publication.service.js';
import { DIALECTS } from '../support/databases.js';
import type { People } from '../dispatch/scenario.js';
import {
  createPeople,
  createPublicationContext,
  EMBARGOED_SENTENCE,
  publishedIncident,
} from './public-record.js';

const ATOM_RNC = path.resolve(import.meta.dirname, '../fixtures/conformance/atom.rnc');

/** Validates an Atom document with jing against the RFC 4287 RELAX NG schema. */
function jing(xml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atom-'));
  const file = path.join(dir, 'feed.xml');
  fs.writeFileSync(file, xml);
  try {
    return execFileSync('jing', ['-c', ATOM_RNC, file], { encoding: 'utf8' });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`jing: ${e.stdout ?? ''}${e.stderr ?? ''}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(DIALECTS)('the security page on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicationContext>>;
  let people: People;
  let app: FastifyInstance;
  let reference: string;
  let page: string;
  beforeAll(async () => {
    ctx = await createPublicationContext(dialect);
    people = await createPeople(ctx);
    app = await buildApp(ctx);
    const incident = await publishedIncident(ctx, people);
    reference = incident.kase.reference;
    // A press statement, approved and published with the case.
    const press = await createNotice(
      people.joost,
      incident.kase.id,
      { audience: 'press' },
      ctx.deps,
    );
    await approveNotice(people.fatima, press.id, {}, ctx.deps);
    await publishCase(people.sanne, incident.kase.id, ctx.deps);
    await postPublicUpdate(
      people.sanne,
      incident.kase.id,
      {
        status: 'investigating',
        texts: { en: 'We are **investigating**.', nl: 'Wij zoeken het uit.' },
      },
      ctx.deps,
    );
    await publishedIncident(ctx, people, { kind: 'advisory', title: 'Plugin flaw' });
    page = (await getPublishedCase(ctx.database.db, reference))!.paths.page;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('lists the published cases newest first, in Dutch and English, with filters', async () => {
    const nl = await app.inject({ url: '/security' });
    expect(nl.statusCode).toBe(200);
    expect(nl.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(nl.headers['content-security-policy']).toContain("default-src 'none'");
    expect(nl.body).toContain('<html lang="nl">');
    expect(nl.body).toContain('hreflang="en"');
    expect(nl.body).not.toMatch(/<script|style="/);
    expect(nl.body.indexOf('Beveiligingsadvies')).toBeLessThan(nl.body.indexOf(reference));
    const en = await app.inject({ url: '/en/security' });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Security incident at Example Hosting');
    // The ways to follow: feeds, email, CSAF and security.txt, each one that answers.
    for (const link of [
      '/en/security/subscribe',
      '/.well-known/csaf/provider-metadata.json',
      '/.well-known/security.txt',
    ]) {
      expect(en.body).toContain(`href="${link}"`);
      expect((await app.inject({ url: link })).statusCode).toBe(200);
    }
    const incidents = await app.inject({ url: '/en/security?kind=incident' });
    expect(incidents.body).toContain(reference);
    expect(incidents.body).not.toContain('ADV-');
    const year = new Date().getUTCFullYear();
    const advisories = await app.inject({ url: `/security?year=${year}&kind=advisory` });
    expect(advisories.statusCode).toBe(200);
    expect(advisories.body).not.toContain(reference);
    expect((await app.inject({ url: '/security?year=1999' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/security?kind=rumour' })).statusCode).toBe(404);
  });

  it('shows a case with its timeline, press statement and transparency, embargo hidden', async () => {
    const res = await app.inject({ url: `/en${page}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Security incident at Example Hosting');
    expect(res.body).toContain('<strong>investigating</strong>');
    expect(res.body).toContain('Press statement');
    expect(res.body).toContain('How quickly did we tell?');
    expect(res.body).not.toContain(EMBARGOED_SENTENCE);
    expect(res.body).not.toContain(':::');
    const txt = await app.inject({ url: `/en${page}/press.txt` });
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.body).toContain(reference);
    const pdf = await app.inject({ url: `${page}/press.pdf` });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await app.inject({ url: '/security/2020/nothing-here' })).statusCode).toBe(404);
  });

  it('serves valid feeds', async () => {
    for (const url of ['/security/feed.atom', '/en/security/feed.atom']) {
      const atom = await app.inject({ url });
      expect(atom.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      expect(jing(atom.body)).toBe('');
      // The two Schematron rules jing does not check: a feed author, and every entry with an
      // alternate link (or content).
      expect(atom.body).toMatch(/<feed[^>]*>[\s\S]*?<author><name>[^<]+<\/name>/);
      const entries = atom.body.split('<entry>').slice(1);
      expect(entries.length).toBe(3); // two cases and one update
      for (const e of entries)
        expect(e).toMatch(/<link rel="alternate" type="text\/html" href="http/);
      expect(atom.body).not.toContain(EMBARGOED_SENTENCE);
    }
    const json = JSON.parse((await app.inject({ url: '/en/security/feed.json' })).body) as {
      version: string;
      items: { id: unknown; url: string; content_html: unknown }[];
    };
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items).toHaveLength(3);
    for (const item of json.items) {
      expect(typeof item.id).toBe('string');
      expect(item.url).toMatch(/^http/);
      expect(item.content_html).toBeTypeOf('string');
    }
  });

  it('answers with caching headers and 304s', async () => {
    const first = await app.inject({ url: page });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=600');
    const lastModified = first.headers['last-modified'] as string;
    expect(Date.parse(lastModified)).toBeGreaterThan(0);
    const byTag = await app.inject({ url: page, headers: { 'if-none-match': etag } });
    expect(byTag.statusCode).toBe(304);
    expect(byTag.body).toBe('');
    expect(byTag.headers.etag).toBe(etag);
    expect(
      (await app.inject({ url: page, headers: { 'if-none-match': `W/${etag}` } })).statusCode,
    ).toBe(304);
    expect(
      (await app.inject({ url: page, headers: { 'if-none-match': '"other"' } })).statusCode,
    ).toBe(200);
    const byDate = await app.inject({ url: page, headers: { 'if-modified-since': lastModified } });
    expect(byDate.statusCode).toBe(304);
    const older = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect(
      (await app.inject({ url: page, headers: { 'if-modified-since': older } })).statusCode,
    ).toBe(200);
    const head = await app.inject({ method: 'HEAD', url: page });
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toBe(etag);
  });

  it('answers the same over real HTTP through the fast path in front of Fastify', async () => {
    const server = await buildApp(ctx);
    await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
      const viaInject = await app.inject({ url: `/en${page}` });
      const res = await fetch(`${base}/en${page}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(viaInject.body);
      for (const name of [
        'etag',
        'last-modified',
        'cache-control',
        'content-type',
        'content-security-policy',
      ])
        expect(res.headers.get(name)).toBe(viaInject.headers[name]);
      const again = await fetch(`${base}/en${page}`, {
        headers: { 'if-none-match': res.headers.get('etag')! },
      });
      expect(again.status).toBe(304);
      const head = await fetch(`${base}/en${page}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
      expect((await fetch(`${base}/security?kind=advisory`)).status).toBe(200);
      expect((await fetch(`${base}/security/1999/none`)).status).toBe(404);
      // Everything else still goes through Fastify.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('shows a change within about a second, and the released embargo', async () => {
    const before = await app.inject({ url: `/en${page}` });
    const kase = (await getPublishedCase(ctx.database.db, reference))!;
    await updateCase(people.sanne, kase.caseId, { state: 'resolved' }, ctx.deps);
    await releaseDueEmbargoes(ctx.deps, { caseId: kase.caseId });
    const started = Date.now();
    let after = before;
    while (Date.now() - started < 3000) {
      after = await app.inject({
        url: `/en${page}`,
        headers: { 'if-none-match': before.headers.etag as string },
      });
      if (after.statusCode === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(after.statusCode).toBe(200);
    // One poll interval (1 s) plus the re-render; generous for a loaded test machine.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(after.body).toContain(EMBARGOED_SENTENCE);
    expect(after.body).toContain('The technical details have now been published.');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(publicCacheFor(ctx.database).currentRevision).toBeGreaterThan(0);
  });
});
