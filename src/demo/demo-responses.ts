import { setDispatchCreatedAt } from '../store/dispatch.repository.js';
import {
  countFrozenRecipients,
  recordRecipientResponse,
  sampleFrozenRecipients,
} from '../store/recipient.repository.js';
import type { AppContext } from '../wiring.js';
import { Rng } from './synthetic-rng.js';

// The demo incident's recall as it would look some days in: the notice went out hours after
// awareness, and customers have been confirming on their personal pages since — most on the
// first day, fewer each day after — so the dashboard and the dispatch tab show a real curve
// on a fresh start instead of a single point.

const DAY = 86_400_000;
/** Share of recipients that first acknowledge (and that report the remedy done) on day 0, 1, 2, 3. */
const ACK_BY_DAY = [0.34, 0.16, 0.08, 0.05];
const REMEDY_BY_DAY = [0.12, 0.14, 0.09, 0.06];
/** The first recipients (up to 5, a tenth) stay untouched: a newcomer can still acknowledge from the mailbox. */
const UNTOUCHED = (total: number) => Math.min(5, Math.floor(total / 10));

/** Backdates the demo dispatch to `sentAt` and records responses over the days since. */
export async function seedDemoResponses(
  ctx: AppContext,
  caseId: number,
  dispatchId: number,
  sentAt: Date,
  now: Date = new Date(),
): Promise<{ acknowledged: number; remedied: number }> {
  const db = ctx.database.db;
  await setDispatchCreatedAt(db, dispatchId, sentAt.toISOString());
  const rng = new Rng();
  const days = Math.max(
    1,
    Math.min(ACK_BY_DAY.length, Math.ceil((now.getTime() - sentAt.getTime()) / DAY)),
  );
  let acknowledged = 0;
  let remedied = 0;
  const untouched = UNTOUCHED((await countFrozenRecipients(db, caseId)).total);
  let index = 0;
  let afterId = 0;
  for (;;) {
    const page = await sampleFrozenRecipients(db, caseId, 1000, afterId);
    if (page.length === 0) break;
    for (const r of page) {
      afterId = r.id;
      index += 1;
      if (index <= untouched) continue;
      rng.reseed(20261127, index);
      const ackDay = dayOf(rng.next(), ACK_BY_DAY, days);
      if (ackDay === null) continue;
      // Within that day, never after now.
      const ackAt = Math.min(
        now.getTime() - 60_000,
        sentAt.getTime() + ackDay * DAY + rng.next() * DAY,
      );
      await recordRecipientResponse(db, r.id, 'acknowledged_at', new Date(ackAt).toISOString());
      acknowledged += 1;
      const remedyDay = dayOf(rng.next(), REMEDY_BY_DAY, days);
      if (remedyDay === null || remedyDay < ackDay) continue;
      const remedyAt = Math.min(
        now.getTime() - 30_000,
        ackAt + (remedyDay - ackDay) * DAY + rng.next() * 6 * 3_600_000,
      );
      await recordRecipientResponse(db, r.id, 'remedied_at', new Date(remedyAt).toISOString());
      remedied += 1;
    }
  }
  return { acknowledged, remedied };
}

/** The day a draw falls on, given the share per day (null: not yet). */
function dayOf(draw: number, shares: readonly number[], days: number): number | null {
  let sum = 0;
  for (let day = 0; day < days; day += 1) {
    sum += shares[day] ?? 0;
    if (draw < sum) return day;
  }
  return null;
}
