import { z } from 'zod';
import { authorize, type Actor } from '../../domain/access.js';
import { NotFoundError } from '../../domain/errors.js';
import { cumulativePerDay, rate } from '../../domain/remedies/completion-curve.js';
import { csvRecord } from '../../ingest/csv-writer.js';
import * as store from '../../store/completion.repository.js';
import type { Database } from '../../store/database.js';
import { findFirstDispatchAt } from '../../store/delivery-report.repository.js';
import type { CaseRow } from '../../store/schema.js';
import { localInputToUtc } from '../cases/case-workspace-time.js';
import { requireCase } from '../cases/case.service.js';

/**
 * How far a recall got: per case and per remedy, how many recipients were reached, read their
 * notice and completed; the completion curve per calendar day in a time zone; and who is
 * still open, as pages and as a CSV export. Read-only; confirmations are written elsewhere.
 */

type Deps = { database: Database };

/** The counts and rates of one set (the case or one remedy). */
export const completionFiguresSchema = z.object({
  affected: z.number().int(),
  reached: z.number().int(),
  read: z.number().int(),
  completed: z.number().int(),
  completedReached: z.number().int().describe('completed among the reached'),
  rates: z.object({
    reached: z.number().nullable().describe('reached / affected'),
    read: z.number().nullable().describe('read / affected'),
    readOfReached: z.number().nullable().describe('read among reached / reached'),
    completed: z.number().nullable().describe('completed / affected'),
    completedOfReached: z.number().nullable().describe('completed among reached / reached'),
  }),
});
export type CompletionFigures = z.infer<typeof completionFiguresSchema>;

export const remedyFiguresSchema = completionFiguresSchema.extend({
  key: z.string(),
  title: z.string(),
  completion: z.string().describe('customer | provider | both'),
  retired: z.boolean(),
});
export type RemedyFigures = z.infer<typeof remedyFiguresSchema>;

export const completionCurveSchema = z.object({
  timeZone: z.string(),
  /** The first dispatch: day 0 is the calendar day it started on. */
  since: z.string(),
  days: z.array(z.string()).describe('local calendar dates, YYYY-MM-DD'),
  dayStarts: z.array(z.string()).describe('UTC instant each local day starts'),
  dayEnds: z.array(z.string()).describe('UTC instant each local day ends (exclusive)'),
  reached: z.array(z.number().int()).describe('cumulative at the end of each day'),
  read: z.array(z.number().int()),
  completed: z.array(z.number().int()),
  remedies: z.array(z.object({ key: z.string(), completed: z.array(z.number().int()) })),
});
export type CompletionCurve = z.infer<typeof completionCurveSchema>;

export const completionOverviewSchema = z.object({
  case: z.string(),
  figures: completionFiguresSchema,
  problems: z.object({
    noEmail: z.number().int(),
    bounced: z.number().int(),
    failed: z.number().int(),
  }),
  remedies: z.array(remedyFiguresSchema),
  curve: completionCurveSchema.nullable().describe('null before the first dispatch'),
});
export type CompletionOverview = z.infer<typeof completionOverviewSchema>;

/** The longest curve drawn: a year of days. */
const MAX_DAYS = 366;

function figures(
  affected: number,
  reached: number,
  read: number,
  readReached: number,
  completed: number,
  completedReached: number,
): CompletionFigures {
  return {
    affected,
    reached,
    read,
    completed,
    completedReached,
    rates: {
      reached: rate(reached, affected),
      read: rate(read, affected),
      readOfReached: rate(readReached, reached),
      completed: rate(completed, affected),
      completedOfReached: rate(completedReached, reached),
    },
  };
}

/** `YYYY-MM-DD` of an instant in a zone. */
function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Local calendar days from `since`'s to `now`'s, with their UTC start and end. */
export function calendarDays(
  since: string,
  now: Date,
  timeZone: string,
): { days: string[]; starts: number[]; ends: number[] } {
  const days: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const last = localDate(now, timeZone);
  let date = localDate(new Date(since), timeZone);
  const start = (d: string) => Date.parse(localInputToUtc(`${d}T00:00`, timeZone) ?? `${d}Z`);
  for (let i = 0; i < MAX_DAYS; i += 1) {
    const next = nextDate(date);
    days.push(date);
    starts.push(start(date));
    ends.push(start(next));
    if (date >= last) break;
    date = next;
  }
  return { days, starts, ends };
}

