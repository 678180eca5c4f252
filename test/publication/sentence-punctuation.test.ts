import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createCase } from '../../src/services/cases/case.service.js';
import { previewNotice } from '../../src/services/notices/case-workspace-preview.js';
import {
  approveNotice,
  createNotice,
  getNotice,
  updateNotice,
} from '../../src/services/notices/notice.service.js';
import { publishCase } from '../../src/services/publication/publication-publish.service.js';
import { getPublishedCase } from '../../src/services/publication/publication.service.js';
import { getOrganisation, updateOrganisation } from '../../src/services/access/settings.service.js';
import { confirmationMail, updateMail } from '../../src/services/publication/subscriber-mail.js';
import { DIALECTS } from '../support/databases.js';
import { buildScenario, type People } from '../dispatch/scenario.js';
import { createPeople, createPublicationContext } from './public-record.js';

/**
 * An organisation whose name ends in a full stop ("B.V.") must never produce "B.V.." in what
 * the public and the customers read: notices, the security pages, feeds, CSAF and the press PDF.
 */
const ORGANISATION = 'Voorbeeld Hosting B.V.';
/** Two full stops in a row, but not an ellipsis of three. */
const DOUBLE_STOP = /(?<!\.)\.\.(?!\.)/;

function doubleStops(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(new RegExp(DOUBLE_STOP.source, 'g'))) {
    found.push(text.slice(Math.max(0, m.index - 40), m.index + 20));
  }
  return found;
}

/** The text of a PDF as Debian's pdftotext (poppler-utils) reads it: not our own parser. */
function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'press-pdf-'));
  const file = path.join(dir, 'press.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(DIALECTS)('no double full stop after "B.V." on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createPublicationContext>>;
  let people: People;
  let app: FastifyInstance;
  let customerNoticeId: number;
  let page: string;
  let reference: string;
  beforeAll(async () => {
    ctx = await createPublicationContext(dialect);
    people = await createPeople(ctx);
    await updateOrganisation(people.admin, { name: ORGANISATION }, ctx.deps);

    // A customer notice: the built-in text plus a sentence an author wrote, ending in the name.
    const scenario = await buildScenario(ctx, people, { customers: 3, until: 'notice' });
    customerNoticeId = scenario.noticeId;
    const authored = {
      nl: 'Dit bericht komt van {{ organisation.name }}. Met vriendelijke groet, **{{ organisation.name }}**.',
      en: 'This message comes from {{ organisation.name }}. Kind regards, **{{ organisation.name }}**.',
    };
    const notice = await getNotice(people.vera, customerNoticeId, ctx.deps);
    await updateNotice(
      people.joost,
      customerNoticeId,
      {
        texts: {
          nl: {
            subject: `${notice.texts.nl!.subject} — {{ organisation.name }}.`,
            body: `${notice.texts.nl!.body}\n\n${authored.nl}\n`,
          },
          en: {
            subject: `${notice.texts.en!.subject} — {{ organisation.name }}.`,
            body: `${notice.texts.en!.body}\n\n${authored.en}\n`,
          },
        },
      },
      ctx.deps,
    );

    // A published incident with the built-in public notice and press statement.
    const kase = await createCase(
      people.sanne,
      {
        kind: 'incident',
        title: 'Break-in on the customer portal.',
        summary: 'An attacker got into the customer portal.',
        statements: {
          what_happened: {
            en: 'An attacker got into the customer portal.',
            nl: 'Een aanvaller kwam binnen in het klantportaal.',
          },
        },
        awareAt: new Date(Date.now() - 6 * 3600_000).toISOString(),
      },
      ctx.deps,
    );
    for (const audience of ['public', 'press'] as const) {
      const n = await createNotice(people.joost, kase.id, { audience }, ctx.deps);
      await approveNotice(people.fatima, n.id, {}, ctx.deps);
    }
    await publishCase(people.sanne, kase.id, ctx.deps);
    reference = kase.reference;
    page = (await getPublishedCase(ctx.database.db, reference))!.paths.page;
    app = await buildApp(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('renders the customer notice without one, in every part and language', async () => {
    for (const language of ['nl', 'en']) {
      const preview = await previewNotice(people.vera, customerNoticeId, { language }, ctx.deps);
      const r = preview.rendered!;
      expect(r.text).toContain(`${ORGANISATION} `);
      expect(r.text).toMatch(/(komt van|comes from) Voorbeeld Hosting B\.V\. (Met|Kind)/);
      expect(r.html).toContain(`<strong>${ORGANISATION}</strong></p>`);
      expect(r.subject).toMatch(/— Voorbeeld Hosting B\.V\.$/);
      for (const part of [r.subject, r.html, r.text]) expect(doubleStops(part)).toEqual([]);
    }
  });

  it('serves the security pages, feeds, CSAF and the press PDF without one', async () => {
    const get = async (url: string) => {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      return res;
    };
    const texts = new Map<string, string>();
    for (const prefix of ['', '/en']) {
      for (const url of [
        `${prefix}/security`,
        `${prefix}${page}`,
        `${prefix}${page}/press.txt`,
        `${prefix}/security/feed.atom`,
        `${prefix}/security/feed.json`,
      ]) {
        texts.set(url, (await get(url)).body);
      }
      texts.set(
        `${prefix}${page}/press.pdf`,
        pdfText((await get(`${prefix}${page}/press.pdf`)).rawPayload),
      );
    }
    const wk = '/.well-known/csaf';
    const documents = (await get(`${wk}/white/index.txt`)).body.split('\n').filter(Boolean);
    expect(documents.length).toBeGreaterThan(0);
    for (const url of [
      `${wk}/provider-metadata.json`,
      `${wk}/feed-tlp-white.json`,
      ...documents.map((d) => `${wk}/white/${d}`),
    ]) {
      texts.set(url, (await get(url)).body);
    }

    // The name is there, the public notice's own sentence is there, and so is the press text.
    expect(texts.get('/security')).toContain(ORGANISATION);
    expect(texts.get(page)).toContain(`beveiligingsincident bij ${ORGANISATION} Wij`);
    expect(texts.get(`/en${page}`)).toContain(`security incident at ${ORGANISATION} Here`);
    expect(texts.get(`${page}/press.pdf`)).toContain(ORGANISATION);
    const found = [...texts].flatMap(([url, text]) => doubleStops(text).map((s) => `${url}: ${s}`));
    expect(found).toEqual([]);
  });

  it('writes the subscriber mails without one', async () => {
    const mail = {
      organisation: await getOrganisation(ctx.deps),
      publicUrl: ctx.config.publicUrl,
      messageIdDomain: 'candor.test',
    };
    const published = await getPublishedCase(ctx.database.db, reference);
    for (const language of ['nl', 'en']) {
      const to = { id: 1, email: 'lezer@example.nl', language };
      for (const message of [
        confirmationMail(mail, to, 'token'),
        updateMail(mail, to, { id: 1, kind: 'published', reference }, published, 'token'),
      ]) {
        const parsed = await simpleParser(message.raw);
        const text = `${parsed.subject ?? ''}\n${parsed.text ?? ''}\n${String(parsed.html)}`;
        expect(text).toContain(ORGANISATION);
        expect(doubleStops(text)).toEqual([]);
      }
    }
  });
});
