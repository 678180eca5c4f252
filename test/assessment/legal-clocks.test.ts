import { describe, expect, it } from 'vitest';
import type { EffectiveDecision } from '../../src/domain/assessment/assessment-facts.js';
import {
  addMonthsUtc,
  lateFilingRequiresReason,
  legalClocks,
} from '../../src/domain/assessment/legal-clocks.js';

const AWARE = '2026-11-27T03:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(AWARE) + hours * 3_600_000);

function decision(authority: boolean, nis2: boolean, personalData = true): EffectiveDecision {
  return {
    personalData,
    authority: { notify: authority, source: 'advice', rationale: null },
    subjects: { notify: false, publicCommunication: false, source: 'advice', rationale: null },
    nis2: { significant: nis2, source: 'advice', rationale: null },
  };
}

describe('legal clocks', () => {
  it('none without aware_at', () => {
    expect(legalClocks(null, decision(true, true), [], at(1))).toEqual([]);
  });

  it('GDPR Art. 33: due 72 h after aware_at; running, due soon at 90 %, overdue', () => {
    const [c] = legalClocks(AWARE, decision(true, false), [], at(36));
    expect(c).toMatchObject({
      kind: 'gdpr-art33',
      article: 'GDPR Art. 33(1)',
      dueAt: '2026-11-30T03:00:00.000Z',
      state: 'running',
      elapsedRatio: 0.5,
      late: false,
      provisional: false,
    });
    expect(c!.remainingMs).toBe(36 * 3_600_000);
    expect(legalClocks(AWARE, decision(true, false), [], at(64.7))[0]!.state).toBe('running');
    expect(legalClocks(AWARE, decision(true, false), [], at(64.8))[0]!.state).toBe('due-soon');
    const late = legalClocks(AWARE, decision(true, false), [], at(73))[0]!;
    expect(late).toMatchObject({ state: 'overdue', late: true });
    expect(late.remainingMs).toBe(-3_600_000);
  });

  it('done once submitted; late when submitted after the due time', () => {
    const onTime = legalClocks(
      AWARE,
      decision(true, false),
      [{ kind: 'gdpr-art33', submittedAt: at(10).toISOString() }],
      at(100),
    )[0]!;
    expect(onTime).toMatchObject({ state: 'done', late: false, submittedAt: at(10).toISOString() });
    const after = legalClocks(
      AWARE,
      decision(true, false),
      [{ kind: 'gdpr-art33', submittedAt: at(80).toISOString() }],
      at(100),
    )[0]!;
    expect(after).toMatchObject({ state: 'done', late: true });
    expect(lateFilingRequiresReason(after, at(80))).toBe(true);
    expect(lateFilingRequiresReason(after, at(72))).toBe(false);
  });

  it('GDPR runs provisionally before any assessment, and not when no notification is due', () => {
    expect(legalClocks(AWARE, null, [], at(1)).map((c) => [c.kind, c.provisional])).toEqual([
      ['gdpr-art33', true],
    ]);
    expect(legalClocks(AWARE, decision(false, false), [], at(1))).toEqual([]);
    expect(legalClocks(AWARE, decision(true, false, false), [], at(1))).toEqual([]);
  });

  it('NIS2: early warning 24 h, notification 72 h, final report a month after the notification', () => {
    const clocks = legalClocks(AWARE, decision(false, true), [], at(12));
    expect(clocks.map((c) => [c.kind, c.dueAt])).toEqual([
      ['nis2-early-warning', '2026-11-28T03:00:00.000Z'],
      ['nis2-notification', '2026-11-30T03:00:00.000Z'],
      ['nis2-final', '2026-12-30T03:00:00.000Z'],
    ]);
    expect(clocks[0]!.elapsedRatio).toBe(0.5);
    const notified = legalClocks(
      AWARE,
      decision(true, true),
      [{ kind: 'nis2-notification', submittedAt: '2026-11-29T10:00:00Z' }],
      at(60),
    );
    const final = notified.find((c) => c.kind === 'nis2-final')!;
    expect(final).toMatchObject({
      startsAt: '2026-11-29T10:00:00.000Z',
      dueAt: '2026-12-29T10:00:00.000Z',
      state: 'running',
    });
    expect(notified.map((c) => c.kind)).toEqual([
      'gdpr-art33',
      'nis2-early-warning',
      'nis2-notification',
      'nis2-final',
    ]);
  });

  it('the earliest submission of a kind counts (supplements do not move it)', () => {
    const [c] = legalClocks(
      AWARE,
      decision(true, false),
      [
        { kind: 'gdpr-art33', submittedAt: at(50).toISOString() },
        { kind: 'gdpr-art33', submittedAt: at(20).toISOString() },
      ],
      at(100),
    );
    expect(c!.submittedAt).toBe(at(20).toISOString());
  });

  it('adds calendar months, clamped to the end of a shorter month', () => {
    expect(addMonthsUtc('2027-01-31T12:00:00Z', 1)).toBe('2027-02-28T12:00:00.000Z');
    expect(addMonthsUtc('2028-01-31T12:00:00Z', 1)).toBe('2028-02-29T12:00:00.000Z');
    expect(addMonthsUtc('2026-12-15T00:00:00Z', 1)).toBe('2027-01-15T00:00:00.000Z');
  });
});
