import { authorize, type Actor } from '../../domain/access.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { z } from 'zod';
import { letterAddress } from '../../domain/letters/letter-address.js';
import { letterBatchStateSchema } from '../../domain/letters/letter-batch.js';
import type { Database } from '../../store/database.js';
import * as dispatches from '../../store/dispatch.repository.js';
import { nowIso, type Executor } from '../../store/executor.js';
import * as letters from '../../store/letter.repository.js';
import type { DispatchRow } from '../../store/schema.js';
import type { LetterBatchRow } from '../../store/schema-letters.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import {
  createLetterRenderer,
  renderLetterBatch,
  type LetterRenderDeps,
  type RenderedBatch,
} from './letter-renderer.js';

export interface LetterDeps extends LetterRenderDeps {
  database: Database;
}

/** A print-house batch as the CLI, API and workspace show it. */
export const letterBatchSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  dispatchId: z.number().int(),
  state: letterBatchStateSchema,
  letters: z.number().int(),
  pages: z.number().int(),
  pdfSha256: z.string(),
  manifestSha256: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  postedBy: z.string().nullable(),
  postedAt: z.string().nullable(),
});
export type LetterBatch = z.infer<typeof letterBatchSchema>;

/** A recipient email cannot reach who cannot get a letter either, and why. */
export const notPrintableSchema = z.object({
  dispatchId: z.number().int(),
  externalId: z.string(),
  reasons: z.array(z.enum(['no street', 'no postal_code', 'no city'])),
});
export type NotPrintable = z.infer<typeof notPrintableSchema>;

/** What a build did: the batches made and who could not get a letter. */
export const buildLettersResultSchema = z.object({
  batches: z.array(letterBatchSchema),
  letters: z.number().int(),
  notPrintable: z.array(notPrintableSchema),
});
export type BuildLettersResult = z.infer<typeof buildLettersResultSchema>;

export interface BuildLettersInput {
  /** A case (reference or id) — all its live dispatches — or one dispatch. */
  target: { caseRef: string } | { dispatchId: number; caseRef?: string };
  /** Letters per PDF; default 1,000. */
  batchSize?: number;
  /** Print again for recipients who already have a letter (same letter, same code). */
  reprint?: boolean;
  /**
   * Only these recipients, instead of those whose mail bounced, failed or was never sent
   * (an escalation: its condition over the recipient `r`, from the reminder repository).
   */
  only?: dispatches.RecipientSelection;
}

/** Called once per batch as it is built, with the files: the CLI writes them, a test reads them. */
export type BatchSink = (batch: LetterBatch, files: RenderedBatch) => Promise<void> | void;

export const DEFAULT_BATCH_SIZE = 1000;
const MAX_BATCH_SIZE = 10_000;

/**
 * Prints letters for the recipients email cannot reach (no address, bounced, failed): per
 * dispatch, in batches of `batchSize`, each one merged PDF and a CSV manifest. Every letter is
 * a delivery on the letter channel (state printed), recorded with its batch in the same
 * transaction as the batch, so a crash leaves either the whole batch or none of it. Recipients
 * without a postal address are reported, not printed; the rest goes through.
 */
export async function buildLetters(
  actor: Actor,
  input: BuildLettersInput,
  deps: LetterDeps,
  sink: BatchSink = () => {},
  progress: (done: number) => void = () => {},
): Promise<BuildLettersResult> {
  authorize(actor, 'dispatch:start');
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    const message = `must be a whole number from 1 to ${MAX_BATCH_SIZE}`;
    throw new ValidationError(`batch size ${message}`, [{ field: 'batch', message }]);
  }
  const { db } = deps.database;
  const targets = await targetDispatches(db, input.target);
  const result: BuildLettersResult = { batches: [], letters: 0, notPrintable: [] };
  for (const dispatch of targets) {
    const renderer = await createLetterRenderer(db, dispatch, deps);
    let afterId = 0;
    for (;;) {
      const built = await buildOneBatch(actor, dispatch, renderer, deps, {
        afterId,
        batchSize,
        reprint: input.reprint ?? false,
        only: input.only,
      });
      result.notPrintable.push(...built.notPrintable);
      afterId = built.afterId;
      if (built.batch) {
        result.batches.push(built.batch.row);
        result.letters += built.batch.row.letters;
        progress(result.letters);
        await sink(built.batch.row, built.batch.files);
      }
      if (built.exhausted) break;
    }
  }
  return result;
}

