import { describe, expect, it } from 'vitest';
import { legalClocks } from './assessment/legal-clocks.js';
import {
  closeBlockers,
  nextDeadline,
  nextStep,
  recallSteps,
  type RecallFacts,
  type RecallStep,
  type RecallViewer,
} from './recall-steps.js';

const AWARE = '2026-11-27T02:00:00.000Z';
const NOW = new Date('2026-11-27T10:00:00.000Z');

const fresh: RecallFacts = {
  kind: 'incident',
  state: 'open',
  awareAt: AWARE,
  decision: null,
  affected: 0,
  notices: [],
  dispatches: [],
  published: false,
  clocks: legalClocks(AWARE, null, [], NOW),
  responses: { total: 0, acknowledged: 0, remedied: 0 },
};
const responder: RecallViewer = { username: 'rita', roles: ['responder'] };
const approver: RecallViewer = { username: 'abe', roles: ['approver'] };
const viewer: RecallViewer = { username: 'vic', roles: ['viewer'] };

function step(facts: RecallFacts, who: RecallViewer, name: RecallStep) {
  return recallSteps(facts, who).find((s) => s.step === name)!;
}

describe('recall steps', () => {
  it('lists the eight steps in order', () => {
    expect(recallSteps(fresh, responder).map((s) => s.step)).toEqual([
      'assess',
      'affected',
      'notice',
      'approval',
      'send',
      'public',
      'authority',
      'remedy',
    ]);
  });

  it('a fresh incident needs the responder to assess, find the affected, write; later steps wait', () => {
    const s = recallSteps(fresh, responder);
    expect(s.map((x) => x.state)).toEqual([
      'needs-you',
      'needs-you',
      'needs-you',
      'not-yet',
      'not-yet',
      'needs-you',
      'needs-you',
      'not-yet',
    ]);
    expect(s[3]!.reason.code).toBe('write-notice-first');
    expect(s[6]!.reason).toEqual({ code: 'report-due', clocks: 1 });
    expect(nextStep(s)?.step).toBe('assess');
  });

  it('a viewer sees everything as waiting for someone else', () => {
    const s = recallSteps(fresh, viewer);
    expect(s.filter((x) => x.state === 'needs-you')).toEqual([]);
    expect(step(fresh, viewer, 'affected').state).toBe('waiting');
    expect(step(fresh, viewer, 'authority').reason).toEqual({
      code: 'reporter-needed',
      clocks: 1,
    });
  });

  it('approval: needs an approver who wrote nothing; the author waits for another', () => {
    const written = { ...fresh, notices: [{ approved: false, editors: ['abe'] }] };
    expect(step(written, responder, 'approval')).toMatchObject({
      state: 'waiting',
      reason: { code: 'approver-needed' },
    });
    expect(step(written, approver, 'approval')).toMatchObject({
      state: 'waiting',
      reason: { code: 'you-wrote-it' },
    });
    const byOther = { ...fresh, notices: [{ approved: false, editors: ['rita'] }] };
    expect(step(byOther, approver, 'approval')).toMatchObject({
      state: 'needs-you',
      reason: { code: 'approve-now' },
    });
    expect(step(byOther, responder, 'notice').state).toBe('done');
  });

  it('send: needs the sender once approved, waits while running, done when completed', () => {
    const approved = { ...fresh, affected: 4, notices: [{ approved: true, editors: ['rita'] }] };
    expect(step(approved, responder, 'send').state).toBe('needs-you');
    expect(step(approved, approver, 'send')).toMatchObject({
      state: 'waiting',
      reason: { code: 'sender-needed' },
    });
    const running = { ...approved, dispatches: [{ state: 'running', total: 4, done: 1 }] };
    expect(step(running, responder, 'send')).toMatchObject({
      state: 'waiting',
      reason: { code: 'sending', done: 1, total: 4 },
    });
    const sent = {
      ...approved,
      dispatches: [{ state: 'completed', total: 4, done: 4 }],
      responses: { total: 4, acknowledged: 2, remedied: 1 },
    };
    expect(step(sent, responder, 'send')).toMatchObject({ state: 'done' });
    expect(step(sent, responder, 'remedy')).toMatchObject({
      state: 'waiting',
      reason: { code: 'customers-responding', acknowledged: 2, remedied: 1, total: 4 },
    });
    const remedied = { ...sent, responses: { total: 4, acknowledged: 4, remedied: 4 } };
    expect(step(remedied, responder, 'remedy').state).toBe('done');
  });

  it('not needed: customers not to be told, authority not to be notified, advisories', () => {
    const quiet: RecallFacts = {
      ...fresh,
      decision: { authorityNotify: false, subjectsNotify: false },
      clocks: [],
    };
    const s = recallSteps(quiet, responder);
    expect(s.filter((x) => x.state === 'not-needed').map((x) => x.step)).toEqual([
      'affected',
      'notice',
      'approval',
      'send',
      'authority',
    ]);
    expect(step(quiet, responder, 'assess').state).toBe('done');
    const advisory: RecallFacts = { ...fresh, kind: 'advisory', awareAt: null, clocks: [] };
    expect(step(advisory, responder, 'assess').reason.code).toBe('advisory-no-assessment');
    expect(step(advisory, responder, 'authority').reason.code).toBe('advisory-no-report');
  });

  it('without a moment of awareness the authority report says the clocks have not started', () => {
    const unaware = { ...fresh, awareAt: null, clocks: [] };
    expect(step(unaware, responder, 'authority')).toMatchObject({
      state: 'not-yet',
      reason: { code: 'clocks-not-started' },
    });
  });

  it('done when the report is submitted and the record published', () => {
    const clocks = legalClocks(
      AWARE,
      null,
      [{ kind: 'gdpr-art33', submittedAt: NOW.toISOString() }],
      NOW,
    );
    const done = { ...fresh, clocks, published: true };
    expect(step(done, viewer, 'authority').state).toBe('done');
    expect(step(done, viewer, 'public').state).toBe('done');
  });
});

describe('next deadline', () => {
  it('picks the soonest open clock and turns urgent at 90 % and overdue after', () => {
    expect(nextDeadline([])).toBeNull();
    const at = (hours: number) => new Date(Date.parse(AWARE) + hours * 3_600_000);
    expect(nextDeadline(legalClocks(AWARE, null, [], at(10)))?.level).toBe('running');
    expect(nextDeadline(legalClocks(AWARE, null, [], at(64.7)))?.level).toBe('running');
    expect(nextDeadline(legalClocks(AWARE, null, [], at(64.8)))?.level).toBe('urgent');
    expect(nextDeadline(legalClocks(AWARE, null, [], at(73)))?.level).toBe('overdue');
    const nis2 = legalClocks(
      AWARE,
      {
        personalData: true,
        authority: { notify: true, source: 'advice', rationale: null },
        subjects: { notify: true, publicCommunication: false, source: 'advice', rationale: null },
        nis2: { significant: true, source: 'advice', rationale: null },
      },
      [],
      at(1),
    );
    expect(nextDeadline(nis2)?.clock.kind).toBe('nis2-early-warning');
  });
});

describe('close blockers', () => {
  it('names running clocks and unsent notices, none when all is done', () => {
    expect(closeBlockers({ clocks: fresh.clocks, unsentNotices: 2 })).toEqual({
      runningClocks: 1,
      unsentNotices: 2,
    });
    expect(closeBlockers({ clocks: [], unsentNotices: 0 })).toBeNull();
  });
});
