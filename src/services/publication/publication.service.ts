import { applyEmbargo, embargoConditions } from '../../domain/embargo.js';
import { z } from 'zod';
import {
  hoursBetween,
  publicationPaths,
  publicLanguageSchema,
  type PublicationEvent,
  type PublicationEventKind,
  type PublicLanguage,
  type PublishedCase,
  type PublicText,
} from '../../domain/publication.js';
import { nowIso, readJson, type Executor, stringMapJson } from '../../store/executor.js';
import * as repo from '../../store/publication.repository.js';
import type { PublicationJoinRow } from '../../store/publication.repository.js';
import { listPublicUpdates } from '../../store/public-update.repository.js';

/**
 * The read side of the public record, and the one function every public change goes through
 * (`recordPublicChange`). Consumers (security page, feeds, CSAF, webhooks) only ever see
 * `PublishedCase` snapshots, already stripped of embargoed text.
 */

/** The public or press texts of a publication as stored: subject and Markdown per language. */
export const storedTextsSchema = z.partialRecord(
  publicLanguageSchema,
  z.object({ subject: z.string(), body: z.string() }),
);
export type StoredTexts = z.infer<typeof storedTextsSchema>;

/** Every published case, newest first, embargo-free. */
export async function listPublishedCases(db: Executor): Promise<PublishedCase[]> {
  return buildSnapshots(db, await repo.listPublicationRows(db));
}

/** One published case by reference (INC-2026-0001), or undefined. */
export async function getPublishedCase(
  db: Executor,
  reference: string,
): Promise<PublishedCase | undefined> {
  const row = await repo.findPublicationRowByReference(db, reference.toUpperCase());
  return row ? (await buildSnapshots(db, [row]))[0] : undefined;
}

/** Outbox rows after an id (exclusive), oldest first. */
export async function listPublicationEventsAfter(
  db: Executor,
  afterId: number,
  limit = 100,
): Promise<PublicationEvent[]> {
  const rows = await repo.listPublicationEventRowsAfter(db, afterId, limit);
  return rows.map((r) => ({
    id: Number(r.id),
    caseId: Number(r.case_id),
    reference: r.reference,
    kind: r.kind,
    at: r.at,
    revision: Number(r.revision),
    siteRevision: Number(r.site_revision),
  }));
}

/** The public site's revision: goes up with every public change (caches poll it). */
export async function publicSiteRevision(db: Executor): Promise<number> {
  return repo.readSiteRevision(db);
}

/**
 * What public caches compare once a second: the site revision, plus the newest dispatch (a
 * started dispatch changes the transparency figures shown on the public pages).
 */
export async function publicSiteMark(db: Executor): Promise<string> {
  const [revision, dispatch] = await Promise.all([
    repo.readSiteRevision(db),
    repo.newestDispatchId(db),
  ]);
  return `${revision}:${dispatch}`;
}

/**
 * Records one public change inside the caller's transaction: bumps the site revision (which
 * serialises public writers), gives the case a new revision with a summary, and writes the
 * outbox event. Returns the case's new revision number.
 */
export async function recordPublicChange(
  tx: Executor,
  caseId: number,
  kind: PublicationEventKind,
  summary: string,
  now = nowIso(),
): Promise<number> {
  const siteRevision = await repo.bumpSiteRevision(tx, now);
  const publication = await repo.findPublication(tx, caseId);
  const revision = (publication?.revision ?? 0) + 1;
  if (publication) await repo.updatePublication(tx, caseId, { revision, updated_at: now });
  await repo.insertRevision(tx, { case_id: caseId, number: revision, at: now, summary });
  await repo.insertPublicationEvent(tx, {
    case_id: caseId,
    kind,
    at: now,
    revision,
    site_revision: siteRevision,
  });
  return revision;
}

/** The conditions released for a case: a predicate for applyEmbargo. */
export function releasedPredicate(conditions: readonly string[]): (c: string) => boolean {
  const set = new Set(conditions);
  return (c) => set.has('*') || set.has(c);
}