async function targetDispatches(
  db: Database['db'],
  target: BuildLettersInput['target'],
): Promise<DispatchRow[]> {
  if ('dispatchId' in target) {
    const row = await dispatches.findDispatch(db, target.dispatchId);
    const caseId = target.caseRef ? (await requireCase(db, target.caseRef)).id : null;
    if (!row || (caseId !== null && Number(row.case_id) !== caseId))
      throw new NotFoundError(
        `no dispatch ${target.dispatchId}${target.caseRef ? ` in case ${target.caseRef}` : ''}`,
      );
    if (row.state === 'cancelled' || row.state === 'preparing') {
      throw new ConflictError(`dispatch ${row.id} is ${row.state}; it has no letters to print`);
    }
    return [row];
  }
  const kase = await requireCase(db, target.caseRef);
  const rows = await dispatches.listDispatchesOfCase(db, kase.id);
  // Oldest first: the first notice's letters go out before a follow-up's.
  return rows.filter((d) => d.state !== 'cancelled' && d.state !== 'preparing').reverse();
}

interface OneBatch {
  batch: { row: LetterBatch; files: RenderedBatch } | null;
  notPrintable: NotPrintable[];
  afterId: number;
  exhausted: boolean;
}

/** Picks up to `batchSize` printable recipients after `afterId` and prints them, in one transaction. */
async function buildOneBatch(
  actor: Actor,
  dispatch: DispatchRow,
  renderer: Awaited<ReturnType<typeof createLetterRenderer>>,
  deps: LetterDeps,
  options: {
    afterId: number;
    batchSize: number;
    reprint: boolean;
    only?: dispatches.RecipientSelection;
  },
): Promise<OneBatch> {
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    // Two builders of one case take turns (PostgreSQL row lock; SQLite has one writer).
    await dispatches.lockCaseForDispatch(tx, dialect, dispatch.case_id);
    const chosen: letters.LetterRecipient[] = [];
    const notPrintable: NotPrintable[] = [];
    let afterId = options.afterId;
    let exhausted = false;
    while (chosen.length < options.batchSize) {
      const page = await letters.listUnreachableRecipients(
        tx,
        { id: dispatch.id, caseId: dispatch.case_id, selection: dispatch.selection },
        {
          afterId,
          limit: options.batchSize - chosen.length,
          reprint: options.reprint,
          only: options.only?.predicate,
        },
      );
      if (page.length === 0) {
        exhausted = true;
        break;
      }
      for (const recipient of page) {
        const address = letterAddress(recipient);
        if (address.printable) chosen.push(recipient);
        else
          notPrintable.push({
            dispatchId: dispatch.id,
            externalId: recipient.externalId,
            reasons: address.reasons,
          });
      }
      afterId = page[page.length - 1]!.recipientId;
    }
    if (chosen.length === 0) return { batch: null, notPrintable, afterId, exhausted: true };

    const now = nowIso();
    const fresh = chosen.filter((r) => r.letterId === null).map((r) => r.recipientId);
    const created = await letters.insertLetterDeliveries(tx, dispatch.id, fresh, now);
    const again = chosen.filter((r) => r.letterId !== null).map((r) => r.letterId!);
    await letters.markLettersReprinted(tx, again, now);
    const items = chosen.map((recipient) => ({
      recipient,
      deliveryId: recipient.letterId ?? created.get(recipient.recipientId)!,
    }));
    const files = await renderLetterBatch(
      renderer,
      items,
      { batchLabel: `letters ${dispatch.id}`, createdAt: now },
      tx,
    );
    const row: Omit<LetterBatchRow, 'id' | 'posted_by' | 'posted_at'> = {
      case_id: dispatch.case_id,
      dispatch_id: dispatch.id,
      state: 'printed',
      letters: items.length,
      pages: files.pages,
      pdf_sha256: files.pdfSha256,
      manifest_sha256: files.manifestSha256,
      created_by: actor.name,
      created_at: now,
    };
    const id = await letters.insertLetterBatch(tx, row, files.placements);
    await appendAudit(tx, dialect, actor, {
      action: 'letters.print',
      objectType: 'letter_batch',
      objectId: id,
      details: {
        caseId: dispatch.case_id,
        dispatchId: dispatch.id,
        letters: items.length,
        reprinted: again.length,
        pages: files.pages,
        pdfSha256: files.pdfSha256,
        manifestSha256: files.manifestSha256,
        notPrintable: notPrintable.length,
        ...(options.only ? { selection: options.only.label } : {}),
      },
    });
    return {
      batch: { row: present({ ...row, id, posted_by: null, posted_at: null }), files },
      notPrintable,
      afterId,
      exhausted,
    };
  });
}

