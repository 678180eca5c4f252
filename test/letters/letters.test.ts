import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/domain/access.js';
import { ForbiddenError, ValidationError } from '../../src/domain/errors.js';
import {
  buildLetters,
  downloadLetterBatch,
  markLetterBatchPosted,
  type BuildLettersResult,
  type LetterBatch,
} from '../../src/services/letters/letter.service.js';
import type { RenderedBatch } from '../../src/services/letters/letter-renderer.js';
import { verifyNoticeCode } from '../../src/services/notices/notice-verification.service.js';
import { referenceCode } from '../../src/lib/reference-code.js';
import { confirmRemedyForCustomers } from '../../src/services/remedies/remedy-confirmation.service.js';
import { createRemedy } from '../../src/services/remedies/remedy.service.js';
import { readJson, jsonObject } from '../../src/store/executor.js';
import {
  createRecallCase,
  type RecallCase,
  type TestCustomer,
} from '../personal-page/recall-case.js';
import { readCsvText } from '../reports/csv-parse.js';
import { createTestContext } from '../support/app-context.js';
import { DIALECTS } from '../support/databases.js';
import { decodeQr, pageText, pdfInfo, pdfWords, PT_PER_MM } from './pdf-reader.js';

const nl = (street: string, postal: string, city: string) => ({
  street,
  postal_code: postal,
  city,
  country: 'NL',
});

/** Who email cannot reach, and who it can: external id → what happens to their mail. */
const CUSTOMERS: (TestCustomer & { mail: 'bounced' | 'failed' | 'sent' | 'queued' | 'none' })[] = [
  {
    external_id: 'L-BOUNCED',
    email: 'weg@bakkerij.example',
    name: 'Marieke Jansen',
    language: 'nl',
    impact: { data: 'naam, e-mailadres, facturen' },
    attributes: nl('Dorpsstraat 12', '1234 AB', 'Amsterdam'),
    mail: 'bounced',
  },
  {
    external_id: 'L-FAILED',
    email: 'gone@smith.example',
    name: 'John Smith',
    language: 'en',
    impact: { data: 'name, email address' },
    attributes: {
      street: '10 Downing Street',
      postal_code: 'SW1A 2AA',
      city: 'London',
      country: 'GB',
    },
    mail: 'failed',
  },
  {
    external_id: 'L-NOMAIL',
    email: null,
    name: 'Pieter de Vries',
    language: 'nl',
    impact: { data: 'naam, adres' },
    attributes: nl('Kerkweg 3', '3511 AA', 'Utrecht'),
    mail: 'none',
  },
  {
    external_id: 'L-NOADDRESS',
    email: null,
    name: 'Zonder Adres',
    language: 'nl',
    impact: {},
    mail: 'none',
  },
  {
    external_id: 'L-SENT',
    email: 'fine@example.nl',
    name: 'Goed Bereikt',
    language: 'nl',
    impact: {},
    attributes: nl('Laan 1', '1000 AA', 'Amsterdam'),
    mail: 'sent',
  },
  {
    external_id: 'L-QUEUED',
    email: 'later@example.nl',
    name: 'Nog Bezig',
    language: 'nl',
    impact: {},
    attributes: nl('Laan 2', '1000 AA', 'Amsterdam'),
    mail: 'queued',
  },
  {
    external_id: 'L-NOMAIL-2',
    email: null,
    name: 'Anna Post',
    language: 'nl',
    impact: { data: 'naam' },
    attributes: nl('Havenstraat 99', '9711 AB', 'Groningen'),
    mail: 'none',
  },
];

const viewer: Actor = {
  kind: 'user',
  userId: null,
  name: 'vera',
  roles: ['viewer'],
  source: 'test',
};
const responder: Actor = { ...viewer, name: 'sanne', roles: ['responder'] };

