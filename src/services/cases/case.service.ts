import { authorize, type Actor } from '../../domain/access.js';
import {
  canTransition,
  caseReference,
  caseUpdateSchema,
  isMilestone,
  newCaseSchema,
  newEventSchema,
  toUtc,
  type CaseKind,
  type CaseState,
  type CaseUpdate,
  type CaseView,
  type EventKind,
  type NewCase,
  type NewEvent,
} from '../../domain/case.js';
import { ConflictError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import * as cases from '../../store/case.repository.js';
import { nowIso, type Executor } from '../../store/executor.js';
import type { CaseEventRow, CaseRow } from '../../store/schema.js';
type CloseBlockers = NonNullable<ReturnType<typeof closeBlockers>>;
import { appendAudit } from '../access/audit.service.js';
import { releaseDueEmbargoes } from '../publication/embargo-release.service.js';
import { requireCase } from './case-lookup.js';
import { revalidateApprovals } from '../notices/notice-approval.service.js';
import { guessLanguage } from '../../domain/statements.js';
import { upsertStatement } from '../../store/statement.repository.js';
import { closeBlockers } from '../../domain/recall-steps.js';
// case-progress.service.ts resolves cases through this module; the import back is used only
// when a close is checked, as with embargo-release.service.ts.
import { gatherRecallFacts } from './case-progress.service.js';

/** Presents a stored case. */
export function toCaseView(row: CaseRow): CaseView {
  return {
    id: row.id,
    reference: row.reference,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    state: row.state,
    affectedFilter: row.affected_filter,
    detectedAt: row.detected_at,
    awareAt: row.aware_at,
    containedAt: row.contained_at,
    resolvedAt: row.resolved_at,
    frozenAt: row.frozen_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toEventView(row: CaseEventRow) {
  return {
    id: row.id,
    kind: row.kind,
    at: row.at,
    text: row.text,
    actor: row.actor,
    recordedAt: row.recorded_at,
  };
}

const MILESTONE_COLUMN = {
  detected: 'detected_at',
  aware: 'aware_at',
  contained: 'contained_at',
  resolved: 'resolved_at',
} as const;

/** Opens a case: draft state, a reference, and the detected/aware milestones if known. */
export async function createCase(
  actor: Actor,
  input: NewCase,
  deps: { database: Database },
): Promise<CaseView> {
  authorize(actor, 'cases:write');
  const data = newCaseSchema.parse(input);
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const now = nowIso();
    const year = new Date(now).getUTCFullYear();
    const prefix = caseReference(data.kind, year, 0).slice(0, -4);
    const sequence = (await cases.countCasesWithReferencePrefix(tx, prefix)) + 1;
    const id = await cases.insertCase(tx, {
      reference: caseReference(data.kind, year, sequence),
      kind: data.kind,
      title: data.title,
      summary: data.summary,
      state: 'draft',
      affected_filter: null,
      detected_at: data.detectedAt ? toUtc(data.detectedAt) : null,
      aware_at: data.awareAt ? toUtc(data.awareAt) : null,
      contained_at: null,
      resolved_at: null,
      frozen_at: null,
      created_by: actor.name,
      created_at: now,
      updated_at: now,
    });
    for (const [kind, at] of [
      ['detected', data.detectedAt],
      ['aware', data.awareAt],
    ] as const) {
      if (at) await recordEvent(tx, id, actor, { kind, at: toUtc(at), text: milestoneText(kind) });
    }
    // The summary is written in one language: it becomes that language's "what happened", and
    // the check asks for the other languages the notices need.
    const statements =
      data.statements ??
      (data.summary ? { what_happened: { [guessLanguage(data.summary)]: data.summary } } : {});
    for (const [key, texts] of Object.entries(statements)) {
      for (const [language, text] of Object.entries(texts ?? {})) {
        if (text)
          await upsertStatement(tx, {
            case_id: id,
            key,
            language,
            text,
            updated_by: actor.name,
            updated_at: now,
          });
      }
    }
    await appendAudit(tx, dialect, actor, {
      action: 'case.create',
      objectType: 'case',
      objectId: id,
      details: { kind: data.kind, title: data.title, awareAt: data.awareAt ?? null },
    });
    return toCaseView((await cases.findCaseById(tx, id))!);
  });
}

/** Updates facts, milestones or the lifecycle state of a case. */
export async function updateCase(
  actor: Actor,
  idOrReference: string | number,
  input: CaseUpdate,
  deps: { database: Database },
): Promise<CaseView> {
  authorize(actor, 'cases:write');
  const data = caseUpdateSchema.parse(input);
  const { db, dialect } = deps.database;
  const view = await db.transaction().execute(async (tx) => {
    const row = await requireCase(tx, idOrReference);
    if (data.state && data.state !== row.state && !canTransition(row.state, data.state)) {
      throw new ConflictError(`a case cannot go back from ${row.state} to ${data.state}`);
    }
    const overridden =
      data.state === 'closed' && row.state !== 'closed'
        ? await guardClose(tx, dialect, row, data.override?.reason)
        : null;
    const milestones = {
      detected: data.detectedAt,
      aware: data.awareAt,
      contained: data.containedAt,
      resolved: data.resolvedAt,
    };
    const patch: Record<string, string | null> = {};
    if (data.title !== undefined) patch.title = data.title;
    if (data.summary !== undefined) patch.summary = data.summary;
    if (data.state !== undefined) patch.state = data.state;
    for (const [kind, at] of Object.entries(milestones) as [
      keyof typeof MILESTONE_COLUMN,
      string | null | undefined,
    ][]) {
      if (at === undefined) continue;
      const value = at === null ? null : toUtc(at);
      patch[MILESTONE_COLUMN[kind]] = value;
      if (value)
        await recordEvent(tx, row.id, actor, { kind, at: value, text: milestoneText(kind) });
    }
    if (data.state && data.state !== row.state) {
      await recordEvent(tx, row.id, actor, {
        kind: 'note',
        at: nowIso(),
        text: `State: ${row.state} → ${data.state}`,
      });
    }
    if (overridden) {
      await recordEvent(tx, row.id, actor, {
        kind: 'note',
        at: nowIso(),
        text: `Closed by override (${describeBlockers(overridden)}): ${overridden.reason}`,
      });
    }
    await cases.updateCase(tx, row.id, { ...patch, updated_at: nowIso() });
    await appendAudit(tx, dialect, actor, {
      action: 'case.update',
      objectType: 'case',
      objectId: row.id,
      details: {
        changes: patch,
        previousState: row.state,
        ...(overridden ? { closeOverride: overridden } : {}),
      },
    });
    await revalidateApprovals(tx, dialect, actor, { caseId: row.id, cause: 'case edited' });
    return toCaseView((await cases.findCaseById(tx, row.id))!);
  });
  await releaseOnResolve(view, deps);
  return view;
}

/**
 * Closing ends the case's work: refused while a legal clock still runs or a notice to the
 * affected was never sent, unless an override gives the reason (returned for the audit).
 */
async function guardClose(
  tx: Executor,
  dialect: Database['dialect'],
  row: CaseRow,
  overrideReason: string | undefined,
): Promise<(CloseBlockers & { reason: string }) | null> {
  const facts = await gatherRecallFacts(tx, dialect, row, new Date());
  const blockers = closeBlockers({ clocks: facts.clocks, unsentNotices: facts.unsentNotices });
  if (!blockers) return null;
  if (overrideReason === undefined) {
    throw new ConflictError(
      `${row.reference} cannot be closed: ${describeBlockers(blockers)}; closed cases cannot be reopened — close with an override and its reason to do it anyway`,
      { reason: 'close-blocked', ...blockers },
    );
  }
  return { ...blockers, reason: overrideReason };
}

/** "2 legal clocks are still running and 1 notice was never sent". */
export function describeBlockers(b: CloseBlockers): string {
  const parts: string[] = [];
  if (b.runningClocks > 0)
    parts.push(
      `${b.runningClocks} legal clock${b.runningClocks === 1 ? ' is' : 's are'} still running`,
    );
  if (b.unsentNotices > 0)
    parts.push(
      `${b.unsentNotices} notice${b.unsentNotices === 1 ? '' : 's'} to the affected ${b.unsentNotices === 1 ? 'was' : 'were'} never sent`,
    );
  return parts.join(' and ');
}

/**
 * Embargoes held "until resolved" go public the moment the case is resolved, not at the
 * scheduler's next tick. After the commit: the release is its own public change (and the
 * scheduler would still catch it if this process died in between).
 */
async function releaseOnResolve(view: CaseView, deps: { database: Database }): Promise<void> {
  if (view.resolvedAt === null && !['resolved', 'closed'].includes(view.state)) return;
  await releaseDueEmbargoes(deps, { caseId: view.id });
}

/** Adds a timeline event; a milestone event also sets the case's timestamp. */
export async function addCaseEvent(
  actor: Actor,
  idOrReference: string | number,
  input: NewEvent,
  deps: { database: Database },
) {
  authorize(actor, 'cases:write');
  const data = newEventSchema.parse(input);
  const { db, dialect } = deps.database;
  const event = await db.transaction().execute(async (tx) => {
    const row = await requireCase(tx, idOrReference);
    const at = data.at ? toUtc(data.at) : nowIso();
    const id = await recordEvent(tx, row.id, actor, { kind: data.kind, at, text: data.text });
    if (isMilestone(data.kind)) {
      await cases.updateCase(tx, row.id, {
        [MILESTONE_COLUMN[data.kind]]: at,
        updated_at: nowIso(),
      });
    }
    await appendAudit(tx, dialect, actor, {
      action: 'case.event',
      objectType: 'case',
      objectId: row.id,
      details: { eventId: id, kind: data.kind, at },
    });
    // A milestone or a recorded measure is a fact notices may claim: approvals that used it end.
    if (data.kind !== 'note')
      await revalidateApprovals(tx, dialect, actor, { caseId: row.id, cause: 'timeline event' });
    return toEventView((await cases.listCaseEvents(tx, row.id)).find((e) => e.id === id)!);
  });
  if (event.kind === 'resolved') {
    const row = await requireCase(db, idOrReference);
    await releaseOnResolve(toCaseView(row), deps);
  }
  return event;
}

/** A case with its timeline. */
export async function getCase(
  actor: Actor,
  idOrReference: string | number,
  deps: { database: Database },
) {
  authorize(actor, 'cases:read');
  const row = await requireCase(deps.database.db, idOrReference);
  const events = await cases.listCaseEvents(deps.database.db, row.id);
  return { ...toCaseView(row), events: events.map(toEventView) };
}

/** Cases, newest first. */
export async function listCases(
  actor: Actor,
  filter: { states?: CaseState[]; kind?: CaseKind; limit?: number },
  deps: { database: Database },
): Promise<CaseView[]> {
  authorize(actor, 'cases:read');
  const rows = await cases.listCases(deps.database.db, { ...filter, limit: filter.limit ?? 100 });
  return rows.map(toCaseView);
}

async function recordEvent(
  tx: Executor,
  caseId: number,
  actor: Actor,
  event: { kind: EventKind; at: string; text: string },
): Promise<number> {
  return cases.insertCaseEvent(tx, {
    case_id: caseId,
    kind: event.kind,
    at: event.at,
    text: event.text,
    actor: actor.name,
    recorded_at: nowIso(),
  });
}

function milestoneText(kind: EventKind): string {
  return {
    detected: 'Detected',
    aware: 'Became aware (legal clocks start)',
    contained: 'Contained',
    resolved: 'Resolved',
    passwords_reset: 'Passwords reset',
    note: '',
  }[kind];
}

export { requireCase };