/** Marks a batch handed to the post: its letters become posted. Idempotent. */
export async function markLetterBatchPosted(
  actor: Actor,
  batchId: number,
  deps: { database: Database },
  caseRef?: string,
): Promise<{ batch: LetterBatch; changed: boolean }> {
  authorize(actor, 'dispatch:control');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const found = await findBatchOf(tx, batchId, caseRef);
    const now = nowIso();
    const changed = await letters.markBatchPosted(tx, batchId, actor.name, now);
    if (changed) {
      await appendAudit(tx, dialect, actor, {
        action: 'letters.post',
        objectType: 'letter_batch',
        objectId: batchId,
        details: { caseId: found.case_id, dispatchId: found.dispatch_id, letters: found.letters },
      });
    }
    return { batch: present((await letters.findLetterBatch(tx, batchId))!), changed };
  });
}

/** The batches of a case, newest first. */
export async function listLetterBatches(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
): Promise<LetterBatch[]> {
  authorize(actor, 'cases:read');
  const kase = await requireCase(deps.database.db, caseRef);
  return (await letters.listLetterBatchesOfCase(deps.database.db, kase.id)).map(present);
}

/**
 * A batch's PDF and manifest made again from the database, for download. The letters, their
 * order and codes are those recorded; `matches` says whether the bytes equal the ones built
 * (they differ if the letterhead settings or the public URL changed since, or the case's
 * remedies: texts edited, remedies added or retired, a confirmation withdrawn — a remedy done
 * after printing still shows as not done, see letter-renderer.ts).
 */
export async function downloadLetterBatch(
  actor: Actor,
  batchId: number,
  deps: LetterDeps,
  caseRef?: string,
): Promise<{ batch: LetterBatch; files: RenderedBatch; matches: boolean }> {
  // The PDFs carry names, addresses and personal links: as sensitive as sending.
  authorize(actor, 'dispatch:start');
  const { db } = deps.database;
  const found = await findBatchOf(db, batchId, caseRef);
  const dispatch = await dispatches.findDispatch(db, found.dispatch_id);
  if (!dispatch) throw new NotFoundError(`no dispatch ${found.dispatch_id}`);
  const renderer = await createLetterRenderer(db, dispatch, deps);
  const items = (await letters.listBatchLetters(db, batchId)).map((l) => ({
    recipient: l,
    deliveryId: l.deliveryId,
  }));
  const files = await renderLetterBatch(
    renderer,
    items,
    { batchLabel: `letters ${dispatch.id}`, createdAt: found.created_at },
    db,
  );
  return { batch: present(found), files, matches: files.pdfSha256 === found.pdf_sha256 };
}

/** A batch by id; with a case, only when it belongs to that case (a URL names both). */
async function findBatchOf(
  db: Executor,
  batchId: number,
  caseRef: string | undefined,
): Promise<LetterBatchRow> {
  const found = await letters.findLetterBatch(db, batchId);
  const caseId = caseRef === undefined ? null : (await requireCase(db, caseRef)).id;
  if (!found || (caseId !== null && Number(found.case_id) !== caseId))
    throw new NotFoundError(`no letter batch ${batchId}${caseRef ? ` in case ${caseRef}` : ''}`);
  return found;
}

function present(row: LetterBatchRow): LetterBatch {
  return {
    id: Number(row.id),
    caseId: Number(row.case_id),
    dispatchId: Number(row.dispatch_id),
    state: row.state,
    letters: Number(row.letters),
    pages: Number(row.pages),
    pdfSha256: row.pdf_sha256,
    manifestSha256: row.manifest_sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
    postedBy: row.posted_by,
    postedAt: row.posted_at,
  };
}
