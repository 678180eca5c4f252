import { hoursBetween } from '../publication.js';
import type { Commitment } from './posture.js';

/**
 * The measured record of a commitment, computed from the case timelines (never typed in):
 * per year of awareness, how many cases kept it, how many missed it, and which.
 */

/** What the record needs of one case. */
export interface CaseTimeline {
  reference: string;
  kind: 'incident' | 'advisory';
  awareAt: string;
  /** Customers on the case's affected list (0: nobody to notify, the case does not count). */
  affected: number;
  firstCustomerNoticeAt: string | null;
  /** When the case first appeared on the security page; null when it never did (or was withdrawn). */
  publicNoticeAt: string | null;
  /** Its public page (language-neutral), when published. */
  publicPath: string | null;
}

export interface MissedCase {
  /** Null for a case not on the security page: its existence is not ours to reveal here. */
  reference: string | null;
  publicPath: string | null;
  /** Hours it took (null: not done yet). */
  hours: number | null;
}

export interface CommitmentYear {
  year: number;
  kept: number;
  missed: number;
  /** Still inside the promised time, not yet done: counted neither way. */
  pending: number;
  missedCases: MissedCase[];
}

/** Which cases a commitment is about. */
function applies(commitment: Commitment, c: CaseTimeline): boolean {
  if (c.affected <= 0) return false;
  return commitment.kind === 'customer-notice' || c.kind === 'incident';
}

/** The instant that fulfils the commitment for a case. */
function doneAt(commitment: Commitment, c: CaseTimeline): string | null {
  return commitment.kind === 'customer-notice' ? c.firstCustomerNoticeAt : c.publicNoticeAt;
}

/** The record per year, newest year first. */
export function commitmentRecord(
  commitment: Commitment,
  cases: readonly CaseTimeline[],
  now: Date,
): CommitmentYear[] {
  const years = new Map<number, CommitmentYear>();
  for (const c of cases) {
    if (!applies(commitment, c)) continue;
    const year = Number(c.awareAt.slice(0, 4));
    const row = years.get(year) ?? { year, kept: 0, missed: 0, pending: 0, missedCases: [] };
    years.set(year, row);
    const done = doneAt(commitment, c);
    const hours = hoursBetween(c.awareAt, done);
    if (done !== null && hours !== null && hours <= commitment.hours) {
      row.kept++;
      continue;
    }
    const elapsed = hoursBetween(c.awareAt, now.toISOString()) ?? 0;
    if (done === null && elapsed <= commitment.hours) {
      row.pending++;
      continue;
    }
    row.missed++;
    const published = c.publicPath !== null;
    row.missedCases.push({
      reference: published ? c.reference : null,
      publicPath: c.publicPath,
      hours: done === null ? null : hours,
    });
  }
  return [...years.values()].sort((a, b) => b.year - a.year);
}
