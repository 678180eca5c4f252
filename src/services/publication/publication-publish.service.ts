import { authorize, type Actor } from '../../domain/access.js';
import { embargoConditions } from '../../domain/embargo.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import { publicationSlug, type PublicLanguage } from '../../domain/publication.js';
import type { Database } from '../../store/database.js';
import { nowIso, readJson, type Executor } from '../../store/executor.js';
import { findNotice, listNoticesOfCase, listNoticeTexts } from '../../store/notice.repository.js';
import * as repo from '../../store/publication.repository.js';
import type { NoticeRow } from '../../store/schema.js';
import { appendAudit } from '../access/audit.service.js';
import { requireCase } from '../cases/case-lookup.js';
import { releaseDueEmbargoes } from './embargo-release.service.js';
import {
  recordPublicChange,
  releasedPredicate,
  storedTextsSchema,
  type StoredTexts,
} from './publication.service.js';
import { renderPublicText } from './public-text.js';
import { LANGUAGES } from '../../config.js';
import { describeSnapshotChanges } from '../../domain/notices/notice-snapshot.js';
import type { NoticeApprovalRow } from '../../store/schema-statements.js';
import {
  approvalInForce,
  approvalSnapshot,
  assertClaimsHold,
  currentSnapshot,
} from '../notices/notice-approval.service.js';

/** Publishing: approved public notice and press statement onto the security page. */

export interface PublicationDeps {
  database: Database;
  publicUrl: string;
}

/** Where a case stands publicly: for the workspace tab and the API. */
export interface PublicationStatus {
  published: boolean;
  withdrawn: boolean;
  slug: string | null;
  year: number | null;
  revision: number;
  publicNotice: { id: number; status: string; publishedHash: string | null } | null;
  pressNotice: { id: number; status: string; publishedHash: string | null } | null;
  /** Something approved that is not public yet. */
  canPublish: boolean;
  embargo: { condition: string; released: boolean }[];
}

/** The public state of a case. */
export async function publicationStatus(
  actor: Actor,
  caseRef: string | number,
  deps: { database: Database },
): Promise<PublicationStatus> {
  authorize(actor, 'cases:read');
  const db = deps.database.db;
  const kase = await requireCase(db, caseRef);
  return statusOf(db, kase.id);
}

async function statusOf(db: Executor, caseId: number): Promise<PublicationStatus> {
  const pub = await repo.findPublication(db, caseId);
  const { publicNotice, pressNotice } = await latestNotices(db, caseId);
  const publicApproval = publicNotice ? await approvalInForce(db, publicNotice) : undefined;
  const pressApproval = pressNotice ? await approvalInForce(db, pressNotice) : undefined;
  const status = (n: NoticeRow | undefined, published: string | null | undefined) =>
    n
      ? {
          id: n.id,
          status: !n.approved_hash
            ? 'draft'
            : n.approved_hash === n.content_hash
              ? 'approved'
              : 'changed-since-approval',
          publishedHash: published ?? null,
        }
      : null;
  const pa = publicApproval;
  const pr = pressApproval;
  const canPublish =
    (pa !== undefined && pa.snapshot_hash !== pub?.public_hash) ||
    (pr !== undefined &&
      (pub !== undefined || pa !== undefined) &&
      pr.snapshot_hash !== pub?.press_hash) ||
    (pub?.withdrawn_at !== null && pub !== undefined && pa !== undefined);
  // Conditions in what is published and in the current drafts, so authors see them early.
  const drafts = [publicNotice, pressNotice].filter((n): n is NoticeRow => n !== undefined);
  const texts = [
    ...(pub
      ? [
          ...Object.values(readJson(pub.public_texts, storedTextsSchema)).map((t) => t.body),
          ...Object.values(pub.press_texts ? readJson(pub.press_texts, storedTextsSchema) : {}).map(
            (t) => t.body,
          ),
        ]
      : []),
    ...(await Promise.all(drafts.map((n) => listNoticeTexts(db, n.id)))).flat().map((t) => t.body),
  ];
  const released = releasedPredicate(
    (await repo.listEmbargoReleases(db, [caseId])).map((r) => r.condition),
  );
  return {
    published: pub !== undefined && pub.withdrawn_at === null,
    withdrawn: pub?.withdrawn_at != null,
    slug: pub?.slug ?? null,
    year: pub ? Number(pub.year) : null,
    revision: pub ? Number(pub.revision) : 0,
    publicNotice: status(publicNotice, pub?.public_hash),
    pressNotice: status(pressNotice, pub?.press_hash),
    canPublish,
    embargo: embargoConditions(texts).map((condition) => ({
      condition,
      released: released(condition),
    })),
  };
}

