import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { startDispatch } from '../../src/services/dispatch/dispatch.service.js';
import {
  approveNotice,
  createNotice,
  getNotice,
} from '../../src/services/notices/notice.service.js';
import { approvalPreview } from '../../src/services/notices/notice-approval.service.js';
import { publishCase } from '../../src/services/publication/publication-publish.service.js';
import { getPublishedCase } from '../../src/services/publication/publication.service.js';
import { updateStatements } from '../../src/services/cases/statement.service.js';
import { checkNotice } from '../../src/services/notices/notice-check.service.js';
import { personalToken } from '../../src/lib/personal-token.js';
import {
  findPageVisitor,
  getPersonalPage,
} from '../../src/services/recipients/personal-page.service.js';
import {
  disclosureReport,
  loadInternalNames,
} from '../../src/services/publication/disclosure.service.js';
import { createApiToken } from '../../src/services/access/user.service.js';
import { DIALECTS } from '../support/databases.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import {
  buildScenario,
  createDispatchContext,
  createPeople,
  runWorker,
  waitForDispatch,
  type DispatchTestContext,
  type People,
} from '../dispatch/scenario.js';

/** A decoded mail body, soft line breaks of quoted-printable joined. */
const bodyOf = (raw: Buffer) => raw.toString('utf8').replace(/=\r\n/g, '');

/**
 * The approval bypass from the issue: a responder edits the case after approval (summary,
 * title, a statement, a milestone) through the API. What goes out — mail, personal page,
 * security page — must be exactly what was approved, or nothing until a new approval.
 */
