import { can, type Role } from './access.js';
import type { LegalClock } from './assessment/legal-clocks.js';
import type { CaseKind, CaseState } from './case.js';

// The recall as steps, as the case workspace's tracker shows it: what is done, what the person
// looking at it should do next, what waits for someone else, and what the case does not need —
// each with the reason, so a newcomer at 3 a.m. never has to guess what comes next. Pure: the
// service gathers the facts (case-progress.service.ts), the viewer decides "you" vs "someone".

export const RECALL_STEPS = [
  'assess',
  'affected',
  'notice',
  'approval',
  'send',
  'public',
  'authority',
  'remedy',
] as const;
export type RecallStep = (typeof RECALL_STEPS)[number];

/**
 * done · needs-you: the viewer can and should do it now · waiting: it waits for someone else
 * (another role, a second approver, the customers, a running dispatch) · not-yet: an earlier
 * step must come first · not-needed: this case does not need it.
 */
export const STEP_STATES = ['done', 'needs-you', 'waiting', 'not-yet', 'not-needed'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** Why a step is in its state; the view turns the code and its numbers into words. */
export type StepReason =
  | { code: 'assessed' }
  | { code: 'not-assessed' }
  | { code: 'advisory-no-assessment' }
  | { code: 'affected-set'; count: number }
  | { code: 'affected-empty' }
  | { code: 'subjects-not-notified' }
  | { code: 'notice-written'; count: number }
  | { code: 'no-notice' }
  | { code: 'write-notice-first' }
  | { code: 'approved' }
  | { code: 'approve-now' }
  | { code: 'you-wrote-it' }
  | { code: 'approver-needed' }
  | { code: 'approve-first' }
  | { code: 'sent'; count: number }
  | { code: 'sending'; done: number; total: number }
  | { code: 'send-now' }
  | { code: 'sender-needed' }
  | { code: 'published' }
  | { code: 'publish-now' }
  | { code: 'publisher-needed' }
  | { code: 'reports-done' }
  | { code: 'report-due'; clocks: number }
  | { code: 'reporter-needed'; clocks: number }
  | { code: 'clocks-not-started' }
  | { code: 'authority-not-notified' }
  | { code: 'advisory-no-report' }
  | { code: 'send-first' }
  | { code: 'customers-responding'; acknowledged: number; remedied: number; total: number }
  | { code: 'all-remedied'; total: number };

/** One step of the tracker. */
export interface RecallStepStatus {
  step: RecallStep;
  state: StepState;
  reason: StepReason;
}

/** The facts of one case the steps are computed from (gathered by the service). */
export interface RecallFacts {
  kind: CaseKind;
  state: CaseState;
  awareAt: string | null;
  /** The assessment's decision in force; null before anyone assessed. */
  decision: { authorityNotify: boolean; subjectsNotify: boolean } | null;
  /** Customers in the affected set now (list ∪ filter, or the frozen set). */
  affected: number;
  /** Notices to the affected set. `editors` wrote some version and may not approve it. */
  notices: readonly { approved: boolean; editors: readonly string[] }[];
  /** Dispatches that were not cancelled. */
  dispatches: readonly { state: string; total: number; done: number }[];
  /** The public record is published (and not withdrawn). */
  published: boolean;
  clocks: readonly LegalClock[];
  responses: { total: number; acknowledged: number; remedied: number };
}

/** Who is looking: "needs you" depends on their roles and on what they wrote. */
export interface RecallViewer {
  username: string;
  roles: readonly Role[];
}

/** The eight steps of the recall for one viewer, in order. */
export function recallSteps(facts: RecallFacts, viewer: RecallViewer): RecallStepStatus[] {
  const mayDo = (permission: Parameters<typeof can>[1]) => can(viewer.roles, permission);
  const todo = (
    permission: Parameters<typeof can>[1],
    mine: StepReason,
    theirs: StepReason,
  ): Pick<RecallStepStatus, 'state' | 'reason'> =>
    mayDo(permission) ? { state: 'needs-you', reason: mine } : { state: 'waiting', reason: theirs };
  const customersTold = facts.decision === null || facts.decision.subjectsNotify;
  const live = facts.dispatches;
  const sentTotal = live.reduce((s, d) => s + d.total, 0);
  const finished = live.filter((d) => d.state === 'completed');
  const approved = facts.notices.filter((n) => n.approved);
  const anySent = live.length > 0;

  const steps: Record<RecallStep, Pick<RecallStepStatus, 'state' | 'reason'>> = {
    assess:
      facts.decision !== null
        ? { state: 'done', reason: { code: 'assessed' } }
        : facts.kind === 'advisory'
          ? { state: 'not-needed', reason: { code: 'advisory-no-assessment' } }
          : todo('assessment:write', { code: 'not-assessed' }, { code: 'not-assessed' }),
    affected:
      facts.affected > 0 || anySent
        ? { state: 'done', reason: { code: 'affected-set', count: facts.affected } }
        : !customersTold
          ? { state: 'not-needed', reason: { code: 'subjects-not-notified' } }
          : todo('affected:write', { code: 'affected-empty' }, { code: 'affected-empty' }),
    notice:
      facts.notices.length > 0
        ? { state: 'done', reason: { code: 'notice-written', count: facts.notices.length } }
        : !customersTold
          ? { state: 'not-needed', reason: { code: 'subjects-not-notified' } }
          : todo('notices:write', { code: 'no-notice' }, { code: 'no-notice' }),
    approval: approvalStep(facts, viewer, customersTold, anySent, approved.length),
    send: anySent
      ? finished.length === live.length
        ? { state: 'done', reason: { code: 'sent', count: sentTotal } }
        : {
            state: 'waiting',
            reason: {
              code: 'sending',
              done: live.reduce((s, d) => s + d.done, 0),
              total: sentTotal,
            },
          }
      : !customersTold && facts.notices.length === 0
        ? { state: 'not-needed', reason: { code: 'subjects-not-notified' } }
        : approved.length === 0
          ? { state: 'not-yet', reason: { code: 'approve-first' } }
          : todo('dispatch:start', { code: 'send-now' }, { code: 'sender-needed' }),
    public: facts.published
      ? { state: 'done', reason: { code: 'published' } }
      : todo('publication:publish', { code: 'publish-now' }, { code: 'publisher-needed' }),
    authority: authorityStep(facts, mayDo('reports:submit')),
    remedy: remedyStep(facts, anySent),
  };
  return RECALL_STEPS.map((step) => ({ step, ...steps[step] }));
}

function approvalStep(
  facts: RecallFacts,
  viewer: RecallViewer,
  customersTold: boolean,
  anySent: boolean,
  approvedCount: number,
): Pick<RecallStepStatus, 'state' | 'reason'> {
  if (approvedCount > 0 || anySent) return { state: 'done', reason: { code: 'approved' } };
  if (facts.notices.length === 0)
    return customersTold
      ? { state: 'not-yet', reason: { code: 'write-notice-first' } }
      : { state: 'not-needed', reason: { code: 'subjects-not-notified' } };
  // Only the approver role signs notices (notice.service.ts refuses even an admin without it).
  if (!viewer.roles.includes('approver'))
    return { state: 'waiting', reason: { code: 'approver-needed' } };
  // Four eyes: a notice the viewer wrote any of waits for another approver.
  const approvable = facts.notices.some((n) => !n.editors.includes(viewer.username));
  return approvable
    ? { state: 'needs-you', reason: { code: 'approve-now' } }
    : { state: 'waiting', reason: { code: 'you-wrote-it' } };
}

function authorityStep(
  facts: RecallFacts,
  mayReport: boolean,
): Pick<RecallStepStatus, 'state' | 'reason'> {
  if (facts.kind === 'advisory' && facts.clocks.length === 0)
    return { state: 'not-needed', reason: { code: 'advisory-no-report' } };
  if (facts.decision !== null && !facts.decision.authorityNotify && facts.clocks.length === 0)
    return { state: 'not-needed', reason: { code: 'authority-not-notified' } };
  if (facts.awareAt === null) return { state: 'not-yet', reason: { code: 'clocks-not-started' } };
  const open = facts.clocks.filter((c) => c.state !== 'done').length;
  if (open === 0) return { state: 'done', reason: { code: 'reports-done' } };
  return mayReport
    ? { state: 'needs-you', reason: { code: 'report-due', clocks: open } }
    : { state: 'waiting', reason: { code: 'reporter-needed', clocks: open } };
}

// There is no remedies feature yet: the remedy step follows what customers confirm on their
// personal page (acknowledged, done), which is all Candor knows of the fix being made.
function remedyStep(
  facts: RecallFacts,
  anySent: boolean,
): Pick<RecallStepStatus, 'state' | 'reason'> {
  const { total, acknowledged, remedied } = facts.responses;
  if (!anySent || total === 0) return { state: 'not-yet', reason: { code: 'send-first' } };
  if (remedied >= total) return { state: 'done', reason: { code: 'all-remedied', total } };
  return {
    state: 'waiting',
    reason: { code: 'customers-responding', acknowledged, remedied, total },
  };
}

/** The first step that needs the viewer, else the first that is not finished; null when all are. */
export function nextStep(steps: readonly RecallStepStatus[]): RecallStepStatus | null {
  return (
    steps.find((s) => s.state === 'needs-you') ??
    steps.find((s) => s.state === 'waiting' || s.state === 'not-yet') ??
    null
  );
}

/**
 * The legal deadline to show in the banner: the running clock due soonest (overdue first).
 * `urgent` from 90 % of the period elapsed, as the clock's own "due soon".
 */
export function nextDeadline(
  clocks: readonly LegalClock[],
): { clock: LegalClock; level: 'running' | 'urgent' | 'overdue' } | null {
  const open = clocks
    .filter((c) => c.state !== 'done')
    .sort((a, b) => a.remainingMs - b.remainingMs);
  const clock = open[0];
  if (!clock) return null;
  const level =
    clock.state === 'overdue' ? 'overdue' : clock.state === 'due-soon' ? 'urgent' : 'running';
  return { clock, level };
}

/**
 * What closing a case would leave behind: clocks still running and notices to the affected that
 * were never sent. Closing with any of them needs an override with a reason.
 */
export function closeBlockers(facts: {
  clocks: readonly LegalClock[];
  unsentNotices: number;
}): { runningClocks: number; unsentNotices: number } | null {
  const runningClocks = facts.clocks.filter((c) => c.state !== 'done').length;
  return runningClocks > 0 || facts.unsentNotices > 0
    ? { runningClocks, unsentNotices: facts.unsentNotices }
    : null;
}
