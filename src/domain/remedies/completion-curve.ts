/**
 * The completion curve's arithmetic: cumulative counts per calendar day from changes per
 * time slot, and the rates of a recall (reached, read, completed) of the affected set and of
 * those reached. Pure; the day boundaries come from the caller (they depend on a time zone).
 */

/** A change of a cumulative count in one slot (slot × slotMs = its start, ms since the epoch). */
export interface SlotChange {
  slot: number;
  delta: number;
}

/**
 * The cumulative value at the end of each day: `dayEnds[i]` is the exclusive end (ms) of day
 * i. Changes before the first day count on day 0 (a provider may confirm before the notice
 * goes out); changes after the last day's end are left out.
 */
export function cumulativePerDay(
  changes: readonly SlotChange[],
  dayEnds: readonly number[],
  slotMs: number,
): number[] {
  const sorted = [...changes].sort((a, b) => a.slot - b.slot);
  const out: number[] = [];
  let total = 0;
  let k = 0;
  for (const end of dayEnds) {
    while (k < sorted.length && sorted[k]!.slot * slotMs < end) {
      total += sorted[k]!.delta;
      k += 1;
    }
    out.push(total);
  }
  return out;
}

/** A share, or null when there is nothing to share (0 of 0 is not 0 %). */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/**
 * Where an instant falls on a day axis whose point i is the end of day i: the segment from
 * point i−1 to point i is day i, so an instant a quarter into day 3 sits a quarter of the way
 * from point 2 to point 3. Day 0 (and anything before) sits on point 0. Null after the last day.
 */
export function dayPosition(
  instantMs: number,
  dayStarts: readonly number[],
  dayEnds: readonly number[],
): number | null {
  if (dayStarts.length === 0 || instantMs >= dayEnds[dayEnds.length - 1]!) return null;
  if (instantMs < dayEnds[0]!) return 0;
  for (let i = 1; i < dayStarts.length; i += 1) {
    if (instantMs < dayEnds[i]!) {
      const span = dayEnds[i]! - dayStarts[i]!;
      return i - 1 + (instantMs - dayStarts[i]!) / span;
    }
  }
  return null;
}