describe.each(DIALECTS)('approval snapshots on %s', (dialect) => {
  let ctx: DispatchTestContext;
  let people: People;
  let app: FastifyInstance;
  let smtp: SmtpPeer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createDispatchContext(dialect);
    people = await createPeople(ctx);
    for (const name of ['sanne', 'joost'] as const)
      tokens[name] = (await createApiToken(people.admin, name, { label: 't' }, ctx.deps)).token;
    app = await buildApp(ctx);
    smtp = await startSmtpPeer({ keepMessages: true });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    await ctx?.close();
  });

  const api = (name: string, method: 'PATCH' | 'PUT', url: string, payload: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[name]}` },
      payload,
    });

  it('a case edit after approval never reaches a recipient unapproved', async () => {
    const s = await buildScenario(ctx, people, { customers: 6, until: 'approved' });
    const ref = (await getNotice(people.vera, s.noticeId, ctx.deps)).caseId;
    const before = await getNotice(people.vera, s.noticeId, ctx.deps);
    expect(before.status).toBe('approved');

    // The internal summary and title are not notice text: editing them changes nothing sent.
    const patched = await api('sanne', 'PATCH', `/api/v1/cases/${ref}`, {
      summary: 'Visit https://evil.example/reset to keep your account.',
      title: 'Nothing to see here',
    });
    expect(patched.statusCode).toBe(200);
    expect((await getNotice(people.vera, s.noticeId, ctx.deps)).status).toBe('approved');

    // A statement the notice uses: the approval is voided, with what changed, by whom.
    const put = await api('joost', 'PUT', `/api/v1/cases/${ref}/statements`, {
      what_happened: { en: 'Visit https://evil.example/reset to keep your account.' },
    });
    expect(put.statusCode).toBe(200);
    const voided = await getNotice(people.vera, s.noticeId, ctx.deps);
    expect(voided.status).toBe('changed-since-approval');
    expect(voided.voided).toMatchObject({ by: 'joost' });
    expect(voided.voided!.reason).toContain("statement 'what happened' (en) changed");
    await expect(startDispatch(people.sanne, s.noticeId, ctx.deps)).rejects.toThrow(
      /approval was voided \(statement 'what happened' \(en\) changed/,
    );
    const audit = await ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('action', '=', 'notice.approval_void')
      .where('object_id', '=', String(s.noticeId))
      .execute();
    expect(audit).toEqual([{ action: 'notice.approval_void', actor: 'joost' }]);

    // Put the approved words back and approve again: the hash the approver saw is pinned.
    await updateStatements(
      people.joost,
      ref,
      {
        what_happened: {
          en: 'An attacker copied part of our customer database through a stolen admin key.',
        },
      },
      ctx.deps,
    );
    const preview = await approvalPreview(people.fatima, s.noticeId, ctx.deps);
    expect(preview.languages.map((l) => l.language)).toEqual(['nl', 'en']);
    expect(preview.languages[1]!.body).toContain('through a stolen admin key');
    await approveNotice(people.fatima, s.noticeId, { approvalHash: preview.hash }, ctx.deps);

    // A milestone the notice states ("we are working to close the leak") voids it too.
    const contained = await api('sanne', 'PATCH', `/api/v1/cases/${ref}`, {
      containedAt: new Date().toISOString(),
    });
    expect(contained.statusCode).toBe(200);
    const stale = await getNotice(people.vera, s.noticeId, ctx.deps);
    expect(stale.voided!.reason).toContain('case contained date');
    // An approver holding the old hash cannot approve the new content unseen.
    await expect(
      approveNotice(people.fatima, s.noticeId, { approvalHash: preview.hash }, ctx.deps),
    ).rejects.toThrow(/changed after you opened it/);
    const fresh = await approvalPreview(people.fatima, s.noticeId, ctx.deps);
    await approveNotice(people.fatima, s.noticeId, { approvalHash: fresh.hash }, ctx.deps);

    const dispatch = await startDispatch(people.sanne, s.noticeId, ctx.deps);
    // Edits while sending do not reach the mails: the dispatch sends its snapshot.
    await updateStatements(
      people.joost,
      ref,
      {
        what_happened: {
          en: 'Visit https://evil.example/reset now.',
          nl: 'Ga naar https://evil.example/reset.',
        },
      },
      ctx.deps,
    );
    const worker = await runWorker(ctx, smtp.url);
    try {
      await waitForDispatch(ctx, dispatch.id, (p) => p.state === 'completed');
    } finally {
      await worker.stop();
    }
    const mails = smtp.messages.map((m) => bodyOf(m.raw));
    expect(mails).toHaveLength(6);
    for (const mail of mails) {
      expect(mail).not.toContain('evil.example');
      expect(mail).not.toContain('Nothing to see here');
    }
    // The personal page shows the version that was mailed, also after a later re-approval of
    // the notice with other words.
    await approveNotice(people.fatima, s.noticeId, {}, ctx.deps);
    const recipients = await ctx.database.db
      .selectFrom('case_recipients')
      .select(['id', 'language'])
      .where('case_id', '=', s.caseId)
      .execute();
    for (const r of recipients) {
      const token = personalToken(ctx.deps.secret, s.caseId, Number(r.id));
      const visitor = (await findPageVisitor(token, '127.0.0.1', ctx.deps))!;
      const model = await getPersonalPage(visitor, ctx.deps);
      const words = JSON.stringify(model.statements);
      expect(words).not.toContain('evil.example');
      expect(words).toContain(
        r.language === 'en' ? 'through a stolen admin key' : 'met een gestolen beheersleutel',
      );
    }
    // Each mail says what the case records, in its reader's language only.
    for (const mail of mails) {
      if (mail.includes('Beste ')) {
        expect(mail).toContain('We hebben het lek gedicht');
        expect(mail).toContain('met een gestolen beheersleutel');
        expect(mail).not.toContain('through a stolen admin key');
      } else {
        expect(mail).toContain('We have closed the leak');
        expect(mail).toContain('through a stolen admin key');
        expect(mail).not.toContain('met een gestolen beheersleutel');
      }
    }
  });

  it('a public notice publishes only its approved snapshot; a case edit voids it', async () => {
    const s = await buildScenario(ctx, people, { customers: 2, until: 'notice' });
    const notice = await createNotice(people.joost, s.caseId, { audience: 'public' }, ctx.deps);
    await approveNotice(people.fatima, notice.id, {}, ctx.deps);
    const status = await publishCase(people.sanne, s.caseId, ctx.deps);
    expect(status.published).toBe(true);
    const ref = (
      await ctx.database.db
        .selectFrom('cases')
        .select('reference')
        .where('id', '=', s.caseId)
        .executeTakeFirstOrThrow()
    ).reference;
    const published = (await getPublishedCase(ctx.database.db, ref))!;
    // The public cache follows a publication within about a second.
    const page = async () => {
      const started = Date.now();
      for (;;) {
        const res = await app.inject({ url: `/en${published.paths.page}` });
        if (res.statusCode === 200 || Date.now() - started > 3000) return res.body;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    expect(await page()).toContain('through a stolen admin key');

    await api('sanne', 'PATCH', `/api/v1/cases/${s.caseId}`, {
      summary: 'An unapproved sentence about https://evil.example.',
    });
    const put = await api('joost', 'PUT', `/api/v1/cases/${s.caseId}/statements`, {
      what_happened: { en: 'An unapproved sentence about https://evil.example.' },
    });
    expect(put.json<{ voided: { noticeId: number }[] }>().voided).toEqual([
      expect.objectContaining({ noticeId: notice.id }),
    ]);
    // The page keeps what was approved; republishing needs a new approval.
    expect(await page()).not.toContain('evil.example');
    expect((await getPublishedCase(ctx.database.db, ref))!.texts.en!.body).toContain(
      'through a stolen admin key',
    );
    await expect(publishCase(people.sanne, s.caseId, ctx.deps)).rejects.toThrow(
      /nothing new to publish/,
    );
    const view = await getNotice(people.vera, notice.id, ctx.deps);
    expect(view.status).toBe('changed-since-approval');
    expect(view.voided!.reason).toContain("statement 'what happened' (en) changed");
  });

  it('checks statements per language and hand-written claims against the case', async () => {
    const s = await buildScenario(ctx, people, { customers: 8, until: 'notice' });
    const readers = await ctx.database.db.selectFrom('customers').select(['language']).execute();
    const dutch = readers.filter((r) => r.language === 'nl').length;
    await updateStatements(
      people.joost,
      s.caseId,
      {
        what_happened: { nl: '' },
        what_we_did: {
          en: 'We have told the Dutch Data Protection Authority.',
          nl: 'Wij onderzoeken het.',
        },
      },
      ctx.deps,
    );
    const check = await checkNotice(people.vera, s.noticeId, ctx.deps);
    expect(check.ok).toBe(false);
    expect(check.errors).toContain(
      `'what happened' has no Dutch text; ${dutch} recipient${dutch === 1 ? '' : 's'} read${dutch === 1 ? 's' : ''} Dutch`,
    );
    expect(check.errors).toContain(
      'en: says "We have told the Dutch Data Protection Authority" but no authority report is filed',
    );
    await expect(approveNotice(people.fatima, s.noticeId, {}, ctx.deps)).rejects.toThrow(
      /cannot be approved yet/,
    );
  });

  it('runs the disclosure check over the statements a public notice pulls in', async () => {
    const s = await buildScenario(ctx, people, { customers: 4, until: 'notice' });
    const row = await ctx.database.db
      .selectFrom('customers')
      .select('attributes')
      .limit(1)
      .executeTakeFirstOrThrow();
    const attributes = (
      typeof row.attributes === 'string' ? JSON.parse(row.attributes) : row.attributes
    ) as { server: string };
    await updateStatements(
      people.joost,
      s.caseId,
      {
        what_happened: {
          en: `An attacker got into server ${attributes.server} of our platform.`,
          nl: `Een aanvaller kwam binnen op server ${attributes.server} van ons platform.`,
        },
      },
      ctx.deps,
    );
    const notice = await createNotice(people.joost, s.caseId, { audience: 'public' }, ctx.deps);
    const refused = await approveNotice(people.fatima, notice.id, {}, ctx.deps).catch(
      (error: unknown) => error as Error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/disclosure check has 2 open findings/);
    const report = await disclosureReport(
      ctx.database.db,
      await ctx.database.db
        .selectFrom('notices')
        .selectAll()
        .where('id', '=', notice.id)
        .executeTakeFirstOrThrow(),
      await loadInternalNames(ctx.database),
    );
    expect(report.findings.map((f) => [f.rule, f.language, f.excerpt])).toEqual(
      expect.arrayContaining([
        ['internal-name', 'en', attributes.server],
        ['internal-name', 'nl', attributes.server],
      ]),
    );
  });
});