describe.each(DIALECTS)('letters on %s', (dialect) => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let recall: RecallCase;
  let first: BuildLettersResult;
  const files = new Map<number, RenderedBatch>();
  const deps = () => ({ ...ctx.deps, timeZone: 'Europe/Amsterdam' });
  const letterRows = () =>
    ctx.database.db
      .selectFrom('deliveries')
      .selectAll()
      .where('dispatch_id', '=', recall.dispatchId)
      .where('channel', '=', 'letter')
      .orderBy('id')
      .execute();
  const externalIdOf = (recipientId: number) =>
    [...recall.recipients.values()].find((r) => r.id === recipientId)!.customer.external_id;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    recall = await createRecallCase(ctx, CUSTOMERS);
    const now = new Date().toISOString();
    for (const c of CUSTOMERS) {
      if (c.mail === 'none' || c.mail === 'queued') continue;
      await ctx.database.db
        .updateTable('deliveries')
        .set({ state: c.mail, sent_at: c.mail === 'failed' ? null : now, updated_at: now })
        .where('dispatch_id', '=', recall.dispatchId)
        .where('recipient_id', '=', recall.recipients.get(c.external_id)!.id)
        .execute();
    }
    // A remedy, done by one recipient before the letters are printed.
    await createRemedy(
      responder,
      recall.reference,
      {
        key: 'change-password',
        completion: 'provider',
        texts: {
          nl: { title: 'Wijzig uw wachtwoord', instructions: 'Ga naar **Instellingen**.' },
          en: { title: 'Change your password', instructions: 'Go to **Settings**.' },
        },
      },
      ctx.deps,
    );
    await confirmRemedyForCustomers(
      responder,
      recall.reference,
      'change-password',
      { externalIds: ['L-BOUNCED'] },
      {},
      ctx.deps,
    );
    first = await buildLetters(
      responder,
      { target: { caseRef: recall.reference }, batchSize: 2 },
      deps(),
      (batch: LetterBatch, rendered) => {
        files.set(batch.id, rendered);
      },
    );
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('writes to those email cannot reach, and lists who has no postal address', async () => {
    const rows = await letterRows();
    expect(rows.map((r) => externalIdOf(r.recipient_id)).sort()).toEqual([
      'L-BOUNCED',
      'L-FAILED',
      'L-NOMAIL',
      'L-NOMAIL-2',
    ]);
    expect(rows.every((r) => r.state === 'printed' && r.sent_at === null)).toBe(true);
    expect(first.letters).toBe(4);
    expect(first.batches.map((b) => b.letters)).toEqual([2, 2]);
    expect(first.notPrintable).toEqual([
      {
        dispatchId: recall.dispatchId,
        externalId: 'L-NOADDRESS',
        reasons: ['no street', 'no postal_code', 'no city'],
      },
    ]);
    // The mail's own rows keep their states.
    const mail = await ctx.database.db
      .selectFrom('deliveries')
      .select(['state'])
      .where('dispatch_id', '=', recall.dispatchId)
      .where('channel', '=', 'email')
      .execute();
    expect(mail.map((m) => m.state).sort()).toEqual(['bounced', 'failed', 'queued', 'sent']);
  });

  it('puts page counts in the manifest that match the PDF, and the address in the window', async () => {
    for (const batch of first.batches) {
      const rendered = files.get(batch.id)!;
      const info = pdfInfo(rendered.pdf);
      expect(info.width).toBeCloseTo(595.28, 0);
      expect(info.height).toBeCloseTo(841.89, 0);
      const [header, ...rows] = readCsvText(rendered.manifest);
      expect(header!.slice(0, 6)).toEqual([
        'letter_number',
        'first_page',
        'last_page',
        'pages',
        'external_id',
        'reference_code',
      ]);
      expect(rows).toHaveLength(batch.letters);
      expect(info.pages).toBe(batch.pages);
      expect(Number(rows[rows.length - 1]![2])).toBe(info.pages);
      const words = pdfWords(rendered.pdf);
      let expectedFirst = 1;
      for (const row of rows) {
        const [, firstPage, lastPage, pages, , code] = row;
        expect(Number(firstPage)).toBe(expectedFirst);
        expect(Number(lastPage) - Number(firstPage) + 1).toBe(Number(pages));
        // Each letter's pages carry its own code in the footer, and only its pages.
        for (let p = Number(firstPage); p <= Number(lastPage); p++) {
          expect(pageText(words[p - 1]!)).toContain(code);
        }
        expectedFirst = Number(lastPage) + 1;

        const page = words[Number(firstPage) - 1]!;
        const window = {
          left: 20 * PT_PER_MM,
          right: 105 * PT_PER_MM,
          top: 45 * PT_PER_MM,
          bottom: 90 * PT_PER_MM,
        };
        const addressLines = row.slice(6).filter((l) => l !== '');
        expect(addressLines.length).toBeGreaterThanOrEqual(3);
        for (const line of addressLines) {
          for (const token of line.split(/\s+/)) {
            const hits = page.filter(
              (w) =>
                w.text === token &&
                w.xMin >= window.left &&
                w.xMax <= window.right &&
                w.yMin >= window.top &&
                w.yMax <= window.bottom,
            );
            expect(hits, `"${token}" of "${line}" inside the window`).not.toHaveLength(0);
          }
        }
      }
    }
  });

  it('prints the personal link as text and as a QR code that decodes to it, and the code verifies once posted', async () => {
    const rows = await letterRows();
    for (const batch of first.batches) {
      const rendered = files.get(batch.id)!;
      const [, ...manifest] = readCsvText(rendered.manifest);
      const words = pdfWords(rendered.pdf);
      for (const row of manifest) {
        const externalId = row[4]!;
        const recipient = recall.recipients.get(externalId)!;
        const link = `${ctx.deps.publicUrl}/n/${recipient.token}`;
        expect(decodeQr(rendered.pdf, Number(row[1]))).toBe(link);
        const letterText = words
          .slice(Number(row[1]) - 1, Number(row[2]))
          .map(pageText)
          .join(' ');
        expect(letterText).toContain(link);
        const delivery = rows.find((r) => r.recipient_id === recipient.id)!;
        expect(row[5]).toBe(referenceCode(ctx.deps.secret, delivery.id));
        expect(letterText).toContain(recall.reference);
        if (recipient.customer.language === 'en') {
          expect(letterText).toContain('Change your password (not done yet)');
          expect(letterText).toContain('Go to Settings.');
          expect(letterText).toContain('Your personal page');
          expect(letterText).toContain('name, email address');
          expect(row.slice(6, 11)).toEqual([
            'John Smith',
            '10 Downing Street',
            'LONDON',
            'SW1A 2AA',
            'UNITED KINGDOM',
          ]);
        } else {
          expect(letterText).toContain('Uw persoonlijke pagina');
          expect(letterText).toContain(
            `Wijzig uw wachtwoord (${externalId === 'L-BOUNCED' ? 'gedaan' : 'nog niet gedaan'})`,
          );
          expect(letterText).toContain('Ga naar Instellingen.');
          expect(letterText).toContain(String(recipient.customer.impact.data));
        }
      }
    }
    const code = referenceCode(ctx.deps.secret, rows[0]!.id);
    const deps = { database: ctx.database, secret: ctx.deps.secret };
    expect(await verifyNoticeCode(code, 'nl', deps)).toBeNull();
    const posted = await markLetterBatchPosted(responder, first.batches[0]!.id, ctx.deps);
    expect(posted.changed).toBe(true);
    expect(posted.batch).toMatchObject({ state: 'posted', postedBy: 'sanne' });
    expect(await verifyNoticeCode(code, 'nl', deps)).toMatchObject({
      case: { reference: recall.reference },
    });
    const again = await markLetterBatchPosted(responder, first.batches[0]!.id, ctx.deps);
    expect(again.changed).toBe(false);
    const states = (await letterRows()).map((r) => r.state);
    expect(states.filter((s) => s === 'posted')).toHaveLength(2);
    expect(states.filter((s) => s === 'printed')).toHaveLength(2);
    const audits = await ctx.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', 'in', ['letters.print', 'letters.post'])
      .orderBy('seq')
      .execute();
    expect(audits.map((a) => a.action)).toEqual(['letters.print', 'letters.print', 'letters.post']);
    expect(readJson(audits[0]!.details, jsonObject)).toMatchObject({
      letters: 2,
      pdfSha256: first.batches[0]!.pdfSha256,
    });
  });

  it('does not print twice for one recipient unless asked, and a reprint keeps the letter', async () => {
    const before = await letterRows();
    const again = await buildLetters(
      responder,
      { target: { dispatchId: recall.dispatchId } },
      deps(),
    );
    expect(again.letters).toBe(0);
    expect(again.batches).toEqual([]);
    expect(again.notPrintable.map((n) => n.externalId)).toEqual(['L-NOADDRESS']);
    expect(await letterRows()).toEqual(before);

    const reprint = await buildLetters(
      responder,
      { target: { dispatchId: recall.dispatchId }, reprint: true },
      deps(),
    );
    expect(reprint.letters).toBe(4);
    const after = await letterRows();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after.every((r) => r.attempts === 2 && r.state === 'printed')).toBe(true);
  });

  it('makes a download byte for byte the batch that was built', async () => {
    const batch = first.batches[1]!;
    const download = await downloadLetterBatch(responder, batch.id, deps());
    expect(download.matches).toBe(true);
    expect(download.files.pdfSha256).toBe(batch.pdfSha256);
    expect(download.files.manifest).toBe(files.get(batch.id)!.manifest);
  });

  it('refuses those who may not send, and a bad batch size, before anything is printed', async () => {
    await expect(
      buildLetters(viewer, { target: { caseRef: recall.reference } }, deps()),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(downloadLetterBatch(viewer, first.batches[0]!.id, deps())).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      buildLetters(
        systemActor('test'),
        { target: { caseRef: recall.reference }, batchSize: 0 },
        deps(),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