/** The newest public and press notices of a case. */
export async function latestNotices(db: Executor, caseId: number) {
  const all = await listNoticesOfCase(db, caseId);
  const newest = (audience: string) => all.filter((n) => n.audience === audience).at(-1);
  return { publicNotice: newest('public'), pressNotice: newest('press') };
}

/**
 * Publishes (or republishes) the case's approved public notice, and its approved press
 * statement if there is one. Refused without an approved public notice: nothing reaches the
 * security page without four eyes.
 */
export async function publishCase(
  actor: Actor,
  caseRef: string | number,
  deps: PublicationDeps,
): Promise<PublicationStatus> {
  authorize(actor, 'publication:publish');
  const { db, dialect } = deps.database;
  const result = await db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const { publicNotice, pressNotice } = await latestNotices(tx, kase.id);
    const publicApproval = publicNotice ? await usableApproval(tx, publicNotice) : undefined;
    const approvedPublic = publicApproval ? publicNotice : undefined;
    const existing = await repo.findPublication(tx, kase.id);
    const source =
      approvedPublic ??
      (existing ? await findNotice(tx, Number(existing.public_notice_id)) : undefined);
    if (!source || (!approvedPublic && !existing)) {
      throw new ConflictError(
        `${kase.reference} has no approved public notice: write one (audience "public") and have an approver approve it first`,
      );
    }
    const pressApproval = pressNotice ? await usableApproval(tx, pressNotice) : undefined;
    const approvedPress = pressApproval ? pressNotice : undefined;
    const securityPageUrl = `${deps.publicUrl}/security`;
    const publicTexts = publicApproval
      ? renderedTexts(publicApproval, 'public', securityPageUrl)
      : readJson(existing!.public_texts, storedTextsSchema);
    const pressTexts = pressApproval
      ? renderedTexts(pressApproval, 'press', securityPageUrl)
      : null;
    const publicHash = publicApproval?.snapshot_hash ?? existing?.public_hash ?? '';
    const now = nowIso();
    const changes: string[] = [];
    if (!existing) {
      const title =
        publicTexts.en?.subject ?? publicTexts[source.default_language as PublicLanguage]?.subject;
      let slug = publicationSlug(kase.reference, title ?? kase.title);
      const year = new Date(now).getUTCFullYear();
      if (await repo.slugTaken(tx, year, slug, kase.id)) slug = `${slug}-${kase.id}`;
      await repo.insertPublication(tx, {
        case_id: kase.id,
        slug,
        year,
        public_notice_id: source.id,
        public_hash: publicHash,
        public_texts: JSON.stringify(publicTexts),
        default_language: source.default_language,
        press_notice_id: approvedPress?.id ?? null,
        press_hash: pressApproval?.snapshot_hash ?? null,
        press_texts: pressTexts ? JSON.stringify(pressTexts) : null,
        press_published_at: approvedPress ? now : null,
        revision: 0,
        first_published_at: now,
        updated_at: now,
        withdrawn_at: null,
        published_by: actor.name,
      });
      changes.push('published');
    } else {
      if (publicApproval && publicApproval.snapshot_hash !== existing.public_hash)
        changes.push('public notice updated');
      if (pressApproval && pressApproval.snapshot_hash !== existing.press_hash)
        changes.push(existing.press_hash ? 'press statement updated' : 'press statement published');
      if (existing.withdrawn_at) changes.push('published again');
      if (changes.length === 0)
        throw new ConflictError(
          `${kase.reference}: nothing new to publish (no newly approved text)`,
        );
      await repo.updatePublication(tx, kase.id, {
        public_notice_id: source.id,
        public_hash: publicHash,
        public_texts: JSON.stringify(publicTexts),
        default_language: source.default_language,
        ...(approvedPress && pressApproval
          ? {
              press_notice_id: approvedPress.id,
              press_hash: pressApproval.snapshot_hash,
              press_texts: JSON.stringify(pressTexts),
              press_published_at: existing.press_published_at ?? now,
            }
          : {}),
        withdrawn_at: null,
        published_by: actor.name,
      });
    }
    const summary = changes.join('; ');
    const revision = await recordPublicChange(
      tx,
      kase.id,
      existing && !existing.withdrawn_at ? 'updated' : 'published',
      summary,
      now,
    );
    await appendAudit(tx, dialect, actor, {
      action: 'publication.publish',
      objectType: 'case',
      objectId: kase.id,
      details: {
        reference: kase.reference,
        revision,
        publicNoticeId: source.id,
        publicHash,
        pressNoticeId: approvedPress?.id ?? null,
        summary,
      },
    });
    return kase.id;
  });
  // A case published after it was resolved (or after an embargo date) releases at once.
  await releaseDueEmbargoes(deps, { caseId: result });
  return statusOf(db, result);
}

