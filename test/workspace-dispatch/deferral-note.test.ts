import { describe, expect, it } from 'vitest';
import { progressTexts } from '../../src/http/views/workspace/case-dispatch-charts.view.js';
import type { DispatchProgress } from '../../src/services/dispatch/dispatch.service.js';

const waiting: DispatchProgress = {
  id: 7,
  noticeId: 3,
  caseId: 1,
  state: 'running',
  total: 120,
  counts: { queued: 40, sending: 0, sent: 15, deferred: 65, bounced: 0, failed: 0, cancelled: 0 },
  done: 15,
  rate: 0,
  etaSeconds: null,
  createdAt: '2026-12-07T10:00:00.000Z',
  finishedAt: null,
  deferral: {
    response: 'connect ECONNREFUSED 127.0.0.1:2525',
    at: '2026-12-07T10:01:00.000Z',
    nextAttemptAt: '2026-12-07T10:03:00.000Z',
  },
};

/** The dispatch tab says why deliveries wait, in the reader's language; live over the stream. */
describe('the deferral note on the dispatch tab', () => {
  it('names the count, the server answer and the next try, in Dutch and English', () => {
    const en = progressTexts({ locale: 'en', timeZone: 'Europe/London' }, waiting).deferral;
    expect(en).toBe(
      '65 waiting to be retried: the mail server answered “connect ECONNREFUSED 127.0.0.1:2525”. Next try 7 Dec 2026, 10:03 GMT.',
    );
    const nl = progressTexts({ locale: 'nl', timeZone: 'Europe/Amsterdam' }, waiting).deferral;
    expect(nl).toMatch(
      /^65 wachten op een nieuwe poging: de mailserver antwoordde „connect ECONNREFUSED/,
    );
    expect(nl).toContain('11:03');
  });

  it('is empty (and the note hidden) while nothing waits', () => {
    const none = { ...waiting, deferral: null, counts: { ...waiting.counts, deferred: 0 } };
    expect(progressTexts({ locale: 'en', timeZone: 'UTC' }, none).deferral).toBe('');
  });
});
