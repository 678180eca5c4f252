import { describe, expect, it } from 'vitest';
import { commitmentRecord, type CaseTimeline } from './commitment-record.js';
import type { Commitment } from './posture.js';

const customers24: Commitment = {
  id: 'c',
  kind: 'customer-notice',
  hours: 24,
  text: { nl: '', en: '' },
};
const public7d: Commitment = { ...customers24, kind: 'public-notice', hours: 168 };

const kase = (over: Partial<CaseTimeline>): CaseTimeline => ({
  reference: 'INC-2025-0001',
  kind: 'incident',
  awareAt: '2025-03-01T10:00:00Z',
  affected: 10,
  firstCustomerNoticeAt: null,
  publicNoticeAt: null,
  publicPath: null,
  ...over,
});

describe('the record of a commitment', () => {
  const now = new Date('2026-06-01T00:00:00Z');

  it('counts kept and missed per year of awareness, newest year first', () => {
    const record = commitmentRecord(
      customers24,
      [
        kase({ firstCustomerNoticeAt: '2025-03-02T10:00:00Z' }), // exactly 24 h: kept
        kase({
          reference: 'INC-2025-0002',
          firstCustomerNoticeAt: '2025-03-02T10:06:00Z', // 24.1 h: missed
          publicPath: '/security/2025/inc-2025-0002-x',
        }),
        kase({ awareAt: '2026-01-05T00:00:00Z', firstCustomerNoticeAt: '2026-01-05T03:00:00Z' }),
      ],
      now,
    );
    expect(record).toEqual([
      { year: 2026, kept: 1, missed: 0, pending: 0, missedCases: [] },
      {
        year: 2025,
        kept: 1,
        missed: 1,
        pending: 0,
        missedCases: [
          { reference: 'INC-2025-0002', publicPath: '/security/2025/inc-2025-0002-x', hours: 24.1 },
        ],
      },
    ]);
  });

  it('a case not done in time is missed; one still inside the time is pending', () => {
    const record = commitmentRecord(
      customers24,
      [kase({}), kase({ awareAt: '2026-05-31T12:00:00Z' })],
      now,
    );
    expect(record).toEqual([
      { year: 2026, kept: 0, missed: 0, pending: 1, missedCases: [] },
      // Not public: counted, reference withheld.
      {
        year: 2025,
        kept: 0,
        missed: 1,
        pending: 0,
        missedCases: [{ reference: null, publicPath: null, hours: null }],
      },
    ]);
  });

  it('leaves out cases without affected customers, and advisories for the public commitment', () => {
    const cases = [
      kase({ affected: 0 }),
      kase({ kind: 'advisory', firstCustomerNoticeAt: '2025-03-01T12:00:00Z' }),
    ];
    expect(commitmentRecord(public7d, cases, now)).toEqual([]);
    expect(commitmentRecord(customers24, cases, now)).toEqual([
      { year: 2025, kept: 1, missed: 0, pending: 0, missedCases: [] },
    ]);
  });
});