/** Takes a case off the security page (the record of it stays, and can be republished). */
export async function withdrawCase(
  actor: Actor,
  caseRef: string | number,
  reason: string,
  deps: { database: Database },
): Promise<PublicationStatus> {
  authorize(actor, 'publication:publish');
  const { db, dialect } = deps.database;
  return db.transaction().execute(async (tx) => {
    const kase = await requireCase(tx, caseRef);
    const pub = await repo.findPublication(tx, kase.id);
    if (!pub || pub.withdrawn_at) throw new ConflictError(`${kase.reference} is not published`);
    const now = nowIso();
    await repo.updatePublication(tx, kase.id, { withdrawn_at: now });
    const revision = await recordPublicChange(
      tx,
      kase.id,
      'withdrawn',
      `withdrawn: ${reason}`,
      now,
    );
    await appendAudit(tx, dialect, actor, {
      action: 'publication.withdraw',
      objectType: 'case',
      objectId: kase.id,
      details: { reference: kase.reference, revision, reason },
    });
    return statusOf(tx, kase.id);
  });
}

/**
 * The approval of a public or press notice, if it may be published: in force, and the case
 * still says what the approver saw. A stale one is refused with what changed.
 */
async function usableApproval(
  db: Executor,
  notice: NoticeRow,
): Promise<NoticeApprovalRow | undefined> {
  const approval = await approvalInForce(db, notice);
  if (!approval) return undefined;
  const { snapshot, hash } = await currentSnapshot(db, notice);
  if (hash !== approval.snapshot_hash) {
    const changes = describeSnapshotChanges(approvalSnapshot(approval), snapshot);
    throw new ConflictError(
      `the ${notice.audience} notice: ${changes.join(', ') || 'what it uses'} changed after approval; approve it again before publishing`,
    );
  }
  await assertClaimsHold(db, notice, snapshot);
  return approval;
}

/** An approved snapshot's texts with case and organisation values filled in (no customer data). */
function renderedTexts(
  approval: NoticeApprovalRow,
  audience: string,
  securityPageUrl: string,
): StoredTexts {
  const snapshot = approvalSnapshot(approval);
  const out: StoredTexts = {};
  for (const language of LANGUAGES) {
    try {
      const text = renderPublicText(snapshot, language, securityPageUrl);
      if (text) out[language] = text;
    } catch (error) {
      throw new ValidationError(`the ${audience} notice does not render`, [
        { field: `texts.${language}`, message: (error as Error).message },
      ]);
    }
  }
  return out;
}