async function buildSnapshots(db: Executor, rows: PublicationJoinRow[]): Promise<PublishedCase[]> {
  const ids = rows.map((r) => Number(r.case_id));
  const [updates, revisions, releases, firstNotices] = await Promise.all([
    listPublicUpdates(db, ids),
    repo.listRevisions(db, ids),
    repo.listEmbargoReleases(db, ids),
    repo.firstCustomerNoticeTimes(db, ids),
  ]);
  return rows.map((row) => {
    const caseId = Number(row.case_id);
    const released = releasedPredicate(
      releases.filter((r) => Number(r.case_id) === caseId).map((r) => r.condition),
    );
    const publicTexts = readJson(row.public_texts, storedTextsSchema);
    const pressTexts = row.press_texts ? readJson(row.press_texts, storedTextsSchema) : null;
    const caseUpdates = updates.filter((u) => Number(u.case_id) === caseId);
    const rawTexts = [
      ...Object.values(publicTexts).map((t) => t.body),
      ...Object.values(pressTexts ?? {}).map((t) => t.body),
      ...caseUpdates.flatMap((u) => Object.values(readJson(u.texts, stringMapJson))),
    ];
    const embargoPending = embargoConditions(rawTexts).some((c) => !released(c));
    const texts: Partial<Record<PublicLanguage, PublicText>> = {};
    for (const [language, t] of Object.entries(publicTexts)) {
      const body = applyEmbargo(t.body, released);
      texts[language as PublicLanguage] = { title: t.subject, summary: firstParagraph(body), body };
    }
    const awareAt = row.aware_at;
    const firstCustomerNoticeAt = firstNotices.get(caseId) ?? null;
    const publicNoticeAt = row.first_published_at;
    const hasPress = pressTexts !== null && row.press_published_at !== null;
    return {
      caseId,
      reference: row.reference,
      kind: row.kind === 'advisory' ? 'advisory' : 'incident',
      year: Number(row.year),
      slug: row.slug,
      paths: publicationPaths(Number(row.year), row.slug, hasPress),
      state: row.state,
      texts,
      defaultLanguage: row.default_language === 'en' ? 'en' : 'nl',
      publishedAt: row.first_published_at,
      updatedAt: row.updated_at,
      awareAt,
      firstCustomerNoticeAt,
      publicNoticeAt,
      resolvedAt: row.resolved_at,
      updates: caseUpdates.map((u) => ({
        id: Number(u.id),
        status: u.status,
        at: u.at,
        text: Object.fromEntries(
          Object.entries(readJson(u.texts, stringMapJson)).map(([l, md]) => [
            l,
            applyEmbargo(md, released),
          ]),
        ),
      })),
      ...(hasPress
        ? {
            pressStatement: {
              publishedAt: row.press_published_at!,
              texts: Object.fromEntries(
                Object.entries(pressTexts).map(([l, t]) => [
                  l,
                  { title: t.subject, body: applyEmbargo(t.body, released) },
                ]),
              ),
            },
          }
        : {}),
      revisions: revisions
        .filter((r) => Number(r.case_id) === caseId)
        .map((r) => ({ number: Number(r.number), date: r.at, summary: r.summary })),
      embargoPending,
      transparency: {
        hoursToFirstCustomerNotice: hoursBetween(awareAt, firstCustomerNoticeAt),
        hoursToPublicNotice: hoursBetween(awareAt, publicNoticeAt),
      },
    } satisfies PublishedCase;
  });
}

/** The first paragraph of a Markdown text as plain text (headings skipped), for listings. */
export function firstParagraph(markdown: string, max = 300): string {
  const paragraph =
    markdown
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !p.startsWith('#') && !/^[-*_]{3,}$/.test(p)) ?? '';
  const plain = paragraph
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#]/g, '')
    .replace(/\\\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1).trimEnd()}…` : plain;
}