function titleOf(titles: Map<string, string> | undefined, language: string, key: string): string {
  return titles?.get(language) ?? titles?.values().next().value ?? key;
}

/** Counts, rates, per remedy and the curve of a case, in `timeZone`. */
export async function getCompletionOverview(
  actor: Actor,
  caseRef: string,
  options: { timeZone: string; language?: string; now?: Date },
  deps: Deps,
): Promise<CompletionOverview & { kase: CaseRow }> {
  authorize(actor, 'cases:read');
  const { db, dialect } = deps.database;
  const kase = await requireCase(db, caseRef);
  const remedies = await store.listCaseRemedies(db, kase.id);
  const active = remedies.filter((r) => r.retiredAt === null).map((r) => r.id);
  const counts = await store.countCaseCompletion(db, kase.id, active);
  const perRemedy = await store.countRemedyCompletion(db, kase.id);
  const titles = await store.listRemedyTitles(db, kase.id);
  const language = options.language ?? 'en';
  const caseFigures = figures(
    counts.affected,
    counts.reached,
    counts.read,
    counts.readReached,
    counts.completed,
    counts.completedReached,
  );
  const remedyFigures = remedies.map((m) => {
    const c = perRemedy.get(m.id) ?? { completed: 0, completedReached: 0 };
    return {
      key: m.key,
      title: titleOf(titles.get(m.id), language, m.key),
      completion: m.completion,
      retired: m.retiredAt !== null,
      ...figures(
        counts.affected,
        counts.reached,
        counts.read,
        counts.readReached,
        c.completed,
        c.completedReached,
      ),
    };
  });

  const since = await findFirstDispatchAt(db, kase.id);
  let curve: CompletionCurve | null = null;
  if (since) {
    const calendar = calendarDays(since, options.now ?? new Date(), options.timeZone);
    const slots = await store.countCompletionSlots(db, dialect, kase.id, active);
    const slotMs = store.SLOT_SECONDS * 1000;
    const per = (changes: readonly store.SlotDelta[]) =>
      cumulativePerDay(changes, calendar.ends, slotMs);
    curve = {
      timeZone: options.timeZone,
      since,
      days: calendar.days,
      dayStarts: calendar.starts.map((ms) => new Date(ms).toISOString()),
      dayEnds: calendar.ends.map((ms) => new Date(ms).toISOString()),
      reached: per(slots.reached),
      read: per(slots.read),
      completed: per(slots.completed),
      remedies: remedies
        .filter((m) => m.retiredAt === null)
        .map((m) => ({ key: m.key, completed: per(slots.remedies.get(m.id) ?? []) })),
    };
  }
  return {
    kase,
    case: kase.reference,
    figures: caseFigures,
    problems: { noEmail: counts.noEmail, bounced: counts.bounced, failed: counts.failed },
    remedies: remedyFigures,
    curve,
  };
}

/** The open list's filter: one shape for the workspace form, the API and the export. */
export const openFilterSchema = z.object({
  remedy: z.string().trim().min(1).max(64).optional().describe('key of one remedy'),
  stage: z
    .enum(['unreached', 'unread', 'read'])
    .optional()
    .describe('unreached: no notice delivered; unread: delivered, not read; read: read'),
  language: z.string().trim().min(2).max(8).optional(),
  problem: z.enum(['bounced', 'failed', 'no-email']).optional(),
  q: z.string().trim().max(200).optional().describe('prefix of external id, email or name'),
});
export type OpenFilter = z.infer<typeof openFilterSchema>;

