import { authorize, type Actor } from '../../domain/access.js';
import { letterAddress } from '../../domain/letters/letter-address.js';
import type { Database } from '../../store/database.js';
import { listDispatchesOfCase } from '../../store/dispatch.repository.js';
import { countLettersByState, listUnreachableRecipients } from '../../store/letter.repository.js';
import type { CaseRow } from '../../store/schema.js';
import { requireCase } from '../cases/case-lookup.js';
import { listLetterBatches, type LetterBatch, type NotPrintable } from './letter.service.js';

/** Letters of one dispatch: done, waiting to be printed, and who cannot get one. */
export interface DispatchLetters {
  dispatchId: number;
  state: string;
  printed: number;
  posted: number;
  /** Recipients email cannot reach who have a postal address and no letter yet. */
  pending: number;
  notPrintable: NotPrintable[];
}

export interface LetterOverview {
  kase: CaseRow;
  dispatches: DispatchLetters[];
  batches: LetterBatch[];
}

/**
 * What the letters page shows: per live dispatch how many letters were printed and posted, how
 * many wait to be printed, and who cannot get one for want of a postal address. Reads only.
 */
export async function getLetterOverview(
  actor: Actor,
  caseRef: string,
  deps: { database: Database },
): Promise<LetterOverview> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const dispatches: DispatchLetters[] = [];
  for (const d of await listDispatchesOfCase(db, kase.id)) {
    if (d.state === 'cancelled' || d.state === 'preparing') continue;
    const counts = await countLettersByState(db, d.id);
    let pending = 0;
    const notPrintable: NotPrintable[] = [];
    for (let afterId = 0; ;) {
      const page = await listUnreachableRecipients(
        db,
        { id: d.id, caseId: kase.id, selection: d.selection },
        { afterId, limit: 5000, reprint: false },
      );
      if (page.length === 0) break;
      for (const r of page) {
        const address = letterAddress(r);
        if (address.printable) pending++;
        else
          notPrintable.push({
            dispatchId: d.id,
            externalId: r.externalId,
            reasons: address.reasons,
          });
      }
      afterId = page[page.length - 1]!.recipientId;
    }
    dispatches.push({
      dispatchId: d.id,
      state: d.state,
      printed: counts.printed ?? 0,
      posted: counts.posted ?? 0,
      pending,
      notPrintable,
    });
  }
  return { kase, dispatches, batches: await listLetterBatches(actor, kase.id, deps) };
}