/** An open recipient as lists and exports show them. */
export interface OpenRecipient {
  id: number;
  externalId: string;
  name: string | null;
  email: string | null;
  language: string;
  reached: boolean;
  bounced: boolean;
  failed: boolean;
  acknowledgedAt: string | null;
  /** Keys of the live remedies still open for this recipient. */
  openRemedies: string[];
}

export interface OpenPage {
  rows: OpenRecipient[];
  nextAfterId: number | null;
}

async function openQuery(db: Deps['database']['db'], kase: CaseRow, filter: OpenFilter) {
  const remedies = await store.listCaseRemedies(db, kase.id);
  const live = remedies.filter((r) => r.retiredAt === null);
  let remedyId: number | undefined;
  if (filter.remedy) {
    const found = remedies.find((r) => r.key === filter.remedy);
    if (!found) throw new NotFoundError(`case ${kase.reference} has no remedy ${filter.remedy}`);
    remedyId = found.id;
  }
  const toOpen = (row: store.OpenRecipientRow): OpenRecipient => ({
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    email: row.email,
    language: row.language,
    reached: row.reached,
    bounced: row.bounced,
    failed: row.failed,
    acknowledgedAt: row.acknowledgedAt,
    openRemedies: live.filter((m) => !row.completedRemedies.includes(m.id)).map((m) => m.key),
  });
  const base: Omit<store.OpenQuery, 'limit' | 'afterId'> = {
    caseId: kase.id,
    active: live.map((m) => m.id),
    remedyId,
    stage: filter.stage,
    language: filter.language,
    problem: filter.problem,
    prefix: filter.q,
  };
  return { base, toOpen };
}

/** One page of the recipients who have not completed (keyset on the recipient id). */
export async function getOpenRecipients(
  actor: Actor,
  caseRef: string,
  filter: OpenFilter,
  page: { afterId?: number; limit?: number },
  deps: Deps,
): Promise<OpenPage> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const { base, toOpen } = await openQuery(db, kase, filter);
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  // One row more than shown tells whether a next page exists without counting.
  const rows = await store.listOpenRecipients(db, {
    ...base,
    afterId: page.afterId,
    limit: limit + 1,
  });
  const more = rows.length > limit;
  const shown = (more ? rows.slice(0, limit) : rows).map(toOpen);
  return { rows: shown, nextAfterId: more ? shown[shown.length - 1]!.id : null };
}

const CSV_HEADER = [
  'external_id',
  'name',
  'email',
  'language',
  'reached',
  'delivery_problem',
  'acknowledged_at',
  'open_remedies',
];

/**
 * The open list as CSV lines, a page of 5,000 at a time so memory stays flat for a million.
 * Cells a spreadsheet would run as a formula (a name `=HYPERLINK(…)`) are neutralised.
 * Checks access and the filter before the first line, so errors come before the download.
 */
export async function exportOpenRecipients(
  actor: Actor,
  caseRef: string,
  filter: OpenFilter,
  deps: Deps,
): Promise<{ kase: CaseRow; lines: AsyncGenerator<string> }> {
  authorize(actor, 'cases:read');
  const { db } = deps.database;
  const kase = await requireCase(db, caseRef);
  const { base, toOpen } = await openQuery(db, kase, filter);
  const cell = (fields: (string | null)[]) => csvRecord(fields, { neutraliseFormulas: true });
  async function* lines(): AsyncGenerator<string> {
    yield cell(CSV_HEADER);
    let after = 0;
    for (;;) {
      const rows = await store.listOpenRecipients(db, { ...base, afterId: after, limit: 5000 });
      if (rows.length === 0) return;
      let chunk = '';
      for (const r of rows.map(toOpen)) {
        chunk += cell([
          r.externalId,
          r.name,
          r.email,
          r.language,
          r.reached ? 'yes' : 'no',
          r.bounced ? 'bounced' : r.failed ? 'failed' : r.email === null ? 'no-email' : '',
          r.acknowledgedAt,
          r.openRemedies.join(' '),
        ]);
      }
      yield chunk;
      after = rows[rows.length - 1]!.id;
    }
  }
  return { kase, lines: lines() };
}
